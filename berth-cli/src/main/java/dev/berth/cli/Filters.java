package dev.berth.cli;

import dev.berth.client.EngineClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --filter key=value} flags as the API's {@code filters} JSON: {@code {"key": {"value": true}}}, Docker's form. */
final class Filters {
    private Filters() {
    }

    static String toJson(List<String> flags) {
        if (flags.isEmpty()) return null;
        Map<String, Map<String, Boolean>> filters = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            if (eq <= 0) throw new UsageError("invalid argument \"" + f + "\" for \"-f, --filter\" flag: bad format of filter (expected name=value)");
            filters.computeIfAbsent(f.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT), k -> new LinkedHashMap<>())
                    .put(f.substring(eq + 1), true);
        }
        return EngineClient.json().writeValueAsString(filters);
    }

}
