package dev.berth.daemon.api;

import dev.berth.common.HumanTime;
import dev.berth.api.SystemVersion;
import dev.berth.daemon.BuildInfo;
import dev.berth.daemon.http.ApiVersion;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerState;
import dev.berth.image.ImageService;
import dev.berth.sys.cgroups.HostCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /_ping}, {@code /version}, {@code /info}, {@code /system/df}. */
public final class SystemHandler {
    private final ContainerService containers;
    private final ImageService images;
    private final SystemFacts facts;

    /**
     * Facts about the daemon that /info reports and handlers cannot derive; {@code configured} gives the fields the
     * daemon's configuration decides (Debug, Labels, RegistryConfig, Warnings, ...), current at each request.
     */
    public record SystemFacts(Path dataRoot, Path execRoot, String runtimePath, String name, String daemonId,
                              java.util.function.Supplier<Map<String, Object>> configured) {}

    public SystemHandler(ContainerService containers, ImageService images, SystemFacts facts) {
        this.containers = containers;
        this.images = images;
        this.facts = facts;
        Thread.startVirtualThread(() -> runc.complete(probeRunc(facts.runtimePath(), RUNC_PROBE_TIMEOUT)));
    }

    private volatile java.util.function.Supplier<List<?>> volumeUsage = List::of;

    /** Where system df's Volumes come from. */
    public SystemHandler withVolumes(java.util.function.Supplier<List<?>> usage) {
        this.volumeUsage = usage;
        return this;
    }

    private volatile java.util.function.BiConsumer<dev.berth.engine.container.Container, tools.jackson.databind.node.ObjectNode> psRowDetails =
            (id, row) -> {};

    /**
     * What ps adds to a container's row beyond its summary (Ports, Mounts), so that system df's container rows are
     * ps rows: without Mounts, {@code docker system df -v} counts no LOCAL VOLUMES.
     */
    public SystemHandler withPsRowDetails(java.util.function.BiConsumer<dev.berth.engine.container.Container, tools.jackson.databind.node.ObjectNode> details) {
        this.psRowDetails = details;
        return this;
    }

    public void register(Router r) {
        r.get("/_ping", this::ping).head("/_ping", this::ping);
        r.get("/version", this::version);
        r.get("/info", this::info);
        r.get("/system/df", new SystemDf(containers, images, () -> volumeUsage.get(),
                (id, row) -> psRowDetails.accept(id, row))::handle);
    }

    private void ping(Exchange ex) {
        // Clients negotiate their API version from the Api-Version header of this reply.
        ex.text(200, "text/plain; charset=utf-8", "OK");
    }

    private void version(Exchange ex) {
        String kernel = kernel();
        var details = new LinkedHashMap<String, String>();
        details.put("ApiVersion", ApiVersion.CURRENT);
        details.put("Arch", "amd64");
        details.put("BuildTime", "");
        details.put("Experimental", "false");
        details.put("GitCommit", "berth");
        details.put("GoVersion", "java" + Runtime.version().feature());
        details.put("KernelVersion", kernel);
        details.put("MinAPIVersion", ApiVersion.MINIMUM);
        details.put("Os", "linux");
        ex.json(200, new SystemVersion(
                Map.of("Name", "Berth Engine"),
                components(details),
                BuildInfo.VERSION, ApiVersion.CURRENT, ApiVersion.MINIMUM, "berth",
                "java" + Runtime.version().feature(), "linux", "amd64", kernel, ""));
    }

    /** The Engine, then the OCI runtime as {@code docker version} lists dockerd's runc (when runc answers). */
    private List<SystemVersion.Component> components(Map<String, String> engineDetails) {
        var list = new java.util.ArrayList<SystemVersion.Component>();
        list.add(new SystemVersion.Component("Engine", BuildInfo.VERSION, engineDetails));
        runcComponent().ifPresent(list::add);
        return list;
    }

    /** How long {@code runc --version} may take before /version goes without it. */
    static final java.time.Duration RUNC_PROBE_TIMEOUT = java.time.Duration.ofSeconds(3);

    /** {@code runc --version}, asked once, at start-up, off any request thread. */
    private final java.util.concurrent.CompletableFuture<java.util.Optional<SystemVersion.Component>> runc =
            new java.util.concurrent.CompletableFuture<>();

    private java.util.Optional<SystemVersion.Component> runcComponent() {
        try {
            return runc.get(RUNC_PROBE_TIMEOUT.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** Runs {@code runtime --version}, killed after {@code timeout}; empty if it fails, hangs or says no version. */
    static java.util.Optional<SystemVersion.Component> probeRunc(String runtime, java.time.Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(runtime, "--version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        }
        try {
            var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    return "";
                }
            }, Thread::startVirtualThread);
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) return java.util.Optional.empty();
            return runcVersion(output.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return java.util.Optional.empty();
        } finally {
            p.destroyForcibly();
        }
    }

    /** Parses {@code runc --version}: "runc version 1.1.5", then "commit: ..." (and spec, go, libseccomp lines). */
    static java.util.Optional<SystemVersion.Component> runcVersion(String output) {
        String version = null, commit = "";
        for (String line : output.split("\n")) {
            if (line.startsWith("runc version ")) version = line.substring("runc version ".length()).strip();
            else if (line.startsWith("commit: ")) commit = line.substring("commit: ".length()).strip();
        }
        return version == null ? java.util.Optional.empty()
                : java.util.Optional.of(new SystemVersion.Component("runc", version, Map.of("GitCommit", commit)));
    }

    private void info(Exchange ex) {
        var all = containers.list();
        long running = all.stream().filter(c -> c.state().status() == ContainerState.Status.RUNNING).count();
        long paused = all.stream().filter(c -> c.state().status() == ContainerState.Status.PAUSED).count();
        var m = new LinkedHashMap<String, Object>();
        m.put("ID", facts.daemonId());
        m.put("Containers", all.size());
        m.put("ContainersRunning", running);
        m.put("ContainersPaused", paused);
        m.put("ContainersStopped", all.size() - running - paused);
        m.put("Images", images.list().size());
        m.put("Driver", "overlay2");
        m.put("DriverStatus", List.of(List.of("Backing Filesystem", HostSupport.backingFilesystem(facts.dataRoot()))));
        m.put("Plugins", Map.of("Volume", List.of("local"), "Network", List.of("bridge", "host", "null"), "Log", List.of("k8s-file")));
        var support = HostSupport.probe(HostSupport.CGROUP, Path.of("/proc/sys"));
        m.putAll(support);
        m.put("Debug", false);
        m.put("NFd", openFiles());
        m.put("NGoroutines", java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount()); // platform threads
        m.put("SystemTime", HumanTime.rfc3339(java.time.Instant.now()));
        m.put("LoggingDriver", "k8s-file");
        m.put("CgroupDriver", "cgroupfs");
        m.put("CgroupVersion", HostSupport.cgroupV2(HostSupport.CGROUP) ? "2" : "1");
        m.put("KernelVersion", kernel());
        m.put("OperatingSystem", osRelease("PRETTY_NAME", "Linux"));
        m.put("OSVersion", osRelease("VERSION_ID", ""));
        m.put("OSType", "linux");
        m.put("Architecture", "x86_64");
        // The same host facts as container limits and stats use.
        m.put("NCPU", HostCounters.onlineCpus());
        m.put("MemTotal", HostCounters.memoryTotal());
        m.put("DockerRootDir", facts.dataRoot().toString());
        m.put("Name", facts.name());
        m.put("Labels", List.of());
        m.put("ExperimentalBuild", false);
        m.put("ServerVersion", BuildInfo.VERSION);
        m.put("Runtimes", Map.of("runc", Map.of("path", facts.runtimePath())));
        m.put("DefaultRuntime", "runc");
        m.put("LiveRestoreEnabled", true);
        m.put("Isolation", "");
        m.put("InitBinary", "");
        m.put("RuncCommit", Map.of("ID", runcComponent().map(c -> c.details().getOrDefault("GitCommit", "")).orElse("")));
        m.put("ContainerdCommit", Map.of("ID", ""));
        m.put("InitCommit", Map.of("ID", ""));
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        m.put("HttpProxy", proxy("HTTP_PROXY"));
        m.put("HttpsProxy", proxy("HTTPS_PROXY"));
        m.put("NoProxy", proxy("NO_PROXY"));
        m.put("SecurityOptions", List.of("name=seccomp,profile=builtin"));
        m.put("RegistryConfig", Map.of("IndexConfigs", Map.of(), "InsecureRegistryCIDRs", List.of("127.0.0.0/8")));
        m.put("Swarm", swarm());
        var configured = facts.configured().get();
        m.putAll(configured);
        // The host's shortcomings first, then the configuration's (plain tcp), as dockerd lists them.
        var warnings = new java.util.ArrayList<Object>(HostSupport.warnings(support));
        if (configured.get("Warnings") instanceof List<?> more) warnings.addAll(more);
        m.put("Warnings", warnings);
        ex.json(200, m);
    }

    /**
     * Info's {@code Swarm}: no swarm. The CLI prints NodeID, Is Manager and the rest of a node unless the state is
     * "inactive" (or "locked"), so an empty state shows up as a half-configured swarm.
     */
    static Map<String, Object> swarm() {
        var swarm = new LinkedHashMap<String, Object>();
        swarm.put("NodeID", "");
        swarm.put("NodeAddr", "");
        swarm.put("LocalNodeState", "inactive");
        swarm.put("ControlAvailable", false);
        swarm.put("Error", "");
        swarm.put("RemoteManagers", null);
        return swarm;
    }

    /** The daemon's open file descriptors (Docker's NFd, shown by {@code docker info} in debug mode). */
    static int openFiles() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (java.io.IOException e) {
            return System.getProperty("os.version");
        }
    }

    /** A field of /etc/os-release (PRETTY_NAME, VERSION_ID), unquoted. */
    private static String osRelease(String field, String dflt) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith(field + "=")) return line.substring(field.length() + 1).replace("\"", "");
            }
        } catch (java.io.IOException ignored) {
            // fall through
        }
        return dflt;
    }

    /** A proxy setting of the daemon's environment, either case, as dockerd reports it. */
    private static String proxy(String name) {
        String v = System.getenv(name);
        if (v == null) v = System.getenv(name.toLowerCase(java.util.Locale.ROOT));
        return v == null ? "" : v;
    }
}
