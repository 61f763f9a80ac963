package dev.berth.bench;

import dev.berth.image.OverlayLayerStore;
import dev.berth.image.PendingLayer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Unpacking one image layer through berth-image's own path, {@link OverlayLayerStore#unpack}: decompression (if
 * any), tar parsing, the diff_id (SHA-256 of the uncompressed tar), writing files with their owner, mode and times,
 * and the disk-usage walk that follows. {@code commit} (one syncfs and a rename) is left out, so the score is not the
 * disk's flush speed.
 *
 * <p>Two layer shapes: {@code small}, 5000 files of 4 KiB in 50 directories (per-entry cost: headers, creates,
 * chown/chmod/utimes), and {@code large}, 8 files of 16 MiB (bulk copy and hashing); each as a plain tar and gzipped.
 * File contents are random hex digits from a fixed seed (4 bits of entropy a byte, so gzip about halves them, roughly
 * as it does real binaries), and entry times are fixed, so every run unpacks the same bytes and gets the same diff_id,
 * which each invocation checks.
 *
 * <p>The fixture and the store live under {@code java.io.tmpdir} (set it with {@code -jvmArgsAppend
 * -Djava.io.tmpdir=...} to measure another file system); each unpacked layer is deleted after its invocation, outside
 * the measured time. The score is milliseconds per layer; the uncompressed tar's size over it is the throughput.
 * Run as root, as berthd is, the unpacker also chowns every entry.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LayerUnpackBench {
    static final long SEED = 0x6265727468L;
    /** 2025-06-01T10:00:00Z, the time of every entry. */
    static final long MTIME_MILLIS = 1_748_772_000_000L;
    static final int FILES_PER_DIR = 100;

    @Param({"small", "large"})
    String shape;

    @Param({"none", "gzip"})
    String compression;

    Path dir;
    Path archive;
    OverlayLayerStore store;
    String expectedDiffId;
    PendingLayer pending;

    @Setup(Level.Trial)
    public void write() throws IOException, NoSuchAlgorithmException {
        int files;
        int fileBytes;
        switch (shape) {
            case "small" -> { files = 5000; fileBytes = 4 << 10; }
            case "large" -> { files = 8; fileBytes = 16 << 20; }
            default -> throw new IllegalArgumentException("shape: small or large, not " + shape);
        }
        boolean gzip = switch (compression) {
            case "none" -> false;
            case "gzip" -> true;
            default -> throw new IllegalArgumentException("compression: none or gzip, not " + compression);
        };
        dir = Files.createTempDirectory("layerunpack");
        archive = dir.resolve(gzip ? "layer.tar.gz" : "layer.tar");
        var sha = MessageDigest.getInstance("SHA-256");
        long tarBytes;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16);
             OutputStream compressed = gzip ? new GZIPOutputStream(file, 1 << 16) : file;
             var hashed = new DigestOutputStream(compressed, sha);
             var tar = new TarArchiveOutputStream(hashed)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            writeEntries(tar, files, fileBytes);
            tar.finish();
            tarBytes = tar.getBytesWritten();
        }
        expectedDiffId = "sha256:" + HexFormat.of().formatHex(sha.digest());
        store = new OverlayLayerStore(dir.resolve("store"));
        System.out.printf("%nlayer: %d files of %d bytes, tar %d bytes, %s file %d bytes, diff_id %s%n",
                files, fileBytes, tarBytes, compression, Files.size(archive), expectedDiffId);
    }

    private static void writeEntries(TarArchiveOutputStream tar, int files, int fileBytes) throws IOException {
        var random = new SplittableRandom(SEED);
        byte[] content = new byte[fileBytes];
        byte[] hexDigits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < files; i++) {
            String parent = "usr/share/d" + (i / FILES_PER_DIR) + "/";
            if (i == 0) {
                put(tar, dirEntry("usr/"), null);
                put(tar, dirEntry("usr/share/"), null);
            }
            if (i % FILES_PER_DIR == 0) put(tar, dirEntry(parent), null);
            for (int b = 0; b < fileBytes; b += 16) {
                long bits = random.nextLong();
                for (int k = 0; k < 16 && b + k < fileBytes; k++) content[b + k] = hexDigits[(int) (bits >>> (4 * k)) & 0xf];
            }
            var e = new TarArchiveEntry(parent + "f" + i + ".bin");
            e.setMode(0644);
            e.setSize(fileBytes);
            put(tar, e, content);
        }
    }

    private static TarArchiveEntry dirEntry(String name) {
        var e = new TarArchiveEntry(name);
        e.setMode(040755);
        return e;
    }

    private static void put(TarArchiveOutputStream tar, TarArchiveEntry e, byte[] content) throws IOException {
        e.setModTime(MTIME_MILLIS);
        e.setUserId(0);
        e.setGroupId(0);
        tar.putArchiveEntry(e);
        if (content != null) tar.write(content);
        tar.closeArchiveEntry();
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        if (pending != null) pending.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Deletes the layer the invocation unpacked, so that each one starts from the same empty store. */
    @TearDown(Level.Invocation)
    public void deleteLayer() {
        if (pending != null) pending.close();
        pending = null;
    }

    @Benchmark
    public String unpack() throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            pending = store.unpack(in);
        }
        String diffId = pending.diffId().toString();
        if (!diffId.equals(expectedDiffId)) throw new IllegalStateException("diff_id " + diffId + ", expected " + expectedDiffId);
        return diffId;
    }
}
