package dev.berth.engine.logs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One line of Docker's json-file log: {@code {"log":"text\n","stream":"stdout","time":"2026-12-01T07:09:23.1Z"}}.
 * The text is the output as UTF-8 (invalid bytes become U+FFFD, as dockerd writes them), with {@code <}, {@code >}
 * and {@code &} escaped as Go's encoder does, so tools that read Docker's files read these.
 */
final class JsonLogLine {
    private JsonLogLine() {}

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static void write(LogEntry e, ByteArrayOutputStream out) {
        out.writeBytes(PREFIX);
        String text = new String(e.data(), StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '"' -> out.writeBytes(QUOTE);
                case '\\' -> out.writeBytes(BACKSLASH);
                case '\n' -> out.writeBytes(NEWLINE);
                case '\r' -> out.writeBytes(RETURN);
                case '\t' -> out.writeBytes(TAB);
                default -> {
                    if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == '\u2028' || ch == '\u2029') {
                        out.write('\\');
                        out.write('u');
                        out.write(HEX[ch >> 12 & 15]);
                        out.write(HEX[ch >> 8 & 15]);
                        out.write(HEX[ch >> 4 & 15]);
                        out.write(HEX[ch & 15]);
                    } else if (ch < 0x80) {
                        out.write(ch);
                    } else {
                        int end = i + 1;
                        while (end < text.length() && text.charAt(end) >= 0x80 && text.charAt(end) != '\u2028' && text.charAt(end) != '\u2029') end++;
                        out.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                        i = end - 1;
                    }
                }
            }
        }
        out.writeBytes(e.stream() == LogEntry.Stream.STDERR ? STDERR : STDOUT);
        out.writeBytes(e.time().toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(END);
    }

    private static final byte[] PREFIX = ascii("{\"log\":\"");
    private static final byte[] STDOUT = ascii("\",\"stream\":\"stdout\",\"time\":\"");
    private static final byte[] STDERR = ascii("\",\"stream\":\"stderr\",\"time\":\"");
    private static final byte[] END = ascii("\"}\n");
    private static final byte[] QUOTE = ascii("\\\"");
    private static final byte[] BACKSLASH = ascii("\\\\");
    private static final byte[] NEWLINE = ascii("\\n");
    private static final byte[] RETURN = ascii("\\r");
    private static final byte[] TAB = ascii("\\t");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The entry of one line (without its newline); null for a line that is not one. */
    static LogEntry parse(byte[] line, int from, int to) {
        LogEntry fast;
        try {
            fast = parseOwn(line, from, to);
        } catch (RuntimeException e) {
            fast = null; // a bad escape: let the full parser judge the line
        }
        return fast != null ? fast : parseAny(line, from, to);
    }

    /**
     * The lines berth writes, in their fixed key order, decoded without a JSON tree (a tree per line made
     * {@code logs} several times slower); null for anything else.
     */
    private static LogEntry parseOwn(byte[] line, int from, int to) {
        if (!startsWith(line, from, to, PREFIX)) return null;
        var text = new ByteArrayOutputStream(to - from);
        int i = from + PREFIX.length;
        while (i < to && line[i] != '"') {
            byte b = line[i];
            if (b != '\\') {
                text.write(b);
                i++;
                continue;
            }
            if (i + 1 >= to) return null;
            switch (line[i + 1]) {
                case 'n' -> text.write('\n');
                case 't' -> text.write('\t');
                case 'r' -> text.write('\r');
                case '"' -> text.write('"');
                case '\\' -> text.write('\\');
                case '/' -> text.write('/');
                case 'u' -> {
                    if (i + 6 > to) return null;
                    char ch = (char) Integer.parseInt(new String(line, i + 2, 4, StandardCharsets.US_ASCII), 16);
                    if (Character.isSurrogate(ch)) return null;
                    text.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
                    i += 4;
                }
                default -> { return null; }
            }
            i += 2;
        }
        LogEntry.Stream stream;
        if (startsWith(line, i, to, STDOUT)) {
            stream = LogEntry.Stream.STDOUT;
        } else if (startsWith(line, i, to, STDERR)) {
            stream = LogEntry.Stream.STDERR;
        } else {
            return null;
        }
        int t = i + STDOUT.length;
        int end = to - 2;
        if (end <= t || line[end] != '"' || line[end + 1] != '}') return null;
        try {
            return new LogEntry(stream, Instant.parse(new String(line, t, end - t, StandardCharsets.US_ASCII)), text.toByteArray());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean startsWith(byte[] line, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) return false;
        for (int k = 0; k < prefix.length; k++) if (line[from + k] != prefix[k]) return false;
        return true;
    }

    private static LogEntry parseAny(byte[] line, int from, int to) {
        try {
            var node = dev.berth.common.Json.MAPPER.readTree(new java.io.ByteArrayInputStream(line, from, to - from));
            String log = node.path("log").asString(null);
            String time = node.path("time").asString(null);
            if (log == null || time == null) return null;
            var stream = "stderr".equals(node.path("stream").asString("")) ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT;
            return new LogEntry(stream, Instant.parse(time), log.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null; // DateTimeParseException or a line that is not JSON: skipped, as dockerd skips it
        }
    }
}
