package dev.berth.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's strconv.FormatFloat for float64 with the 'e', 'f' and 'g' formats, and encoding/json's float rule.
 * Shortest digits come from Java's Double.toString, which (JDK 19+) yields the shortest decimal that
 * reads back as the same double, like Go; fixed precisions round the exact binary value half-to-even.
 */
final class FloatFormat {

    /** Decimal digits d1d2...dn with the decimal point dp places from the left: 0.d1d2... * 10^dp. */
    private record Digits(String d, int dp) {
        int nd() {
            return d.length();
        }
    }

    private FloatFormat() {
    }

    /** FormatFloat(v, fmt, prec, 64); prec -1 means the shortest representation. */
    static String format(double v, char fmt, int prec) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        boolean neg = v < 0 || (v == 0 && 1 / v < 0);
        double a = Math.abs(v);
        boolean shortest = prec < 0;
        if ((fmt == 'g' || fmt == 'G') && prec == 0) {
            prec = 1;
        }
        Digits digs = shortest ? shortestDigits(a) : roundedDigits(a, fmt, prec);
        if (shortest) {
            prec = switch (fmt) {
                case 'e', 'E' -> Math.max(digs.nd() - 1, 0);
                case 'f' -> Math.max(digs.nd() - digs.dp(), 0);
                default -> digs.nd();
            };
        }
        String body = switch (fmt) {
            case 'e', 'E' -> fmtE(digs, prec, fmt);
            case 'f', 'F' -> fmtF(digs, prec);
            default -> fmtG(digs, prec, shortest, fmt == 'G' ? 'E' : 'e');
        };
        return neg ? "-" + body : body;
    }

    private static String fmtG(Digits digs, int prec, boolean shortest, char e) {
        int eprec = prec;
        if (eprec > digs.nd() && digs.nd() >= digs.dp()) {
            eprec = digs.nd();
        }
        if (shortest) {
            eprec = 6; // %e is used when the exponent is < -4 or >= 6 for the shortest form
        }
        int exp = digs.dp() - 1;
        if (exp < -4 || exp >= eprec) {
            return fmtE(digs, Math.min(prec, digs.nd()) - 1, e);
        }
        return fmtF(digs, Math.max((prec > digs.dp() ? digs.nd() : prec) - digs.dp(), 0));
    }

    private static Digits shortestDigits(double a) {
        if (a == 0) {
            return new Digits("", 0);
        }
        Digits d = digitsOf(new BigDecimal(Double.toString(a)));
        if (d.nd() == 2) {
            // Java never prints fewer than two digits and then picks the closest such decimal; Go prints
            // the shortest that reads back, so try the one-digit neighbours first.
            BigDecimal exact = new BigDecimal(a);
            BigDecimal best = null;
            for (int digit : new int[] {d.d().charAt(0) - '0', d.d().charAt(0) - '0' + 1}) {
                BigDecimal candidate = new BigDecimal(BigInteger.valueOf(digit), 1 - d.dp());
                if (candidate.doubleValue() == a && (best == null
                        || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                    best = candidate;
                }
            }
            if (best != null) {
                return digitsOf(best);
            }
        }
        return d;
    }

    private static Digits roundedDigits(double a, char fmt, int prec) {
        BigDecimal exact = new BigDecimal(a);
        BigDecimal rounded = switch (fmt) {
            case 'e', 'E' -> exact.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
            case 'f', 'F' -> exact.setScale(prec, RoundingMode.HALF_EVEN);
            default -> exact.round(new MathContext(prec == 0 ? 1 : prec, RoundingMode.HALF_EVEN));
        };
        return rounded.signum() == 0 ? new Digits("", 0) : digitsOf(rounded);
    }

    private static Digits digitsOf(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        String digits = s.unscaledValue().toString();
        return new Digits(digits, digits.length() - s.scale());
    }

    private static String fmtE(Digits digs, int prec, char e) {
        StringBuilder b = new StringBuilder();
        b.append(digs.nd() == 0 ? '0' : digs.d().charAt(0));
        if (prec > 0) {
            b.append('.');
            int m = Math.min(digs.nd(), prec + 1);
            if (m > 1) {
                b.append(digs.d(), 1, m);
            }
            b.append("0".repeat(prec + 1 - Math.max(m, 1)));
        }
        int exp = digs.nd() == 0 ? 0 : digs.dp() - 1;
        b.append(e).append(exp < 0 ? '-' : '+');
        int abs = Math.abs(exp);
        b.append(abs < 10 ? "0" + abs : Integer.toString(abs));
        return b.toString();
    }

    private static String fmtF(Digits digs, int prec) {
        StringBuilder b = new StringBuilder();
        if (digs.dp() > 0) {
            int m = Math.min(digs.nd(), digs.dp());
            b.append(digs.d(), 0, m).append("0".repeat(digs.dp() - m));
        } else {
            b.append('0');
        }
        if (prec > 0) {
            b.append('.');
            for (int i = 1; i <= prec; i++) {
                int j = digs.dp() + i - 1;
                b.append(j >= 0 && j < digs.nd() ? digs.d().charAt(j) : '0');
            }
        }
        return b.toString();
    }

    /** encoding/json's float64 text: 'f' form unless tiny or huge, then 'e' with a short exponent. */
    static String json(double v) {
        double abs = Math.abs(v);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            String s = format(v, 'e', -1);
            int n = s.length();
            if (n >= 4 && s.charAt(n - 4) == 'e' && s.charAt(n - 3) == '-' && s.charAt(n - 2) == '0') {
                s = s.substring(0, n - 2) + s.charAt(n - 1); // e-07 becomes e-7
            }
            return s;
        }
        return format(v, 'f', -1);
    }
}
