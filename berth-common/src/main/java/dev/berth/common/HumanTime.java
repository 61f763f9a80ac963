package dev.berth.common;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Docker's time wording (go-units HumanDuration) and its RFC 3339 timestamps with nanoseconds. */
public final class HumanTime {
    private HumanTime() {}

    public static String duration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return seconds + " seconds";
        long minutes = d.toMinutes();
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return minutes + " minutes";
        long hours = Math.round(d.toSeconds() / 3600.0);
        if (hours == 1) return "About an hour";
        if (hours < 48) return hours + " hours";
        if (hours < 24 * 7 * 2) return hours / 24 + " days";
        if (hours < 24 * 30 * 2) return hours / 24 / 7 + " weeks";
        if (hours < 24 * 365 * 2) return hours / 24 / 30 + " months";
        return hours / 24 / 365 + " years";
    }

    public static String since(Instant t) {
        return duration(Duration.between(t, Instant.now()));
    }

    /** Go's time.RFC3339Nano: trailing zeros of the fraction dropped, no fraction when it is zero. */
    public static String rfc3339(Instant t) {
        // Called per log line with -t and per listed object: no String.format or regex here.
        StringBuilder b = new StringBuilder(30);
        b.append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t.atOffset(java.time.ZoneOffset.UTC).withNano(0)));
        int nanos = t.getNano();
        if (nanos != 0) {
            b.append('.');
            String digits = Integer.toString(nanos);
            b.append("000000000", 0, 9 - digits.length()).append(digits);
            int end = b.length();
            while (b.charAt(end - 1) == '0') end--;
            b.setLength(end);
        }
        return b.append('Z').toString();
    }
}
