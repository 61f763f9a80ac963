package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionTest {

    static byte[] compress(Compression c, byte[] data) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (c) {
            case NONE -> bytes;
            case GZIP -> new GzipCompressorOutputStream(bytes);
            case BZIP2 -> new BZip2CompressorOutputStream(bytes);
            case XZ -> new XZCompressorOutputStream(bytes);
            case ZSTD -> new ZstdCompressorOutputStream(bytes);
        }) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void detect_recognizesEachFormatByItsMagic(Compression c) throws IOException {
        byte[] compressed = compress(c, Tars.single("hello"));
        assertThat(Compression.detect(compressed)).isEqualTo(c);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void decompressing_yieldsTheOriginalBytes(Compression c) throws IOException {
        byte[] tar = Tars.single("some content ".repeat(1000));
        try (var in = Compression.decompressing(new ByteArrayInputStream(compress(c, tar)))) {
            assertThat(in.readAllBytes()).isEqualTo(tar);
        }
    }

    @Test
    void shortAndEmptyInputs_areTakenAsUncompressed() throws IOException {
        assertThat(Compression.detect(new byte[0])).isEqualTo(Compression.NONE);
        assertThat(Compression.detect(new byte[] {0x1f})).isEqualTo(Compression.NONE);
        byte[] text = "not compressed".getBytes(StandardCharsets.US_ASCII);
        try (var in = Compression.decompressing(new ByteArrayInputStream(text))) {
            assertThat(in.readAllBytes()).isEqualTo(text);
        }
    }
}
