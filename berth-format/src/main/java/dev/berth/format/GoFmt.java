package dev.berth.format;

import dev.berth.format.Values.Kind;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The part of Go's fmt package that templates reach: the %v text of values (what {{.X}} prints),
 * and Sprint, Sprintln and Sprintf with their verbs, flags and %!verb(type=value) error forms.
 */
final class GoFmt {

    /** Flags and sizes of one verb; width and prec are -1 when absent. */
    private static final class Spec {
        boolean minus;
        boolean plus;
        boolean sharp;
        boolean space;
        boolean zero;
        boolean plusV;
        boolean sharpV;
        int width = -1;
        int prec = -1;
    }

    private GoFmt() {
    }

    /** The %v text of one value, as {{.}} prints it. */
    static String value(Object v) {
        StringBuilder b = new StringBuilder();
        printArg(b, v, 'v', new Spec(), 0);
        return b.toString();
    }

    /** One value under a verb without flags, as in Sprintf("%s", v). */
    static String format(Object v, int verb) {
        StringBuilder b = new StringBuilder();
        printArg(b, v, verb, new Spec(), 0);
        return b.toString();
    }

    /** fmt.Sprint: spaces between operands when neither is a string. */
    static String sprint(List<Object> args) {
        StringBuilder b = new StringBuilder();
        boolean prevString = false;
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            boolean isString = a instanceof CharSequence;
            if (i > 0 && !isString && !prevString) {
                b.append(' ');
            }
            printArg(b, a, 'v', new Spec(), 0);
            prevString = isString;
        }
        return b.toString();
    }

    /** fmt.Sprintln: spaces between all operands and a newline at the end. */
    static String sprintln(List<Object> args) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                b.append(' ');
            }
            printArg(b, args.get(i), 'v', new Spec(), 0);
        }
        return b.append('\n').toString();
    }

    static String sprintf(String format, List<Object> args) {
        StringBuilder b = new StringBuilder();
        int argNum = 0;
        int end = format.length();
        int i = 0;
        while (i < end) {
            int last = i;
            while (i < end && format.charAt(i) != '%') {
                i++;
            }
            b.append(format, last, i);
            if (i >= end) {
                break;
            }
            i++;
            Spec f = new Spec();
            flags:
            for (; i < end; i++) {
                switch (format.charAt(i)) {
                    case '#' -> f.sharp = true;
                    case '0' -> f.zero = !f.minus; // zero padding only to the left
                    case '+' -> f.plus = true;
                    case '-' -> {
                        f.minus = true;
                        f.zero = false;
                    }
                    case ' ' -> f.space = true;
                    default -> {
                        break flags;
                    }
                }
            }
            if (i < end && format.charAt(i) == '*') {
                i++;
                Long w = argNum < args.size() ? intArg(args.get(argNum)) : null;
                argNum = Math.min(argNum + 1, args.size());
                if (w == null) {
                    b.append("%!(BADWIDTH)");
                } else if (w < 0) {
                    f.minus = true;
                    f.zero = false;
                    f.width = (int) -w;
                } else {
                    f.width = w.intValue();
                }
            } else {
                int start = i;
                while (i < end && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    f.width = Integer.parseInt(format.substring(start, i));
                }
            }
            if (i < end && format.charAt(i) == '.') {
                i++;
                if (i < end && format.charAt(i) == '*') {
                    i++;
                    Long p = argNum < args.size() ? intArg(args.get(argNum)) : null;
                    argNum = Math.min(argNum + 1, args.size());
                    if (p == null) {
                        b.append("%!(BADPREC)");
                    } else if (p >= 0) {
                        f.prec = p.intValue();
                    }
                } else {
                    int start = i;
                    while (i < end && Character.isDigit(format.charAt(i))) {
                        i++;
                    }
                    f.prec = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
                }
            }
            if (i >= end) {
                b.append("%!(NOVERB)");
                break;
            }
            int verb = format.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == '%') {
                b.append('%');
                continue;
            }
            if (argNum >= args.size()) {
                b.append("%!").appendCodePoint(verb).append("(MISSING)");
                continue;
            }
            if (verb == 'v') {
                f.sharpV = f.sharp;
                f.sharp = false;
                f.plusV = f.plus;
                f.plus = false;
            }
            printArg(b, args.get(argNum++), verb, f, 0);
        }
        if (argNum < args.size()) {
            b.append("%!(EXTRA ");
            for (int k = argNum; k < args.size(); k++) {
                Object a = args.get(k);
                b.append(k > argNum ? ", " : "").append(a == null ? "<nil>" : Values.typeName(a) + "=" + value(a));
            }
            b.append(')');
        }
        return b.toString();
    }

    private static Long intArg(Object a) {
        return Values.kind(a) == Kind.INT ? Values.longValue(a) : null;
    }

    private static void printArg(StringBuilder b, Object arg, int verb, Spec f, int depth) {
        if (arg == null || arg == Values.MISSING) {
            if (depth > 0) {
                b.append("<nil>"); // a nil inside a collection prints bare whatever the verb
            } else if (verb == 'v' || verb == 'T') {
                b.append(pad("<nil>", f));
            } else {
                badVerb(b, verb, null, f);
            }
            return;
        }
        if (verb == 'T') {
            fmtString(b, Values.typeName(arg), 's', f);
            return;
        }
        switch (Values.kind(arg)) {
            case BOOL -> {
                if (verb == 't' || verb == 'v') {
                    b.append(pad(arg.toString(), f));
                } else {
                    badVerb(b, verb, arg, f);
                }
            }
            case INT -> fmtInteger(b, arg, verb, f);
            case FLOAT -> fmtFloat(b, arg, verb, f);
            case STRING -> fmtString(b, arg.toString(), verb, f);
            case MAP -> {
                Map<?, ?> m = (Map<?, ?>) arg;
                b.append("map[");
                boolean first = true;
                for (Object k : Values.sortedKeys(m)) {
                    b.append(first ? "" : " ");
                    first = false;
                    printArg(b, k, verb, f, depth + 1);
                    b.append(':');
                    printArg(b, m.get(k), verb, f, depth + 1);
                }
                b.append(']');
            }
            case LIST -> {
                b.append('[');
                List<Object> elems = Values.elements(arg);
                for (int i = 0; i < elems.size(); i++) {
                    b.append(i > 0 ? " " : "");
                    printArg(b, elems.get(i), verb, f, depth + 1);
                }
                b.append(']');
            }
            default -> fmtStruct(b, arg, verb, f, depth);
        }
    }

    private static void fmtStruct(StringBuilder b, Object arg, int verb, Spec f, int depth) {
        if (arg instanceof Record r && !(arg instanceof TemplateFields)) {
            b.append('{');
            RecordComponent[] parts = r.getClass().getRecordComponents();
            for (int i = 0; i < parts.length; i++) {
                b.append(i > 0 ? " " : "").append(f.plusV ? parts[i].getName() + ":" : "");
                printArg(b, Values.componentValue(r, parts[i]), verb, f, depth + 1);
            }
            b.append('}');
        } else if (verb == 'v' || verb == 's') {
            b.append(pad(arg.toString(), f));
        } else {
            badVerb(b, verb, arg, f);
        }
    }

    /** %!verb(type=value), the value printed with %v under the same flags, as Go's badVerb does. */
    private static void badVerb(StringBuilder b, int verb, Object arg, Spec f) {
        b.append("%!").appendCodePoint(verb).append('(');
        if (arg == null) {
            b.append("<nil>");
        } else {
            b.append(Values.typeName(arg)).append('=');
            printArg(b, arg, 'v', f, 0);
        }
        b.append(')');
    }

    /** Pads to the width in runes, with zeros on the left under the 0 flag (Go pads strings so too). */
    private static String pad(String s, Spec f) {
        return pad(s, f, f.zero && !f.minus);
    }

    /** Pads with spaces: for text whose zero padding was already done or is not wanted (%U, Inf). */
    private static String padSpaces(String s, Spec f) {
        return pad(s, f, false);
    }

    private static String pad(String s, Spec f, boolean zeroFill) {
        int n = s.codePointCount(0, s.length());
        if (f.width <= n) {
            return s;
        }
        String fill = (zeroFill ? "0" : " ").repeat(f.width - n);
        return f.minus ? s + fill : fill + s;
    }

    /** The rune Go prints for an integer: U+FFFD when it is not a valid code point. */
    private static int rune(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 31) {
            return 0xFFFD;
        }
        int cp = v.intValue();
        return cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000) ? 0xFFFD : cp;
    }

    private static void fmtInteger(StringBuilder b, Object arg, int verb, Spec f) {
        BigInteger v = switch (arg) {
            case BigInteger big -> big;
            case BigDecimal d -> d.toBigInteger();
            default -> BigInteger.valueOf(Values.longValue(arg));
        };
        int radix;
        switch (verb) {
            case 'v', 'd' -> radix = 10;
            case 'b' -> radix = 2;
            case 'o', 'O' -> radix = 8;
            case 'x', 'X' -> radix = 16;
            case 'c' -> {
                b.append(pad(Character.toString(rune(v)), f));
                return;
            }
            case 'q' -> {
                b.append(pad(GoText.quoteRune(rune(v), f.plus), f));
                return;
            }
            case 'U' -> {
                BigInteger u = v.signum() < 0 ? v.add(BigInteger.ONE.shiftLeft(64)) : v;
                String hex = u.toString(16).toUpperCase();
                hex = "0".repeat(Math.max(0, Math.max(4, f.prec) - hex.length())) + hex;
                int cp = rune(v);
                boolean printable = f.sharp && u.bitLength() <= 31 && cp == u.intValue() && GoText.isPrint(cp);
                b.append(padSpaces("U+" + hex + (printable ? " '" + Character.toString(cp) + "'" : ""), f));
                return;
            }
            default -> {
                badVerb(b, verb, arg, f);
                return;
            }
        }
        boolean negative = v.signum() < 0;
        String digits = v.abs().toString(radix);
        if (verb == 'X') {
            digits = digits.toUpperCase();
        }
        if (f.prec >= 0) {
            if (f.prec == 0 && v.signum() == 0) {
                b.append(padSpaces("", f));
                return;
            }
            digits = "0".repeat(Math.max(0, f.prec - digits.length())) + digits;
        } else if (f.zero && f.width > 0) {
            int room = f.width - (negative || f.plus || f.space ? 1 : 0);
            digits = "0".repeat(Math.max(0, room - digits.length())) + digits;
        }
        String prefix = "";
        if (verb == 'O') {
            prefix = f.sharp && !digits.startsWith("0") ? "0o0" : "0o";
        } else if (f.sharp) {
            prefix = switch (verb) {
                case 'b' -> "0b";
                case 'o' -> digits.startsWith("0") ? "" : "0";
                case 'x' -> "0x";
                case 'X' -> "0X";
                default -> "";
            };
        }
        String sign = negative ? "-" : f.plus ? "+" : f.space ? " " : "";
        b.append(padSpaces(sign + prefix + digits, f));
    }

    private static void fmtFloat(StringBuilder b, Object arg, int verb, Spec f) {
        double v = Values.doubleValue(arg);
        String s = switch (verb) {
            case 'v' -> FloatFormat.format(v, 'g', f.prec);
            case 'g', 'G' -> FloatFormat.format(v, (char) verb, f.prec);
            case 'e', 'E', 'f', 'F' -> FloatFormat.format(v, (char) verb, f.prec < 0 ? 6 : f.prec);
            default -> null;
        };
        if (s == null) {
            badVerb(b, verb, arg, f);
            return;
        }
        String sign = "";
        if (s.startsWith("-") || s.startsWith("+")) {
            sign = s.substring(0, 1);
            s = s.substring(1);
        } else if (f.plus) {
            sign = "+";
        } else if (f.space) {
            sign = " ";
        }
        boolean finite = !Double.isNaN(v) && !Double.isInfinite(v);
        if (f.zero && !f.minus && finite && f.width > sign.length() + s.length()) {
            b.append(sign).append("0".repeat(f.width - sign.length() - s.length())).append(s);
        } else {
            b.append(padSpaces(sign + s, f));
        }
    }

    private static void fmtString(StringBuilder b, String s, int verb, Spec f) {
        if (f.prec >= 0 && verb != 'x' && verb != 'X') {
            int runes = s.codePointCount(0, s.length());
            if (f.prec < runes) {
                s = s.substring(0, s.offsetByCodePoints(0, f.prec));
            }
        }
        switch (verb) {
            case 'v' -> b.append(pad(f.sharpV ? GoText.quote(s, false) : s, f));
            case 's' -> b.append(pad(s, f));
            case 'q' -> b.append(pad(f.sharp && s.indexOf('`') < 0 && s.chars().allMatch(c -> c >= ' ' && c != 0x7f)
                    ? "`" + s + "`" : GoText.quote(s, f.plus), f));
            case 'x', 'X' -> {
                StringBuilder hex = new StringBuilder();
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                int limit = f.prec >= 0 ? Math.min(f.prec, bytes.length) : bytes.length;
                for (byte x : Arrays.copyOf(bytes, limit)) {
                    if (f.space && !hex.isEmpty()) {
                        hex.append(' ');
                    }
                    if (f.sharp && (f.space || hex.isEmpty())) {
                        hex.append(verb == 'x' ? "0x" : "0X");
                    }
                    String h = String.format("%02x", x & 0xff);
                    hex.append(verb == 'X' ? h.toUpperCase() : h);
                }
                b.append(pad(hex.toString(), f));
            }
            default -> badVerb(b, verb, s, f);
        }
    }
}
