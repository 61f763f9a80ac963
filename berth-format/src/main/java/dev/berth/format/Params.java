package dev.berth.format;

import dev.berth.format.Functions.Param;
import dev.berth.format.Node.BoolNode;
import dev.berth.format.Node.NumberNode;
import dev.berth.format.Node.StringNode;
import dev.berth.format.Values.Kind;
import java.util.List;

/**
 * Go's rules for passing a value to a function parameter (exec.go validateType and evalArg): what a
 * missing value or nil becomes, which values a string, int or []string parameter accepts, and how a
 * literal argument is read for the parameter's type. Violations throw {@link Mismatch}, which the
 * executor reports at the argument's position.
 */
final class Params {

    /** An argument that does not fit its parameter; the message is Go's. */
    static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private Params() {
    }

    /** Checks a computed value; a null parameter (a chain head) or reflect.Value takes anything. */
    static Object validate(Object value, Param p) {
        if (p == null || p == Param.VALUE) {
            return value;
        }
        if (value == Values.MISSING) {
            return switch (p) {
                case ANY -> null;
                case STRINGS -> List.of(); // a nil slice
                default -> throw new Mismatch("invalid value; expected " + p.goName);
            };
        }
        String got = value == null ? "interface {}" : Values.typeName(value);
        return switch (p) {
            case STRING -> {
                if (value instanceof CharSequence s) {
                    yield s.toString();
                }
                throw new Mismatch("wrong type for value; expected string; got " + got);
            }
            case INT -> {
                if (Values.kind(value) == Kind.INT && !(value instanceof Character)) {
                    yield Values.longValue(value);
                }
                throw new Mismatch("wrong type for value; expected int; got " + got);
            }
            case STRINGS -> {
                if (Values.kind(value) == Kind.LIST
                        && Values.elements(value).stream().allMatch(e -> e instanceof CharSequence)) {
                    yield Values.elements(value).stream().map(Object::toString).toList();
                }
                throw new Mismatch("wrong type for value; expected []string; got " + got);
            }
            default -> value;
        };
    }

    /** The literal nil passed for a parameter. */
    static Object nil(Param p) {
        return switch (p) {
            case null -> null;
            case ANY -> null;
            case VALUE -> Values.MISSING;
            case STRINGS -> List.of();
            default -> throw new Mismatch("cannot assign nil to " + p.goName);
        };
    }

    /** A bool, number or string literal passed for a parameter. */
    static Object literal(Node n, Param p) {
        return switch (p) {
            case STRING -> {
                if (n instanceof StringNode s) {
                    yield s.text();
                }
                throw new Mismatch("expected string; found " + n);
            }
            case INT -> {
                if (n instanceof NumberNode num && num.isInt()) {
                    yield num.intValue();
                }
                throw new Mismatch("expected integer; found " + n);
            }
            case STRINGS -> throw new Mismatch("can't handle " + n + " for arg of type []string");
            case null, default -> switch (n) {
                case BoolNode b -> b.value();
                case NumberNode num -> idealConstant(num);
                case StringNode s -> s.text();
                default -> throw new Mismatch("can't handle assignment of " + n + " to empty interface argument");
            };
        };
    }

    /** A number whose type the context does not fix: a float if written like one, else an int. */
    static Object idealConstant(NumberNode n) {
        String t = n.text();
        boolean hexInt = t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')
                && !t.matches(".*[pP].*");
        boolean looksFloat = !hexInt && !t.startsWith("'") && t.matches(".*[.eEpP].*");
        if (n.isFloat() && looksFloat) {
            return n.floatValue();
        }
        if (n.isInt()) {
            return n.intValue();
        }
        throw new Mismatch(n.text() + " overflows int");
    }
}
