package dev.berth.bench;

import dev.berth.engine.logs.CriLogReader;
import dev.berth.engine.logs.LogQuery;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reading a container log in conmon's CRI format, as {@code logs} does: 16 MB of output either as 100-byte lines
 * (one record each) or as 64 KiB lines, which conmon writes as partial (P) records that the reader joins. The score
 * is the time to read the whole file; 16 MB divided by it is the throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CriLogBench {
    static final int PAYLOAD_BYTES = 16 << 20;
    /** conmon's read buffer: a longer line arrives as several P records. */
    static final int CONMON_CHUNK = 8192;

    @Param({"100", "65536"})
    int lineBytes;

    Path dir;
    Path log;

    @Setup(Level.Trial)
    public void write() throws IOException {
        dir = Files.createTempDirectory("crilog");
        log = dir.resolve("container.log");
        String content = "x".repeat(lineBytes - 1);
        Instant t = Instant.parse("2025-06-01T10:00:00.000000000Z");
        try (BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.US_ASCII)) {
            for (long written = 0; written < PAYLOAD_BYTES; written += lineBytes) {
                t = t.plusNanos(1_000);
                for (int off = 0; off < content.length(); off += CONMON_CHUNK) {
                    int end = Math.min(content.length(), off + CONMON_CHUNK);
                    w.write(t + " stdout " + (end == content.length() ? "F " : "P ") + content.substring(off, end) + "\n");
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long readAll() throws IOException, InterruptedException {
        long[] bytes = {0};
        CriLogReader.read(log, LogQuery.ALL, () -> false, e -> {
            bytes[0] += e.data().length;
            return true;
        });
        if (bytes[0] < PAYLOAD_BYTES) throw new IllegalStateException("read " + bytes[0] + " bytes");
        return bytes[0];
    }

    /** The floor for any reader: the same file read in 64 KiB blocks, counting records. Not berth code. */
    @Benchmark
    public long baselineScan() throws IOException {
        long records = 0;
        byte[] buf = new byte[64 * 1024];
        try (var in = Files.newInputStream(log)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) if (buf[i] == '\n') records++;
            }
        }
        return records;
    }
}
