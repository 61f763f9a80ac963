package dev.berth.engine.volume;

import dev.berth.common.AtomicFiles;
import dev.berth.common.EngineException;
import dev.berth.common.Json;
import dev.berth.engine.events.EventBus;
import dev.berth.oci.BindMount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The mounts of every container: fixed at create ({@link #attach}), kept in {@code <root>/<container-id>.json}
 * (with {@link AtomicFiles}), turned into binds and tmpfs mounts at each start ({@link #resolve}), and dropped when
 * the container is removed ({@link #forget}). It also tells the volume store which containers use a volume.
 */
public final class ContainerMounts {
    /**
     * @param requested the request's own words, for inspect: {@code Binds}, {@code Mounts}, {@code VolumesFrom} of
     *                  HostConfig and {@code Volumes} of Config, as they came
     */
    public record Plan(List<MountPoint> mounts, boolean autoRemove, Map<String, Object> requested) {
        public Plan {
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
            requested = requested == null ? Map.of() : requested;
        }
    }

    /** What start adds to the spec: binds (volumes and host paths), and tmpfs mounts by destination. */
    public record Resolved(List<BindMount> binds, Map<String, String> tmpfs) {}

    private final Path root;
    private final VolumeStore volumes;
    private final EventBus events;
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    /**
     * Plans with anonymous volumes of containers just removed, until the removal says whether those volumes go
     * ({@link #dropAnonymous}) or stay ({@link #keepAnonymous}).
     */
    private final Map<String, Plan> removed = new ConcurrentHashMap<>();

    public ContainerMounts(Path root, VolumeStore volumes, EventBus events) {
        this.root = root;
        this.volumes = volumes;
        this.events = events;
        try {
            Files.createDirectories(root);
            AtomicFiles.sweepTemporaries(root);
            try (var files = Files.list(root)) {
                for (Path f : files.toList()) {
                    String n = f.getFileName().toString();
                    if (n.endsWith(".json")) {
                        plans.put(n.substring(0, n.length() - 5), Json.read(Files.readAllBytes(f), Plan.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        volumes.usersFrom(this::users);
        events.subscribe(e -> {
            if (e.type().equals("container") && e.action().equals("destroy")) destroyed(e.id());
            if (e.type().equals("container") && e.action().equals("die")) unmounted(e.id());
        });
    }

    /**
     * Runs inside the container's removal: the record goes at once (the volumes are free now); a {@code --rm}
     * container's anonymous volumes are removed on another thread, since this one holds the event bus.
     */
    private void destroyed(String containerId) {
        Plan plan = plans.get(containerId);
        if (plan == null) return;
        forget(containerId);
        if (plan.mounts().stream().noneMatch(ContainerMounts::anonymous)) return;
        removed.put(containerId, plan);
        if (plan.autoRemove()) Thread.ofVirtual().start(() -> dropAnonymous(containerId));
    }

    private static boolean anonymous(MountPoint p) {
        return p.type().equals("volume") && p.volumeLabels().containsKey(Volume.ANONYMOUS_LABEL);
    }

    /** dockerd's volume {@code unmount} events when a container stops, after its {@code die} has gone out. */
    private void unmounted(String containerId) {
        var names = plan(containerId).mounts().stream().filter(p -> p.type().equals("volume")).map(MountPoint::name).toList();
        if (names.isEmpty()) return;
        Thread.ofVirtual().start(() -> names.forEach(n ->
                events.publish("volume", "unmount", n, Map.of("driver", "local", "container", containerId))));
    }

    /** {@code rm -v}, after the removal: the container's anonymous volumes that no other container uses go. */
    public void dropAnonymous(String containerId) {
        Plan plan = removed.remove(containerId);
        if (plan != null) dropAnonymous(plan);
    }

    /** A create that failed after {@link #attach}: the record goes, and the anonymous volumes made for it. */
    public void discard(String containerId) {
        Plan plan = plans.get(containerId);
        if (plan == null) return;
        forget(containerId);
        dropAnonymous(plan);
    }

    private void dropAnonymous(Plan plan) {
        for (MountPoint p : plan.mounts()) {
            if (!p.type().equals("volume") || !volumes.exists(p.name())) continue;
            try {
                if (volumes.get(p.name()).anonymous() && users(p.name()).isEmpty()) volumes.remove(p.name(), true);
            } catch (EngineException e) {
                // taken again meanwhile or already gone: kept, as dockerd keeps it
            }
        }
    }

    /** A plain {@code rm} (without {@code -v}), after the removal: the container's anonymous volumes stay. */
    public void keepAnonymous(String containerId) {
        removed.remove(containerId);
    }

    /**
     * Drops the plans of containers that no longer exist (removed while the daemon was down or killed in between).
     * Their volumes stay: nothing under a volume is deleted except by {@code volume rm} or {@code prune}.
     */
    public void retainOnly(Set<String> containerIds) {
        for (String id : List.copyOf(plans.keySet())) {
            if (!containerIds.contains(id)) forget(id);
        }
    }

    /** Names anonymous volumes, creates the volumes the container needs, and records its mounts. */
    public Plan attach(String containerId, List<MountPoint> requested, boolean autoRemove, Map<String, Object> words) {
        var fixed = new ArrayList<MountPoint>();
        for (MountPoint p : requested) {
            if (p.type().equals("volume")) {
                String name = p.name() == null ? VolumeStore.randomName() : p.name();
                volumes.create(name, "local", p.volumeOptions(), p.volumeLabels());
                fixed.add(p.withName(name));
            } else {
                fixed.add(p);
            }
        }
        var plan = new Plan(fixed, autoRemove, words);
        if (fixed.isEmpty()) return plan; // no file, as for a container without published ports
        AtomicFiles.write(root.resolve(containerId + ".json"), Json.write(plan));
        plans.put(containerId, plan);
        return plan;
    }

    public Plan plan(String containerId) {
        return plans.getOrDefault(containerId, new Plan(List.of(), false, Map.of()));
    }

    /** Drops the container's record; its volumes stay. */
    public void forget(String containerId) {
        plans.remove(containerId);
        try {
            Files.deleteIfExists(root.resolve(containerId + ".json"));
        } catch (IOException e) {
            throw EngineException.failure("remove mounts of %s: %s", containerId, e.getMessage());
        }
    }

    /** Ids of the containers whose mounts name the volume. */
    public List<String> users(String volume) {
        var out = new ArrayList<String>();
        plans.forEach((id, plan) -> {
            for (MountPoint p : plan.mounts()) {
                if (volume.equals(p.name())) {
                    out.add(id);
                    return;
                }
            }
        });
        return out;
    }

    /**
     * A container path at or below one of the container's mounts (the deepest one): the mount, the host directory
     * or file the container sees there ({@code source}; null for a tmpfs, whose content lives only in the running
     * container), and the rest of the path below the mount's destination ({@code ""} or {@code /a/b}).
     */
    public record Under(MountPoint mount, Path source, String rest) {}

    /** The mount {@code path} (a container path) lies in, if any; compared lexically, as dockerd's IsDestinationMounted. */
    public java.util.Optional<Under> under(String containerId, String path) {
        String clean = MountRequests.clean(path.startsWith("/") ? path : "/" + path);
        MountPoint best = null;
        String bestDestination = "";
        for (MountPoint p : plan(containerId).mounts()) {
            String d = MountRequests.clean(p.destination());
            if ((clean.equals(d) || clean.startsWith(d + "/")) && d.length() > bestDestination.length()) {
                best = p;
                bestDestination = d;
            }
        }
        if (best == null) return java.util.Optional.empty();
        Path source = switch (best.type()) {
            case "bind" -> Path.of(best.source());
            case "volume" -> {
                Volume v = volumes.exists(best.name()) ? volumes.get(best.name()) : null;
                yield v == null || volumes.tmpfsOptions(v) != null ? null : volumes.hostPath(v);
            }
            default -> null;
        };
        return java.util.Optional.of(new Under(best, source, clean.substring(bestDestination.length())));
    }

    /** The destinations of the container's mounts strictly below the container path {@code dir}. */
    public List<String> below(String containerId, String dir) {
        String clean = MountRequests.clean(dir.startsWith("/") ? dir : "/" + dir);
        String prefix = clean.equals("/") ? "/" : clean + "/";
        return plan(containerId).mounts().stream().map(p -> MountRequests.clean(p.destination()))
                .filter(d -> d.startsWith(prefix) && !d.equals(clean)).toList();
    }

    /** Inspect's {@code Mounts}, as dockerd shows them. */
    public List<Map<String, Object>> inspect(String containerId) {
        var out = new ArrayList<Map<String, Object>>();
        for (MountPoint p : plan(containerId).mounts()) {
            var m = new LinkedHashMap<String, Object>();
            m.put("Type", p.type());
            if (p.type().equals("volume")) {
                m.put("Name", p.name());
                m.put("Source", volumes.exists(p.name()) ? volumes.get(p.name()).mountpoint()
                        : volumes.root().resolve(p.name()).resolve("_data").toString());
            } else {
                m.put("Source", p.type().equals("bind") ? p.source() : "");
            }
            m.put("Destination", p.destination());
            if (p.type().equals("volume")) m.put("Driver", "local");
            m.put("Mode", p.mode());
            m.put("RW", p.rw());
            m.put("Propagation", p.propagation());
            out.add(m);
        }
        return out;
    }

    /**
     * At start, after the rootfs is mounted: recreates a volume removed behind the container's back, fills a new empty
     * volume from the image (copy-up), creates a missing {@code -v} host directory, and gives the spec's mounts.
     */
    public Resolved resolve(String containerId, Path rootfs) {
        var binds = new ArrayList<BindMount>();
        var tmpfs = new LinkedHashMap<String, String>();
        for (MountPoint p : plan(containerId).mounts()) {
            switch (p.type()) {
                case "bind" -> {
                    Path src = Path.of(p.source());
                    if (!Files.exists(src)) {
                        if (!p.createSource()) {
                            throw EngineException.invalid("invalid mount config for type \"bind\": bind source path does not exist: %s", src);
                        }
                        try {
                            Files.createDirectories(src);
                        } catch (IOException e) {
                            throw EngineException.failure("create mountpoint for %s: %s", src, e.getMessage());
                        }
                    }
                    binds.add(new BindMount(src, p.destination(), !p.rw(), propagation(p.propagation()), false));
                }
                case "tmpfs" -> tmpfs.put(p.destination(), p.tmpfsOptions() == null ? "" : p.tmpfsOptions());
                case "volume" -> {
                    Volume v = volumes.exists(p.name()) ? volumes.get(p.name())
                            : volumes.create(p.name(), "local", p.volumeOptions(), p.volumeLabels());
                    String t = volumes.tmpfsOptions(v);
                    if (t != null) {
                        tmpfs.put(p.destination(), p.rw() ? t : (t.isEmpty() ? "ro" : t + ",ro"));
                    } else {
                        Path data = volumes.hostPath(v);
                        if (!p.noCopy() && data.equals(Path.of(v.mountpoint()))) copyUp(rootfs, p.destination(), data);
                        binds.add(BindMount.of(data, p.destination(), !p.rw()));
                    }
                    events.publish("volume", "mount", v.name(), Map.of("driver", "local", "container", containerId,
                            "destination", p.destination(), "read/write", Boolean.toString(p.rw()), "propagation", ""));
                }
                default -> { }
            }
        }
        return new Resolved(binds, tmpfs);
    }

    private static BindMount.Propagation propagation(String p) {
        return p == null || p.isEmpty() ? BindMount.Propagation.RPRIVATE : BindMount.Propagation.valueOf(p.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Beside a volume's {@code _data} while a copy-up fills it: holds the mount's destination. A copy-up cut short
     * by a crash leaves a volume that is not empty yet not whole; the next start of a container mounting it at the
     * same destination finishes the copy instead of taking the part for the whole.
     */
    static final String COPY_UP_PENDING = "copy-up.pending";

    /**
     * Docker's copy-up: an empty volume mounted where the image has a directory gets that directory's content, owners
     * and modes. A path that leads out of the rootfs through a link is left alone. Nothing in the volume is ever
     * deleted here: a resumed copy only writes the image's files again.
     */
    static void copyUp(Path rootfs, String destination, Path data) {
        Path pending = data.resolveSibling(COPY_UP_PENDING);
        try {
            boolean resuming = Files.exists(pending) && Files.readString(pending).equals(destination);
            if (!resuming) {
                Files.deleteIfExists(pending); // left by a copy-up to another destination: this volume is in use now
                try (var entries = Files.list(data)) {
                    if (entries.findAny().isPresent()) return;
                }
            }
            Path src = rootfs.resolve(MountRequests.clean(destination).substring(1));
            Path real = Files.isDirectory(src) ? src.toRealPath() : null;
            if (real == null || !real.startsWith(rootfs.toRealPath())) {
                Files.deleteIfExists(pending);
                return;
            }
            AtomicFiles.write(pending, destination.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Process cp = new ProcessBuilder("cp", "-a", "--", real + "/.", data + "/")
                    .redirectErrorStream(true).start();
            String out = new String(cp.getInputStream().readAllBytes());
            if (!cp.waitFor(5, TimeUnit.MINUTES) || cp.exitValue() != 0) {
                throw EngineException.failure("copy the image's %s into the volume: %s", destination, out.strip());
            }
            Files.delete(pending);
        } catch (IOException e) {
            throw EngineException.failure("copy the image's %s into the volume: %s", destination, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EngineException.failure("copy-up interrupted");
        }
    }

    /** Volume name to the number of containers using it, for {@code system df}. */
    public Map<String, Integer> refCounts() {
        var out = new HashMap<String, Integer>();
        plans.values().forEach(plan -> plan.mounts().stream().filter(p -> p.name() != null).map(MountPoint::name)
                .distinct().forEach(n -> out.merge(n, 1, Integer::sum)));
        return out;
    }
}
