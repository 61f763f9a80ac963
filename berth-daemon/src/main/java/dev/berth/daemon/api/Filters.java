package dev.berth.daemon.api;

import dev.berth.api.ApiJson;
import dev.berth.common.EngineException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The {@code filters} query parameter: JSON {@code {"status": ["running"]}}, or the older
 * {@code {"status": {"running": true}}} form, which clients still send.
 */
public record Filters(Map<String, List<String>> values) {

    public static final Filters NONE = new Filters(Map.of());

    public static Filters parse(String json, Set<String> accepted) {
        if (json == null || json.isBlank()) return NONE;
        JsonNode root;
        try {
            root = ApiJson.MAPPER.readTree(json);
        } catch (RuntimeException e) {
            throw EngineException.invalid("invalid filter: %s", json);
        }
        if (!root.isObject()) throw EngineException.invalid("invalid filter: %s", json);
        var map = new LinkedHashMap<String, List<String>>();
        for (var e : root.properties()) {
            if (!accepted.contains(e.getKey())) throw EngineException.invalid("invalid filter '%s'", e.getKey());
            var list = new ArrayList<String>();
            JsonNode v = e.getValue();
            if (v.isArray()) v.forEach(x -> list.add(x.asString()));
            else if (v.isObject()) v.properties().forEach(x -> { if (x.getValue().asBoolean()) list.add(x.getKey()); });
            else list.add(v.asString());
            map.put(e.getKey(), list);
        }
        return new Filters(map);
    }

    public List<String> get(String key) {
        return values.getOrDefault(key, List.of());
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** Docker's label filter: {@code key} (present) or {@code key=value} (equal), all must match. */
    public boolean labelsMatch(Map<String, String> labels) {
        return get("label").stream().allMatch(f -> hasLabel(f, labels));
    }

    /** Docker's {@code label!} filter: none of its {@code key} or {@code key=value} may match. */
    public boolean notLabelsMatch(Map<String, String> labels) {
        return get("label!").stream().noneMatch(f -> hasLabel(f, labels));
    }

    /** Whether {@code labels} has the key {@code f}, or for {@code key=value} that key with that value. */
    private static boolean hasLabel(String f, Map<String, String> labels) {
        if (labels == null) return false;
        int eq = f.indexOf('=');
        if (eq < 0) return labels.containsKey(f);
        return f.substring(eq + 1).equals(labels.get(f.substring(0, eq)));
    }
}
