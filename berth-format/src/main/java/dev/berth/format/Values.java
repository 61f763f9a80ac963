package dev.berth.format;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How plain Java values stand in for Go values during execution.
 *
 * <ul>
 *   <li>{@link #MISSING} is Go's invalid reflect.Value: a map key that is not there, or nil data.
 *       It prints as {@code <no value>}.</li>
 *   <li>{@code null} is a JSON null, which Docker's typed structs hold as nil pointers: it prints {@code <nil>}.</li>
 *   <li>Integer, Long, Short, Byte and BigInteger are Go ints; Double and Float are float64; a BigDecimal is
 *       an int when whole, otherwise a float64.</li>
 *   <li>Map is a Go map; List, other collections and arrays are slices; records and {@link TemplateFields}
 *       are structs.</li>
 * </ul>
 */
final class Values {

    /** The invalid value: a missing map key, or data that is nil. */
    enum Missing {
        VALUE;

        @Override
        public String toString() {
            return "<no value>";
        }
    }

    static final Object MISSING = Missing.VALUE;

    /** Go's reflect kinds, narrowed to what comparisons and printing need. */
    enum Kind { INVALID, BOOL, INT, FLOAT, STRING, MAP, LIST, STRUCT }

    private Values() {
    }

    static Kind kind(Object v) {
        return switch (v) {
            case null -> Kind.INVALID;
            case Missing m -> Kind.INVALID;
            case Boolean b -> Kind.BOOL;
            case Integer i -> Kind.INT;
            case Long l -> Kind.INT;
            case Short s -> Kind.INT;
            case Byte b -> Kind.INT;
            case BigInteger b -> Kind.INT;
            case Character c -> Kind.INT;
            case BigDecimal d -> isWhole(d) ? Kind.INT : Kind.FLOAT;
            case Double d -> Kind.FLOAT;
            case Float f -> Kind.FLOAT;
            case CharSequence s -> Kind.STRING;
            case Map<?, ?> m -> Kind.MAP;
            case Collection<?> c -> Kind.LIST;
            default -> v.getClass().isArray() ? Kind.LIST : Kind.STRUCT;
        };
    }

    private static boolean isWhole(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    /** The value as a long; only for values of kind INT. */
    static long longValue(Object v) {
        return switch (v) {
            case Character c -> c;
            case Number n -> n.longValue();
            default -> throw new IllegalArgumentException("not an integer: " + v);
        };
    }

    static double doubleValue(Object v) {
        return ((Number) v).doubleValue();
    }

    /** The Go type name that error messages show for a value. */
    static String typeName(Object v) {
        return switch (v) {
            case null -> "interface {}";
            case Missing m -> "<invalid reflect.Value>";
            case TemplateFields f -> f.typeName();
            default -> switch (kind(v)) {
                case BOOL -> "bool";
                case INT -> v instanceof Character ? "int32" : "int";
                case FLOAT -> "float64";
                case STRING -> "string";
                case MAP -> "map[string]interface {}";
                case LIST -> isStringList(v) ? "[]string" : "[]interface {}";
                default -> v.getClass().getSimpleName();
            };
        };
    }

    /** Elements of a list-kind value. */
    static List<Object> elements(Object v) {
        if (v instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        int n = Array.getLength(v);
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Array.get(v, i));
        }
        return out;
    }

    static boolean isStringList(Object v) {
        if (kind(v) != Kind.LIST) {
            return false;
        }
        List<Object> e = elements(v);
        return !e.isEmpty() && e.stream().allMatch(x -> x instanceof CharSequence);
    }

    static int length(Object v) {
        return switch (v) {
            case Map<?, ?> m -> m.size();
            case Collection<?> c -> c.size();
            case CharSequence s -> GoText.utf8Length(s.toString());
            default -> Array.getLength(v);
        };
    }

    /** Go's truth: the value is not the zero value of its type. */
    static boolean isTrue(Object v) {
        return switch (kind(v)) {
            case INVALID -> false;
            case BOOL -> (Boolean) v;
            case INT -> v instanceof BigInteger b ? b.signum() != 0
                    : v instanceof BigDecimal d ? d.signum() != 0 : longValue(v) != 0;
            case FLOAT -> doubleValue(v) != 0;
            case STRING -> !v.toString().isEmpty();
            case MAP, LIST -> length(v) > 0;
            case STRUCT -> true;
        };
    }

    /** Map keys in the order Go's fmt and range visit them: numbers numerically, strings by code point. */
    static List<Object> sortedKeys(Map<?, ?> m) {
        List<Object> keys = new ArrayList<>(m.keySet());
        boolean numeric = keys.stream().allMatch(k -> kind(k) == Kind.INT || kind(k) == Kind.FLOAT);
        Comparator<Object> order = numeric
                ? Comparator.comparingDouble(k -> ((Number) k).doubleValue())
                : (a, b) -> compareStrings(String.valueOf(a), String.valueOf(b));
        keys.sort(order);
        return keys;
    }

    /** Byte-wise UTF-8 order, which is code point order. */
    static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The record component of that name, or null. */
    static RecordComponent component(Record r, String name) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    static Object componentValue(Record r, RecordComponent c) {
        try {
            c.getAccessor().setAccessible(true);
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }
}
