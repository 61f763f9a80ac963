package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cp's local tar handling: Docker's renaming rules, and nothing written outside the target. */
class TarTreeTest {
    @TempDir
    Path dir;

    @Test
    void aTreeRoundTrips_underANewRootName() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(src.resolve("f.txt"), "hello");
        Files.createSymbolicLink(src.getParent().resolve("link"), Path.of("sub/f.txt"));
        var tar = new ByteArrayOutputStream();
        TarTree.write(dir.resolve("src"), "src", tar);
        Path out = Files.createDirectories(dir.resolve("out"));
        TarTree.extract(new ByteArrayInputStream(tar.toByteArray()), out, "copy", false);
        assertThat(out.resolve("copy/sub/f.txt")).hasContent("hello");
        assertThat(Files.readSymbolicLink(out.resolve("copy/link"))).isEqualTo(Path.of("sub/f.txt"));
    }

    @Test
    void contentsOnly_goStraightIntoTheTarget() throws Exception {
        var tar = tarOf(new String[] {"./", "./a.txt"}, "x");
        Path out = Files.createDirectories(dir.resolve("out"));
        TarTree.extract(new ByteArrayInputStream(tar), out, null, false);
        assertThat(out.resolve("a.txt")).hasContent("x");
    }

    @Test
    void renamesFollowDockersRules() {
        assertThat(TarTree.rename("hosts", "h")).isEqualTo("h");
        assertThat(TarTree.rename("etc/passwd", null)).isEqualTo("etc/passwd");
        assertThat(TarTree.rename("etc/passwd", "e")).isEqualTo("e/passwd");
        assertThat(TarTree.rename("./a/b", "ignored")).isEqualTo("a/b");
        assertThat(TarTree.rename(".", null)).isNull();
        assertThat(TarTree.base("/etc/hosts")).isEqualTo("hosts");
        assertThat(TarTree.parent("/etc/hosts")).isEqualTo("/etc");
        assertThat(TarTree.parent("/hosts")).isEqualTo("/");
    }

    @Test
    void escapingEntries_areRefused() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        assertThatThrownBy(() -> TarTree.extract(new ByteArrayInputStream(tarOf(new String[] {"a/../../evil"}, "x")), out, null, false))
                .hasMessageContaining("outside the target");
        assertThat(dir.resolve("evil")).doesNotExist();
        // A link to the outside, then a file written through it.
        var buf = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(buf)) {
            var link = new TarArchiveEntry("esc", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName(dir.toString());
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            var f = new TarArchiveEntry("esc/pwned");
            f.setSize(1);
            tar.putArchiveEntry(f);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> TarTree.extract(new ByteArrayInputStream(buf.toByteArray()), out, null, false))
                .hasMessageContaining("link out of the target");
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void aHardLinkThroughALinkOut_isRefused_andTheOutsideFileKeepsItsMode() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("secret"), "s");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path out = Files.createDirectories(dir.resolve("out"));
        var buf = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(buf)) {
            var link = new TarArchiveEntry("a", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName(outside.toString());
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            var hard = new TarArchiveEntry("b", TarArchiveEntry.LF_LINK);
            hard.setLinkName("a/secret");
            hard.setMode(0100777);
            tar.putArchiveEntry(hard);
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> TarTree.extract(new ByteArrayInputStream(buf.toByteArray()), out, null, true))
                .hasMessageContaining("hard link out of the target");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(out.resolve("b")).doesNotExist();
    }

    private static byte[] tarOf(String[] names, String content) throws Exception {
        var buf = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(buf)) {
            for (String n : names) {
                var e = new TarArchiveEntry(n);
                if (!n.endsWith("/")) e.setSize(content.length());
                tar.putArchiveEntry(e);
                if (!n.endsWith("/")) tar.write(content.getBytes());
                tar.closeArchiveEntry();
            }
        }
        return buf.toByteArray();
    }
}
