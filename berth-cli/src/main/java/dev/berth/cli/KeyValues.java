package dev.berth.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code --label k=v} and {@code --opt k=v} lists as maps (a bare key maps to ""), and maps back to {@code k=v,k2=v2}. */
final class KeyValues {
    private KeyValues() {
    }

    static Map<String, String> parse(List<String> entries, String flag) {
        return parse(entries, flag, false);
    }

    /** With {@code valueRequired} ({@code --sysctl}), a bare key is refused instead of mapping to "". */
    static Map<String, String> parse(List<String> entries, String flag, boolean valueRequired) {
        var out = new LinkedHashMap<String, String>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq == 0) throw new UsageError("invalid argument \"" + e + "\" for \"" + flag + "\" flag: empty key");
            if (eq < 0 && valueRequired) {
                throw new UsageError("invalid argument \"" + e + "\" for \"" + flag + "\" flag: expected key=value");
            }
            out.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        return out;
    }

    static String join(JsonNode map) {
        var out = new ArrayList<String>();
        map.properties().forEach(e -> out.add(e.getKey() + "=" + e.getValue().asString()));
        return String.join(",", out);
    }
}
