package dev.berth.daemon.api;

import dev.berth.common.HumanTime;
import dev.berth.api.ContainerCreateRequest;
import dev.berth.api.ContainerInspectResponse;
import dev.berth.api.ContainerSummary;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerSpec;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.container.Limits;
import dev.berth.api.ContainerUpdateRequest;
import dev.berth.oci.DeviceMapping;
import dev.berth.oci.Ulimit;
import dev.berth.common.EngineException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Translates between the wire records of berth-api and the engine's container model. No logic beyond mapping. */
final class ContainerViews {
    private ContainerViews() {}

    static ContainerSpec spec(ContainerCreateRequest r) {
        var h = r.hostConfig();
        var host = h == null ? ContainerSpec.HostSettings.DEFAULT : new ContainerSpec.HostSettings(
                bool(h.autoRemove()),
                h.networkMode() == null || h.networkMode().isEmpty() ? "default" : h.networkMode(),
                h.restartPolicy() == null || h.restartPolicy().name() == null || h.restartPolicy().name().isEmpty()
                        ? ContainerSpec.RestartPolicy.NO
                        : new ContainerSpec.RestartPolicy(h.restartPolicy().name(),
                                h.restartPolicy().maximumRetryCount() == null ? 0 : h.restartPolicy().maximumRetryCount()),
                bool(h.privileged()), bool(h.readonlyRootfs()),
                h.capAdd() == null ? List.of() : h.capAdd(), h.capDrop() == null ? List.of() : h.capDrop(),
                h.securityOpt() == null ? List.of() : h.securityOpt(),
                h.shmSize() == null ? 0 : h.shmSize(), bool(h.init()), consoleSize(h.consoleSize()), limits(h),
                h.logConfig() == null ? null : new dev.berth.engine.logs.LogConfig(h.logConfig().type(), h.logConfig().config()),
                new ContainerSpec.NameResolution(h.dns(), h.dnsSearch(), h.dnsOptions(), h.extraHosts()));
        return new ContainerSpec(r.image(), r.cmd() == null ? null : r.cmd().values(),
                r.entrypoint() == null ? null : r.entrypoint().values(), r.env(), r.workingDir(), r.user(),
                r.hostname(), r.domainname(), r.labels(), r.stopSignal(), r.stopTimeout(),
                bool(r.tty()), bool(r.openStdin()), bool(r.stdinOnce()), host, healthcheck(r.healthcheck()),
                r.exposedPorts() == null ? List.of() : List.copyOf(r.exposedPorts().keySet()));
    }

    private static dev.berth.image.Healthcheck healthcheck(ContainerCreateRequest.HealthConfig h) {
        if (h == null) return null;
        return new dev.berth.image.Healthcheck(h.test(), orZero(h.interval()), orZero(h.timeout()),
                orZero(h.startPeriod()), orZero(h.startInterval()), h.retries() == null ? 0 : h.retries());
    }


    /** The resource limits and kernel settings of a HostConfig. */
    static Limits limits(ContainerCreateRequest.HostConfig h) {
        var ulimits = h.ulimits() == null ? List.<Ulimit>of() : h.ulimits().stream()
                .map(u -> new Ulimit(u.name(), u.soft() == null ? 0 : u.soft(), u.hard() == null ? 0 : u.hard()))
                .toList();
        var devices = h.devices() == null ? List.<DeviceMapping>of() : h.devices().stream()
                .map(d -> new DeviceMapping(d.pathOnHost(), d.pathInContainer(), d.cgroupPermissions()))
                .toList();
        return new Limits(h.memory(), h.memorySwap(), h.memoryReservation(), h.nanoCpus(), h.cpuShares(),
                h.cpusetCpus(), h.cpusetMems(), h.pidsLimit(), h.oomKillDisable(), ulimits, h.tmpfs(), h.sysctls(),
                devices);
    }

    /** The resource fields of an update request, in the same terms. */
    static Limits limits(ContainerUpdateRequest u) {
        return new Limits(u.memory(), u.memorySwap(), u.memoryReservation(), u.nanoCpus(), u.cpuShares(),
                u.cpusetCpus(), u.cpusetMems(), u.pidsLimit(), null, null, null, null, null);
    }

    /** HostConfig's resource fields as Docker's inspect shows them: zeros and empty values where nothing is set. */
    static void putLimits(Map<String, Object> hostConfig, Limits l) {
        hostConfig.put("Memory", orZero(l.memory()));
        hostConfig.put("MemorySwap", orZero(l.memorySwap()));
        hostConfig.put("MemoryReservation", orZero(l.memoryReservation()));
        hostConfig.put("NanoCpus", orZero(l.nanoCpus()));
        hostConfig.put("CpuShares", orZero(l.cpuShares()));
        hostConfig.put("CpuPeriod", 0L);
        hostConfig.put("CpuQuota", 0L);
        hostConfig.put("CpusetCpus", l.cpusetCpus() == null ? "" : l.cpusetCpus());
        hostConfig.put("CpusetMems", l.cpusetMems() == null ? "" : l.cpusetMems());
        hostConfig.put("PidsLimit", l.pidsLimit());
        hostConfig.put("OomKillDisable", l.oomKillDisable() != null && l.oomKillDisable());
        hostConfig.put("MemorySwappiness", null);
        hostConfig.put("BlkioWeight", 0);
        hostConfig.put("Ulimits", l.ulimits().stream().map(u -> {
            var m = new LinkedHashMap<String, Object>();
            m.put("Name", u.name());
            m.put("Hard", u.hard());
            m.put("Soft", u.soft());
            return m;
        }).toList());
        hostConfig.put("Devices", l.devices().stream().map(d -> {
            var m = new LinkedHashMap<String, Object>();
            m.put("PathOnHost", d.pathOnHost());
            m.put("PathInContainer", d.pathInContainer());
            m.put("CgroupPermissions", d.cgroupPermissions());
            return m;
        }).toList());
        if (!l.tmpfs().isEmpty()) hostConfig.put("Tmpfs", new java.util.TreeMap<>(l.tmpfs()));
        if (!l.sysctls().isEmpty()) hostConfig.put("Sysctls", new java.util.TreeMap<>(l.sysctls()));
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    /** {@code HostConfig.ConsoleSize}: [height, width], zeros when the client has no terminal. */
    private static ContainerSpec.TerminalSize consoleSize(List<Integer> hw) {
        if (hw == null || hw.size() != 2 || hw.get(0) == null || hw.get(1) == null) return null;
        if (hw.get(0) < 0 || hw.get(1) < 0) throw EngineException.invalid("invalid ConsoleSize: %s", hw);
        return hw.get(0) == 0 && hw.get(1) == 0 ? null : new ContainerSpec.TerminalSize(hw.get(0), hw.get(1));
    }

    static ContainerSummary summary(Container c, Long sizeRw) {
        return summary(c, sizeRw, null);
    }

    /**
     * A ps row. With sizes asked for ({@code sizeRw} given), {@code SizeRootFs} is the writable layer plus the
     * image's layers ({@code imageSize}), as {@code docker ps -s} shows "2B (virtual 4.26MB)"; without an image size
     * it is left out.
     */
    static ContainerSummary summary(Container c, Long sizeRw, Long imageSize) {
        List<String> args = c.config().args();
        Long sizeRootFs = sizeRw == null || imageSize == null ? null : sizeRw + imageSize;
        return new ContainerSummary(c.id(), List.of("/" + c.name()), c.imageRef(), c.imageId(),
                String.join(" ", args), c.created().getEpochSecond(), List.of(), sizeRw, sizeRootFs,
                c.config().labels() == null ? Map.of() : c.config().labels(), c.state().status().word(), status(c.state()),
                Map.of("NetworkMode", c.spec().host().networkMode()), Map.of("Networks", Map.of()), List.of());
    }

    /** The bytes of the image a container runs, for its SizeRootFs; 0 if the image is gone. */
    static long imageSize(dev.berth.image.ImageService images, String imageId) {
        try {
            return images.resolve(imageId).size();
        } catch (EngineException.NotFound e) {
            return 0;
        }
    }

    /** The STATUS column: "Up 3 seconds", "Exited (1) 2 minutes ago", "Created", ... */
    static String status(ContainerState s) {
        return switch (s.status()) {
            case RUNNING -> "Up " + HumanTime.since(s.startedAt());
            case PAUSED -> "Up " + HumanTime.since(s.startedAt()) + " (Paused)";
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + HumanTime.since(s.finishedAt()) + " ago";
            case REMOVING -> "Removal In Progress";
            case DEAD -> "Dead";
            case CREATED -> "Created";
            case EXITED -> s.finishedAt().equals(ContainerState.ZERO_TIME)
                    ? "Exited (" + s.exitCode() + ")"
                    : "Exited (" + s.exitCode() + ") " + HumanTime.since(s.finishedAt()) + " ago";
        };
    }

    static ContainerInspectResponse inspect(Container c, ContainerPaths paths, Long sizeRw) {
        List<String> args = c.config().args();
        ContainerState s = c.state();
        var state = new ContainerInspectResponse.ContainerState(s.status().word(),
                s.isRunning(), s.status() == ContainerState.Status.PAUSED, s.status() == ContainerState.Status.RESTARTING,
                s.oomKilled(), s.status() == ContainerState.Status.DEAD, s.pid(), s.exitCode(),
                s.error() == null ? "" : s.error(), time(s.startedAt()), time(s.finishedAt()));
        var cfg = c.config();
        var config = new ContainerInspectResponse.Config(cfg.hostname(), cfg.domainname(), cfg.user(),
                false, true, true, exposedPorts(cfg.exposedPorts()), cfg.tty(), cfg.openStdin(), cfg.stdinOnce(), cfg.env(),
                cfg.cmd(), cfg.image(), null, cfg.workingDir(), cfg.entrypoint(),
                cfg.labels() == null ? Map.of() : cfg.labels(), cfg.stopSignal(), cfg.stopTimeout());
        var host = c.spec().host();
        var hostConfig = new LinkedHashMap<String, Object>();
        hostConfig.put("Binds", null);
        var logConfig = host.logConfig();
        hostConfig.put("LogConfig", logConfig == null ? Map.of("Type", "k8s-file", "Config", Map.of())
                : Map.of("Type", logConfig.type(), "Config", logConfig.config()));
        hostConfig.put("NetworkMode", host.networkMode());
        hostConfig.put("Dns", host.names().dns());
        hostConfig.put("DnsOptions", host.names().dnsOptions());
        hostConfig.put("DnsSearch", host.names().dnsSearch());
        hostConfig.put("ExtraHosts", host.names().extraHosts().isEmpty() ? null : host.names().extraHosts());
        hostConfig.put("PortBindings", Map.of());
        hostConfig.put("RestartPolicy", Map.of("Name", host.restartPolicy().name(), "MaximumRetryCount", host.restartPolicy().maximumRetryCount()));
        hostConfig.put("AutoRemove", host.autoRemove());
        hostConfig.put("CapAdd", host.capAdd());
        hostConfig.put("CapDrop", host.capDrop());
        hostConfig.put("Privileged", host.privileged());
        hostConfig.put("ReadonlyRootfs", host.readonlyRootfs());
        hostConfig.put("SecurityOpt", host.securityOpt());
        hostConfig.put("ShmSize", host.shmSize() > 0 ? host.shmSize() : 64L * 1024 * 1024);
        hostConfig.put("Init", host.init());
        hostConfig.put("Runtime", "runc");
        hostConfig.put("CgroupnsMode", "host");
        putLimits(hostConfig, host.limits());
        var graph = new LinkedHashMap<String, Object>();
        graph.put("Name", "overlay2");
        graph.put("Data", paths.graphData());
        var net = new LinkedHashMap<String, Object>();
        net.put("SandboxID", "");
        net.put("SandboxKey", "");
        net.put("Ports", Map.of());
        NetworkViews.put(net, c, paths.bridge(), paths.networks());
        return new ContainerInspectResponse(c.id(), time(c.created()), args.isEmpty() ? "" : args.getFirst(),
                args.isEmpty() ? List.of() : args.subList(1, args.size()), state, c.imageId(),
                paths.resolvConf().toString(), paths.hostname().toString(), paths.hosts().toString(),
                paths.log() == null ? "" : paths.log().toString(),
                "/" + c.name(), s.restartCount(), "overlay2", "linux", "", "", "", null, hostConfig, graph,
                sizeRw, null, List.of(), config, net);
    }

    /** Config.ExposedPorts: each port with an empty object, as Docker's port set; null for none (Docker omits it). */
    private static Map<String, Object> exposedPorts(List<String> ports) {
        if (ports.isEmpty()) return null;
        var out = new java.util.TreeMap<String, Object>(); // Go writes a map's keys sorted
        for (String p : ports) out.put(p, Map.of());
        return out;
    }

    /** Where a container's files are, for inspect. */
    record ContainerPaths(java.nio.file.Path resolvConf, java.nio.file.Path hostname, java.nio.file.Path hosts,
                          java.nio.file.Path log, Map<String, String> graphData,
                          dev.berth.engine.network.BridgeNetwork.Lease bridge,
                          List<dev.berth.engine.network.NetworkService.Attachment> networks) {}

    private static String time(Instant t) {
        return HumanTime.rfc3339(t);
    }

    private static boolean bool(Boolean b) {
        return b != null && b;
    }
}
