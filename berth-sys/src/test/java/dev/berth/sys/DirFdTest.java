package dev.berth.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirFdTest {

    @Test
    void inRoot_keepsAbsoluteAndDotDotSymlinksInsideTheRoot(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "inside");
        Files.writeString(tmp.resolve("outside"), "host");
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));
        int rootFd = DirFd.open(root.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        try {
            long inRoot = DirFd.RESOLVE_IN_ROOT | DirFd.RESOLVE_NO_MAGICLINKS;
            for (String p : new String[] {"/escape/etc/hostname", "up/etc/hostname", "../../etc/hostname"}) {
                int fd = DirFd.openat2(rootFd, p, DirFd.O_RDONLY, 0, inRoot);
                try {
                    assertThat(Files.readString(DirFd.procPath(fd))).as(p).isEqualTo("inside");
                } finally {
                    DirFd.close(fd);
                }
            }
            int up = DirFd.openat2(rootFd, "up/..", DirFd.O_PATH | DirFd.O_DIRECTORY, 0, inRoot);
            assertThat(Files.readSymbolicLink(DirFd.procPath(up))).isEqualTo(root);
            DirFd.close(up);
        } finally {
            DirFd.close(rootFd);
        }
    }

    @Test
    void beneathWithoutSymlinks_refusesAnyLink(@TempDir Path tmp) throws Exception {
        Files.createSymbolicLink(tmp.resolve("link"), Path.of("/etc"));
        int dir = DirFd.open(tmp.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        try {
            assertThatThrownBy(() -> DirFd.openat2(dir, "link/passwd", DirFd.O_RDONLY, 0,
                    DirFd.RESOLVE_BENEATH | DirFd.RESOLVE_NO_SYMLINKS))
                    .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(DirFd.ELOOP));
        } finally {
            DirFd.close(dir);
        }
    }

    @Test
    void atCalls_createInspectAndRemove(@TempDir Path tmp) throws Exception {
        int dir = DirFd.open(tmp.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        try {
            DirFd.mkdir(dir, "d", 0755);
            DirFd.symlink("/etc/passwd", dir, "l");
            DirFd.mknod(dir, "fifo", DirFd.S_IFIFO | 0600, 0, 0);
            int f = DirFd.openat2(dir, "f", DirFd.O_WRONLY | DirFd.O_CREAT | DirFd.O_EXCL | DirFd.O_NOFOLLOW, 0600,
                    DirFd.RESOLVE_BENEATH | DirFd.RESOLVE_NO_SYMLINKS);
            Files.writeString(DirFd.procPath(f), "12345");
            DirFd.chmod(f, 04751);
            DirFd.setTimes(f, "", 2_000_000, 7);
            DirFd.close(f);
            DirFd.link(dir, "f", dir, "hard");
            DirFd.setTimes(dir, "l", 1_000_000, 5);

            var f1 = DirFd.stat(dir, "f");
            assertThat(f1.isRegular()).isTrue();
            assertThat(f1.size()).isEqualTo(5);
            assertThat(f1.permissions()).isEqualTo(04751);
            assertThat(f1.nlink()).isEqualTo(2);
            assertThat(f1.mtimeSeconds()).isEqualTo(2_000_000);
            assertThat(f1.mtimeNanos()).isEqualTo(7);
            assertThat(DirFd.stat(dir, "hard").ino()).isEqualTo(f1.ino());
            var l = DirFd.stat(dir, "l");
            assertThat(l.isSymlink()).isTrue();
            assertThat(l.mtimeSeconds()).isEqualTo(1_000_000);
            assertThat(DirFd.readlink(dir, "l")).isEqualTo("/etc/passwd");
            assertThat(DirFd.stat(dir, "d").isDirectory()).isTrue();
            assertThat(DirFd.stat(dir, "fifo").type()).isEqualTo(DirFd.S_IFIFO);
            assertThat(DirFd.statIfExists(dir, "none")).isNull();

            DirFd.unlink(dir, "d", true);
            DirFd.unlink(dir, "l", false);
            assertThat(Files.exists(tmp.resolve("d"))).isFalse();
            assertThat(Files.exists(tmp.resolve("l"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        } finally {
            DirFd.close(dir);
        }
    }
}
