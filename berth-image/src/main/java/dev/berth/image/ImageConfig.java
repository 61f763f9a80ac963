package dev.berth.image;

import java.util.List;
import java.util.Map;

/**
 * The runtime defaults an image carries (the OCI image config's {@code config} object). Null means "not set", which
 * differs from empty for Cmd and Entrypoint: Docker's rules for combining them with {@code run} arguments depend on it.
 */
public record ImageConfig(
        String user,
        List<String> exposedPorts,
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        List<String> volumes,
        String workingDir,
        Map<String, String> labels,
        String stopSignal,
        Healthcheck healthcheck) {

    public static final ImageConfig EMPTY = new ImageConfig(null, null, null, null, null, null, null, null, null);

    /** Without a health check. */
    public ImageConfig(String user, List<String> exposedPorts, List<String> env, List<String> entrypoint, List<String> cmd,
                       List<String> volumes, String workingDir, Map<String, String> labels, String stopSignal) {
        this(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal, null);
    }
}
