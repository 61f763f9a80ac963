package dev.berth.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Small pieces of Go's text output that Docker's tables show. */
final class GoText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx zzz");

    private GoText() {
    }

    /** Docker's Ellipsis: at most {@code max} characters, the last one an ellipsis when cut. */
    static String ellipsis(String s, int max) {
        int count = s.codePointCount(0, s.length());
        if (count <= max) return s;
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** A Unix time as RFC 3339 in the local zone, as {@code history --human=false} prints it. */
    static String rfc3339(long unixSeconds) {
        return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                Instant.ofEpochSecond(unixSeconds).atZone(ZoneId.systemDefault()).toOffsetDateTime());
    }

    /** time.Time.String() of a Unix time in the local zone: {@code 2026-12-01 03:29:12 +0000 UTC}. */
    static String time(long unixSeconds) {
        return TIME.format(Instant.ofEpochSecond(unixSeconds).atZone(ZoneId.systemDefault()));
    }
}
