package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TarUnpackerTest {
    @TempDir
    Path root;

    private Digest unpack(byte[] tar) {
        return TarUnpacker.unpack(new ByteArrayInputStream(tar), root);
    }

    private static int mode(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    @Test
    void unpack_createsEveryKindOfEntry_withItsModeAndTime() throws IOException {
        byte[] tar = new Tars()
                .dir("./", 0755)
                .dir("./bin", 0755)
                .file("./bin/tool", 04755, "#!/bin/sh\n")
                .hardlink("./bin/alias", "./bin/tool")
                .symlink("bin/sh", "/bin/tool")
                .dir("tmp", 01777)
                .file("etc/secret", 0600, "s3cret") // no entry for etc/: created implicitly, as tar does
                .build();

        unpack(tar);

        assertThat(root.resolve("bin/tool")).hasContent("#!/bin/sh");
        assertThat(mode(root.resolve("bin/tool"))).isEqualTo(04755);
        assertThat(Files.isSameFile(root.resolve("bin/alias"), root.resolve("bin/tool"))).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh"))).isEqualTo(Path.of("/bin/tool"));
        assertThat(mode(root.resolve("tmp"))).isEqualTo(01777);
        assertThat(mode(root.resolve("etc/secret"))).isEqualTo(0600);
        assertThat(Files.isDirectory(root.resolve("etc"))).isTrue();
        // Directory times survive the entries written into them afterwards.
        var mtime = FileTime.from(Tars.MTIME);
        assertThat(Files.getLastModifiedTime(root.resolve("bin"))).isEqualTo(mtime);
        assertThat(Files.getLastModifiedTime(root.resolve("bin/tool"))).isEqualTo(mtime);
        assertThat(Files.getLastModifiedTime(root.resolve("bin/sh"), LinkOption.NOFOLLOW_LINKS)).isEqualTo(mtime);
    }

    @Test
    void diffId_isTheSha256OfTheUncompressedTar_whateverTheCompression() throws IOException {
        byte[] tar = Tars.single("hello");
        Path other = Files.createDirectory(root.resolve("other"));
        Path plain = Files.createDirectory(root.resolve("plain"));

        Digest fromPlain = TarUnpacker.unpack(new ByteArrayInputStream(tar), plain);
        Digest fromGzip = TarUnpacker.unpack(new ByteArrayInputStream(CompressionTest.compress(Compression.GZIP, tar)), other);

        assertThat(fromPlain).isEqualTo(Digest.of(tar));
        assertThat(fromGzip).isEqualTo(Digest.of(tar));
    }

    @Test
    void laterEntries_replaceEarlierOnes() throws IOException {
        unpack(new Tars()
                .file("a", 0644, "first")
                .file("a", 0644, "second")
                .file("b", 0644, "file")
                .dir("b", 0755)
                .file("b/inside", 0644, "x")
                .symlink("c", "/etc/passwd")
                .file("c", 0644, "not through the link")
                .build());

        assertThat(root.resolve("a")).hasContent("second");
        assertThat(root.resolve("b")).isDirectory();
        assertThat(Files.isSymbolicLink(root.resolve("c"))).isFalse();
        assertThat(root.resolve("c")).hasContent("not through the link");
    }

    @Test
    void emptyStream_isAnEmptyLayer() {
        assertThat(unpack(new byte[0])).isEqualTo(Digest.of(new byte[0]));
    }

    static Stream<Arguments> refusedArchives() {
        byte[] good = new Tars().dir("etc", 0755).file("etc/data", 0644, "x".repeat(600)).build();
        byte[] badChecksum = good.clone();
        badChecksum[0] = 'X'; // the first header's name changes, its checksum does not
        return Stream.of(
                Arguments.of("absolute path", (Supplier<byte[]>) () -> new Tars().file("/etc/passwd", 0644, "x").build(),
                        "absolute path"),
                Arguments.of("climbs out", (Supplier<byte[]>) () -> new Tars().file("../evil", 0644, "x").build(),
                        "path escapes the layer"),
                Arguments.of("climbs out midway", (Supplier<byte[]>) () -> new Tars().file("a/../../evil", 0644, "x").build(),
                        "path escapes the layer"),
                Arguments.of("hard link out", (Supplier<byte[]>) () -> new Tars().hardlink("x", "../../etc/passwd").build(),
                        "path escapes the layer"),
                Arguments.of("hard link absolute", (Supplier<byte[]>) () -> new Tars().hardlink("x", "/etc/passwd").build(),
                        "absolute path"),
                Arguments.of("hard link to nothing", (Supplier<byte[]>) () -> new Tars().hardlink("x", "missing").build(),
                        "does not exist"),
                Arguments.of("write through a symlink", (Supplier<byte[]>) () -> new Tars().symlink("etc", "/etc")
                        .file("etc/passwd", 0644, "root::0:0::/:/bin/sh").build(), "traverses the symlink etc"),
                Arguments.of("not a tar", (Supplier<byte[]>) () -> "this is not a tar archive".getBytes(StandardCharsets.US_ASCII),
                        "error processing tar file"),
                Arguments.of("truncated", (Supplier<byte[]>) () -> Arrays.copyOf(good, 1300), "unexpected EOF"),
                Arguments.of("bad header checksum", (Supplier<byte[]>) () -> badChecksum, "invalid tar header"),
                Arguments.of("truncated gzip", (Supplier<byte[]>) () -> {
                    try {
                        byte[] gz = CompressionTest.compress(Compression.GZIP, good);
                        return Arrays.copyOf(gz, gz.length / 2);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }, "error processing tar file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedArchives")
    void unpack_refusesUnsafeOrBrokenArchives(String name, Supplier<byte[]> tar, String message) throws IOException {
        assertThatThrownBy(() -> unpack(tar.get()))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining(message);
        // Nothing was written outside the layer directory.
        assertThat(root.getParent().resolve("evil")).doesNotExist();
    }
}
