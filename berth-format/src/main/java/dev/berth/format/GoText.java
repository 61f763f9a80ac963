package dev.berth.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Go's string rules that templates expose: strconv quoting, UTF-8 lengths, and the strings package helpers. Only
 * {@link #quote(String)} is public: Docker's tables quote with it too ({@code ps}'s COMMAND column).
 */
public final class GoText {

    private GoText() {
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /** strconv.Quote. */
    public static String quote(String s) {
        return quote(s, false);
    }

    /** strconv.Quote, or QuoteToASCII when asciiOnly (the %+q verb). */
    static String quote(String s, boolean asciiOnly) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> appendEscaped(b, cp, '"', asciiOnly));
        return b.append('"').toString();
    }

    /** strconv.QuoteRune (or QuoteRuneToASCII), used by %q on integers. */
    static String quoteRune(int cp, boolean asciiOnly) {
        StringBuilder b = new StringBuilder().append('\'');
        appendEscaped(b, cp, '\'', asciiOnly);
        return b.append('\'').toString();
    }

    private static void appendEscaped(StringBuilder b, int cp, char quote, boolean asciiOnly) {
        if (cp == quote || cp == '\\') {
            b.append('\\').appendCodePoint(cp);
            return;
        }
        if (Character.isSurrogate((char) cp)) {
            b.append("\\ufffd"); // an unpaired surrogate is what Go sees as invalid UTF-8
            return;
        }
        if (isPrint(cp) && (!asciiOnly || cp < 0x80)) {
            b.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 7 -> b.append("\\a");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            case 11 -> b.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7f) {
                    b.append("\\x").append(hex(cp, 2));
                } else if (cp < 0x10000) {
                    b.append("\\u").append(hex(cp, 4));
                } else {
                    b.append("\\U").append(hex(cp, 8));
                }
            }
        }
    }

    private static String hex(int v, int width) {
        String h = Integer.toHexString(v);
        return "0".repeat(Math.max(0, width - h.length())) + h;
    }

    /** The %#U verb: U+0023 '#'. */
    static String formatRune(int cp) {
        String h = Integer.toHexString(cp).toUpperCase();
        String code = "U+" + "0".repeat(Math.max(0, 4 - h.length())) + h;
        return isPrint(cp) ? code + " '" + new String(Character.toChars(cp)) + "'" : code;
    }

    /** strconv.Unquote for "..." and `...` literals. */
    static String unquote(String literal) {
        if (literal.length() < 2) {
            throw new IllegalArgumentException("invalid syntax");
        }
        char q = literal.charAt(0);
        String body = literal.substring(1, literal.length() - 1);
        if (q == '`') {
            return body.replace("\r", ""); // Go drops carriage returns from raw strings
        }
        StringBuilder b = new StringBuilder();
        int[] i = {0};
        while (i[0] < body.length()) {
            b.appendCodePoint(unquoteChar(body, i, q));
        }
        return b.toString();
    }

    /** strconv.UnquoteChar: decodes one (possibly escaped) character at i[0] and advances i[0]. */
    static int unquoteChar(String s, int[] i, char quote) {
        int cp = s.codePointAt(i[0]);
        i[0] += Character.charCount(cp);
        if (cp == quote && (quote == '\'' || quote == '"')) {
            throw new IllegalArgumentException("invalid syntax");
        }
        if (cp != '\\') {
            return cp;
        }
        if (i[0] >= s.length()) {
            throw new IllegalArgumentException("invalid syntax");
        }
        char c = s.charAt(i[0]++);
        return switch (c) {
            case 'a' -> 7;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> 11;
            case '\\' -> '\\';
            case 'x' -> hexEscape(s, i, 2);
            case 'u' -> hexEscape(s, i, 4);
            case 'U' -> hexEscape(s, i, 8);
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                if (i[0] + 2 > s.length()) {
                    throw new IllegalArgumentException("invalid syntax");
                }
                String digits = c + s.substring(i[0], i[0] + 2);
                if (!digits.matches("[0-7]{3}")) {
                    throw new IllegalArgumentException("invalid syntax");
                }
                int v = Integer.parseInt(digits, 8);
                i[0] += 2;
                if (v > 255) {
                    throw new IllegalArgumentException("invalid syntax");
                }
                yield v;
            }
            default -> {
                if (c == quote) {
                    yield c;
                }
                throw new IllegalArgumentException("invalid syntax");
            }
        };
    }

    private static int hexEscape(String s, int[] i, int n) {
        if (i[0] + n > s.length()) {
            throw new IllegalArgumentException("invalid syntax");
        }
        try {
            int v = Integer.parseUnsignedInt(s.substring(i[0], i[0] + n), 16);
            i[0] += n;
            if (n > 2 && (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))) {
                throw new IllegalArgumentException("invalid syntax");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid syntax");
        }
    }

    /** strings.Split: every piece between separators; an empty separator splits after each rune. */
    static List<String> split(String s, String sep) {
        if (sep.isEmpty()) {
            return s.codePoints().mapToObj(Character::toString).toList();
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return List.copyOf(parts);
    }

    /** strings.Title: upper-cases (title-cases) the first letter of each word. */
    static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int prev = ' ';
        for (int cp : s.codePoints().toArray()) {
            b.appendCodePoint(isSeparator(prev) ? Character.toTitleCase(cp) : cp);
            prev = cp;
        }
        return b.toString();
    }

    private static boolean isSeparator(int cp) {
        if (cp <= 0x7f) {
            return !(Character.isLetterOrDigit(cp) || cp == '_');
        }
        if (Character.isLetter(cp) || Character.isDigit(cp)) {
            return false;
        }
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    /** strings.ToLower and ToUpper map rune by rune, unlike Java's locale-aware String methods. */
    static String mapCase(String s, boolean upper) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(upper ? Character.toUpperCase(cp) : Character.toLowerCase(cp)));
        return b.toString();
    }

    /** Go's s[from:to] on the UTF-8 bytes of s; a cut through a rune decodes to U+FFFD as Go would print it. */
    static String byteSlice(String s, int from, int to) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return new String(Arrays.copyOfRange(bytes, from, to), StandardCharsets.UTF_8);
    }
}
