package dev.berth.format;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compact JSON as Go's encoding/json writes it: its string escapes, its float text, no trailing newline.
 * Maps keep their iteration order (the daemon's JSON order, which is Go's struct and sorted-map order).
 * A {@link TemplateFields} row is written the way docker/cli marshals its formatter contexts: an object of
 * all its fields with sorted keys, through json.Marshal, so with HTML characters escaped.
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    /** One level of indentation for json.MarshalIndent, or null for compact output. */
    private final String indent;
    private int depth;

    private JsonWriter(String indent) {
        this.indent = indent;
    }

    /** The json template function: compact, HTML not escaped. NaN and infinities give "" as Docker's does. */
    static String encode(Object v) {
        JsonWriter w = new JsonWriter(null);
        try {
            w.write(v, false);
        } catch (ArithmeticException unsupported) {
            return "";
        }
        return w.out.toString();
    }

    /** json.MarshalIndent(v, "", indent) with HTML not escaped, as {@code docker inspect} prints objects. */
    static String indented(Object v, String indent) {
        JsonWriter w = new JsonWriter(indent);
        w.write(v, false);
        return w.out.toString();
    }

    /** Before a member or element: a comma after the first, then a new line in indented mode. */
    private void separate(boolean first) {
        if (!first) out.append(',');
        newline(depth);
    }

    private void newline(int level) {
        if (indent == null) return;
        out.append('\n');
        out.append(indent.repeat(level));
    }

    private void open(char c) {
        out.append(c);
        depth++;
    }

    private void close(char c, boolean empty) {
        depth--;
        if (!empty) newline(depth);
        out.append(c);
    }

    private void name(String key, boolean escapeHtml) {
        string(key, escapeHtml);
        out.append(indent == null ? ":" : ": ");
    }

    private void write(Object v, boolean escapeHtml) {
        switch (v) {
            case null -> out.append("null");
            case Values.Missing m -> out.append("null");
            case Boolean b -> out.append(b);
            case CharSequence s -> string(s.toString(), escapeHtml);
            case Character c -> out.append((int) c);
            case BigDecimal d -> out.append(d.toString());
            case Double d -> number(d);
            case Float f -> number(f.doubleValue());
            case Number n -> out.append(n);
            case TemplateFields f -> {
                Map<String, Object> fields = new TreeMap<>(Values::compareStrings);
                for (String name : f.fieldNames()) {
                    fields.put(name, f.field(name));
                }
                write(fields, true);
            }
            case Map<?, ?> m -> {
                open('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    separate(first);
                    first = false;
                    name(String.valueOf(e.getKey()), escapeHtml);
                    write(e.getValue(), escapeHtml);
                }
                close('}', m.isEmpty());
            }
            case Record r -> {
                open('{');
                RecordComponent[] parts = r.getClass().getRecordComponents();
                for (int i = 0; i < parts.length; i++) {
                    separate(i == 0);
                    name(parts[i].getName(), escapeHtml);
                    write(Values.componentValue(r, parts[i]), escapeHtml);
                }
                close('}', parts.length == 0);
            }
            default -> {
                if (Values.kind(v) == Values.Kind.LIST) {
                    List<Object> elems = Values.elements(v);
                    open('[');
                    for (int i = 0; i < elems.size(); i++) {
                        separate(i == 0);
                        write(elems.get(i), escapeHtml);
                    }
                    close(']', elems.isEmpty());
                } else {
                    string(v.toString(), escapeHtml);
                }
            }
        }
    }

    private void number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new ArithmeticException("json: unsupported value");
        }
        out.append(FloatFormat.json(d));
    }

    private void string(String s, boolean escapeHtml) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\u2028', '\u2029' -> out.append("\\u").append(Integer.toHexString(c));
                default -> {
                    if (c < 0x20 || (escapeHtml && (c == '<' || c == '>' || c == '&'))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c)) {
                        boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1));
                        if (paired) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            out.append("\\ufffd"); // Go replaces invalid UTF-8 with U+FFFD
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
