package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.sys.DirFd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarExtractorTest {

    interface Body {
        void write(TarArchiveOutputStream t) throws Exception;
    }

    private static byte[] tar(Body body) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var t = new TarArchiveOutputStream(bytes)) {
            body.write(t);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream t, String name, String content, int mode) throws Exception {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        var e = new TarArchiveEntry(name, true);
        e.setSize(b.length);
        e.setMode(mode);
        e.setModTime(1_000_000_000_000L);
        t.putArchiveEntry(e);
        t.write(b);
        t.closeArchiveEntry();
    }

    private static void entry(TarArchiveOutputStream t, String name, byte type, String link) throws Exception {
        var e = new TarArchiveEntry(name, type, true);
        if (link != null) e.setLinkName(link);
        if (type == TarConstants.LF_DIR) e.setMode(0750);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    /** Extracts into {@code root}/{@code target} as the PUT archive endpoint does. */
    private static void extract(Path root, String target, byte[] tar, boolean noOverwrite) throws Exception {
        int rootFd = DirFd.open(root.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        int targetFd = DirFd.openat2(rootFd, target, DirFd.O_PATH | DirFd.O_DIRECTORY, 0, ContainerArchive.IN_ROOT);
        try {
            new TarExtractor(rootFd, targetFd, noOverwrite, -1, -1).extract(new ByteArrayInputStream(tar));
        } finally {
            DirFd.close(targetFd);
            DirFd.close(rootFd);
        }
    }

    @Test
    void extractsFilesDirsAndLinks_withModesAndTimes(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root/dest"));
        extract(tmp.resolve("root"), "/dest", tar(t -> {
            entry(t, "d/", TarConstants.LF_DIR, null);
            file(t, "d/f", "hello", 04755);
            entry(t, "d/link", TarConstants.LF_SYMLINK, "/etc/passwd");
            entry(t, "d/hard", TarConstants.LF_LINK, "d/f");
        }), false);
        Path d = root.resolve("d");
        assertThat(Files.readString(d.resolve("f"))).isEqualTo("hello");
        assertThat((int) Files.getAttribute(d.resolve("f"), "unix:mode") & 07777).isEqualTo(04755);
        assertThat(Files.getLastModifiedTime(d.resolve("f")).toMillis()).isEqualTo(1_000_000_000_000L);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwxr-x---");
        assertThat(Files.readSymbolicLink(d.resolve("link"))).isEqualTo(Path.of("/etc/passwd"));
        assertThat(Files.isSameFile(d.resolve("hard"), d.resolve("f"))).isTrue();
    }

    @Test
    void aLinkInTheContainerToRoot_leadsToTheContainersRoot_notTheHosts(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root/tmp"));
        Files.createSymbolicLink(tmp.resolve("root/escape"), Path.of("/"));
        Files.createSymbolicLink(tmp.resolve("root/up"), Path.of("../../../../../.."));
        String unique = "berth-extract-" + UUID.randomUUID();
        extract(tmp.resolve("root"), "/escape/tmp", tar(t -> file(t, unique, "x", 0644)), false);
        extract(tmp.resolve("root"), "/", tar(t -> file(t, "up/tmp/" + unique + "-2", "y", 0644)), false);
        assertThat(Path.of("/tmp", unique)).doesNotExist();
        assertThat(Path.of("/tmp", unique + "-2")).doesNotExist();
        assertThat(root.resolve(unique)).hasContent("x");
        assertThat(root.resolve(unique + "-2")).hasContent("y");
    }

    @Test
    void refusesNamesAndLinksThatLeadOut(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root/dest"));
        var cases = new java.util.LinkedHashMap<String, Body>();
        cases.put("dotdot", t -> file(t, "a/../../x", "x", 0644));
        cases.put("absolute", t -> file(t, "/x", "x", 0644));
        cases.put("relative symlink out", t -> entry(t, "l", TarConstants.LF_SYMLINK, "../x"));
        cases.put("hard link out", t -> entry(t, "h", TarConstants.LF_LINK, "../etc/passwd"));
        cases.put("absolute hard link", t -> entry(t, "h", TarConstants.LF_LINK, "/etc/passwd"));
        for (var c : cases.entrySet()) {
            assertThatThrownBy(() -> extract(tmp.resolve("root"), "/dest", tar(c.getValue()), false))
                    .as(c.getKey()).isInstanceOf(EngineException.InvalidArgument.class);
        }
        byte[] whole = tar(t -> file(t, "big", "x".repeat(100_000), 0644));
        byte[] truncated = java.util.Arrays.copyOf(whole, 50_000);
        assertThatThrownBy(() -> extract(tmp.resolve("root"), "/dest", truncated, false))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("invalid tar archive");
        assertThat(tmp.resolve("root/x")).doesNotExist();
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void replacesExistingEntries_unlessNoOverwriteDirNonDir(@TempDir Path tmp) throws Exception {
        Path dest = Files.createDirectories(tmp.resolve("root/dest"));
        Files.createDirectories(dest.resolve("was-dir/inner"));
        Files.createSymbolicLink(dest.resolve("was-link"), Path.of("/etc"));
        assertThatThrownBy(() -> extract(tmp.resolve("root"), "/dest", tar(t -> file(t, "was-dir", "f", 0644)), true))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("cannot overwrite directory");
        extract(tmp.resolve("root"), "/dest", tar(t -> {
            file(t, "was-dir", "now a file", 0644);
            file(t, "was-link", "not through the link", 0644);
        }), false);
        assertThat(dest.resolve("was-dir")).hasContent("now a file");
        assertThat(Files.isSymbolicLink(dest.resolve("was-link"))).isFalse();
        assertThat(dest.resolve("was-link")).hasContent("not through the link");
        assertThat(Files.exists(dest.resolve("was-link"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
