package dev.berth.engine.volume;

import dev.berth.common.AtomicFiles;
import dev.berth.common.EngineException;
import dev.berth.common.Json;
import dev.berth.engine.events.EventBus;
import dev.berth.image.FileTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The {@code local} volume driver: each volume is a directory {@code <root>/<name>} holding {@code volume.json}
 * (written with {@link AtomicFiles}, last, so a volume exists exactly when its record does) and {@code _data}.
 * Data under {@code _data} is deleted only by {@link #remove} and {@link #prune}.
 *
 * <p>{@code -o type=tmpfs,device=tmpfs,o=size=64m} and {@code -o type=none,o=bind,device=/path} are kept as options
 * and applied when a container mounts the volume (see {@link #hostPath}).
 */
public final class VolumeStore {
    /** Docker's volume name rule (daemon/names). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final Set<String> OPTIONS = Set.of("type", "device", "o", "size");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final EventBus events;
    private final Map<String, Volume> volumes = new TreeMap<>();
    /** Names of the volumes containers use, by container id; set by the mount planner. */
    private volatile Function<String, List<String>> users = name -> List.of();

    public VolumeStore(Path root, EventBus events) {
        this.root = root;
        this.events = events;
        try {
            Files.createDirectories(root);
            try (var dirs = Files.list(root)) {
                for (Path d : dirs.toList()) {
                    Path meta = d.resolve("volume.json");
                    if (Files.isRegularFile(meta)) {
                        Volume v = Json.read(Files.readAllBytes(meta), Volume.class);
                        volumes.put(v.name(), v);
                    }
                    AtomicFiles.sweepTemporaries(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    /** Which containers use a volume (ids), for {@code rm}'s "volume is in use" and RefCount. */
    public void usersFrom(Function<String, List<String>> users) {
        this.users = users;
    }

    public List<String> users(String name) {
        return users.apply(name);
    }

    public static String randomName() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * {@code POST /volumes/create}. An existing volume of that name is returned as it is (Docker does the same), unless
     * the request names another driver or other options.
     */
    public synchronized Volume create(String name, String driver, Map<String, String> options, Map<String, String> labels) {
        if (name == null || name.isEmpty()) name = randomName();
        checkName(name);
        if (driver != null && !driver.isEmpty() && !driver.equals("local")) {
            throw EngineException.notFound("error looking up volume plugin %s: plugin \"%s\" not found", driver, driver);
        }
        options = options == null ? Map.of() : options;
        for (String k : options.keySet()) {
            if (!OPTIONS.contains(k)) throw EngineException.invalid("create %s: invalid option: \"%s\"", name, k);
        }
        validateOptions(name, options);
        Volume existing = volumes.get(name);
        if (existing != null) {
            if (!options.isEmpty() && !options.equals(existing.options())) {
                throw EngineException.conflict("create %s: volume already exists under driver local with other options", name);
            }
            return existing;
        }
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir.resolve("_data"));
        } catch (IOException e) {
            throw EngineException.failure("create %s: %s", name, e.getMessage());
        }
        String created = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        var v = new Volume(name, "local", dir.resolve("_data").toString(), created, labels, options);
        AtomicFiles.write(dir.resolve("volume.json"), Json.write(v));
        volumes.put(name, v);
        events.publish("volume", "create", name, Map.of("driver", "local"));
        return v;
    }

    /** Docker's volume name rule, with its message (a relative {@code -v} source is taken for a volume name). */
    static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw EngineException.invalid("create %s: \"%s\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path", name, name);
        }
    }

    private static void validateOptions(String name, Map<String, String> o) {
        String type = o.get("type");
        if (type == null && (o.containsKey("device") || o.containsKey("o"))) {
            throw EngineException.invalid("create %s: missing required option: \"type\"", name);
        }
        if ("none".equals(type) || ("bind".equals(type))) {
            String device = o.get("device");
            if (device == null || !device.startsWith("/")) {
                throw EngineException.invalid("create %s: missing required option: \"device\" (an absolute path for a bind)", name);
            }
        }
        if ("tmpfs".equals(type) && o.get("o") != null) {
            for (String opt : o.get("o").split(",")) {
                if (opt.startsWith("size=")) TmpfsSize.parse(opt.substring(5));
            }
        }
    }

    public synchronized Volume get(String name) {
        Volume v = volumes.get(name);
        if (v == null) throw EngineException.notFound("get %s: no such volume", name);
        return v;
    }

    public synchronized boolean exists(String name) {
        return volumes.containsKey(name);
    }

    public synchronized List<Volume> list() {
        return List.copyOf(volumes.values());
    }

    /**
     * Where a container mounts the volume from: {@code _data}, or for {@code type=none/bind} volumes their device.
     * tmpfs volumes are mounted by the container's spec as tmpfs ({@link #tmpfsOptions}).
     */
    public Path hostPath(Volume v) {
        String type = v.options().get("type");
        if (("none".equals(type) || "bind".equals(type)) && v.options().get("device") != null) {
            return Path.of(v.options().get("device"));
        }
        return Path.of(v.mountpoint());
    }

    /** For a {@code type=tmpfs} volume, its tmpfs mount options ({@code size=64m}); null for other volumes. */
    public String tmpfsOptions(Volume v) {
        if (!"tmpfs".equals(v.options().get("type"))) return null;
        String o = v.options().get("o");
        return o == null ? "" : o;
    }

    /** {@code DELETE /volumes/{name}}: 409 while a container uses it, even with {@code force}, as dockerd does. */
    public synchronized void remove(String name, boolean force) {
        Volume v = volumes.get(name);
        if (v == null) {
            if (force) return;
            throw EngineException.notFound("get %s: no such volume", name);
        }
        List<String> using = users.apply(name);
        if (!using.isEmpty()) {
            throw EngineException.conflict("remove %s: volume is in use - %s", name, using);
        }
        destroy(v);
    }

    private void destroy(Volume v) {
        Path dir = root.resolve(v.name());
        try {
            // The record goes first: a crash in the middle leaves a directory without volume.json, which is no volume.
            Files.deleteIfExists(dir.resolve("volume.json"));
            AtomicFiles.fsyncDirectory(dir);
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            throw EngineException.failure("remove %s: %s", v.name(), e.getMessage());
        }
        volumes.remove(v.name());
        events.publish("volume", "destroy", v.name(), Map.of("driver", "local"));
    }

    public record PruneResult(List<String> deleted, long reclaimed) {}

    /** {@code POST /volumes/prune}: unused volumes matching {@code filter}; anonymous ones only unless {@code all}. */
    public synchronized PruneResult prune(boolean all, Predicate<Volume> filter) {
        var deleted = new ArrayList<String>();
        long reclaimed = 0;
        for (Volume v : List.copyOf(volumes.values())) {
            if (!all && !v.anonymous()) continue;
            if (!filter.test(v) || !users.apply(v.name()).isEmpty()) continue;
            long size = size(v);
            destroy(v);
            deleted.add(v.name());
            reclaimed += size;
        }
        return new PruneResult(deleted, reclaimed);
    }

    /** Bytes under the volume's {@code _data}, each inode once (links not followed); -1 if it cannot be read. */
    public long size(Volume v) {
        try {
            return FileTrees.diskUsage(Path.of(v.mountpoint()));
        } catch (IOException e) {
            return -1;
        }
    }
}
