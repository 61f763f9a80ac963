package dev.berth.engine.exec;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import dev.berth.oci.HostInfo;
import dev.berth.oci.UserResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OCI {@code process} of an exec, made as moby's {@code daemon/exec.go} and {@code exec_linux.go} make it: the
 * container's own process (from its running bundle's config.json: user, capabilities, rlimits, no-new-privileges,
 * apparmor) with the exec's command, environment, working directory and terminal; {@code -u} resolved against the
 * container's /etc/passwd; {@code --privileged} gets every capability the host has.
 */
final class ExecProcessSpec {
    private ExecProcessSpec() {}

    static byte[] build(Path bundle, ExecService.ExecSpec spec, List<String> containerEnv) {
        ObjectNode process;
        try {
            JsonNode config = Json.MAPPER.readTree(Files.readAllBytes(bundle.resolve("config.json")));
            process = (ObjectNode) config.get("process");
        } catch (IOException | RuntimeException e) {
            throw EngineException.failure("cannot read the container's process spec: %s", e.getMessage());
        }
        process.put("terminal", spec.tty());
        process.remove("consoleSize");
        if (spec.tty() && spec.consoleHeight() > 0 && spec.consoleWidth() > 0) {
            ObjectNode box = process.putObject("consoleSize");
            box.put("height", spec.consoleHeight());
            box.put("width", spec.consoleWidth());
        }
        ArrayNode args = process.putArray("args");
        spec.cmd().forEach(args::add);
        if (spec.workingDir() != null && !spec.workingDir().isEmpty()) process.put("cwd", spec.workingDir());

        boolean newUser = spec.user() != null && !spec.user().isEmpty();
        if (newUser) {
            var u = UserResolver.resolve(bundle.resolve("rootfs"), spec.user());
            ObjectNode user = process.putObject("user");
            user.put("uid", u.uid());
            user.put("gid", u.gid());
            if (!u.additionalGids().isEmpty()) {
                ArrayNode gids = user.putArray("additionalGids");
                u.additionalGids().forEach(gids::add);
            }
        }
        var merged = environment(process, spec, containerEnv, newUser);
        ArrayNode env = process.putArray("env");
        merged.forEach((k, v) -> env.add(k + "=" + v));

        if (spec.privileged()) {
            ObjectNode caps = process.putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                ArrayNode a = caps.putArray(set);
                HostInfo.current().capabilities().forEach(a::add);
            }
        }
        return Json.write(process);
    }

    /**
     * The container's environment (as its process has it), then the exec's: TERM=xterm comes with the exec's
     * terminal, not the container's; HOME is left to runc when the exec runs as another user.
     */
    private static Map<String, String> environment(ObjectNode process, ExecService.ExecSpec spec, List<String> containerEnv,
                                                   boolean newUser) {
        var env = new LinkedHashMap<String, String>();
        JsonNode base = process.get("env");
        if (base != null) for (JsonNode e : base) put(env, e.asString());
        boolean userTerm = containerEnv.stream().anyMatch(e -> e.startsWith("TERM="));
        if (!userTerm) env.remove("TERM");
        if (spec.tty() && !env.containsKey("TERM")) env.put("TERM", "xterm");
        if (newUser && containerEnv.stream().noneMatch(e -> e.startsWith("HOME="))) env.remove("HOME");
        for (String e : spec.env()) put(env, e);
        return env;
    }

    private static void put(Map<String, String> env, String entry) {
        int eq = entry.indexOf('=');
        if (eq > 0) env.put(entry.substring(0, eq), entry.substring(eq + 1)); // runc takes only KEY=value
    }
}
