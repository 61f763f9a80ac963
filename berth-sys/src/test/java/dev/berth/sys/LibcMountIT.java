package dev.berth.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Needs root (CAP_SYS_ADMIN). */
class LibcMountIT {

    @Test
    void mount_tmpfs_thenDetach_hidesAndRestoresTheDirectory(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectory(dir.resolve("mnt"));
        Files.writeString(target.resolve("under"), "x");

        Libc.mount("tmpfs", target.toString(), "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV, "size=1m,mode=0700");
        try {
            assertThat(target.resolve("under")).doesNotExist();
            Files.writeString(target.resolve("inside"), "y");
            assertThat(Files.readAllLines(Path.of("/proc/self/mounts")))
                    .anyMatch(l -> l.contains(" " + target + " tmpfs ") && l.contains("nosuid") && l.contains("nodev"));
        } finally {
            Libc.umount2(target.toString(), Libc.MNT_DETACH);
        }

        assertThat(target.resolve("under")).exists();
        assertThat(target.resolve("inside")).doesNotExist();
    }

    @Test
    void mount_bindReadOnly_refusesWrites(@TempDir Path dir) throws Exception {
        Path source = Files.createDirectory(dir.resolve("src"));
        Path target = Files.createDirectory(dir.resolve("dst"));
        Files.writeString(source.resolve("f"), "data");

        Libc.mount(source.toString(), target.toString(), null, Libc.MS_BIND, null);
        try {
            Libc.mount(null, target.toString(), null, Libc.MS_BIND | Libc.MS_REMOUNT | Libc.MS_RDONLY, null);
            assertThat(Files.readString(target.resolve("f"))).isEqualTo("data");
            assertThatThrownBy(() -> Files.writeString(target.resolve("g"), "no"))
                    .hasMessageContaining("Read-only file system");
        } finally {
            Libc.umount2(target.toString(), 0);
        }
    }

    @Test
    void mount_ofUnknownFilesystem_failsWithStrerrorText(@TempDir Path dir) {
        assertThatThrownBy(() -> Libc.mount("none", dir.toString(), "nosuchfs", 0, null))
                .isInstanceOf(SysException.class)
                .hasMessage("mount " + dir + ": No such device");
    }

    @Test
    void umount2_ofNonMountPoint_failsWithStrerrorText(@TempDir Path dir) {
        assertThatThrownBy(() -> Libc.umount2(dir.toString(), Libc.MNT_DETACH))
                .isInstanceOf(SysException.class)
                .hasMessage("umount " + dir + ": Invalid argument");
    }
}
