package dev.berth.daemon.api;

import dev.berth.common.EngineException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * Docker's {@code since}/{@code until} values (its {@code timetypes.GetTimestamp}): a Go duration back from now
 * ("24h", "1h30m", "-5m"), Unix seconds with an optional fraction ("1700000000.5"), or RFC 3339.
 */
final class Timestamps {
    private Timestamps() {}

    static Instant parseOrNull(String s) {
        if (s == null || s.isEmpty() || s.equals("0")) return null;
        return parse(s);
    }

    static Instant parse(String s) {
        return parse(s, Instant.now());
    }

    static Instant parse(String s, Instant now) {
        Duration d = s.equals("0") ? null : dev.berth.common.GoDuration.parse(s);
        if (d != null) return now.minus(d);
        try {
            BigDecimal d2 = new BigDecimal(s);
            long seconds = d2.longValue();
            long nanos = d2.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(s);
            } catch (java.time.format.DateTimeParseException x) {
                throw EngineException.invalid("invalid timestamp: %s", s);
            }
        }
    }
}
