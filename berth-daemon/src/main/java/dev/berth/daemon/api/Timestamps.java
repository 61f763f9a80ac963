package dev.berth.daemon.api;

import dev.berth.common.EngineException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Docker's {@code since}/{@code until} values (its {@code timetypes.GetTimestamp}): a Go duration back from now
 * ("24h", "1h30m", "-5m"), Unix seconds with an optional fraction ("1700000000.5"), or RFC 3339.
 */
final class Timestamps {
    private Timestamps() {}

    /** One term of a Go duration: a number (at least one digit, maybe a fraction) and its unit. */
    private static final Pattern TERM = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");
    private static final Pattern DURATION = Pattern.compile("[-+]?(?:" + TERM.pattern() + ")+");

    static Instant parseOrNull(String s) {
        if (s == null || s.isEmpty() || s.equals("0")) return null;
        return parse(s);
    }

    static Instant parse(String s) {
        return parse(s, Instant.now());
    }

    static Instant parse(String s, Instant now) {
        Duration d = goDuration(s);
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

    /** Go's {@code time.ParseDuration}, or null if {@code s} is not one (a bare number is not: it has no unit). */
    static Duration goDuration(String s) {
        if (!DURATION.matcher(s).matches()) return null;
        var m = TERM.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        while (m.find()) {
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 1_000L; // us, µs, μs
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return s.startsWith("-") ? d.negated() : d;
    }
}
