package dev.berth.daemon.api;

import dev.berth.common.EngineException;
import java.math.BigDecimal;
import java.time.Instant;

/** Docker's {@code since}/{@code until} query values: Unix seconds with an optional fraction ("1700000000.5"). */
final class Timestamps {
    private Timestamps() {}

    static Instant parseOrNull(String s) {
        if (s == null || s.isEmpty() || s.equals("0")) return null;
        return parse(s);
    }

    static Instant parse(String s) {
        try {
            BigDecimal d = new BigDecimal(s);
            long seconds = d.longValue();
            long nanos = d.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
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
