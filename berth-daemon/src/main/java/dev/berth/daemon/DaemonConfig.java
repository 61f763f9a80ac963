package dev.berth.daemon;

import dev.berth.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The daemon's settings: flags merged with daemon.json as dockerd does it — an option set both on the command line
 * and in the file is refused, and an unknown key in the file is refused with its name.
 */
public record DaemonConfig(
        List<String> hosts,
        Path dataRoot,
        Path execRoot,
        Path pidFile,
        boolean debug,
        Path conmon,
        Path runtime) {

    public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/berth/daemon.json");

    /** Keys accepted in daemon.json so far; later issues add the rest of dockerd's. */
    static final Set<String> FILE_KEYS = Set.of("hosts", "data-root", "exec-root", "pidfile", "debug", "conmon", "runtime");

    /** Flags as given (null = not given). */
    public record Flags(List<String> hosts, Path dataRoot, Path execRoot, Path pidFile, Boolean debug,
                        Path conmon, Path runtime, Path configFile) {}

    public static DaemonConfig resolve(Flags f) throws IOException {
        Map<String, JsonNode> file = readFile(f.configFile());
        var conflicts = new ArrayList<String>();
        check(conflicts, file, "hosts", f.hosts() != null && !f.hosts().isEmpty(), "-H/--host");
        check(conflicts, file, "data-root", f.dataRoot() != null, "--data-root");
        check(conflicts, file, "exec-root", f.execRoot() != null, "--exec-root");
        check(conflicts, file, "pidfile", f.pidFile() != null, "--pidfile");
        check(conflicts, file, "debug", f.debug() != null, "-D/--debug");
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("the following directives are specified both as a flag and in the configuration file: "
                    + String.join(", ", conflicts));
        }
        List<String> hosts = f.hosts() != null && !f.hosts().isEmpty() ? f.hosts()
                : file.containsKey("hosts") ? strings(file.get("hosts")) : List.of("unix:///var/run/berth.sock");
        Path dataRoot = path(f.dataRoot(), file, "data-root", "/var/lib/berth");
        Path execRoot = path(f.execRoot(), file, "exec-root", "/run/berth");
        Path pidFile = path(f.pidFile(), file, "pidfile", execRoot.resolve("berthd.pid").toString());
        boolean debug = f.debug() != null ? f.debug() : file.containsKey("debug") && file.get("debug").asBoolean();
        Path conmon = path(f.conmon(), file, "conmon", "/usr/bin/conmon");
        Path runtime = path(f.runtime(), file, "runtime", "/usr/sbin/runc");
        for (String h : hosts) {
            if (!h.startsWith("unix://") && !h.startsWith("tcp://")) {
                throw new IllegalArgumentException("invalid host \"" + h + "\": use unix:///path or tcp://host:port");
            }
        }
        return new DaemonConfig(hosts, dataRoot, execRoot, pidFile, debug, conmon, runtime);
    }

    private static Map<String, JsonNode> readFile(Path configFile) throws IOException {
        Path p = configFile != null ? configFile : DEFAULT_CONFIG_FILE;
        if (!Files.exists(p)) {
            if (configFile != null) throw new IllegalArgumentException("unable to configure the daemon: open " + p + ": no such file or directory");
            return Map.of();
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(p));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unable to configure the daemon with file " + p + ": " + e.getMessage());
        }
        if (!root.isObject()) throw new IllegalArgumentException("unable to configure the daemon with file " + p + ": not a JSON object");
        var m = new LinkedHashMap<String, JsonNode>();
        for (var e : root.properties()) {
            if (!FILE_KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("the following directives don't match any configuration option: " + e.getKey());
            }
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static void check(List<String> conflicts, Map<String, JsonNode> file, String key, boolean flagGiven, String flag) {
        if (flagGiven && file.containsKey(key)) conflicts.add(key + ": (from flag: " + flag + ", from file: " + file.get(key) + ")");
    }

    private static Path path(Path flag, Map<String, JsonNode> file, String key, String dflt) {
        if (flag != null) return flag;
        if (file.containsKey(key)) return Path.of(file.get(key).asString());
        return Path.of(dflt);
    }

    private static List<String> strings(JsonNode n) {
        var out = new ArrayList<String>();
        n.forEach(x -> out.add(x.asString()));
        return out;
    }
}
