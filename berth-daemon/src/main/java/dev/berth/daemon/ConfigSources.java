package dev.berth.daemon;

import dev.berth.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Where the daemon's options come from, as dockerd combines them: flags and daemon.json, both keyed by the file's
 * names. An option in both is refused whatever the values, an unknown key in the file is refused, and every such
 * message names the keys.
 */
final class ConfigSources {
    private ConfigSources() {}

    /** The daemon.json keys berthd accepts (dockerd's names; conmon and runtime are berthd's own). */
    static final Set<String> KEYS = Set.of(
            "hosts", "data-root", "exec-root", "pidfile", "debug", "conmon", "runtime", "group",
            "tls", "tlsverify", "tlscacert", "tlscert", "tlskey",
            "live-restore", "log-driver", "log-opts",
            "bridge", "bip", "default-address-pools", "iptables", "userland-proxy",
            "insecure-registries", "registry-mirrors", "max-concurrent-downloads", "max-concurrent-uploads",
            "default-runtime", "runtimes", "default-ulimits", "labels", "storage-driver");

    /** What SIGHUP may change on a running daemon (dockerd's reload list, as far as berthd has the option). */
    static final Set<String> RELOADABLE = Set.of("debug", "labels", "live-restore", "insecure-registries",
            "registry-mirrors", "max-concurrent-downloads", "max-concurrent-uploads");

    /**
     * The file's options by key; none when {@code configFile} is the default and does not exist. A file named with
     * {@code --config-file} must exist, as with dockerd.
     */
    static Map<String, JsonNode> readFile(Path configFile, boolean named) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(configFile);
        } catch (NoSuchFileException e) {
            if (!named) return Map.of();
            throw fileError(configFile, "open " + configFile + ": no such file or directory");
        } catch (IOException e) {
            throw fileError(configFile, "read " + configFile + ": " + e.getMessage()); // a directory, no permission
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (RuntimeException e) {
            throw fileError(configFile, "invalid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) return Map.of(); // an empty file, as dockerd allows
        if (!root.isObject()) throw fileError(configFile, "the file must hold a JSON object");
        var options = new LinkedHashMap<String, JsonNode>();
        var unknown = new TreeSet<String>();
        for (var e : root.properties()) {
            if (KEYS.contains(e.getKey())) options.put(e.getKey(), e.getValue());
            else unknown.add(e.getKey());
        }
        if (!unknown.isEmpty()) {
            throw fileError(configFile, "the following directives don't match any configuration option: " + String.join(", ", unknown));
        }
        return options;
    }

    /** dockerd's refusal of options given both ways, in its wording and with Go's rendering of the values. */
    static void refuseConflicts(Map<String, JsonNode> flags, Map<String, JsonNode> file, Path configFile) {
        var conflicts = new ArrayList<String>();
        for (var e : flags.entrySet()) {
            if (file.containsKey(e.getKey())) {
                conflicts.add(e.getKey() + ": (from flag: " + goString(e.getValue()) + ", from file: "
                        + goString(file.get(e.getKey())) + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            throw fileError(configFile, "the following directives are specified both as a flag and in the configuration file: "
                    + String.join(", ", conflicts));
        }
    }

    static IllegalArgumentException fileError(Path configFile, String why) {
        return new IllegalArgumentException("unable to configure the Berth daemon with file " + configFile + ": " + why);
    }

    /** A JSON value as Go's {@code %v} prints what dockerd decoded: {@code [a b]}, {@code map[k:v]}, bare strings. */
    static String goString(JsonNode n) {
        if (n.isString()) return n.asString();
        if (n.isArray()) {
            var parts = new ArrayList<String>();
            n.forEach(x -> parts.add(goString(x)));
            return "[" + String.join(" ", parts) + "]";
        }
        if (n.isObject()) {
            var parts = new ArrayList<String>();
            n.properties().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> parts.add(e.getKey() + ":" + goString(e.getValue())));
            return "map[" + String.join(" ", parts) + "]";
        }
        return n.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A value refused, with the option's key: a value from the file is reported with the file's name. */
    static final class BadValue extends IllegalArgumentException {
        final String key;

        BadValue(String key, String message) {
            super(message);
            this.key = key;
        }
    }

    /** Values of one merged source, read by key; a value of the wrong shape is refused with its key named. */
    static final class Values {
        private final Map<String, JsonNode> options;

        Values(Map<String, JsonNode> options) {
            this.options = options;
        }

        boolean has(String key) {
            return options.containsKey(key) && !options.get(key).isNull();
        }

        boolean bool(String key, boolean dflt) {
            if (!has(key)) return dflt;
            JsonNode n = options.get(key);
            if (!n.isBoolean()) throw bad(key, n, "a boolean");
            return n.booleanValue();
        }

        String string(String key, String dflt) {
            if (!has(key)) return dflt;
            JsonNode n = options.get(key);
            if (!n.isString()) throw bad(key, n, "a string");
            return n.asString();
        }

        int integer(String key, int dflt) {
            if (!has(key)) return dflt;
            JsonNode n = options.get(key);
            if (!n.isIntegralNumber() || !n.canConvertToInt()) throw bad(key, n, "an integer");
            return n.intValue();
        }

        List<String> strings(String key) {
            if (!has(key)) return List.of();
            JsonNode n = options.get(key);
            if (!n.isArray()) throw bad(key, n, "a list of strings");
            var out = new ArrayList<String>();
            for (JsonNode x : n) {
                if (!x.isString()) throw bad(key, n, "a list of strings");
                out.add(x.asString());
            }
            return List.copyOf(out);
        }

        Map<String, String> stringMap(String key) {
            if (!has(key)) return Map.of();
            JsonNode n = options.get(key);
            if (!n.isObject()) throw bad(key, n, "an object of strings");
            var out = new LinkedHashMap<String, String>();
            for (var e : n.properties()) {
                if (!e.getValue().isString()) throw bad(key, n, "an object of strings");
                out.put(e.getKey(), e.getValue().asString());
            }
            return out;
        }

        JsonNode node(String key) {
            return has(key) ? options.get(key) : null;
        }

        static BadValue bad(String key, JsonNode n, String expected) {
            return invalid(key, "expected " + expected + ", got " + n);
        }

        static BadValue invalid(String key, String why) {
            return new BadValue(key, "invalid value for \"" + key + "\": " + why);
        }
    }
}
