package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.LayerStore;
import dev.berth.sys.DirFd;
import dev.berth.sys.Libc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerChangesTest {

    private static List<String> changes(Path upper, Path... lowers) throws Exception {
        var lowerdir = String.join(":", java.util.Arrays.stream(lowers).map(Path::toString).toList());
        var mount = new LayerStore.Mount("overlay", "overlay", List.of("lowerdir=" + lowerdir, "upperdir=" + upper,
                "workdir=/nonexistent"), upper);
        return ContainerChanges.changes(mount).stream()
                .map(c -> "CAD".charAt(c.kind().code()) + " " + c.path()).toList();
    }

    @Test
    void addedModifiedDeleted_inDockersOrder_withoutTheRuntimesMountPoints(@TempDir Path tmp) throws Exception {
        assumeTrue(Libc.getuid() == 0, "whiteouts and trusted.* xattrs need root");
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        for (String d : new String[] {"bin", "etc", "same", "old/sub", "a"}) Files.createDirectories(lower.resolve(d));
        Files.writeString(lower.resolve("bin/ls"), "ls");
        Files.writeString(lower.resolve("etc/group"), "root");
        Files.writeString(lower.resolve("old/sub/x"), "x");
        Files.writeString(lower.resolve("old/y"), "y");

        Files.createDirectories(upper.resolve("bin"));
        int bin = DirFd.open(upper.resolve("bin").toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        DirFd.mknod(bin, "ls", DirFd.S_IFCHR, 0, 0);
        DirFd.close(bin);
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/group"), "root\nmore");
        Files.writeString(upper.resolve("etc/hosts"), ""); // the runtime's bind mount target
        Files.createDirectories(upper.resolve("same"));
        Files.setLastModifiedTime(upper.resolve("same"), Files.getLastModifiedTime(lower.resolve("same")));
        Files.createDirectories(upper.resolve("old"));
        Files.writeString(upper.resolve("old/new"), "n");
        int old = DirFd.open(upper.resolve("old").toString(), DirFd.O_RDONLY | DirFd.O_DIRECTORY);
        DirFd.setxattr(old, "trusted.overlay.opaque", new byte[] {'y'});
        DirFd.close(old);
        Files.createDirectories(upper.resolve("a-b"));
        Files.createDirectories(upper.resolve("a/c"));
        Files.createDirectories(upper.resolve("proc"));
        for (String d : new String[] {"bin", "etc", "old", "a", "a/c"}) {
            Files.setLastModifiedTime(upper.resolve(d), FileTime.fromMillis(1000));
        }

        assertThat(changes(upper, lower)).containsExactly(
                "C /a", "A /a/c", "A /a-b",
                "C /bin", "D /bin/ls",
                "C /etc", "C /etc/group",
                "C /old", "A /old/new", "D /old/sub", "D /old/y");
    }

    @Test
    void aDirectoryCopiedUpOnlyForTheRuntimesMountPoints_isUnchanged(@TempDir Path tmp) throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower/etc"));
        Path upper = Files.createDirectories(tmp.resolve("upper/etc"));
        Files.writeString(upper.resolve("hostname"), "");
        Files.writeString(upper.resolve("resolv.conf"), "");
        Files.setLastModifiedTime(upper, FileTime.fromMillis(1000));
        assertThat(changes(tmp.resolve("upper"), tmp.resolve("lower"))).isEmpty();
    }

    @Test
    void aDirectoryTheImageLacks_madeOnlyForTheRuntimesMountPoints_isNoAddition(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("lower/bin"));
        Path upper = Files.createDirectories(tmp.resolve("upper/etc"));
        Files.writeString(upper.resolve("hosts"), "");
        assertThat(changes(tmp.resolve("upper"), tmp.resolve("lower"))).isEmpty();
    }

    @Test
    void anEmptyDirectoryCopiedUp_isTheContainersChange(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("lower/tmp"));
        Path upper = Files.createDirectories(tmp.resolve("upper/tmp"));
        Files.setPosixFilePermissions(upper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.setLastModifiedTime(upper, Files.getLastModifiedTime(tmp.resolve("lower/tmp")));
        Files.createDirectories(tmp.resolve("upper/made"));
        assertThat(changes(tmp.resolve("upper"), tmp.resolve("lower"))).containsExactly("A /made", "C /tmp");
    }

    @Test
    void onlyInitMountPoints_needsAtLeastOneChild_allOfThemMountPoints_andNoOpaqueDirectory() {
        assertThat(ContainerChanges.onlyInitMountPoints("/etc", List.of("hostname", "hosts"), false)).isTrue();
        assertThat(ContainerChanges.onlyInitMountPoints("/etc/", List.of("resolv.conf"), false)).isTrue();
        assertThat(ContainerChanges.onlyInitMountPoints("/", List.of("proc", ".dockerenv"), false)).isTrue();
        assertThat(ContainerChanges.onlyInitMountPoints("/etc", List.of(), false)).isFalse();
        assertThat(ContainerChanges.onlyInitMountPoints("/etc", List.of("hosts"), true)).isFalse();
        assertThat(ContainerChanges.onlyInitMountPoints("/etc", List.of("hosts", "passwd"), false)).isFalse();
        assertThat(ContainerChanges.onlyInitMountPoints("/x", List.of("hosts"), false)).isFalse();
    }
}
