package dev.berth.engine.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogReaderTest {
    @TempDir
    Path dir;

    private static final String LOG = """
            2026-11-22T10:00:00.000000001Z stdout F one
            2026-11-22T10:00:01.000000000Z stderr F oops
            2026-11-22T10:00:02.000000000Z stdout P par
            2026-11-22T10:00:02.500000000Z stdout F tial
            2026-11-22T10:00:03.000000000Z stdout F three
            """;

    private List<String> read(String content, LogQuery q) throws Exception {
        Path f = dir.resolve("c.log");
        Files.writeString(f, content);
        var out = new ArrayList<String>();
        CriLogReader.read(f, q, () -> false, e -> out.add(e.stream() + ":" + new String(e.data(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void read_joinsPartialLines_andKeepsStreamsApart() throws Exception {
        assertThat(read(LOG, LogQuery.ALL)).containsExactly("STDOUT:one\n", "STDERR:oops\n", "STDOUT:partial\n", "STDOUT:three\n");
    }

    @Test
    void read_selectsStreams_tail_sinceAndUntil() throws Exception {
        assertThat(read(LOG, new LogQuery(false, true, null, null, -1, false))).containsExactly("STDERR:oops\n");
        assertThat(read(LOG, new LogQuery(true, true, null, null, 2, false))).containsExactly("STDOUT:partial\n", "STDOUT:three\n");
        assertThat(read(LOG, new LogQuery(true, true, Instant.parse("2026-11-22T10:00:01Z"), Instant.parse("2026-11-22T10:00:02.6Z"), -1, false)))
                .containsExactly("STDERR:oops\n", "STDOUT:partial\n");
    }

    @Test
    void read_linesLongerThanTheReadBuffer_andManyLines() throws Exception {
        String big = "x".repeat(200_000);
        var log = new StringBuilder("2026-11-22T10:00:00Z stdout F ").append(big).append('\n');
        for (int i = 0; i < 10_000; i++) log.append("2026-11-22T10:00:01Z stderr F line").append(i).append('\n');
        List<String> out = read(log.toString(), LogQuery.ALL);
        assertThat(out).hasSize(10_001);
        assertThat(out.getFirst()).isEqualTo("STDOUT:" + big + "\n");
        assertThat(out.getLast()).isEqualTo("STDERR:line9999\n");
    }

    @Test
    void read_givesTrailingOutputWithoutNewline() throws Exception {
        assertThat(read("2026-11-22T10:00:00Z stdout P no newline\n", LogQuery.ALL)).containsExactly("STDOUT:no newline");
    }

    @Test
    void follow_seesLinesAppendedLater_andEndsWhenTheProducerStops() throws Exception {
        Path f = dir.resolve("f.log");
        Files.writeString(f, "2026-11-22T10:00:00Z stdout F first\n");
        var producing = new AtomicBoolean(true);
        var out = new ArrayList<String>();
        var flushes = new java.util.concurrent.atomic.AtomicInteger();
        var reader = Thread.ofVirtual().start(() -> {
            try {
                CriLogReader.read(f, new LogQuery(true, true, null, null, -1, true), producing::get, new CriLogReader.Sink() {
                    @Override
                    public boolean accept(LogEntry e) {
                        return out.add(new String(e.data(), StandardCharsets.UTF_8));
                    }

                    @Override
                    public void caughtUp() {
                        flushes.incrementAndGet();
                    }
                });
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);
        // A line written in two pieces is only given out once complete.
        Files.writeString(f, "2026-11-22T10:00:01Z stdout F sec", java.nio.file.StandardOpenOption.APPEND);
        Thread.sleep(100);
        Files.writeString(f, "ond\n", java.nio.file.StandardOpenOption.APPEND);
        producing.set(false);
        reader.join(5000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(out).containsExactly("first\n", "second\n");
        // A follower is told each time it has caught up, so a buffered client connection gets flushed.
        assertThat(flushes.get()).isPositive();
    }
}
