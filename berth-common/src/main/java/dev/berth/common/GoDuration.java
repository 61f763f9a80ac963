package dev.berth.common;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Go's {@code time.Duration} text, which Docker uses on the wire and in flags: "30s", "1h30m", "1.5s", "-5m",
 * "500ms". One parser and one printer for the CLI and the daemon.
 */
public final class GoDuration {
    private GoDuration() {}

    /** One term: a number (at least one digit, maybe a fraction) and its unit. */
    private static final Pattern TERM = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");
    private static final Pattern DURATION = Pattern.compile("[-+]?(?:" + TERM.pattern() + ")+");

    /** Go's {@code time.ParseDuration}, or null if {@code s} is not one (a bare number is not: it has no unit, "0" aside). */
    public static Duration parse(String s) {
        if (s == null) return null;
        if (s.equals("0")) return Duration.ZERO;
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

    /** As Go prints it: "30s", "1m30s", "1.5s", "500ms", "0s". */
    public static String format(Duration d) {
        if (d.isZero()) return "0s";
        if (d.isNegative()) return "-" + format(d.negated());
        long nanos = d.toNanos();
        if (nanos < 1_000L) return nanos + "ns";
        if (nanos < 1_000_000L) return BigDecimal.valueOf(nanos, 3).stripTrailingZeros().toPlainString() + "\u00b5s";
        if (nanos < 1_000_000_000L) return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
        long hours = nanos / 3_600_000_000_000L;
        long minutes = nanos / 60_000_000_000L % 60;
        String seconds = BigDecimal.valueOf(nanos % 60_000_000_000L, 9).stripTrailingZeros().toPlainString() + "s";
        if (hours > 0) return hours + "h" + minutes + "m" + seconds;
        if (minutes > 0) return minutes + "m" + seconds;
        return seconds;
    }
}
