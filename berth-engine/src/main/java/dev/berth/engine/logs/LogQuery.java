package dev.berth.engine.logs;

import java.time.Instant;

/**
 * Which entries {@code logs} wants: Docker's {@code --since}, {@code --until}, {@code --tail} (negative = all),
 * {@code -f}, and the streams asked for.
 */
public record LogQuery(boolean stdout, boolean stderr, Instant since, Instant until, int tail, boolean follow) {
    public static final LogQuery ALL = new LogQuery(true, true, null, null, -1, false);

    boolean wants(LogEntry e) {
        if (e.stream() == LogEntry.Stream.STDOUT ? !stdout : !stderr) return false;
        if (since != null && e.time().isBefore(since)) return false;
        return until == null || !e.time().isAfter(until);
    }
}
