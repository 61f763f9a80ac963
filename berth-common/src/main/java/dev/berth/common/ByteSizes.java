package dev.berth.common;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as users write them ({@code 512m}, {@code 1.5g}, {@code 64k}, {@code 2GiB}), read as Docker reads them:
 * go-units RAMInBytes, powers of 1024, one place for the CLI's flags and the daemon's options alike.
 */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?");

    private ByteSizes() {
    }

    /** The size in bytes; an {@link IllegalArgumentException} saying {@code invalid size: 'text'} when it does not parse. */
    public static long ramInBytes(String text) {
        return parse(text, 1024);
    }

    /** go-units FromHumanSize: the same forms in powers of 1000 (what json-file's {@code max-size} takes). */
    public static long fromHumanSize(String text) {
        return parse(text, 1000);
    }

    private static long parse(String text, int base) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("invalid size: '" + text + "'");
        double n;
        try {
            n = Double.parseDouble(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size: '" + text + "'");
        }
        int power = m.group(2) == null ? 0 : "kmgtp".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1;
        return (long) (n * Math.pow(base, power));
    }
}
