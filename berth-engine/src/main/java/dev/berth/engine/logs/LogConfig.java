package dev.berth.engine.logs;

import dev.berth.common.ByteSizes;
import dev.berth.common.EngineException;
import java.util.Map;
import java.util.Set;

/**
 * A container's logging driver and its options ({@code HostConfig.LogConfig}). Conmon always writes the container's
 * output to its own journal first (so nothing is lost while no daemon runs); the driver says what the daemon makes
 * of it: {@code json-file} and {@code local} ship it into Docker's on-disk formats, {@code none} keeps nothing
 * readable.
 */
public record LogConfig(String type, Map<String, String> config) {
    public static final String JSON_FILE = "json-file";
    public static final String LOCAL = "local";
    public static final String NONE = "none";
    /** Containers created before logging drivers: their output is read from conmon's journal itself. */
    public static final String JOURNAL = "k8s-file";
    public static final LogConfig DEFAULT = new LogConfig(JSON_FILE, Map.of());

    private static final Set<String> LOCAL_OPTIONS = Set.of("max-size", "max-file", "compress");
    private static final Set<String> JSON_FILE_OPTIONS = Set.of("max-size", "max-file", "compress", "labels",
            "labels-regex", "env", "env-regex", "tag");

    /** The drivers berth has. */
    public static final Set<String> DRIVERS = Set.of(JSON_FILE, LOCAL, NONE);

    public LogConfig {
        config = config == null ? Map.of() : Map.copyOf(config);
    }

    /** dockerd's create-time checks: a driver it knows, options that driver takes, values that parse. */
    public LogConfig validated() {
        Set<String> options = switch (type) {
            case JSON_FILE -> JSON_FILE_OPTIONS;
            case LOCAL -> LOCAL_OPTIONS;
            case NONE -> Set.of();
            default -> throw EngineException.invalid("logger: no log driver named '%s' is registered", type);
        };
        for (String key : config.keySet()) {
            if (!options.contains(key)) throw EngineException.invalid("unknown log opt '%s' for %s log driver", key, type);
        }
        if (shipped()) {
            maxSize();
            maxFile();
            compress();
        }
        return this;
    }

    /** Whether the daemon ships the container's output into a file of this driver's that {@code logs} reads. */
    public boolean shipped() {
        return JSON_FILE.equals(type) || LOCAL.equals(type);
    }

    /** {@code max-size} in bytes (decimal units, as dockerd reads them); -1 for no limit; local's default 20 MB. */
    public long maxSize() {
        String v = config.get("max-size");
        if (v == null && LOCAL.equals(type)) return 20_000_000;
        if (v == null || v.equals("-1")) return -1;
        try {
            long n = ByteSizes.fromHumanSize(v);
            if (n <= 0) throw EngineException.invalid("max-size must be a positive number");
            return n;
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("%s", e.getMessage());
        }
    }

    /** {@code max-file}: how many files the log may span, the current one included. */
    public int maxFile() {
        String v = config.get("max-file");
        if (v == null) return LOCAL.equals(type) ? 5 : 1;
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw EngineException.invalid("strconv.Atoi: parsing \"%s\": invalid syntax", v);
        }
        if (n < 1) throw EngineException.invalid("max-file cannot be less than 1");
        return n;
    }

    public boolean compress() {
        String v = config.get("compress");
        if (v == null) return LOCAL.equals(type);
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw EngineException.invalid("strconv.ParseBool: parsing \"%s\": invalid syntax", v);
        };
    }
}
