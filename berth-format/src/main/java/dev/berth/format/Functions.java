package dev.berth.format;

import dev.berth.format.Values.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions templates can call: Go's text/template builtins (funcs.go) and docker/cli's additions
 * (templates/templates.go), plus the header variants Docker swaps in to render table headers.
 * A function reports failure with IllegalArgumentException; the executor prints it as
 * {@code error calling NAME: message}, as Go does.
 */
final class Functions {

    /** Go parameter types that decide how arguments are checked: interface{}, reflect.Value, string, int, []string. */
    enum Param {
        ANY("interface {}"), VALUE("reflect.Value"), STRING("string"), INT("int"), STRINGS("[]string");

        final String goName;

        Param(String goName) {
            this.goName = goName;
        }
    }

    @FunctionalInterface
    interface Impl {
        Object apply(List<Object> args);
    }

    /** variadic is null for fixed-arity functions; and/or are evaluated lazily by the executor. */
    record Func(String name, List<Param> params, Param variadic, Impl impl) {
        boolean shortCircuits() {
            return name.equals("and") || name.equals("or");
        }
    }

    static final Map<String, Func> BASIC = basic();
    static final Map<String, Func> HEADER = header();

    private Functions() {
    }

    private static Map<String, Func> basic() {
        Map<String, Func> m = new HashMap<>();
        add(m, "and", List.of(Param.VALUE), Param.VALUE, a -> a.getLast());
        add(m, "or", List.of(Param.VALUE), Param.VALUE, a -> a.getLast());
        add(m, "not", List.of(Param.VALUE), null, a -> !Values.isTrue(a.getFirst()));
        add(m, "len", List.of(Param.VALUE), null, a -> length(a.getFirst()));
        add(m, "index", List.of(Param.VALUE), Param.VALUE, a -> index(a.getFirst(), a.subList(1, a.size())));
        add(m, "slice", List.of(Param.VALUE), Param.VALUE, a -> slice(a.getFirst(), a.subList(1, a.size())));
        add(m, "print", List.of(), Param.ANY, GoFmt::sprint);
        add(m, "println", List.of(), Param.ANY, GoFmt::sprintln);
        add(m, "printf", List.of(Param.STRING), Param.ANY,
                a -> GoFmt.sprintf((String) a.getFirst(), a.subList(1, a.size())));
        add(m, "html", List.of(), Param.ANY, a -> Escapes.html(printed(a)));
        add(m, "js", List.of(), Param.ANY, a -> Escapes.js(printed(a)));
        add(m, "urlquery", List.of(), Param.ANY, a -> Escapes.queryEscape(printed(a)));
        add(m, "eq", List.of(Param.VALUE), Param.VALUE, a -> Comparisons.eq(a.getFirst(), a.subList(1, a.size())));
        add(m, "ne", List.of(Param.VALUE, Param.VALUE), null,
                a -> !Comparisons.eq(a.getFirst(), a.subList(1, 2)));
        add(m, "lt", List.of(Param.VALUE, Param.VALUE), null, a -> Comparisons.lt(a.get(0), a.get(1)));
        add(m, "le", List.of(Param.VALUE, Param.VALUE), null, a -> Comparisons.le(a.get(0), a.get(1)));
        add(m, "gt", List.of(Param.VALUE, Param.VALUE), null, a -> !Comparisons.le(a.get(0), a.get(1)));
        add(m, "ge", List.of(Param.VALUE, Param.VALUE), null, a -> !Comparisons.lt(a.get(0), a.get(1)));

        // docker/cli templates.basicFunctions
        add(m, "json", List.of(Param.ANY), null, a -> JsonWriter.encode(a.getFirst()));
        add(m, "split", List.of(Param.STRING, Param.STRING), null,
                a -> GoText.split((String) a.get(0), (String) a.get(1)));
        add(m, "join", List.of(Param.STRINGS, Param.STRING), null,
                a -> String.join((String) a.get(1), strings(a.get(0))));
        add(m, "title", List.of(Param.STRING), null, a -> GoText.title((String) a.getFirst()));
        add(m, "lower", List.of(Param.STRING), null, a -> GoText.mapCase((String) a.getFirst(), false));
        add(m, "upper", List.of(Param.STRING), null, a -> GoText.mapCase((String) a.getFirst(), true));
        add(m, "pad", List.of(Param.STRING, Param.INT, Param.INT), null,
                a -> pad((String) a.get(0), (Long) a.get(1), (Long) a.get(2)));
        add(m, "truncate", List.of(Param.STRING, Param.INT), null, a -> truncate((String) a.get(0), (Long) a.get(1)));
        return Map.copyOf(m);
    }

    /** docker/cli templates.HeaderFunctions: keep the header text intact; pad is not overridden. */
    private static Map<String, Func> header() {
        Map<String, Func> m = new HashMap<>(BASIC);
        add(m, "json", List.of(Param.STRING), null, List::getFirst);
        add(m, "split", List.of(Param.STRING, Param.STRING), null, List::getFirst);
        add(m, "join", List.of(Param.STRING, Param.STRING), null, List::getFirst);
        add(m, "title", List.of(Param.STRING), null, List::getFirst);
        add(m, "lower", List.of(Param.STRING), null, List::getFirst);
        add(m, "upper", List.of(Param.STRING), null, List::getFirst);
        add(m, "truncate", List.of(Param.STRING, Param.INT), null, List::getFirst);
        return Map.copyOf(m);
    }

    private static void add(Map<String, Func> m, String name, List<Param> params, Param variadic, Impl impl) {
        m.put(name, new Func(name, params, variadic, impl));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object v) {
        return (List<String>) v;
    }

    /** text/template's evalArgs: a lone string as is, otherwise Sprint with nils shown as <no value>. */
    private static String printed(List<Object> args) {
        if (args.size() == 1 && args.getFirst() instanceof String s) {
            return s;
        }
        return GoFmt.sprint(args.stream().map(a -> a == null ? (Object) "<no value>" : a).toList());
    }

    private static long length(Object v) {
        return switch (Values.kind(v)) {
            case MAP, LIST, STRING -> Values.length(v);
            case INVALID -> throw new IllegalArgumentException(v == null ? "len of nil pointer"
                    : "reflect: call of reflect.Value.Type on zero Value");
            default -> throw new IllegalArgumentException("len of type " + Values.typeName(v));
        };
    }

    private static boolean isNil(Object v) {
        return v == null || v == Values.MISSING;
    }

    /** Go's indexArg: an int index within 0..cap. */
    private static int indexArg(Object index, int cap) {
        if (isNil(index)) {
            throw new IllegalArgumentException("cannot index slice/array with nil");
        }
        if (Values.kind(index) != Kind.INT) {
            throw new IllegalArgumentException("cannot index slice/array with type " + Values.typeName(index));
        }
        long x = Values.longValue(index);
        if (x < 0 || x > cap) {
            throw new IllegalArgumentException("index out of range: " + x);
        }
        return (int) x;
    }

    private static Object index(Object item, List<Object> indexes) {
        if (isNil(item)) {
            throw new IllegalArgumentException("index of untyped nil");
        }
        for (Object index : indexes) {
            if (isNil(item)) {
                throw new IllegalArgumentException("index of nil pointer");
            }
            item = switch (Values.kind(item)) {
                case LIST -> {
                    List<Object> elems = Values.elements(item);
                    int x = indexArg(index, elems.size());
                    if (x == elems.size()) {
                        throw new IllegalArgumentException("reflect: slice index out of range");
                    }
                    yield elems.get(x);
                }
                case STRING -> {
                    byte[] bytes = item.toString().getBytes(StandardCharsets.UTF_8);
                    int x = indexArg(index, bytes.length);
                    if (x == bytes.length) {
                        throw new IllegalArgumentException("reflect: string index out of range");
                    }
                    yield (long) (bytes[x] & 0xff);
                }
                case MAP -> {
                    if (isNil(index)) {
                        throw new IllegalArgumentException("value is nil; should be of type string");
                    }
                    if (!(index instanceof CharSequence key)) {
                        throw new IllegalArgumentException(
                                "value has type " + Values.typeName(index) + "; should be string");
                    }
                    Map<?, ?> m = (Map<?, ?>) item;
                    yield m.containsKey(key.toString()) ? m.get(key.toString()) : zeroValue(m);
                }
                default -> throw new IllegalArgumentException("can't index item of type " + Values.typeName(item));
            };
        }
        return item;
    }

    /**
     * The zero value Go's index returns for a missing key. Docker indexes typed maps; a map of strings
     * (like Config.Labels, even when empty) gives "", any other map Go's untyped nil, printed as {@code <no value>}.
     */
    private static Object zeroValue(Map<?, ?> m) {
        return m.values().stream().allMatch(v -> v instanceof CharSequence) ? "" : Values.MISSING;
    }

    private static Object slice(Object item, List<Object> indexes) {
        if (isNil(item)) {
            throw new IllegalArgumentException("slice of untyped nil");
        }
        if (indexes.size() > 3) {
            throw new IllegalArgumentException("too many slice indexes: " + indexes.size());
        }
        Kind kind = Values.kind(item);
        int cap = switch (kind) {
            case STRING -> {
                if (indexes.size() == 3) {
                    throw new IllegalArgumentException("cannot 3-index slice a string");
                }
                yield Values.length(item);
            }
            case LIST -> Values.length(item);
            default -> throw new IllegalArgumentException("can't slice item of type " + Values.typeName(item));
        };
        int[] idx = {0, cap, cap};
        for (int i = 0; i < indexes.size(); i++) {
            idx[i] = indexArg(indexes.get(i), cap);
        }
        if (idx[0] > idx[1]) {
            throw new IllegalArgumentException("invalid slice index: " + idx[0] + " > " + idx[1]);
        }
        if (indexes.size() == 3 && idx[1] > idx[2]) {
            throw new IllegalArgumentException("invalid slice index: " + idx[1] + " > " + idx[2]);
        }
        return kind == Kind.STRING ? GoText.byteSlice(item.toString(), idx[0], idx[1])
                : Collections.unmodifiableList(new ArrayList<>(Values.elements(item).subList(idx[0], idx[1])));
    }

    private static String pad(String s, long prefix, long suffix) {
        if (s.isEmpty()) {
            return s;
        }
        if (prefix < 0 || suffix < 0) {
            throw new IllegalArgumentException("strings: negative Repeat count");
        }
        return " ".repeat((int) prefix) + s + " ".repeat((int) suffix);
    }

    private static String truncate(String s, long length) {
        int bytes = GoText.utf8Length(s);
        if (bytes < length) {
            return s;
        }
        if (length < 0) {
            throw new IllegalArgumentException("runtime error: slice bounds out of range [:" + length + "]");
        }
        return GoText.byteSlice(s, 0, (int) length);
    }

    /** Comparison builtins, with Go's rules for which kinds may be compared. */
    static final class Comparisons {

        private Comparisons() {
        }

        private static Kind basicKind(Object v) {
            Kind k = Values.kind(v);
            return switch (k) {
                case BOOL, INT, FLOAT, STRING -> k;
                default -> Kind.INVALID;
            };
        }

        static boolean eq(Object a, List<Object> others) {
            if (others.isEmpty()) {
                throw new IllegalArgumentException("missing argument for comparison");
            }
            Kind k1 = basicKind(a);
            for (Object b : others) {
                Kind k2 = basicKind(b);
                boolean truth;
                if (k1 != k2) {
                    if (!isNil(a) && !isNil(b)) {
                        throw new IllegalArgumentException("incompatible types for comparison: "
                                + Values.typeName(a) + " and " + Values.typeName(b));
                    }
                    truth = false;
                } else {
                    truth = switch (k1) {
                        case BOOL -> a.equals(b);
                        case INT -> integer(a).equals(integer(b));
                        case FLOAT -> Values.doubleValue(a) == Values.doubleValue(b);
                        case STRING -> a.toString().equals(b.toString());
                        default -> equalOther(a, b);
                    };
                }
                if (truth) {
                    return true;
                }
            }
            return false;
        }

        private static boolean equalOther(Object a, Object b) {
            if (isNil(a) || isNil(b)) {
                return isNil(a) == isNil(b);
            }
            if (Values.kind(a) != Values.kind(b)) {
                throw new IllegalArgumentException("non-comparable types " + GoFmt.format(a, 's') + ": "
                        + Values.typeName(a) + ", " + Values.typeName(b) + ": " + GoFmt.value(b));
            }
            if (Values.kind(b) == Kind.MAP || Values.kind(b) == Kind.LIST) {
                throw new IllegalArgumentException(
                        "non-comparable type " + GoFmt.format(b, 's') + ": " + Values.typeName(b));
            }
            return a.equals(b);
        }

        private static BigInteger integer(Object v) {
            return switch (v) {
                case BigInteger b -> b;
                case BigDecimal d -> d.toBigInteger();
                default -> BigInteger.valueOf(Values.longValue(v));
            };
        }

        static boolean lt(Object a, Object b) {
            Kind k1 = basicKind(a);
            Kind k2 = basicKind(b);
            if (k1 == Kind.INVALID || k2 == Kind.INVALID) {
                throw new IllegalArgumentException("invalid type for comparison");
            }
            if (k1 != k2) {
                throw new IllegalArgumentException("incompatible types for comparison: "
                        + Values.typeName(a) + " and " + Values.typeName(b));
            }
            return switch (k1) {
                case INT -> integer(a).compareTo(integer(b)) < 0;
                case FLOAT -> Values.doubleValue(a) < Values.doubleValue(b);
                case STRING -> Values.compareStrings(a.toString(), b.toString()) < 0;
                default -> throw new IllegalArgumentException("invalid type for comparison");
            };
        }

        static boolean le(Object a, Object b) {
            return lt(a, b) || eq(a, Collections.singletonList(b));
        }
    }
}
