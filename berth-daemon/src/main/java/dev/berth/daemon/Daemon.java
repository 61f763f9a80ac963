package dev.berth.daemon;

import dev.berth.daemon.api.ContainerListing;
import dev.berth.daemon.api.ContainersHandler;
import dev.berth.daemon.api.EventsHandler;
import dev.berth.daemon.api.ExecHandler;
import dev.berth.daemon.api.ImagesHandler;
import dev.berth.daemon.api.SystemHandler;
import dev.berth.daemon.http.ApiServer;
import dev.berth.daemon.http.Router;
import dev.berth.engine.container.BundleBuilder;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerStore;
import dev.berth.engine.container.OverlayMounter;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.exec.ExecService;
import dev.berth.image.LocalImageService;
import dev.berth.image.OverlayLayerStore;
import dev.berth.runtime.conmon.ConmonRuntime;
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
 * <p>On disk: persistent state under the data root ({@code image/}, {@code overlay/}, {@code containers/}); runtime
 * state under the exec root ({@code runtime/} for the monitor and runc, {@code bundles/} for running containers).
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final DaemonConfig config;
    private final RootLocks lock;
    private final ConmonRuntime runtime;
    private final ApiServer server;

    private Daemon(DaemonConfig config, RootLocks lock, ConmonRuntime runtime, ApiServer server) {
        this.config = config;
        this.lock = lock;
        this.runtime = runtime;
        this.server = server;
    }

    public static Daemon start(DaemonConfig cfg) throws IOException, InterruptedException {
        RootLocks lock = RootLocks.acquire(cfg.dataRoot(), cfg.execRoot());
        try {
            Files.createDirectories(cfg.execRoot());
            Files.writeString(cfg.pidFile(), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);

            var layers = new OverlayLayerStore(cfg.dataRoot().resolve("overlay"));
            var images = new LocalImageService(cfg.dataRoot().resolve("image"), layers);
            var runtime = new ConmonRuntime(new ConmonRuntime.Config(cfg.conmon(), cfg.runtime(),
                    cfg.execRoot().resolve("runtime"), List.of()));
            var events = new EventBus();
            var volumes = new dev.berth.engine.volume.VolumeStore(cfg.dataRoot().resolve("volumes"), events);
            var mounts = new dev.berth.engine.volume.ContainerMounts(cfg.dataRoot().resolve("mounts"), volumes, events);
            var containers = new ContainerService(new ContainerStore(cfg.dataRoot().resolve("containers")), images, layers,
                    runtime, new OverlayMounter(), new BundleBuilder().withMounts(mounts), events, cfg.execRoot().resolve("bundles"));
            var bridge = defaultBridge(cfg, runtime);
            containers.bridge(bridge);
            var ports = new dev.berth.engine.network.PublishedPorts(cfg.dataRoot().resolve("ports"));
            containers.ports(ports);
            containers.restore();
            containers.reopenPorts();
            mounts.retainOnly(containers.list().stream().map(c -> c.id()).collect(java.util.stream.Collectors.toSet()));

            var router = new Router();
            var volumesHandler = new dev.berth.daemon.api.VolumesHandler(volumes, mounts);
            new SystemHandler(containers, images, new SystemHandler.SystemFacts(cfg.dataRoot(), cfg.execRoot(),
                    cfg.runtime().toString(), cfg.debug(), hostname(), daemonId(cfg.dataRoot()))).withVolumes(volumesHandler::diskUsage)
                    .register(router);
            new ContainersHandler(containers, new ContainerListing(containers, images, cfg.dataRoot().resolve("overlay")), events)
                    .withPorts(new dev.berth.daemon.api.ContainerPorts(ports, images))
                    .withVolumes(new dev.berth.daemon.api.ContainerVolumes(mounts, images, id -> containers.get(id).id())).register(router);
            volumesHandler.register(router);
            new dev.berth.daemon.api.ContainerControlsHandler(new dev.berth.engine.container.ContainerControls(containers,
                    dev.berth.sys.cgroups.Cgroups.host())).register(router);
            new ImagesHandler(images, containers, events).register(router);
            new dev.berth.daemon.api.ContainerFilesHandler(new dev.berth.engine.container.ContainerArchive(
                    new dev.berth.engine.container.ContainerRoots(containers, layers, new OverlayMounter(),
                            cfg.execRoot().resolve("bundles"), cfg.execRoot().resolve("rootfs-ops"))),
                    new dev.berth.engine.container.ContainerChanges(containers, layers),
                    new dev.berth.engine.container.ContainerCommit(containers, images, layers,
                            new dev.berth.engine.container.ContainerControls(containers, dev.berth.sys.cgroups.Cgroups.host()), events)).register(router);
            new ExecHandler(new ExecService(containers, runtime, events, cfg.execRoot().resolve("bundles"))).register(router);
            new EventsHandler(events).register(router);
            new dev.berth.daemon.api.NetworksHandler(containers, bridge).register(router);

            var server = new ApiServer(router);
            for (String host : cfg.hosts()) server.listen(host);
            log.info("berthd {} ready: data root {}, exec root {}", BuildInfo.VERSION, cfg.dataRoot(), cfg.execRoot());
            return new Daemon(cfg, lock, runtime, server);
        } catch (IOException | InterruptedException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * The default bridge network (berth0, 172.30.0.0/16), set up where missing; leases of containers whose task is
     * gone are released first. Without it (no iproute2 or iptables) containers get a loopback-only namespace.
     */
    private static dev.berth.engine.network.BridgeNetwork defaultBridge(DaemonConfig cfg, ConmonRuntime runtime) {
        var bridge = new dev.berth.engine.network.BridgeNetwork("berth0", "172.30.0.0/16",
                java.nio.file.Path.of("/run/berth-net/berth0"), cfg.dataRoot());
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
     * Stops serving. Containers keep running under their monitors and are picked up by the next daemon, as with
     * dockerd's live-restore.
     */
    @Override
    public void close() {
        log.info("shutting down");
        server.close();
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
