package dev.berth.engine.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonLogLineTest {
    private static LogEntry roundTrip(LogEntry e) {
        var out = new ByteArrayOutputStream();
        JsonLogLine.write(e, out);
        byte[] line = out.toByteArray();
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        return JsonLogLine.parse(line, 0, line.length - 1);
    }

    @Test
    void whatIsWritten_readsBack_escapesAndUnicodeIncluded() {
        String text = "tab\there \"quoted\" back\\slash <tag> & ünïcødé ✓ \u0001 end\r\n";
        var e = new LogEntry(LogEntry.Stream.STDERR, Instant.parse("2026-12-01T07:00:00.123456789Z"), text.getBytes(StandardCharsets.UTF_8));
        LogEntry back = roundTrip(e);
        assertThat(new String(back.data(), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(back.stream()).isEqualTo(LogEntry.Stream.STDERR);
        assertThat(back.time()).isEqualTo(e.time());
    }

    @Test
    void linesOfOtherWriters_andOtherKeyOrders_areReadToo_junkIsSkipped() {
        byte[] other = "{\"time\":\"2026-12-01T07:00:00Z\",\"stream\":\"stdout\",\"log\":\"x\\u00e9\\n\"}".getBytes(StandardCharsets.UTF_8);
        LogEntry e = JsonLogLine.parse(other, 0, other.length);
        assertThat(new String(e.data(), StandardCharsets.UTF_8)).isEqualTo("xé\n");
        byte[] junk = "not json".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonLogLine.parse(junk, 0, junk.length)).isNull();
    }
}
