package dev.berth.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The container's environment as Docker builds it ({@code Container.CreateDaemonEnvironment} and
 * {@code ReplaceOrAppendEnvValues}): {@code PATH}, {@code HOSTNAME} and, with a terminal, {@code TERM=xterm} come
 * first; the container's own variables replace them or are appended; a bare {@code KEY} removes a variable. Last,
 * {@code HOME} is set from the user's passwd entry when missing, which runc does at init in Docker's case.
 */
final class ProcessEnv {
    private ProcessEnv() {}

    static List<String> build(List<String> containerEnv, String hostname, boolean terminal, String home) {
        var env = new LinkedHashMap<String, String>();
        env.put("PATH", "PATH=" + DockerDefaults.PATH);
        env.put("HOSTNAME", "HOSTNAME=" + hostname);
        if (terminal) {
            env.put("TERM", "TERM=xterm");
        }
        for (var entry : containerEnv) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                env.remove(entry);
            } else {
                env.put(entry.substring(0, eq), entry);
            }
        }
        env.putIfAbsent("HOME", "HOME=" + home);
        return new ArrayList<>(env.values());
    }
}
