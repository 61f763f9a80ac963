package dev.berth.api;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /containers/create}: the spec's ContainerConfig with HostConfig and NetworkingConfig inside.
 * Only the fields the engine acts on are named; the rest of what clients send is ignored.
 */
public record ContainerCreateRequest(
        String hostname,
        String domainname,
        String user,
        Boolean attachStdin,
        Boolean attachStdout,
        Boolean attachStderr,
        Map<String, Object> exposedPorts,
        Boolean tty,
        Boolean openStdin,
        Boolean stdinOnce,
        List<String> env,
        StringOrList cmd,
        StringOrList entrypoint,
        String image,
        Map<String, Object> volumes,
        String workingDir,
        Boolean networkDisabled,
        Map<String, String> labels,
        String stopSignal,
        Integer stopTimeout,
        HostConfig hostConfig,
        HealthConfig healthcheck) {

    /** {@code Healthcheck}: durations in nanoseconds; zero or missing means "not set". */
    public record HealthConfig(List<String> test, Long interval, Long timeout, Long startPeriod, Long startInterval,
                               Integer retries) {}

    /** The subset of HostConfig acted on so far; later issues add resources, mounts and ports. */
    public record HostConfig(
            Boolean autoRemove,
            String networkMode,
            RestartPolicy restartPolicy,
            Boolean privileged,
            Boolean readonlyRootfs,
            List<String> capAdd,
            List<String> capDrop,
            List<String> securityOpt,
            Long shmSize,
            Boolean init,
            List<Integer> consoleSize,
            Long memory,
            Long memorySwap,
            Long memoryReservation,
            Long nanoCpus,
            Long cpuShares,
            String cpusetCpus,
            String cpusetMems,
            Long pidsLimit,
            Boolean oomKillDisable,
            List<Ulimit> ulimits,
            Map<String, String> tmpfs,
            Map<String, String> sysctls,
            List<DeviceMapping> devices,
            LogConfig logConfig,
            List<String> dns,
            List<String> dnsSearch,
            List<String> dnsOptions,
            List<String> extraHosts) {}

    /** {@code HostConfig.LogConfig}: an empty Type means the daemon's default driver. */
    public record LogConfig(String type, Map<String, String> config) {}

    /** {@code HostConfig.Ulimits[]}: {@code {"Name": "nofile", "Soft": 1024, "Hard": 2048}}. */
    public record Ulimit(String name, Long soft, Long hard) {}

    /** {@code HostConfig.Devices[]}. */
    public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {}

    public record RestartPolicy(String name, Integer maximumRetryCount) {}
}
