package dev.berth.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * The compressions a layer or import stream may use, told apart by their magic bytes as Docker's
 * {@code archive.DetectCompression} does. Anything else is taken as an uncompressed tar.
 */
public enum Compression {
    NONE(new byte[0]),
    GZIP(new byte[] {0x1f, (byte) 0x8b, 0x08}),
    BZIP2(new byte[] {0x42, 0x5a, 0x68}),
    XZ(new byte[] {(byte) 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00}),
    ZSTD(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});

    private static final int LONGEST_MAGIC = 6;

    private final byte[] magic;

    Compression(byte[] magic) {
        this.magic = magic;
    }

    /** Which compression a stream starting with {@code head} uses. */
    public static Compression detect(byte[] head) {
        for (Compression c : values()) {
            if (c != NONE && head.length >= c.magic.length
                    && Arrays.equals(head, 0, c.magic.length, c.magic, 0, c.magic.length)) {
                return c;
            }
        }
        return NONE;
    }

    /**
     * Wraps {@code in} so that it yields the uncompressed bytes, whatever compression the stream turns out to use.
     * Multi-member gzip and concatenated bzip2/xz streams are read to their end, as {@code gzip -d} would.
     */
    public static InputStream decompressing(InputStream in) throws IOException {
        var buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(LONGEST_MAGIC);
        byte[] head = buffered.readNBytes(LONGEST_MAGIC);
        buffered.reset();
        return switch (detect(head)) {
            case NONE -> buffered;
            case GZIP -> new GzipCompressorInputStream(buffered, true);
            case BZIP2 -> new BZip2CompressorInputStream(buffered, true);
            case XZ -> new XZCompressorInputStream(buffered, true);
            case ZSTD -> new ZstdCompressorInputStream(buffered);
        };
    }
}
