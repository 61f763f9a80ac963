package dev.berth.engine.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Reads the log conmon writes in the CRI "k8s-file" format: one line per chunk,
 * {@code <RFC 3339 time> <stdout|stderr> <P|F> <content>}, where P marks a partial line whose newline is still to
 * come. Full lines are given back with their newline, as Docker's logs have them.
 */
public final class CriLogReader {
    private CriLogReader() {}

    /** Receives entries; returns false when the reader should stop (the client went away). */
    @FunctionalInterface
    public interface Sink {
        boolean accept(LogEntry entry) throws IOException;

        /** Everything written so far has been given out and a follower now waits for more: a time to flush. */
        default void caughtUp() throws IOException {
        }
    }

    private static final long FOLLOW_POLL_MILLIS = 25;

    /**
     * Sends the entries {@code query} asks for to {@code sink}. With {@code follow}, keeps reading new entries until
     * {@code producing} turns false and everything written before that has been read.
     */
    public static void read(Path file, LogQuery query, BooleanSupplier producing, Sink sink)
            throws IOException, InterruptedException {
        try (InputStream raw = openOrEmpty(file, query.follow())) {
            if (raw == null) return;
            var lines = new LineSplitter(raw);
            if (query.tail() >= 0) {
                if (!drainTail(lines, query, sink)) return;
            } else if (!drain(lines, query, sink)) {
                return;
            }
            while (query.follow()) {
                boolean more = producing.getAsBoolean();
                if (!drain(lines, query, sink)) return;
                if (!more) break;
                sink.caughtUp();
                Thread.sleep(FOLLOW_POLL_MILLIS);
            }
            LogEntry rest = lines.flushPartial();
            if (rest != null && query.wants(rest)) sink.accept(rest);
        }
    }

    private static InputStream openOrEmpty(Path file, boolean follow) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            // A created container has no log yet: nothing to show.
            return follow ? InputStream.nullInputStream() : null;
        }
    }

    private static boolean drain(LineSplitter lines, LogQuery q, Sink sink) throws IOException {
        LogEntry e;
        while ((e = lines.next()) != null) {
            if (q.until() != null && e.time().isAfter(q.until())) return false;
            if (q.wants(e) && !sink.accept(e)) return false;
        }
        return true;
    }

    private static boolean drainTail(LineSplitter lines, LogQuery q, Sink sink) throws IOException {
        var last = new ArrayDeque<LogEntry>();
        LogEntry e;
        while ((e = lines.next()) != null) {
            if (!q.wants(e)) continue;
            last.addLast(e);
            if (last.size() > q.tail()) last.removeFirst();
        }
        for (LogEntry x : last) if (!sink.accept(x)) return false;
        return true;
    }

    /**
     * Splits the file into entries, joining partial chunks. A line without its final newline (conmon still writing
     * it) is held back until the rest arrives, so a follower never sees half a record.
     */
    static final class LineSplitter {
        private final LineReader lines;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private LogEntry.Stream lastStream = LogEntry.Stream.STDOUT;
        private Instant lastTime = Instant.EPOCH;
        private LogEntry held;

        private LogEntry takeHeld() {
            var h = held;
            held = null;
            return h;
        }

        LineSplitter(InputStream in) {
            this.lines = new LineReader(in);
        }

        LogEntry next() throws IOException {
            if (held != null) return takeHeld();
            while (true) {
                byte[] line = lines.next();
                if (line == null) return null;
                LogEntry e = parse(line);
                if (e != null) return e;
            }
        }

        /** Output that ended without a newline is logged as partial chunks only; at the end it is still output. */
        LogEntry flushPartial() {
            if (partial.size() == 0) return null;
            byte[] data = partial.toByteArray();
            partial.reset();
            return new LogEntry(lastStream, lastTime, data);
        }

        private LogEntry parse(byte[] line) {
            Chunk chunk = Chunk.parse(line);
            if (chunk == null) return null;
            var st = chunk.stream();
            Instant time = chunk.time();
            boolean full = chunk.full();
            if (partial.size() > 0 && st != lastStream) {
                // A partial line on one stream is not continued by the other stream: close it first.
                held = flushPartial();
            }
            partial.write(line, chunk.contentStart(), line.length - chunk.contentStart());
            lastStream = st;
            lastTime = time;
            if (!full) return held != null ? takeHeld() : null;
            partial.write('\n');
            byte[] data = partial.toByteArray();
            partial.reset();
            var entry = new LogEntry(st, time, data);
            if (held != null) {
                var first = takeHeld();
                held = entry;
                return first;
            }
            return entry;
        }
    }

    /**
     * One line of the journal as conmon writes it: its time, its stream, whether it ends a line (F) or is part of
     * one (P), and where its content starts.
     */
    record Chunk(Instant time, LogEntry.Stream stream, boolean full, int contentStart) {
        static Chunk parse(byte[] line) {
            int s1 = LineReader.indexOf(line, (byte) ' ', 0, line.length);
            int s2 = s1 < 0 ? -1 : LineReader.indexOf(line, (byte) ' ', s1 + 1, line.length);
            int s3 = s2 < 0 ? -1 : LineReader.indexOf(line, (byte) ' ', s2 + 1, line.length);
            if (s3 < 0) return null;
            Instant time;
            try {
                time = Instant.parse(new String(line, 0, s1, StandardCharsets.US_ASCII));
            } catch (DateTimeParseException ex) {
                return null;
            }
            boolean stderr = s2 - s1 - 1 == 6 && new String(line, s1 + 1, 6, StandardCharsets.US_ASCII).equals("stderr");
            return new Chunk(time, stderr ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT, line[s2 + 1] == 'F', s3 + 1);
        }

        /** The entry of this chunk alone: a full line keeps its newline, a part has none. */
        LogEntry entry(byte[] line) {
            int n = line.length - contentStart;
            byte[] data = java.util.Arrays.copyOfRange(line, contentStart, contentStart + n + (full ? 1 : 0));
            if (full) data[n] = '\n';
            return new LogEntry(stream, time, data);
        }
    }
}
