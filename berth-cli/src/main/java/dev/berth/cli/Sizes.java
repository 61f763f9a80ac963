package dev.berth.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as users write them in flags ({@code 512m}, {@code 1.5g}, {@code 64k}), read as Docker reads them (go-units RAMInBytes: powers of 1024). */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    static long ramInBytes(String text, String flag) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) throw new UsageError("invalid argument \"" + text + "\" for \"" + flag + "\" flag: invalid size: '" + text + "'");
        double n = Double.parseDouble(m.group(1));
        int power = "bkmgtp".indexOf(m.group(2).isEmpty() ? 'b' : m.group(2).toLowerCase(Locale.ROOT).charAt(0));
        return (long) (n * Math.pow(1024, power));
    }
}
