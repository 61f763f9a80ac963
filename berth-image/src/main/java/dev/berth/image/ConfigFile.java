package dev.berth.image;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image config blob (OCI image spec, config.md; Docker's image JSON) as far as the engine reads it. The JSON is
 * the wire form and its bytes define the image id, so it is written once, from here, and kept byte for byte.
 * The runtime settings use the capitalized keys of the spec ({@code Cmd}, {@code Entrypoint}, ...).
 */
record ConfigFile(
        String architecture,
        String os,
        Instant created,
        String author,
        String comment,
        ImageConfig config,
        List<String> diffIds) {

    /** The config of an image made by {@code docker import}: one history entry carrying the message. */
    static ConfigFile forImport(ImageConfig config, String message, Instant created, String diffId) {
        String comment = message == null || message.isEmpty() ? "Imported from -" : message;
        return new ConfigFile(hostArchitecture(), "linux", created, null, comment,
                config == null ? ImageConfig.EMPTY : config, List.of(diffId));
    }

    byte[] toJson() {
        var root = new LinkedHashMap<String, Object>();
        root.put("architecture", architecture);
        if (author != null) root.put("author", author);
        if (comment != null) root.put("comment", comment);
        root.put("config", configJson(config));
        root.put("created", created.toString());
        var history = new LinkedHashMap<String, Object>();
        history.put("created", created.toString());
        if (comment != null) history.put("comment", comment);
        root.put("history", List.of(history));
        root.put("os", os);
        root.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
        return Json.write(root);
    }

    static ConfigFile parse(byte[] json) {
        Map<?, ?> root;
        try {
            root = Json.MAPPER.readValue(json, Map.class);
        } catch (RuntimeException e) {
            throw EngineException.invalid("invalid image config: %s", e.getMessage());
        }
        Map<?, ?> rootfs = map(root.get("rootfs"));
        List<String> diffIds = rootfs == null ? List.of() : strings(rootfs.get("diff_ids"));
        for (String d : diffIds == null ? List.<String>of() : diffIds) Digest.parse(d);
        return new ConfigFile(
                string(root.get("architecture")),
                string(root.get("os")),
                instant(string(root.get("created"))),
                string(root.get("author")),
                string(root.get("comment")),
                imageConfig(map(root.get("config"))),
                diffIds == null ? List.of() : diffIds);
    }

    static Map<String, Object> configJson(ImageConfig c) {
        var m = new LinkedHashMap<String, Object>();
        if (c.user() != null) m.put("User", c.user());
        if (c.exposedPorts() != null) m.put("ExposedPorts", asSet(c.exposedPorts()));
        if (c.env() != null) m.put("Env", c.env());
        if (c.entrypoint() != null) m.put("Entrypoint", c.entrypoint());
        if (c.cmd() != null) m.put("Cmd", c.cmd());
        if (c.volumes() != null) m.put("Volumes", asSet(c.volumes()));
        if (c.workingDir() != null) m.put("WorkingDir", c.workingDir());
        if (c.labels() != null) m.put("Labels", c.labels());
        if (c.stopSignal() != null) m.put("StopSignal", c.stopSignal());
        if (c.healthcheck() != null) m.put("Healthcheck", c.healthcheck().toJson());
        return m;
    }

    private static ImageConfig imageConfig(Map<?, ?> m) {
        if (m == null) return ImageConfig.EMPTY;
        Map<String, String> labels = null;
        if (map(m.get("Labels")) instanceof Map<?, ?> l) {
            labels = new LinkedHashMap<>();
            for (var e : l.entrySet()) labels.put(String.valueOf(e.getKey()), string(e.getValue()));
        }
        return new ImageConfig(
                emptyToNull(string(m.get("User"))),
                keys(m.get("ExposedPorts")),
                strings(m.get("Env")),
                strings(m.get("Entrypoint")),
                strings(m.get("Cmd")),
                keys(m.get("Volumes")),
                emptyToNull(string(m.get("WorkingDir"))),
                labels,
                emptyToNull(string(m.get("StopSignal"))),
                Healthcheck.fromJson(m.get("Healthcheck")));
    }

    /** The spec writes port and volume sets as objects with empty values: {"80/tcp": {}}. */
    private static Map<String, Object> asSet(List<String> keys) {
        var m = new LinkedHashMap<String, Object>();
        for (String k : keys) m.put(k, Map.of());
        return m;
    }

    private static List<String> keys(Object o) {
        if (!(o instanceof Map<?, ?> m)) return null;
        return m.keySet().stream().map(String::valueOf).toList();
    }

    private static List<String> strings(Object o) {
        if (!(o instanceof List<?> l)) return null;
        var out = new ArrayList<String>(l.size());
        for (Object x : l) out.add(String.valueOf(x));
        return List.copyOf(out);
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : null;
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Instant instant(String s) {
        if (s == null) return Instant.EPOCH;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** GOARCH names, which image configs use. */
    static String hostArchitecture() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> System.getProperty("os.arch");
        };
    }
}
