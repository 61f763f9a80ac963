package dev.berth.format;

import dev.berth.format.Node.NumberNode;
import java.math.BigInteger;

/** Parses numeric constants with Go's literal syntax (0x, 0o, 0b, legacy octal, underscores, 'c'). */
final class Numbers {

    private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);

    private Numbers() {
    }

    static NumberNode parse(int pos, String text, Token.Type type) {
        if (type == Token.Type.CHAR_CONSTANT) {
            int[] i = {1};
            int cp;
            try {
                cp = GoText.unquoteChar(text, i, '\'');
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid syntax");
            }
            if (!text.substring(i[0]).equals("'")) {
                throw new IllegalArgumentException("malformed character constant: " + text);
            }
            return new NumberNode(pos, text, true, cp, true, true, cp);
        }
        if (type == Token.Type.COMPLEX || text.endsWith("i")) {
            throw new IllegalArgumentException("complex constants are not supported: " + text);
        }
        BigInteger integer = parseInteger(text);
        if (integer != null) {
            boolean isInt = integer.bitLength() < 64;
            boolean isUint = integer.signum() >= 0 && integer.compareTo(UINT64_LIMIT) < 0;
            if (isInt || isUint) {
                return new NumberNode(pos, text, isInt, integer.longValue(), isUint, true, integer.doubleValue());
            }
        }
        Double f = parseFloat(text);
        if (f == null) {
            throw new IllegalArgumentException("illegal number syntax: " + GoText.quote(text));
        }
        if (!text.matches(".*[.eEpP].*")) {
            // Parsed as a float but looks like an integer: an integer too large for int64 or uint64.
            throw new IllegalArgumentException("integer overflow: " + GoText.quote(text));
        }
        double v = f;
        boolean isInt = !Double.isInfinite(v) && v == Math.rint(v) && Math.abs(v) < 0x1p63;
        boolean isUint = isInt && v >= 0;
        return new NumberNode(pos, text, isInt, isInt ? (long) v : 0, isUint, true, v);
    }

    /** strconv.ParseInt(text, 0, 64) without the range check; null when the syntax is not an integer. */
    private static BigInteger parseInteger(String text) {
        String s = text;
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        int radix = 10;
        boolean prefixed = true;
        String lower = s.toLowerCase();
        if (lower.startsWith("0x")) {
            radix = 16;
            s = s.substring(2);
        } else if (lower.startsWith("0o")) {
            radix = 8;
            s = s.substring(2);
        } else if (lower.startsWith("0b")) {
            radix = 2;
            s = s.substring(2);
        } else if (s.length() > 1 && s.charAt(0) == '0') {
            radix = 8; // a leading 0 means octal for integers
            s = s.substring(1);
        } else {
            prefixed = false;
        }
        if (s.contains("_")) {
            if ((!prefixed && s.startsWith("_")) || !underscoresOk(s.replaceFirst("^_", ""))) {
                return null;
            }
            s = s.replace("_", "");
        }
        try {
            BigInteger v = new BigInteger(s, radix);
            return negative ? v.negate() : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Go allows underscores only between digits or after a base prefix. */
    private static boolean underscoresOk(String s) {
        return !s.startsWith("_") && !s.endsWith("_") && !s.contains("__");
    }

    private static Double parseFloat(String text) {
        String s = text;
        if (s.contains("_")) {
            if (!underscoresOk(s.replaceFirst("^[+-]", ""))) {
                return null;
            }
            s = s.replace("_", "");
        }
        if (s.matches("[+-]?0[xX].*")) {
            return s.matches("[+-]?0[xX][0-9a-fA-F]*\\.?[0-9a-fA-F]*[pP][+-]?[0-9]+") ? Double.valueOf(s) : null;
        }
        if (!s.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            return null;
        }
        return Double.valueOf(s);
    }
}
