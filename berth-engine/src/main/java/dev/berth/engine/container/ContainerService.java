package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.common.Ids;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.logs.CriLogReader;
import dev.berth.engine.logs.LogQuery;
import dev.berth.image.Image;
import dev.berth.image.ImageService;
import dev.berth.image.LayerStore;
import dev.berth.runtime.Runtime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container lifecycle: create, start, stop, kill, wait, remove, rename, logs, attach.
 *
 * <p>Every change to a container happens under that container's lock, in this order: validate, change the world
 * (runtime, mounts), write the record, publish the event. Operations that wait for an exit (stop, restart) release
 * the lock while they wait, since the exit itself is processed under the lock by {@link #onExit}.
 */
public final class ContainerService {
    private static final Logger log = LoggerFactory.getLogger(ContainerService.class);
    static final int DEFAULT_STOP_TIMEOUT_SECONDS = 10;

    private final ContainerStore store;
    private final ContainerIndex index = new ContainerIndex();
    private final ImageService images;
    private final LayerStore layers;
    private final Runtime runtime;
    private final RootfsMounter mounter;
    private final BundleBuilder bundles;
    private final EventBus events;
    private final Path bundleRoot;
    private final Waiters waiters = new Waiters();
    private final RestartScheduler restarts = new RestartScheduler();
    /**
     * Containers whose next exit is the user's doing (stop, or kill with the stop signal or SIGKILL): that exit is
     * not followed by a restart, whatever the policy (Docker's ExitOnNext). In memory only, as in Docker.
     */
    private final java.util.Set<String> exitOnNext = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Containers inside a user's restart: their exit is not the end of an --rm container (Docker's HasBeenManuallyRestarted). */
    private final java.util.Set<String> userRestarts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ConcurrentHashMap<String, AttachHub> hubs = new java.util.concurrent.ConcurrentHashMap<>();

    public ContainerService(ContainerStore store, ImageService images, LayerStore layers, Runtime runtime,
                            RootfsMounter mounter, BundleBuilder bundles, EventBus events, Path bundleRoot) {
        this.store = store;
        this.images = images;
        this.layers = layers;
        this.runtime = runtime;
        this.mounter = mounter;
        this.bundles = bundles;
        this.events = events;
        this.bundleRoot = bundleRoot;
        this.logs = new dev.berth.engine.logs.ContainerLogs(store::dir);
        runtime.exitListener(exit -> Thread.ofVirtual().start(() -> onExit(exit.id(), exit)));
    }

    private final dev.berth.engine.logs.ContainerLogs logs;
    /** The daemon's {@code log-driver} and {@code log-opts}: the driver of a container whose create names none. */
    private volatile dev.berth.engine.logs.LogConfig defaultLogConfig = dev.berth.engine.logs.LogConfig.DEFAULT;

    /** Sets the daemon-wide logging driver; refused (as at dockerd's start) when it is not one berth has. */
    public void defaultLogConfig(dev.berth.engine.logs.LogConfig c) {
        this.defaultLogConfig = c.validated();
    }

    /** The default bridge network, or null when the daemon runs without one (then only none and host). */
    private volatile dev.berth.engine.network.BridgeNetwork bridge;

    /** Sets the default bridge network: containers with network mode default or bridge join it. */
    public void bridge(dev.berth.engine.network.BridgeNetwork b) {
        this.bridge = b;
    }

    /** Set with {@code --bridge none}: the daemon has no network named bridge, so none to start a container on. */
    private volatile boolean noBridgeNetwork;

    /** The daemon runs without a default bridge network by configuration: default and bridge are not found. */
    public void noBridgeNetwork() {
        this.noBridgeNetwork = true;
    }

    /** Whether the container joins the default bridge network. */
    private boolean onBridge(Container c) {
        String m = c.spec().host().networkMode();
        return bridge != null && (m == null || m.isEmpty() || "default".equals(m) || "bridge".equals(m));
    }

    /** Published ports of containers on the default bridge, or null without them. */
    private volatile dev.berth.engine.network.PublishedPorts ports;

    /** Sets the published ports served for containers on the default bridge. */
    public void ports(dev.berth.engine.network.PublishedPorts p) {
        this.ports = p;
    }

    /** After {@link #restore}: serves again the published ports of the containers that run. */
    public void reopenPorts() {
        var p = ports;
        if (p == null) return;
        var running = index.all().stream().filter(c -> c.state().isRunning()).map(Container::id).collect(java.util.stream.Collectors.toSet());
        p.retainRunning(running);
        for (String id : running) {
            var target = portTarget(id);
            try {
                if (target != null) p.open(id, target);
            } catch (RuntimeException e) {
                log.error("publishing the ports of {} again: {}", id, e.getMessage());
            }
        }
    }

    /** User-defined networks, or null when the daemon runs without them. */
    private volatile dev.berth.engine.network.NetworkService networks;

    /** Sets the user-defined networks containers join by network mode or connect, and lets them look containers up. */
    public void networks(dev.berth.engine.network.NetworkService n) {
        this.networks = n;
        n.containers(idOrName -> {
            Container c = index.find(idOrName);
            return new dev.berth.engine.network.NetworkService.ContainerRef(c.id(), c.name(), c.spec().host().networkMode(),
                    c.state().isRunning() ? c.state().pid() : 0, c.spec().host().names().dns());
        });
    }

    /** The container's address on the default bridge while it runs. */
    public java.util.Optional<dev.berth.engine.network.BridgeNetwork.Lease> bridgeLease(String id) {
        var b = bridge;
        return b == null ? java.util.Optional.empty() : b.leaseOf(id);
    }

    /** The user-defined networks the container is on, with its addresses while it runs. */
    public List<dev.berth.engine.network.NetworkService.Attachment> networkAttachments(String id) {
        var n = networks;
        return n == null ? List.of() : n.attachments(id);
    }

    /** Where the container's published ports lead while it runs: its default bridge address, else its first user-defined network's; or null. */
    private dev.berth.engine.network.PortNat.Target portTarget(String id) {
        var lease = bridgeLease(id).orElse(null);
        var n = networks;
        if (lease == null && n != null) lease = n.attachments(id).stream().map(a -> a.lease()).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        return lease == null ? null : dev.berth.engine.network.PortNat.Target.of(lease);
    }

    // ---- queries ------------------------------------------------------------------------------------------

    public Container get(String idOrName) {
        return index.find(idOrName);
    }

    public List<Container> list() {
        return index.all();
    }

    /** Whether any container was created from {@code imageId}: such an image cannot be deleted without force. */
    public boolean usesImage(String imageId) {
        return index.all().stream().anyMatch(c -> c.imageId().equals(imageId));
    }

    public long sizeRw(String id) {
        return layers.writableSize(id);
    }

    /** The directory of the container's own files (its record, logs, hosts, resolv.conf). */
    public Path containerDir(String id) {
        return store.dir(id);
    }

    /** The file inspect shows as LogPath (the json file for json-file), or null when the driver keeps none. */
    public Path logPath(Container c) {
        return logs.logPath(c.id(), c.spec().host().logConfig());
    }

    // ---- create ------------------------------------------------------------------------------------------

    /**
     * What a create writes beside the container record (its mounts, its published ports). These are written before
     * the record, which is the create's commit point: a crash in between leaves side records of a container that
     * does not exist, which the next start-up drops ({@link #restore} for the ports, the mounts' own
     * {@code retainOnly}), never a container without its mounts.
     */
    public interface SideRecords {
        SideRecords NONE = new SideRecords() {
            @Override public void write(String containerId) { }
            @Override public void discard(String containerId) { }
        };

        /** Writes the records of the new container {@code containerId}; throws to refuse the create. */
        void write(String containerId);

        /** Undoes {@link #write} (or what of it was done) when the create fails after it. */
        void discard(String containerId);
    }

    public Container create(String requestedName, ContainerSpec spec) {
        return create(requestedName, spec, SideRecords.NONE);
    }

    public Container create(String requestedName, ContainerSpec spec, SideRecords side) {
        if (spec.image() == null || spec.image().isBlank()) throw EngineException.invalid("config cannot be empty in order to create a container");
        RestartPolicies.validate(spec.host().restartPolicy(), spec.host().autoRemove());
        checkNetworkMode(spec.host().networkMode());
        spec.host().names().validate();
        spec = spec.withHost(spec.host().withLimits(spec.host().limits().forCreate())
                .withLogConfig(logConfigForCreate(spec.host().logConfig())));
        Image image = images.resolve(spec.image());
        ContainerConfig config = ContainerDefaults.merge(spec, image);
        if (config.args().isEmpty()) throw EngineException.invalid("No command specified");
        String id = Ids.random();
        String name;
        if (requestedName == null || requestedName.isEmpty()) {
            do {
                name = Names.generate();
            } while (!tryReserve(name, id));
        } else {
            name = Names.validate(requestedName);
            index.reserveName(name, id);
        }
        var c = new Container(id, name, Instant.now(), spec.image(), image.id(), image.chainId(), spec,
                config.hostname() == null ? withHostname(config, Ids.shortId(id)) : config, ContainerState.created());
        // The writable layer and the side records first, the record last: a container exists only once all of it does.
        try {
            layers.prepare(id, image.chainId());
            side.write(id);
            store.save(c);
        } catch (RuntimeException e) {
            undoCreate(id, side, e);
            index.releaseName(name, id);
            throw e;
        }
        index.put(c);
        hubs.put(id, new AttachHub(id));
        events.publish("container", "create", id, Map.of("name", name, "image", spec.image()));
        return c;
    }

    /** The driver the create names, checked, or the daemon's default; dockerd stores the default in the container too. */
    private dev.berth.engine.logs.LogConfig logConfigForCreate(dev.berth.engine.logs.LogConfig asked) {
        if (asked == null || asked.type() == null || asked.type().isEmpty()) {
            var d = defaultLogConfig;
            return asked == null || asked.config().isEmpty() ? d : new dev.berth.engine.logs.LogConfig(d.type(), asked.config()).validated();
        }
        return asked.validated();
    }

    private void undoCreate(String id, SideRecords side, RuntimeException cause) {
        for (Runnable undo : List.<Runnable>of(() -> side.discard(id), () -> store.delete(id), () -> layers.remove(id))) {
            try {
                undo.run();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * dockerd's create-time check of a network mode: {@code container:} without a container is a 400. A network or
     * container that does not exist is accepted here (it might be there before the start) and refused by the start
     * ({@link #requireNetwork}, {@link #sharedNetwork}); a 404 from create would make the Docker CLI try to pull the
     * image.
     */
    private static void checkNetworkMode(String mode) {
        if (mode == null || !(mode.equals("container") || mode.startsWith("container:"))) return;
        if (mode.length() <= "container:".length()) {
            throw EngineException.invalid("invalid network mode: invalid container format container:<name|id>");
        }
    }

    /**
     * For {@code --network container:x}: the running container x whose network namespace, /etc files and names
     * the container shares (dockerd's 409s for one that does not run, or itself); null for other modes.
     */
    private BundleBuilder.SharedNetwork sharedNetwork(Container c) {
        String mode = c.spec().host().networkMode();
        if (mode == null || !mode.startsWith("container:")) return null;
        Container other = index.find(mode.substring("container:".length()));
        if (other.id().equals(c.id())) throw EngineException.conflict("cannot join own network namespace");
        if (!other.state().isRunning() || other.state().status() == ContainerState.Status.RESTARTING) {
            throw EngineException.conflict("cannot join network namespace of a non running container: container %s is %s",
                    other.name(), other.state().status().word());
        }
        Path dir = store.dir(other.id());
        return new BundleBuilder.SharedNetwork(other.state().pid(), other.config().hostname(), other.config().domainname(),
                new ContainerFiles.Written(dir.resolve("hostname"), dir.resolve("hosts"), dir.resolve("resolv.conf")));
    }

    /**
     * The start's check that the container's network exists: a built-in one (default, bridge, host, none; default and
     * bridge not with {@code --bridge none}) or a user-defined one; another is dockerd's 404 "failed to set up container networking: network x not found", and the
     * container stays as it was, with that error.
     */
    private void requireNetwork(Container c) {
        String mode = c.spec().host().networkMode();
        if (mode == null || mode.isEmpty() || "default".equals(mode) || "bridge".equals(mode)) {
            if (noBridgeNetwork) throw EngineException.notFound("failed to set up container networking: network bridge not found");
            return;
        }
        switch (mode) {
            case "host", "none" -> { }
            default -> {
                if (mode.startsWith("container:")) return;
                if (networks == null || !networks.exists(mode)) throw EngineException.notFound("failed to set up container networking: network %s not found", mode);
            }
        }
    }

    private boolean tryReserve(String name, String id) {
        try {
            index.reserveName(name, id);
            return true;
        } catch (EngineException.Conflict e) {
            return false;
        }
    }

    private static ContainerConfig withHostname(ContainerConfig c, String hostname) {
        return new ContainerConfig(hostname, c.domainname(), c.user(), c.env(), c.cmd(), c.entrypoint(), c.image(),
                c.workingDir(), c.labels(), c.stopSignal(), c.stopTimeout(), c.tty(), c.openStdin(), c.stdinOnce(),
                c.healthcheck(), c.exposedPorts());
    }

    // ---- start -------------------------------------------------------------------------------------------

    public void start(String idOrName) {
        Container c = index.find(idOrName);
        var lock = index.lock(c.id());
        EngineException failed;
        lock.lock();
        try {
            c = current(c.id(), idOrName);
            switch (c.state().status()) {
                case RUNNING, PAUSED, RESTARTING -> throw new EngineException.NotModified("container already started");
                case REMOVING, DEAD -> throw EngineException.conflict("cannot start container %s: container is marked for removal", Ids.shortId(c.id()));
                default -> { }
            }
            startLocked(c, 0);
            return;
        } catch (EngineException e) {
            failed = e;
        } finally {
            lock.unlock();
        }
        // Docker removes an --rm container whose start failed: nothing of it would ever be used again.
        if (c.spec().host().autoRemove() && !(failed instanceof EngineException.NotModified)) {
            try {
                remove(c.id(), true);
            } catch (EngineException.NotFound ignored) {
                // already gone
            }
        }
        throw failed;
    }

    /** Starts a container under its lock; {@code restarts} is 0 for a start by the user, else the policy's count. */
    private void startLocked(Container c, int restarts) {
        Path bundle = bundleRoot.resolve(c.id());
        Path rootfs = bundle.resolve("rootfs");
        String id = c.id();
        exitOnNext.remove(id);
        waiters.arm(id);
        try {
            requireNetwork(c);
            Files.createDirectories(rootfs);
            mounter.mount(layers.mountFor(id), rootfs);
            boolean hostNet = "host".equals(c.spec().host().networkMode());
            var shared = sharedNetwork(c);
            var lease = onBridge(c) ? bridge.lease(id) : null;
            var joined = networks == null ? null : networks.join(id, c.spec().host().networkMode());
            var b = bridge;
            var files = shared != null ? shared.files()
                    : ContainerFiles.write(store.dir(id), c.config().hostname(), c.config().domainname(), hostNet,
                    lease != null ? lease.ip() : joined != null ? joined.ip() : null, joined == null ? null : joined.nameserver(),
                    c.spec().host().names(), b == null ? null : b.gatewayIp());
            bundles.write(c, bundle, rootfs, files, shared);
            runtime.create(new Runtime.CreateRequest(id, bundle, logs.journal(id), c.config().tty(), c.config().openStdin(),
                    c.config().openStdin() && !c.config().stdinOnce()));
        } catch (IOException | RuntimeException e) {
            cleanupRun(id, bundle, true);
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            int code = StartErrors.exitCode(message);
            saveAndIndex(c.withState(c.state().startFailed(code, message)));
            hubOf(id).closeClients();
            waiters.failStart(id, code);
            throw StartErrors.translate(message, e);
        }
        try {
            var lease = onBridge(c) ? bridge.leaseOf(id).orElse(null) : null;
            int taskPid = runtime.state(id).map(Runtime.TaskState::pid).orElse(0);
            if (lease != null) bridge.plumb(lease, taskPid);
            if (networks != null) networks.plumb(id, taskPid, lease != null, lease != null);
            var target = portTarget(id);
            if (target != null && ports != null) ports.open(id, target);
            hubOf(id).connect(runtime.attach(id));
            runtime.start(id);
        } catch (IOException | RuntimeException e) {
            runtime.delete(id, true);
            cleanupRun(id, bundle, true);
            saveAndIndex(c.withState(c.state().startFailed(128, e.getMessage())));
            hubOf(id).closeClients();
            waiters.failStart(id, 128);
            throw StartErrors.translate(e.getMessage(), e);
        }
        int pid = runtime.state(id).map(Runtime.TaskState::pid).orElse(0);
        logs.running(id, c.spec().host().logConfig());
        saveAndIndex(c.withState(c.state().running(pid, Instant.now(), restarts)));
        events.publish("container", "start", id, attrs(c));
    }

    /** Unmounts and removes the run's bundle; the container's record and writable layer stay. */
    private void cleanupRun(String id, Path bundle, boolean quiet) {
        var p = ports;
        if (p != null) p.close(id);
        var b = bridge;
        if (b != null) b.release(id);
        var n = networks;
        if (n != null) n.release(id);
        try {
            mounter.unmount(bundle.resolve("rootfs"));
            ContainerStore.deleteTree(bundle);
        } catch (RuntimeException e) {
            if (!quiet) throw e;
            log.warn("cleaning up the run of {}: {}", id, e.getMessage());
        }
    }

    // ---- exit --------------------------------------------------------------------------------------------

    /** Processes an exit reported by the runtime (or found at start-up). Idempotent. */
    void onExit(String id, Runtime.Exit exit) {
        var lock = index.lock(id);
        Container c;
        boolean restart;
        lock.lock();
        try {
            c = index.get(id);
            if (c == null || !c.state().isRunning()) {
                // A container removed by force, or an exit already processed.
                if (c == null) runtime.delete(id, true);
                return;
            }
            logs.ended(id, c.spec().host().logConfig()); // all of the run's output is readable before its die
            boolean userStopped = exitOnNext.remove(id);
            restart = !userStopped && RestartPolicies.shouldRestart(c.spec().host().restartPolicy(), exit.code(),
                    c.state().manuallyStopped(), c.state().restartCount());
            c = c.withState(restart ? c.state().restarting(exit.code(), exit.oomKilled(), exit.at())
                    : c.state().exited(exit.code(), exit.oomKilled(), exit.at()));
            // The record first: deleting the task deletes the exit status, which a crash in between would lose.
            saveAndIndex(c);
            deleteExitedTask(id);
            cleanupRun(id, bundleRoot.resolve(id), true);
            if (exit.oomKilled()) events.publish("container", "oom", id, attrs(c));
            var a = attrs(c);
            a.put("exitCode", Integer.toString(exit.code()));
            events.publish("container", "die", id, a);
            if (restart) {
                var ran = java.time.Duration.between(c.state().startedAt(), exit.at());
                restarts.schedule(id, ran, () -> restartAfterWait(id));
            }
        } finally {
            lock.unlock();
        }
        waiters.exited(id, exit.code());
        if (c.spec().host().autoRemove() && !restart && !userRestarts.contains(id)) {
            try {
                remove(id, true);
            } catch (EngineException.NotFound ignored) {
                // removed by someone else meanwhile
            }
        }
    }

    /**
     * Removes the runtime's record of a task that exited. A failure here must not keep the exit from being recorded
     * (the container would show as running forever), so it is logged and the removal forced.
     */
    private void deleteExitedTask(String id) {
        try {
            runtime.delete(id, false);
        } catch (Runtime.RuntimeFailure e) {
            log.warn("removing the exited task of {}: {}; forcing it", id, e.getMessage());
            try {
                runtime.delete(id, true);
            } catch (Runtime.RuntimeFailure again) {
                log.warn("forced removal of the task of {} failed too: {}", id, again.getMessage());
            }
        }
    }

    /** The restart policy's start, once its wait is over, unless the user stopped or removed the container meanwhile. */
    private void restartAfterWait(String id) {
        startByPolicy(id, true);
    }

    /**
     * A start by the restart policy: after its wait ({@code counted}: RestartCount goes up), or when the daemon
     * starts (the count starts again, as after a user's start). A failed start leaves the container exited.
     */
    private void startByPolicy(String id, boolean counted) {
        var lock = index.lock(id);
        lock.lock();
        try {
            Container c = index.get(id);
            if (c == null) return;
            var status = c.state().status();
            if (status != ContainerState.Status.RESTARTING && (counted || status != ContainerState.Status.EXITED)) return;
            startLocked(c, counted ? c.state().restartCount() + 1 : 0);
        } catch (EngineException e) {
            log.warn("restart policy: starting {} failed: {}", id, e.getMessage());
            Container now = index.get(id);
            if (now != null && now.state().status() == ContainerState.Status.RESTARTING) {
                saveAndIndex(now.withState(now.state().withStatus(ContainerState.Status.EXITED)));
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- stop, kill, restart ------------------------------------------------------------------------------

    /** Docker's stop: the stop signal, then SIGKILL after the grace period. */
    public void stop(String idOrName, Integer timeoutSeconds, String signal) {
        Container c = index.find(idOrName);
        CompletableFuture<Integer> exited;
        var lock = index.lock(c.id());
        lock.lock();
        try {
            // Checked and registered under the lock: an exit processed in between would never complete the future.
            c = current(c.id(), idOrName);
            if (!c.state().isRunning()) throw new EngineException.NotModified("container already stopped");
            exited = waiters.nextExit(c.id());
        } finally {
            lock.unlock();
        }
        if (userStops(c.id(), idOrName, true)) {
            events.publish("container", "stop", c.id(), attrs(c)); // it was only waiting for a restart
            return;
        }
        int timeout = timeoutSeconds != null ? timeoutSeconds
                : c.config().stopTimeout() != null ? c.config().stopTimeout() : DEFAULT_STOP_TIMEOUT_SECONDS;
        String sig = signal != null && !signal.isEmpty() ? signal : c.config().stopSignal();
        int signo = dev.berth.sys.Signals.parse(sig == null || sig.isEmpty() ? "SIGTERM" : sig);
        if (timeout != 0) {
            signalIfRunning(c.id(), signo);
            if (awaitExit(exited, timeout)) {
                events.publish("container", "stop", c.id(), attrs(c));
                return;
            }
        }
        signalIfRunning(c.id(), 9);
        if (!awaitExit(exited, -1)) throw EngineException.failure("container %s did not exit after SIGKILL", c.id());
        events.publish("container", "stop", c.id(), attrs(c));
    }

    /**
     * dockerd's shutdown without live-restore: every running container is stopped at once, each with its stop signal
     * and timeout and then SIGKILL, and its exit recorded before this returns. Not a user's stop: restart policies
     * bring the containers back when the daemon starts again, as with dockerd.
     */
    public void stopAllForShutdown() {
        restarts.cancelAll();
        var stopping = new java.util.ArrayList<Thread>();
        for (Container c : index.all()) {
            if (c.state().isRunning()) stopping.add(Thread.ofVirtual().start(() -> stopForShutdown(c.id())));
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stopForShutdown(String id) {
        Container c;
        CompletableFuture<Integer> exited;
        var lock = index.lock(id);
        lock.lock();
        try {
            c = index.get(id);
            if (c == null || !c.state().isRunning()) return;
            exited = waiters.nextExit(id);
            exitOnNext.add(id); // no policy restart now; the next daemon's restore decides
        } finally {
            lock.unlock();
        }
        int timeout = c.config().stopTimeout() != null ? c.config().stopTimeout() : DEFAULT_STOP_TIMEOUT_SECONDS;
        String sig = c.config().stopSignal();
        signalIfRunning(id, dev.berth.sys.Signals.parse(sig == null || sig.isEmpty() ? "SIGTERM" : sig));
        if (awaitExit(exited, timeout)) return;
        signalIfRunning(id, 9);
        if (!awaitExit(exited, KILL_WAIT_SECONDS)) log.error("container {} did not exit after SIGKILL at shutdown", id);
    }

    /**
     * Docker's kill. With SIGKILL (the default) it returns once the container has exited, as dockerd's does
     * (daemon/kill.go, Kill), so that {@code docker kill x && docker rm x} works; other signals return once sent.
     */
    public void kill(String idOrName, String signal) {
        Container c = index.find(idOrName);
        int signo = dev.berth.sys.Signals.parse(signal == null || signal.isEmpty() ? "SIGKILL" : signal);
        CompletableFuture<Integer> exited = signo == 9 ? waiters.nextExit(c.id()) : null;
        var lock = index.lock(c.id());
        lock.lock();
        try {
            c = current(c.id(), idOrName);
            if (!c.state().isRunning()) {
                throw EngineException.conflict("cannot kill container: %s: container %s is not running", idOrName, c.id());
            }
            String stopSignal = c.config().stopSignal();
            boolean ends = signo == 9 || stopSignal == null || stopSignal.isEmpty() || dev.berth.sys.Signals.parse(stopSignal) == signo;
            try {
                if (!userStops(c.id(), idOrName, ends)) signalLocked(c.id(), signo, ends);
            } catch (Runtime.RuntimeFailure e) {
                // It exited a moment ago and the exit is not processed yet: what Docker says of a stopped container.
                boolean gone = runtime.state(c.id()).map(t -> t.status() == Runtime.Status.STOPPED).orElse(true);
                if (gone) throw EngineException.conflict("cannot kill container: %s: container %s is not running", idOrName, c.id());
                throw e;
            }
        } finally {
            lock.unlock();
        }
        var a = attrs(c);
        a.put("signal", Integer.toString(signo));
        events.publish("container", "kill", c.id(), a);
        Container now = index.get(c.id()); // once: an --rm container may be removed between two reads
        if (exited != null && now != null && now.state().status() != ContainerState.Status.EXITED
                && !awaitExit(exited, KILL_WAIT_SECONDS)) {
            log.warn("container {} did not exit within {} s of SIGKILL", c.id(), KILL_WAIT_SECONDS);
        }
    }

    /** How long kill waits for the exit after SIGKILL (dockerd waits 10 s too). */
    private static final int KILL_WAIT_SECONDS = 10;

    public void restart(String idOrName, Integer timeoutSeconds, String signal) {
        Container c = index.find(idOrName);
        userRestarts.add(c.id()); // an --rm container survives its restart, as in Docker
        try {
            try {
                stop(idOrName, timeoutSeconds, signal);
            } catch (EngineException.NotModified alreadyStopped) {
                // restart of a stopped container is a start
            }
            start(c.id());
        } finally {
            userRestarts.remove(c.id());
        }
        events.publish("container", "restart", c.id(), attrs(c));
    }

    /**
     * Records that the user stops or signals a container (for restart policies), before the signal goes out. With
     * {@code ends}, the next exit is not followed by a restart, and a container waiting for one is stopped at once.
     *
     * @return whether the container was only waiting for a restart, and is stopped now
     */
    private boolean userStops(String id, String asked, boolean ends) {
        var lock = index.lock(id);
        lock.lock();
        try {
            Container c = current(id, asked);
            if (ends) {
                exitOnNext.add(id);
                restarts.cancel(id);
            }
            var s = c.state().withManuallyStopped(true);
            boolean waiting = ends && s.status() == ContainerState.Status.RESTARTING;
            if (waiting) s = s.withStatus(ContainerState.Status.EXITED);
            if (!s.equals(c.state())) saveAndIndex(c.withState(s));
            return waiting || c.state().status() == ContainerState.Status.RESTARTING;
        } finally {
            lock.unlock();
        }
    }

    private void signalIfRunning(String id, int signo) {
        var lock = index.lock(id);
        lock.lock();
        try {
            Container c = index.get(id);
            if (c != null && c.state().isRunning()) signalLocked(id, signo, true);
        } catch (Runtime.RuntimeFailure e) {
            log.debug("signal {} to {}: {}", signo, id, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code signo}; with {@code ends} (the signal is meant to end the container: SIGKILL, its stop signal, or
     * any signal when it has none configured), a paused container is unpaused after it so that the signal is handled
     * at all. Any other signal leaves it paused, to be handled on unpause, as dockerd's killWithSignal does.
     */
    private void signalLocked(String id, int signo, boolean ends) {
        runtime.kill(id, signo, false);
        Container c = index.get(id);
        if (ends && c != null && c.state().status() == ContainerState.Status.PAUSED) {
            try {
                runtime.resume(id);
            } catch (Runtime.RuntimeFailure e) {
                // runc thaws a paused container itself to deliver SIGKILL; anything else still paused is an error.
                if (runtime.state(id).map(t -> t.status() == Runtime.Status.PAUSED).orElse(false)) throw e;
            }
            saveAndIndex(c.withState(c.state().withStatus(ContainerState.Status.RUNNING)));
            events.publish("container", "unpause", id, attrs(c));
        }
    }

    private static boolean awaitExit(CompletableFuture<Integer> f, int seconds) {
        try {
            if (seconds < 0) f.get();
            else f.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EngineException.failure("interrupted while waiting for the container to exit");
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    // ---- wait --------------------------------------------------------------------------------------------

    public enum WaitCondition { NOT_RUNNING, NEXT_EXIT, REMOVED }

    /** Completes with the exit code once the condition holds (Docker's {@code POST /containers/{id}/wait}). */
    public CompletableFuture<Integer> waitFor(String idOrName, WaitCondition condition) {
        Container c = index.find(idOrName);
        var lock = index.lock(c.id());
        lock.lock();
        try {
            c = current(c.id(), idOrName);
            return switch (condition) {
                case NOT_RUNNING -> c.state().isRunning() ? waiters.nextExit(c.id()) : CompletableFuture.completedFuture(c.state().exitCode());
                case NEXT_EXIT -> waiters.nextExit(c.id());
                case REMOVED -> waiters.removed(c.id());
            };
        } finally {
            lock.unlock();
        }
    }

    // ---- remove, rename, prune ----------------------------------------------------------------------------

    public void remove(String idOrName, boolean force) {
        Container c = index.find(idOrName);
        // After any file operation on its privately mounted root: its layer cannot go while that is mounted.
        try (var hold = holdRoot(c.id())) {
            removeHeld(c, idOrName, force);
        }
    }

    private void removeHeld(Container c, String idOrName, boolean force) {
        var lock = index.lock(c.id());
        lock.lock();
        int exitCode;
        boolean wasRunning;
        try {
            c = current(c.id(), idOrName);
            if (c.state().isRunning() && !force) {
                throw EngineException.conflict("cannot remove container \"/%s\": container is %s: stop the container before removing or force remove",
                        c.name(), c.state().status() == ContainerState.Status.RESTARTING ? "restarting" : "running");
            }
            if (c.state().status() == ContainerState.Status.REMOVING) {
                throw EngineException.conflict("removal of container %s is already in progress", c.id());
            }
            wasRunning = c.state().isRunning();
            restarts.forget(c.id());
            exitOnNext.remove(c.id());
            ContainerState before = c.state();
            c = c.withState(c.state().withStatus(ContainerState.Status.REMOVING));
            saveAndIndex(c);
            removeLocked(c, before);
            exitCode = wasRunning ? 137 : c.state().exitCode();
        } finally {
            lock.unlock();
        }
        hubs.remove(c.id());
        if (wasRunning) {
            // rm -f of a running container: Docker reports the SIGKILL and the death before the destroy.
            var killed = attrs(c);
            killed.put("signal", "9");
            events.publish("container", "kill", c.id(), killed);
            var died = attrs(c);
            died.put("exitCode", Integer.toString(exitCode));
            events.publish("container", "die", c.id(), died);
        }
        events.publish("container", "destroy", c.id(), attrs(c));
        waiters.removed(c.id(), exitCode);
    }

    /**
     * Removes everything of a container marked REMOVING; safe to repeat after a crash part-way through. A failure
     * leaves no REMOVING behind (every later rm would be refused as "already in progress"): before anything of the
     * container is gone, it gets its {@code before} state back; after, it is Docker's "dead", which rm removes.
     * {@code before} is null when a restarted daemon finishes a removal.
     */
    private void removeLocked(Container c, ContainerState before) {
        try {
            runtime.delete(c.id(), true);
            cleanupRun(c.id(), bundleRoot.resolve(c.id()), false);
        } catch (RuntimeException e) {
            if (before != null) removalFailed(c.withState(before), e);
            throw e;
        }
        try {
            if (ports != null) ports.forget(c.id());
            logs.removed(c.id());
            if (networks != null) networks.forget(c.id());
            layers.remove(c.id());
            store.delete(c.id());
        } catch (RuntimeException e) {
            if (before != null) removalFailed(c.withState(before.withStatus(ContainerState.Status.DEAD)), e);
            throw e;
        }
        index.remove(c);
    }

    private void removalFailed(Container now, RuntimeException cause) {
        index.put(now);
        try {
            store.save(now);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            log.warn("recording the failed removal of {}: {}", now.id(), e.getMessage());
        }
    }

    /** Per container: taken by a file operation on its privately mounted root, and by its removal. */
    private final java.util.concurrent.ConcurrentHashMap<String, RootLock> rootLocks = new java.util.concurrent.ConcurrentHashMap<>();

    private static final class RootLock {
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        int users; // changed only inside the map's compute, so the entry goes with its last user
    }

    /** A held {@link #holdRoot}; closing it releases it. */
    interface RootHold extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for and holds the container's root lock: while a file operation holds it, the container's layer is
     * mounted where removal cannot unmount it, so removal takes it too and waits. Not the container's lock, which
     * such an operation (a long cp or export) must not keep from stop, start and the others.
     */
    RootHold holdRoot(String id) {
        RootLock l = rootLocks.compute(id, (k, v) -> {
            RootLock r = v == null ? new RootLock() : v;
            r.users++;
            return r;
        });
        try {
            l.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            release(id);
            Thread.currentThread().interrupt();
            throw EngineException.failure("interrupted while waiting for a file operation on container %s", id);
        }
        return () -> {
            l.lock.unlock();
            release(id);
        };
    }

    private void release(String id) {
        rootLocks.computeIfPresent(id, (k, v) -> --v.users == 0 ? null : v);
    }

    /** Tests: how many containers have a root lock entry. */
    int rootLockEntries() {
        return rootLocks.size();
    }

    /**
     * Docker's rename, in Docker's order of checks (daemon/rename.go): the container must exist, the name must be
     * new, and then the name is reserved, whose refusals (invalid, in use) say "Error when allocating new name".
     */
    public void rename(String idOrName, String newName) {
        if (newName == null || newName.isEmpty()) throw EngineException.invalid("Neither old nor new names may be empty");
        Container c = index.find(idOrName);
        var lock = index.lock(c.id());
        lock.lock();
        try {
            c = current(c.id(), idOrName);
            String name = newName.startsWith("/") ? newName.substring(1) : newName;
            if (c.name().equals(name)) throw EngineException.invalid("Renaming a container with the same name as its current name");
            try {
                name = Names.validate(newName);
                index.reserveName(name, c.id());
            } catch (EngineException.InvalidArgument e) {
                throw EngineException.invalid("Error when allocating new name: %s", e.getMessage());
            } catch (EngineException.Conflict e) {
                throw EngineException.conflict("Error when allocating new name: %s", e.getMessage());
            }
            String old = c.name();
            try {
                saveAndIndex(c.withName(name));
            } catch (RuntimeException e) {
                index.releaseName(name, c.id());
                throw e;
            }
            index.releaseName(old, c.id());
            var a = attrs(c.withName(name));
            a.put("oldName", "/" + old);
            events.publish("container", "rename", c.id(), a);
        } finally {
            lock.unlock();
        }
    }

    /** Removes every stopped container that {@code filter} accepts; returns their ids and the bytes freed. */
    public record PruneResult(List<String> removed, long reclaimed) {}

    public PruneResult prune(java.util.function.Predicate<Container> filter) {
        var removed = new java.util.ArrayList<String>();
        long reclaimed = 0;
        for (Container c : index.all()) {
            if (c.state().isRunning() || c.state().status() == ContainerState.Status.REMOVING || !filter.test(c)) continue;
            long size = layers.writableSize(c.id());
            try {
                remove(c.id(), false);
                removed.add(c.id());
                reclaimed += size;
            } catch (EngineException e) {
                log.debug("prune skipped {}: {}", c.id(), e.getMessage());
            }
        }
        return new PruneResult(removed, reclaimed);
    }

    // ---- logs and attach ----------------------------------------------------------------------------------

    public void logs(String idOrName, LogQuery query, CriLogReader.Sink sink) throws IOException, InterruptedException {
        Container c = index.find(idOrName);
        String id = c.id();
        logs.read(id, c.spec().host().logConfig(), query, () -> {
            Container now = index.get(id);
            return now != null && now.state().isRunning();
        }, sink);
    }

    /**
     * Attaches a client to the container's output. Returns a handle that detaches it. The client is closed when the
     * current (or, for a container not yet started, the next) run ends.
     */
    public Runnable attach(String idOrName, AttachHub.Client client) {
        Container c = index.find(idOrName);
        AttachHub hub = hubOf(c.id());
        hub.add(client);
        events.publish("container", "attach", c.id(), attrs(c));
        return () -> hub.remove(client);
    }

    /**
     * Reports that a client left an attach with the detach keys (Docker's {@code detach} event); the container runs
     * on. Its attributes are those of the container's other events, with its current name.
     */
    public void detached(String idOrName) {
        Container c = index.find(idOrName);
        events.publish("container", "detach", c.id(), attrs(c));
    }

    /**
     * Resizes the container's terminal ({@code POST /containers/{id}/resize}). Docker refuses a container that is not
     * running; a container without a TTY has no terminal to resize, which is not an error.
     */
    public void resize(String idOrName, int width, int height) {
        if (width < 0 || height < 0) throw EngineException.invalid("invalid terminal size %dx%d", width, height);
        Container c = index.find(idOrName);
        var lock = index.lock(c.id());
        lock.lock();
        try {
            c = current(c.id(), idOrName);
            if (!c.state().isRunning()) throw EngineException.conflict("Container %s is not running", c.id());
            if (c.config().tty()) runtime.resize(c.id(), width, height);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes to the container's stdin. Input for a container that is not running yet waits for its start (the Docker
     * CLI sends stdin before it starts the container); interrupt the caller to give up.
     */
    public void writeStdin(String id, byte[] data, int off, int len) throws IOException, InterruptedException {
        hubOf(id).awaitConnection().write(data, off, len);
    }

    /** Ends the container's stdin (after the input written before), waiting for its start like {@link #writeStdin}. */
    public void closeStdin(String id) throws IOException, InterruptedException {
        hubOf(id).awaitConnection().closeStdin();
    }

    private AttachHub hubOf(String id) {
        return hubs.computeIfAbsent(id, AttachHub::new);
    }

    // ---- restore after a daemon restart -------------------------------------------------------------------

    /**
     * Loads every record and reconciles it with what the runtime knows: running tasks are adopted (their output is
     * attached again), exits that happened while no daemon ran are processed with their real exit codes, removals
     * cut short by a crash are finished, and tasks without a record are removed.
     */
    public void restore() {
        for (Container c : store.loadAll()) {
            index.put(c);
            index.reserveName(c.name(), c.id());
            hubs.put(c.id(), new AttachHub(c.id()));
        }
        var known = new java.util.HashSet<String>();
        var toRestart = new java.util.ArrayList<String>();
        for (Container c : index.all()) {
            known.add(c.id());
            var s = c.state();
            boolean stopped = s.status() == ContainerState.Status.EXITED || s.status() == ContainerState.Status.RESTARTING;
            if (stopped && RestartPolicies.shouldRestart(c.spec().host().restartPolicy(), s.exitCode(), s.manuallyStopped(), s.restartCount())) {
                toRestart.add(c.id());
            } else if (s.status() == ContainerState.Status.RESTARTING) {
                saveAndIndex(c.withState(s.withStatus(ContainerState.Status.EXITED))); // its policy no longer applies
            }
            try {
                ContainerRestore.reconcile(this, c);
            } catch (RuntimeException e) {
                log.error("restoring container {}: {}", c.id(), e.getMessage(), e);
            }
        }
        // Docker starts these when the daemon starts: "always" ones even if the user had stopped them.
        for (String id : toRestart) Thread.ofVirtual().start(() -> startByPolicy(id, false));
        for (String task : runtime.tasks()) {
            if (!known.contains(task)) {
                log.warn("removing runtime task {} that has no container record", task);
                runtime.delete(task, true);
            }
        }
        dropWhatCreatesLeft(known);
    }

    /** A create cut short before its record was written leaves a writable layer and side records: none is a container. */
    private void dropWhatCreatesLeft(java.util.Set<String> known) {
        for (String id : layers.containerLayers()) {
            if (known.contains(id)) continue;
            log.warn("removing the writable layer of {}: no container record (interrupted create)", id);
            try {
                layers.remove(id);
            } catch (RuntimeException e) {
                log.error("removing the writable layer of {}: {}", id, e.getMessage());
            }
        }
        var p = ports;
        if (p != null) p.retainOnly(known);
    }

    // package-private hooks for ContainerRestore
    Runtime runtime() { return runtime; }

    /** Ships what a run wrote after the last daemon stopped shipping it (it ended while no daemon ran). */
    void shipEndedRun(Container c) {
        logs.ended(c.id(), c.spec().host().logConfig());
    }
    void finishRemoval(Container c) {
        var lock = index.lock(c.id());
        lock.lock();
        try {
            removeLocked(c, null);
        } finally {
            lock.unlock();
        }
    }
    void adopt(Container c) {
        logs.running(c.id(), c.spec().host().logConfig());
        try {
            hubOf(c.id()).connect(runtime.attach(c.id()));
        } catch (RuntimeException e) {
            log.warn("re-attaching to {}: {}", c.id(), e.getMessage());
        }
    }
    void markExited(Container c, int code, String error) {
        var lock = index.lock(c.id());
        lock.lock();
        try {
            runtime.delete(c.id(), true);
            cleanupRun(c.id(), bundleRoot.resolve(c.id()), true);
            logs.ended(c.id(), c.spec().host().logConfig());
            var s = c.state().exited(code, false, Instant.now());
            saveAndIndex(c.withState(new ContainerState(s.status(), 0, code, error, false, s.startedAt(), s.finishedAt(),
                    s.restartCount(), s.manuallyStopped())));
        } finally {
            lock.unlock();
        }
    }
    /** Whether the container has a bundle: a start made it, and a crash may have cut the start short before its task. */
    boolean hasBundle(Container c) {
        return Files.isDirectory(bundleRoot.resolve(c.id()));
    }
    void dropStaleRun(Container c) {
        runtime.delete(c.id(), true);
        cleanupRun(c.id(), bundleRoot.resolve(c.id()), true);
    }

    /**
     * Runs {@code change} on the container's current record under its lock (for {@link ContainerControls}); a
     * different record it returns is saved, and its event (if any) published after that.
     */
    Container change(String idOrName, java.util.function.Function<Container, ContainerControls.Changed> change) {
        Container c = index.find(idOrName);
        var lock = index.lock(c.id());
        lock.lock();
        try {
            c = current(c.id(), idOrName);
            var changed = change.apply(c);
            if (!changed.container().equals(c)) saveAndIndex(changed.container());
            if (changed.event() != null) events.publish("container", changed.event(), c.id(), attrs(changed.container()));
            return changed.container();
        } finally {
            lock.unlock();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private Container current(String id, String asked) {
        Container c = index.get(id);
        if (c == null) throw ContainerIndex.noSuch(asked);
        return c;
    }

    private void saveAndIndex(Container c) {
        store.save(c);
        index.put(c);
    }

    private static Map<String, String> attrs(Container c) {
        var m = new java.util.HashMap<String, String>();
        m.put("name", c.name());
        m.put("image", c.imageRef());
        if (c.config().labels() != null) m.putAll(c.config().labels());
        return m;
    }

    static UncheckedIOException io(IOException e) {
        return new UncheckedIOException(e);
    }
}
