package dev.berth.engine.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LocalLogRecordTest {
    private static LogEntry entry(LogEntry.Stream s, String text) {
        return new LogEntry(s, Instant.parse("2026-12-01T07:00:00.123456789Z"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void records_areFramedByTheirLengthTwice_andReadBack_partsKeptApart() throws IOException {
        var out = new ByteArrayOutputStream();
        LocalLogRecord.write(entry(LogEntry.Stream.STDOUT, "hello\n"), out);
        LocalLogRecord.write(entry(LogEntry.Stream.STDERR, "no newline yet"), out);
        byte[] bytes = out.toByteArray();
        int n = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
        assertThat(java.util.Arrays.copyOfRange(bytes, 4 + n, 8 + n)).isEqualTo(java.util.Arrays.copyOfRange(bytes, 0, 4));
        // source "stdout", time_nano, line "hello" without its newline
        assertThat(java.util.Arrays.copyOfRange(bytes, 4, 12)).isEqualTo(new byte[] {0x0a, 6, 's', 't', 'd', 'o', 'u', 't'});

        var reader = LogFormat.LOCAL.reader(new ByteArrayInputStream(bytes));
        LogEntry first = reader.next(), second = reader.next();
        assertThat(new String(first.data(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(first.time()).isEqualTo(Instant.parse("2026-12-01T07:00:00.123456789Z"));
        assertThat(second.stream()).isEqualTo(LogEntry.Stream.STDERR);
        assertThat(new String(second.data(), StandardCharsets.UTF_8)).isEqualTo("no newline yet");
        assertThat(reader.next()).isNull();
    }

    @Test
    void aRecordStillBeingWritten_isWaitedFor() throws IOException {
        var out = new ByteArrayOutputStream();
        LocalLogRecord.write(entry(LogEntry.Stream.STDOUT, "x".repeat(100_000) + "\n"), out);
        byte[] bytes = out.toByteArray();
        var growing = new java.io.PipedInputStream(1 << 20);
        var writer = new java.io.PipedOutputStream(growing);
        InputStream in = new InputStream() { // what a follower sees: nothing more for now, not the end
            @Override public int read() throws IOException { return growing.available() == 0 ? -1 : growing.read(); }
            @Override public int read(byte[] b, int off, int len) throws IOException {
                int a = growing.available();
                return a == 0 ? -1 : growing.read(b, off, Math.min(len, a));
            }
        };
        var reader = LogFormat.LOCAL.reader(in);
        writer.write(bytes, 0, 70_000);
        assertThat(reader.next()).isNull();
        writer.write(bytes, 70_000, bytes.length - 70_000);
        assertThat(reader.next().data()).hasSize(100_001);
    }
}
