package dev.berth.daemon;

import dev.berth.daemon.api.ContainerControlsHandler;
import dev.berth.daemon.api.ContainerFilesHandler;
import dev.berth.daemon.api.ContainerHealth;
import dev.berth.daemon.api.ContainerListing;
import dev.berth.daemon.api.ContainerNetworks;
import dev.berth.daemon.api.ContainerPorts;
import dev.berth.daemon.api.ContainerVolumes;
import dev.berth.daemon.api.ContainersHandler;
import dev.berth.daemon.api.EventsHandler;
import dev.berth.daemon.api.ExecHandler;
import dev.berth.daemon.api.ImagesHandler;
import dev.berth.daemon.api.NetworksHandler;
import dev.berth.daemon.api.SystemHandler;
import dev.berth.daemon.api.VolumesHandler;
import dev.berth.daemon.http.ApiServer;
import dev.berth.daemon.http.Router;
import dev.berth.daemon.http.ServerTls;
import dev.berth.engine.container.BundleBuilder;
import dev.berth.engine.container.ContainerArchive;
import dev.berth.engine.container.ContainerChanges;
import dev.berth.engine.container.ContainerCommit;
import dev.berth.engine.container.ContainerControls;
import dev.berth.engine.container.ContainerRoots;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerStore;
import dev.berth.engine.container.OverlayMounter;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.exec.ExecService;
import dev.berth.engine.network.AddressPools;
import dev.berth.engine.network.BridgeNetwork;
import dev.berth.engine.network.DefaultBridge;
import dev.berth.engine.network.Iptables;
import dev.berth.engine.health.HealthMonitor;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.network.PortNat;
import dev.berth.engine.network.PublishedPorts;
import dev.berth.engine.network.Subnet;
import dev.berth.engine.volume.ContainerMounts;
import dev.berth.engine.volume.VolumeStore;
import dev.berth.image.LocalImageService;
import dev.berth.image.OverlayLayerStore;
import dev.berth.runtime.conmon.ConmonRuntime;
import dev.berth.sys.cgroups.Cgroups;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: every service of the daemon, constructed here in dependency order and nowhere else.
 *
 * <p>On disk: persistent state under the data root ({@code image/}, {@code overlay/}, {@code containers/},
 * {@code volumes/}, {@code mounts/}, {@code ports/}); runtime state under the exec root ({@code runtime/} for the
 * monitors and runc, {@code bundles/} for running containers, {@code rootfs-ops/} for stopped ones being read).
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    /** Leases of every bridge, the default one under its name: shared by the daemons on one host. */
    private static final Path LEASES_ROOT = Path.of("/run/berth-net");

    private final DaemonConfig config;
    private final LiveConfig settings;
    private final RootLocks lock;
    private final ConmonRuntime runtime;
    private final ApiServer server;
    private final ContainerService containers;

    private Daemon(DaemonConfig config, LiveConfig settings, RootLocks lock, ConmonRuntime runtime, ApiServer server,
                   ContainerService containers) {
        this.containers = containers;
        this.config = config;
        this.settings = settings;
        this.lock = lock;
        this.runtime = runtime;
        this.server = server;
    }

    public static Daemon start(DaemonConfig cfg) throws IOException, InterruptedException {
        var tls = cfg.tls().enabled() // a bad certificate or key stops the start before anything is touched
                ? ServerTls.context(cfg.tls().cert(), cfg.tls().key(), cfg.tls().verify(), cfg.tls().caCert()) : null;
        var settings = new LiveConfig(cfg);
        RootLocks lock = RootLocks.acquire(cfg.dataRoot(), cfg.execRoot());
        try {
            Files.createDirectories(cfg.execRoot());
            Files.writeString(cfg.pidFile(), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);

            Path bundles = cfg.execRoot().resolve("bundles");
            var layers = new OverlayLayerStore(cfg.dataRoot().resolve("overlay"));
            var images = new LocalImageService(cfg.dataRoot().resolve("image"), layers);
            var runtime = new ConmonRuntime(new ConmonRuntime.Config(cfg.conmon(), cfg.runtime(),
                    cfg.execRoot().resolve("runtime"), List.of()));
            var events = new EventBus();
            var mounter = new OverlayMounter();
            var volumes = new VolumeStore(cfg.dataRoot().resolve("volumes"), events);
            var mounts = new ContainerMounts(cfg.dataRoot().resolve("mounts"), volumes, events);
            var containers = new ContainerService(new ContainerStore(cfg.dataRoot().resolve("containers")), images, layers,
                    runtime, mounter, new BundleBuilder().withMounts(mounts), events, bundles);
            containers.defaultLogConfig(new dev.berth.engine.logs.LogConfig(cfg.logDriver(), cfg.logOpts()));
            Path networksRoot = cfg.dataRoot().resolve("networks");
            var pools = AddressPools.orDefaults(cfg.defaultAddressPools().stream()
                    .map(p -> new AddressPools.Pool(Subnet.parse(p.base()), p.size())).toList());
            // The start checks some thirty iptables chains and rules: against one reading of them, not a process each.
            var iptablesRead = Iptables.snapshot();
            var bridge = defaultBridge(cfg, runtime, pools, NetworkService.recordedSubnets(networksRoot));
            containers.bridge(bridge);
            if (cfg.bridge().equals(DaemonConfig.NO_BRIDGE)) containers.noBridgeNetwork();
            var networks = new NetworkService(networksRoot, LEASES_ROOT, cfg.dataRoot(), events, bridge, pools);
            // After the networks' firewall chains: the port rules put their FORWARD jump ahead of the isolation.
            var ports = new PublishedPorts(cfg.dataRoot().resolve("ports"), portNat(cfg));
            containers.ports(ports);
            networks.restore(java.util.Set.copyOf(runtime.tasks()));
            iptablesRead.close();
            containers.networks(networks);
            containers.restore();
            networks.retainOnly(containers.list().stream().map(c -> c.id()).collect(java.util.stream.Collectors.toSet()));
            containers.reopenPorts();
            mounts.retainOnly(containers.list().stream().map(c -> c.id()).collect(java.util.stream.Collectors.toSet()));
            var controls = new ContainerControls(containers, Cgroups.host());

            var router = new Router();
            var volumesHandler = new VolumesHandler(volumes, mounts);
            var execs = new ExecService(containers, runtime, events, bundles);
            var health = new HealthMonitor(containers, execs, events);
            health.watchRunning();
            var containersHandler = new ContainersHandler(containers, new ContainerListing(containers, images, cfg.dataRoot().resolve("overlay")))
                    .withHealth(new ContainerHealth(health))
                    .withPorts(new ContainerPorts(ports, images))
                    .withNetworks(new ContainerNetworks(networks))
                    .withVolumes(new ContainerVolumes(mounts, images, id -> containers.get(id).id()));
            containersHandler.register(router);
            String daemonId = daemonId(cfg.dataRoot());
            settings.onReload(c -> events.publish("daemon", "reload", daemonId, LiveConfig.attributes(c)));
            new SystemHandler(containers, images, new SystemHandler.SystemFacts(cfg.dataRoot(), cfg.execRoot(),
                    cfg.runtime().toString(), hostname(), daemonId, () -> ConfiguredInfo.of(settings.current())))
                    .withVolumes(volumesHandler::diskUsage).withPsRowDetails(containersHandler::decorateRow).register(router);
            volumesHandler.register(router);
            new ContainerControlsHandler(controls).register(router);
            new ImagesHandler(images, containers, events).register(router);
            new ContainerFilesHandler(
                    new ContainerArchive(new ContainerRoots(containers, layers, mounter, bundles, cfg.execRoot().resolve("rootfs-ops")))
                            .withMounts(mounts, cfg.dataRoot().resolve("containers")),
                    new ContainerChanges(containers, layers),
                    new ContainerCommit(containers, images, layers, controls, events)).register(router);
            new ExecHandler(execs).register(router);
            new EventsHandler(events).register(router);
            new NetworksHandler(containers, bridge, networks).register(router);

            var server = new ApiServer(router, tls, cfg.group());
            for (String host : cfg.hosts()) server.listen(host);
            log.info("berthd {} ready: data root {}, exec root {}", BuildInfo.VERSION, cfg.dataRoot(), cfg.execRoot());
            return new Daemon(cfg, settings, lock, runtime, server, containers);
        } catch (IOException | InterruptedException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The configuration as it stands, reloaded on SIGHUP. */
    public LiveConfig settings() {
        return settings;
    }

    /**
     * The default bridge network (see {@link DefaultBridge} for its address), set up where missing; leases of
     * containers whose task is gone are released first. None with {@code --bridge none}. A bridge name that is
     * another kind of interface, or no free subnet, stops the start; without iproute2 or iptables containers get a
     * loopback-only namespace.
     */
    private static BridgeNetwork defaultBridge(DaemonConfig cfg, ConmonRuntime runtime, AddressPools pools,
                                               List<Subnet> networks) {
        if (cfg.bridge().equals(DaemonConfig.NO_BRIDGE)) {
            log.info("no default bridge network (bridge: none)");
            return null;
        }
        var bridge = DefaultBridge.open(cfg.bridge(), cfg.bip(), pools, networks, LEASES_ROOT, cfg.dataRoot());
        try {
            bridge.setUp();
            bridge.reconcile(java.util.Set.copyOf(runtime.tasks()));
            return bridge;
        } catch (IOException | RuntimeException e) {
            log.error("no bridge network: {}", e.getMessage());
            return null;
        }
    }

    /**
     * The NAT rules of published ports, unless {@code iptables} is off or cannot be run (then the userland proxy
     * serves every client). Rules are marked with a hash of the data root: the same across restarts, another
     * daemon's differs.
     */
    private static PortNat portNat(DaemonConfig cfg) {
        if (!cfg.iptables()) return null;
        if (!PortNat.available()) {
            log.warn("iptables cannot be run: published ports are served by the userland proxy alone");
            return null;
        }
        var nat = new PortNat(dev.berth.image.Digest.of(cfg.dataRoot().toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 12),
                !cfg.userlandProxy());
        try {
            nat.setUpChains();
            return nat;
        } catch (IOException e) {
            log.error("no NAT for published ports (the userland proxy serves them): {}", e.getMessage());
            return null;
        }
    }

    /**
     * Stops serving. With live-restore, containers keep running under their monitors and the next daemon picks them
     * up; without it (dockerd's default) they are stopped first, each with its stop signal and timeout, as dockerd
     * does at shutdown. A crash stops nothing either way: the next daemon adopts what runs.
     */
    @Override
    public void close() {
        log.info("shutting down");
        server.close();
        if (!settings.current().liveRestore()) containers.stopAllForShutdown();
        runtime.close();
        try {
            Files.deleteIfExists(config.pidFile());
            lock.close();
        } catch (IOException e) {
            log.warn("shutdown: {}", e.getMessage());
        }
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** A stable id for this daemon, kept in the data root (Docker's engine id). */
    private static String daemonId(Path dataRoot) throws IOException {
        Path p = dataRoot.resolve("engine-id");
        if (Files.exists(p)) return Files.readString(p).strip();
        String id = java.util.UUID.randomUUID().toString();
        dev.berth.common.AtomicFiles.write(p, id.getBytes(StandardCharsets.US_ASCII));
        return id;
    }
}
