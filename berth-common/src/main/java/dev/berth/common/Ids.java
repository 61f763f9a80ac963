package dev.berth.common;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Object ids as Docker makes them: 64 lowercase hex characters, shown truncated to 12. */
public final class Ids {
    private Ids() {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");
    public static final int SHORT_LENGTH = 12;

    public static String random() {
        byte[] bytes = new byte[32];
        String id;
        do {
            RANDOM.nextBytes(bytes);
            id = HexFormat.of().formatHex(bytes);
            // Docker avoids ids that are all digits: a short id like 123456789012 would read as a number.
        } while (id.substring(0, SHORT_LENGTH).chars().allMatch(Character::isDigit));
        return id;
    }

    public static boolean isFullId(String s) {
        return s != null && FULL_ID.matcher(s).matches();
    }

    public static String shortId(String id) {
        return id.length() > SHORT_LENGTH ? id.substring(0, SHORT_LENGTH) : id;
    }
}
