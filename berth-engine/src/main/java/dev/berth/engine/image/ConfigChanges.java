package dev.berth.engine.image;

import dev.berth.common.EngineException;
import dev.berth.image.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Applies {@code --change} instructions (import, and later commit) to an image config: the Dockerfile instructions
 * CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR and STOPSIGNAL, in JSON (exec) or shell form as the
 * Dockerfile reference describes them.
 */
public final class ConfigChanges {
    private ConfigChanges() {}

    public static ImageConfig apply(ImageConfig base, List<String> changes) {
        var b = new Builder(base == null ? ImageConfig.EMPTY : base);
        for (String change : changes) {
            String line = change.strip();
            if (line.isEmpty()) continue;
            int sp = indexOfSpace(line);
            String op = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(java.util.Locale.ROOT);
            String arg = sp < 0 ? "" : line.substring(sp + 1).strip();
            switch (op) {
                case "CMD" -> b.cmd = command(arg);
                case "ENTRYPOINT" -> b.entrypoint = command(arg);
                case "ENV" -> keyValues(arg, "ENV").forEach((k, v) -> b.env.put(k, k + "=" + v));
                case "LABEL" -> b.labels.putAll(keyValues(arg, "LABEL"));
                case "EXPOSE" -> {
                    for (String p : arg.split("\\s+")) b.exposed.add(p.contains("/") ? p : p + "/tcp");
                }
                case "USER" -> b.user = arg;
                case "WORKDIR" -> b.workingDir = arg;
                case "STOPSIGNAL" -> b.stopSignal = arg;
                case "VOLUME" -> b.volumes.addAll(arg.startsWith("[") ? jsonArray(arg) : List.of(arg.split("\\s+")));
                default -> throw EngineException.invalid("%s is not a valid change command", op.isEmpty() ? change : op);
            }
        }
        return b.build();
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
        return -1;
    }

    /** Exec form {@code ["a","b"]} as is; shell form wrapped in {@code /bin/sh -c}. */
    private static List<String> command(String arg) {
        if (arg.startsWith("[")) {
            try {
                return jsonArray(arg);
            } catch (EngineException e) {
                // Not valid JSON: Docker treats it as shell form.
            }
        }
        return List.of("/bin/sh", "-c", arg);
    }

    private static List<String> jsonArray(String arg) {
        try {
            JsonNode n = dev.berth.common.Json.MAPPER.readTree(arg);
            if (!n.isArray()) throw EngineException.invalid("expected a JSON array: %s", arg);
            var out = new ArrayList<String>();
            n.forEach(x -> out.add(x.asString()));
            return out;
        } catch (RuntimeException e) {
            if (e instanceof EngineException ee) throw ee;
            throw EngineException.invalid("invalid JSON array: %s", arg);
        }
    }

    /** {@code K=V K2="v 2"} or the legacy {@code K V} form. */
    static Map<String, String> keyValues(String arg, String op) {
        var out = new LinkedHashMap<String, String>();
        if (!arg.contains("=")) {
            int sp = indexOfSpace(arg);
            if (sp < 0) throw EngineException.invalid("%s must have two arguments", op);
            out.put(arg.substring(0, sp), arg.substring(sp + 1).strip());
            return out;
        }
        for (String word : words(arg)) {
            int eq = word.indexOf('=');
            if (eq <= 0) throw EngineException.invalid("%s names can not be blank", op);
            out.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return out;
    }

    /** Splits on white space outside quotes, removing the quotes and backslash escapes. */
    private static List<String> words(String s) {
        var out = new ArrayList<String>();
        var cur = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length() && quote != '\'') {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (ch == quote) quote = 0;
                else cur.append(ch);
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) out.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else {
                cur.append(ch);
                inWord = true;
            }
        }
        if (inWord) out.add(cur.toString());
        return out;
    }

    private static final class Builder {
        String user, workingDir, stopSignal;
        List<String> cmd, entrypoint;
        final LinkedHashMap<String, String> env = new LinkedHashMap<>();
        final LinkedHashMap<String, String> labels = new LinkedHashMap<>();
        final List<String> exposed = new ArrayList<>();
        final List<String> volumes = new ArrayList<>();

        Builder(ImageConfig c) {
            user = c.user();
            workingDir = c.workingDir();
            stopSignal = c.stopSignal();
            cmd = c.cmd();
            entrypoint = c.entrypoint();
            if (c.env() != null) for (String kv : c.env()) env.put(kv.split("=", 2)[0], kv);
            if (c.labels() != null) labels.putAll(c.labels());
            if (c.exposedPorts() != null) exposed.addAll(c.exposedPorts());
            if (c.volumes() != null) volumes.addAll(c.volumes());
        }

        ImageConfig build() {
            return new ImageConfig(user, exposed.isEmpty() ? null : List.copyOf(exposed),
                    env.isEmpty() ? null : List.copyOf(env.values()), entrypoint, cmd,
                    volumes.isEmpty() ? null : List.copyOf(volumes), workingDir, labels.isEmpty() ? null : Map.copyOf(labels),
                    stopSignal);
        }
    }
}
