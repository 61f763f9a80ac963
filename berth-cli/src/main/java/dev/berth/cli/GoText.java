package dev.berth.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Small pieces of Go's text output that Docker's tables show. */
final class GoText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx zzz");

    private GoText() {
    }

    /** strconv.Quote: double quotes with Go's escapes; printable Unicode kept as is. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case 11 -> b.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
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
