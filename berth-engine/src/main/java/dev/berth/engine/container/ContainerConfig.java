package dev.berth.engine.container;

import java.util.List;
import java.util.Map;

/**
 * The effective configuration after merging the create request with the image's defaults (Docker's inspect
 * {@code Config}). Fixed at create time: later changes to the image do not change a created container.
 */
public record ContainerConfig(
        String hostname,
        String domainname,
        String user,
        List<String> env,
        List<String> cmd,
        List<String> entrypoint,
        String image,
        String workingDir,
        Map<String, String> labels,
        String stopSignal,
        Integer stopTimeout,
        boolean tty,
        boolean openStdin,
        boolean stdinOnce,
        dev.berth.image.Healthcheck healthcheck,
        List<String> exposedPorts) {

    /** Without a health check or exposed ports. */
    public ContainerConfig(String hostname, String domainname, String user, List<String> env, List<String> cmd,
                           List<String> entrypoint, String image, String workingDir, Map<String, String> labels,
                           String stopSignal, Integer stopTimeout, boolean tty, boolean openStdin, boolean stdinOnce) {
        this(hostname, domainname, user, env, cmd, entrypoint, image, workingDir, labels, stopSignal, stopTimeout, tty,
                openStdin, stdinOnce, null, List.of());
    }

    /**
     * {@code exposedPorts}: the ports of the request and of the image's EXPOSE, as {@code 80/tcp}, sorted by number
     * then protocol; null in records written before they were kept.
     */
    public ContainerConfig {
        if (exposedPorts == null) exposedPorts = List.of();
    }

    /** The check the container runs, or null: none set, or turned off with {@code --no-healthcheck}. */
    public dev.berth.image.Healthcheck activeHealthcheck() {
        var h = healthcheck;
        return h == null || h.test().isEmpty() || h.disabled() ? null : h;
    }

    /** The process to run: entrypoint followed by cmd, as Docker combines them. */
    public List<String> args() {
        var args = new java.util.ArrayList<String>();
        if (entrypoint != null) args.addAll(entrypoint);
        if (cmd != null) args.addAll(cmd);
        return args;
    }
}
