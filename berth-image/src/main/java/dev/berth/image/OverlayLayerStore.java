package dev.berth.image;

import dev.berth.common.AtomicFiles;
import dev.berth.common.EngineException;
import dev.berth.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layers on overlayfs, laid out under the root as:
 * <pre>
 *   layers/&lt;chain id hex&gt;/diff/        an image layer's files (read-only by convention, shared by images)
 *   layers/&lt;chain id hex&gt;/layer.json   its {@link LayerInfo}
 *   layers/&lt;chain id hex&gt;/tar-split.gz the layer tar minus file contents, to give it back byte for byte
 *   containers/&lt;id&gt;/upper/ and work/   a container's writable layer and overlayfs's work directory
 *   containers/&lt;id&gt;/layer.json         the chain id the container's layer sits on
 *   empty/                           the lower directory of an image without layers
 * </pre>
 * Every directory appears by one atomic rename of a fully written temporary ({@code .tmp-*}, swept at start), so a
 * crash never leaves half a layer under its real name.
 *
 * <p>Image layers: {@link #unpack} (slow, no lock held) then {@link #commit} (fast, under the store's lock); a
 * layer whose chain id exists already is not stored twice. Deleting a layer a container or another layer still
 * builds on is refused.
 *
 * <p>Limit: the lowerdir option lists full paths, so a stack of a few dozen layers would exceed the page-sized mount
 * data (Docker's overlay2 uses short symlinks in {@code l/}); imported images have a single layer.
 *
 * <p>Thread-safe: all bookkeeping happens under the instance's monitor.
 */
public final class OverlayLayerStore implements LayerStore {
    private static final Logger log = LoggerFactory.getLogger(OverlayLayerStore.class);
    private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final String LAYER_JSON = "layer.json";
    private static final String TAR_SPLIT = "tar-split.gz";
    /** Instead of {@link #TAR_SPLIT}: why the layer's tar could not be recorded (its text ends the save error). */
    private static final String NO_TAR_SPLIT = "no-tar-split";
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private final Path layersDir;
    private final Path containersDir;
    private final Path emptyDir;
    private final Map<String, LayerInfo> layers = new HashMap<>();
    /** Container id to the chain id below its writable layer ("" for an image without layers). */
    private final Map<String, String> containers = new HashMap<>();

    public OverlayLayerStore(Path root) {
        this.layersDir = root.resolve("layers");
        this.containersDir = root.resolve("containers");
        this.emptyDir = root.resolve("empty");
        try {
            Files.createDirectories(layersDir);
            Files.createDirectories(containersDir);
            Files.createDirectories(emptyDir);
            sweepTemporaries(layersDir);
            sweepTemporaries(containersDir);
            loadLayers();
            loadContainers();
        } catch (IOException e) {
            throw new UncheckedIOException("opening the layer store at " + root + ": " + e.getMessage(), e);
        }
    }

    // ---- image layers ------------------------------------------------------------------------------------

    /**
     * Unpacks a layer tar (compressed or not) into a temporary directory of this store. Holds no lock, so imports
     * run in parallel; refused or corrupt archives leave nothing behind.
     */
    public PendingLayer unpack(InputStream archive) {
        Path dir = layersDir.resolve(AtomicFiles.TEMP_PREFIX + UUID.randomUUID());
        Path diff = dir.resolve("diff");
        try {
            Files.createDirectories(diff);
            Path split = dir.resolve(TAR_SPLIT);
            Digest diffId;
            TarSplit.Recorder[] recorder = {null};
            try (var splitOut = TarSplit.create(split)) {
                diffId = TarUnpacker.unpack(archive, diff, in -> recorder[0] = new TarSplit.Recorder(in, splitOut));
                recorder[0].finish();
            }
            // Without a faithful split the layer still runs containers, but save refuses it (it cannot rebuild the
            // original tar from the files); the reason is kept for save's error.
            String unsplittable = recorder[0].hasDuplicateNames()
                    ? "its tar has entries that shadow each other (one name written twice)"
                    : TarSplit.matches(recorder[0].files(), diff) ? null
                    : "its unpacked files differ from its tar's entries";
            if (unsplittable != null) {
                Files.delete(split);
                Files.writeString(dir.resolve(NO_TAR_SPLIT), unsplittable);
            }
            return new PendingLayer(dir, diffId, FileTrees.diskUsage(diff));
        } catch (IOException | RuntimeException e) {
            try {
                FileTrees.deleteRecursively(dir);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) throw new UncheckedIOException("unpacking a layer: " + io.getMessage(), io);
            throw (RuntimeException) e;
        }
    }

    /**
     * Makes a pending layer part of the store on top of {@code parentChainId} (null for a bottom layer). If a layer
     * with the same chain id exists already, the pending copy is dropped and the existing one returned.
     */
    public synchronized LayerInfo commit(PendingLayer pending, String parentChainId) {
        if (pending.isDone()) throw new IllegalStateException("layer already committed or closed");
        Digest parent = parentChainId == null ? null : Digest.parse(parentChainId);
        if (parent != null && !layers.containsKey(parent.toString())) {
            throw EngineException.notFound("layer %s does not exist", parent);
        }
        String chainId = Digest.chainId(parent, pending.diffId()).toString();
        LayerInfo existing = layers.get(chainId);
        if (existing != null) {
            pending.close();
            return existing;
        }
        var info = new LayerInfo(chainId, pending.diffId().toString(), parentChainId, pending.size());
        try {
            AtomicFiles.write(pending.dir().resolve(LAYER_JSON), Json.write(info));
            // One syncfs makes every unpacked file durable before the rename publishes the layer.
            NativeFs.syncfs(pending.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("syncing layer " + chainId + ": " + e.getMessage(), e);
        }
        AtomicFiles.move(pending.dir(), layerDir(chainId));
        pending.markDone();
        layers.put(chainId, info);
        return info;
    }

    public synchronized Optional<LayerInfo> layer(String chainId) {
        return Optional.ofNullable(layers.get(chainId));
    }

    public synchronized List<LayerInfo> layers() {
        return List.copyOf(layers.values());
    }

    /** The directory holding an image layer's files. */
    public Path diffDir(String chainId) {
        return layerDir(chainId).resolve("diff");
    }

    /**
     * The length of the layer's tar as {@link #writeTar} writes it.
     *
     * @throws EngineException.SystemFailure if the layer has no tar-split record (unpacked by an older berth, or
     *     from a tar whose entries shadow each other): its original tar cannot be given back; the message says
     *     which case it is
     */
    public long tarSize(String chainId) {
        Path split = tarSplit(chainId);
        try {
            return TarSplit.size(split);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + split + ": " + e.getMessage(), e);
        }
    }

    /** Writes the layer's tar exactly as it was unpacked: its sha256 is the layer's diff_id. */
    public void writeTar(String chainId, OutputStream out) throws IOException {
        TarSplit.assemble(tarSplit(chainId), diffDir(chainId), out);
    }

    private Path tarSplit(String chainId) {
        if (layer(chainId).isEmpty()) throw EngineException.notFound("layer %s does not exist", chainId);
        Path split = layerDir(chainId).resolve(TAR_SPLIT);
        if (!Files.exists(split)) {
            Path reason = layerDir(chainId).resolve(NO_TAR_SPLIT);
            if (Files.exists(reason)) {
                String why;
                try {
                    why = Files.readString(reason).strip();
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + reason + ": " + e.getMessage(), e);
                }
                throw EngineException.failure("layer %s cannot be exported: %s, so berth kept no tar-split record and "
                        + "cannot rebuild the original tar (importing or loading the same tar again will not help)",
                        chainId, why);
            }
            throw EngineException.failure("layer %s cannot be exported: it was stored by an older berth without its "
                    + "tar-split record (remove the image and import or load it again)", chainId);
        }
        return split;
    }

    /**
     * Deletes an image layer that nothing builds on.
     *
     * @return false (and nothing deleted) if a container or another layer still uses it
     */
    public synchronized boolean deleteLayer(String chainId) {
        if (!layers.containsKey(chainId)) return true;
        boolean hasChild = layers.values().stream().anyMatch(l -> chainId.equals(l.parent()));
        boolean usedByContainer = containers.values().stream().anyMatch(c -> ancestry(c).contains(chainId));
        if (hasChild || usedByContainer) return false;
        Path doomed = layersDir.resolve(AtomicFiles.TEMP_PREFIX + "del-" + UUID.randomUUID());
        AtomicFiles.move(layerDir(chainId), doomed);
        layers.remove(chainId);
        deleteQuietly(doomed);
        return true;
    }

    // ---- container layers --------------------------------------------------------------------------------

    @Override
    public synchronized Mount prepare(String containerId, String chainId) {
        checkContainerId(containerId);
        String base = chainId == null ? "" : chainId;
        String existing = containers.get(containerId);
        if (existing != null) {
            if (!existing.equals(base)) {
                throw EngineException.conflict("container layer %s already exists on another image layer", containerId);
            }
            return mount(containerId, existing);
        }
        if (!base.isEmpty() && !layers.containsKey(base)) throw EngineException.notFound("layer %s does not exist", base);
        Path temp = containersDir.resolve(AtomicFiles.TEMP_PREFIX + containerId + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(temp.resolve("upper"));
            Files.createDirectories(temp.resolve("work"));
            AtomicFiles.write(temp.resolve(LAYER_JSON), Json.write(new ContainerLayer(base)));
            AtomicFiles.move(temp, containerDir(containerId));
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            if (e instanceof IOException io) throw new UncheckedIOException("creating the layer of " + containerId, io);
            throw (RuntimeException) e;
        }
        containers.put(containerId, base);
        return mount(containerId, base);
    }

    @Override
    public synchronized Mount mountFor(String containerId) {
        checkContainerId(containerId);
        String base = containers.get(containerId);
        if (base == null) throw EngineException.notFound("no layer for container %s", containerId);
        return mount(containerId, base);
    }

    @Override
    public synchronized void remove(String containerId) {
        checkContainerId(containerId);
        if (!containers.containsKey(containerId)) return;
        Path dir = containerDir(containerId);
        String stillMounted = mountUsing(dir);
        if (stillMounted != null) {
            throw EngineException.failure("cannot remove the layer of container %s: it is still mounted (%s)", containerId, stillMounted);
        }
        Path doomed = containersDir.resolve(AtomicFiles.TEMP_PREFIX + "del-" + UUID.randomUUID());
        AtomicFiles.move(dir, doomed);
        containers.remove(containerId);
        deleteQuietly(doomed);
    }

    @Override
    public synchronized java.util.Set<String> containerLayers() {
        return java.util.Set.copyOf(containers.keySet());
    }

    @Override
    public long writableSize(String containerId) {
        checkContainerId(containerId);
        try {
            return FileTrees.diskUsage(containerDir(containerId).resolve("upper"));
        } catch (IOException e) {
            throw new UncheckedIOException("measuring the layer of " + containerId + ": " + e.getMessage(), e);
        }
    }

    /** Mount options for overlayfs: lowerdir lists the top layer first, as overlayfs stacks them left on top. */
    private Mount mount(String containerId, String base) {
        List<String> lower = base.isEmpty()
                ? List.of(emptyDir.toString())
                : ancestry(base).stream().map(c -> diffDir(c).toString()).toList();
        Path dir = containerDir(containerId);
        Path upper = dir.resolve("upper");
        return new Mount("overlay", "overlay", List.of(
                "lowerdir=" + String.join(":", lower),
                "upperdir=" + upper,
                "workdir=" + dir.resolve("work")), upper);
    }

    /** {@code chainId} and the chain ids below it, top first. */
    private List<String> ancestry(String chainId) {
        var chain = new ArrayList<String>();
        for (String c = chainId; c != null && !c.isEmpty(); ) {
            chain.add(c);
            LayerInfo info = layers.get(c);
            if (info == null) throw EngineException.failure("layer %s is missing from the layer store", c);
            c = info.parent();
        }
        return chain;
    }

    /**
     * A mount at or below {@code dir}, or an overlay mount whose upper directory lies in it: deleting the directory
     * then would reach through the mount or pull the layer from under a running container.
     */
    static String mountUsing(Path dir) {
        String prefix = dir.toAbsolutePath().toString();
        try {
            for (String line : Files.readAllLines(MOUNTINFO)) {
                String[] fields = line.split(" ");
                if (fields.length < 5) continue;
                String mountPoint = unescapeMountinfo(fields[4]);
                if (mountPoint.equals(prefix) || mountPoint.startsWith(prefix + "/")) return mountPoint;
                int sep = line.indexOf(" - ");
                if (sep >= 0 && line.substring(sep).contains("upperdir=" + prefix + "/")) return "overlay at " + mountPoint;
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + MOUNTINFO, e);
        }
    }

    /** mountinfo writes space, tab, newline and backslash as three-digit octal escapes. */
    static String unescapeMountinfo(String field) {
        if (field.indexOf('\\') < 0) return field;
        var out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    // ---- on disk -----------------------------------------------------------------------------------------

    /** What a container layer's layer.json holds. */
    record ContainerLayer(String chainId) {}

    private Path layerDir(String chainId) {
        return layersDir.resolve(Digest.parse(chainId).hex());
    }

    private Path containerDir(String containerId) {
        return containersDir.resolve(containerId);
    }

    private static void checkContainerId(String containerId) {
        if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
            throw EngineException.invalid("invalid container id %s", containerId);
        }
    }

    private void loadLayers() throws IOException {
        try (var dirs = Files.list(layersDir)) {
            for (Path dir : dirs.toList()) {
                if (dir.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) continue;
                try {
                    var info = Json.read(Files.readAllBytes(dir.resolve(LAYER_JSON)), LayerInfo.class);
                    if (!Digest.parse(info.chainId()).hex().equals(dir.getFileName().toString())) {
                        throw new IOException("layer.json names " + info.chainId());
                    }
                    layers.put(info.chainId(), info);
                } catch (IOException | RuntimeException e) {
                    log.warn("ignoring the unreadable layer {}: {}", dir, e.getMessage());
                }
            }
        }
    }

    private void loadContainers() throws IOException {
        try (var dirs = Files.list(containersDir)) {
            for (Path dir : dirs.toList()) {
                if (dir.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) continue;
                try {
                    var layer = Json.read(Files.readAllBytes(dir.resolve(LAYER_JSON)), ContainerLayer.class);
                    containers.put(dir.getFileName().toString(), layer.chainId() == null ? "" : layer.chainId());
                } catch (IOException | RuntimeException e) {
                    log.warn("ignoring the unreadable container layer {}: {}", dir, e.getMessage());
                }
            }
        }
    }

    /** Removes what a crash left mid-way: unpacks, half-created container layers, half-done deletions. */
    private static void sweepTemporaries(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                if (p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) deleteQuietly(p);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            FileTrees.deleteRecursively(p);
        } catch (IOException e) {
            log.warn("could not delete {} (retried at the next start): {}", p, e.getMessage());
        }
    }
}
