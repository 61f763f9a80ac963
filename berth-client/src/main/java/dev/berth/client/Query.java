package dev.berth.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds a query string: {@code Query.of().add("all", true).add("name", "web")} gives {@code ?all=1&name=web}. */
public final class Query {
    private final StringBuilder sb = new StringBuilder();

    private Query() {
    }

    public static Query of() {
        return new Query();
    }

    /** Adds the parameter; a null value is left out, true is sent as 1 and false is left out. */
    public Query add(String name, Object value) {
        if (value == null || Boolean.FALSE.equals(value)) return this;
        String v = Boolean.TRUE.equals(value) ? "1" : value.toString();
        sb.append(sb.isEmpty() ? '?' : '&').append(encode(name)).append('=').append(encode(v));
        return this;
    }

    /** Adds the parameter even when false ({@code ?stream=0}). */
    public Query addBool(String name, boolean value) {
        sb.append(sb.isEmpty() ? '?' : '&').append(encode(name)).append('=').append(value ? "1" : "0");
        return this;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
