package dev.berth.format;

/**
 * JSON text as Docker's Go code writes it, for values that are plain Java data (maps, lists, strings, numbers,
 * booleans, records): Go's string escapes and float text, and map order kept.
 */
public final class GoJson {
    private GoJson() {
    }

    /** Compact, like json.Marshal without HTML escaping (the {@code json} template function). */
    public static String compact(Object value) {
        return JsonWriter.encode(value);
    }

    /** Indented by four spaces a level, as {@code docker inspect} prints each object. */
    public static String indented(Object value) {
        return JsonWriter.indented(value, "    ");
    }
}
