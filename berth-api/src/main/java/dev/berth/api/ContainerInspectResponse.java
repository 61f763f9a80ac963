package dev.berth.api;

import java.util.List;
import java.util.Map;

/** {@code GET /containers/{id}/json}, in the spec's shape (ContainerInspectResponse). */
public record ContainerInspectResponse(
        String id,
        String created,
        String path,
        List<String> args,
        ContainerState state,
        String image,
        String resolvConfPath,
        String hostnamePath,
        String hostsPath,
        String logPath,
        String name,
        int restartCount,
        String driver,
        String platform,
        String mountLabel,
        String processLabel,
        String appArmorProfile,
        List<String> execIDs,
        Map<String, Object> hostConfig,
        Map<String, Object> graphDriver,
        Long sizeRw,
        Long sizeRootFs,
        List<Object> mounts,
        Config config,
        Map<String, Object> networkSettings) {

    public record ContainerState(
            String status,
            boolean running,
            boolean paused,
            boolean restarting,
            boolean oOMKilled,
            boolean dead,
            int pid,
            int exitCode,
            String error,
            String startedAt,
            String finishedAt) {}

    /** The container's effective config (ContainerConfig in the spec). */
    public record Config(
            String hostname,
            String domainname,
            String user,
            boolean attachStdin,
            boolean attachStdout,
            boolean attachStderr,
            Map<String, Object> exposedPorts,
            boolean tty,
            boolean openStdin,
            boolean stdinOnce,
            List<String> env,
            List<String> cmd,
            String image,
            Map<String, Object> volumes,
            String workingDir,
            List<String> entrypoint,
            Map<String, String> labels,
            String stopSignal,
            Integer stopTimeout) {}
}
