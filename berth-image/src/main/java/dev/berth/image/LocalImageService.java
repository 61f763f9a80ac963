package dev.berth.image;

import dev.berth.common.EngineException;
import dev.berth.common.Ids;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images on this machine: config blobs in a {@link ContentStore} ({@code <root>/blobs/sha256/<hex>}, the hex being
 * the image id), names in {@code <root>/repositories.json}, layers in an {@link OverlayLayerStore}, the parent of a
 * committed image in {@link ImageParents} ({@code <root>/parents}).
 *
 * <p>Crash safety comes from ordering: an import commits the layer, then the config, then the name (a commit writes
 * the parent link before the config); a removal drops names, then the config, then the parent link, then layers. Whatever a crash interrupts, the store is consistent at the next start, which
 * drops names of missing images and deletes layers no image uses.
 *
 * <p>Thread-safe: lookups share a read lock; changes take the write lock. Unpacking an import, the slow part, runs
 * before the lock is taken.
 */
public final class LocalImageService implements ImageService {
    private static final Logger log = LoggerFactory.getLogger(LocalImageService.class);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-f]{1,64}");

    private final OverlayLayerStore layers;
    private final ContentStore configs;
    private final ReferenceStore references;
    private final ImageParents parents;
    private final Map<String, StoredImage> images = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Archives being loaded are spooled here; whatever a crash left is deleted at start. */
    private final Path tmpDir;

    /**
     * An image as kept in memory: its config, the chain ids of its layers, bottom first, and the id of the image it
     * was committed from, or null.
     */
    private record StoredImage(String id, ConfigFile config, List<String> chainIds, String parent) {
        String topChainId() {
            return chainIds.isEmpty() ? "" : chainIds.getLast();
        }
    }

    public LocalImageService(Path root, OverlayLayerStore layers) {
        this.layers = layers;
        this.tmpDir = root.resolve("tmp");
        sweepSpools();
        this.configs = new ContentStore(root.resolve("blobs"));
        this.references = new ReferenceStore(root.resolve("repositories.json"));
        this.parents = new ImageParents(root.resolve("parents"));
        load();
    }

    // ---- lookups -----------------------------------------------------------------------------------------

    @Override
    public Image resolve(String nameOrId) {
        lock.readLock().lock();
        try {
            return toImage(find(nameOrId));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Image> list() {
        lock.readLock().lock();
        try {
            return images.values().stream().map(this::toImage).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Docker's lookup order (daemon/images GetImage): a full id ({@code sha256:} optional), then a name, normalized,
     * then an id prefix. Names that do not parse are an InvalidArgument, as in Docker.
     */
    private StoredImage find(String nameOrId) {
        if (nameOrId == null || nameOrId.isEmpty()) throw EngineException.notFound("No such image: ");
        if (HEX64.matcher(nameOrId).matches()) return byId("sha256:" + nameOrId, "sha256:" + nameOrId);
        if (nameOrId.startsWith("sha256:") && HEX64.matcher(nameOrId.substring(7)).matches()) return byId(nameOrId, nameOrId);
        ImageRef ref = ImageRef.parse(nameOrId);
        Optional<String> named = references.get(ref);
        if (named.isPresent() && images.containsKey(named.get())) return images.get(named.get());
        String prefix = nameOrId.startsWith("sha256:") ? nameOrId.substring(7) : nameOrId;
        if (!ref.hasDigest() && HEX_PREFIX.matcher(prefix).matches()) {
            var matches = images.keySet().stream().filter(id -> id.startsWith("sha256:" + prefix)).limit(2).toList();
            if (matches.size() == 1) return images.get(matches.getFirst());
        }
        // Docker prints the normalized familiar form: "nope" is reported as "nope:latest".
        throw EngineException.notFound("No such image: %s", ref);
    }

    private StoredImage byId(String id, String shown) {
        StoredImage image = images.get(id);
        if (image == null) throw EngineException.notFound("No such image: %s", shown);
        return image;
    }

    private Image toImage(StoredImage s) {
        var tags = new ArrayList<String>();
        var digests = new ArrayList<String>();
        for (ImageRef ref : references.referencesTo(s.id())) {
            if (ref.hasDigest()) digests.add(ref.familiarName() + "@" + ref.digest());
            else tags.add(ref.toString());
        }
        long size = 0;
        for (String chainId : s.chainIds()) size += layers.layer(chainId).map(LayerInfo::size).orElse(0L);
        ConfigFile c = s.config();
        return new Image(s.id(), List.copyOf(tags), List.copyOf(digests), s.parent() == null ? "" : s.parent(), c.comment(), c.created(), c.author(),
                c.architecture(), c.os(), c.config(), c.diffIds(), s.topChainId(), size);
    }

    // ---- changes -----------------------------------------------------------------------------------------

    @Override
    public Image importRootfs(InputStream tar, ImportOptions options) {
        ImageRef ref = options == null || options.reference() == null || options.reference().isEmpty()
                ? null : ImageRef.parse(options.reference());
        if (ref != null && ref.hasDigest()) throw EngineException.invalid("cannot import digest reference");
        try (var pending = layers.unpack(tar)) {
            lock.writeLock().lock();
            try {
                LayerInfo layer = layers.commit(pending, null);
                try {
                    var config = ConfigFile.forImport(options == null ? null : options.config(),
                            options == null ? null : options.message(), Instant.now(), layer.diffId());
                    String id = configs.put(config.toJson()).toString();
                    var image = new StoredImage(id, config, List.of(layer.chainId()), null);
                    images.put(id, image);
                    if (ref != null) references.put(ref, id);
                    return toImage(image);
                } catch (RuntimeException e) {
                    if (!isLayerUsed(layer.chainId(), null)) layers.deleteLayer(layer.chainId());
                    throw e;
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    @Override
    public Image commit(String parentImageId, InputStream layerTar, CommitOptions options) {
        ImageRef ref = options.reference() == null || options.reference().isEmpty() ? null : ImageRef.parse(options.reference());
        if (ref != null && ref.hasDigest()) throw EngineException.invalid("cannot commit to a digest reference");
        try (var pending = layers.unpack(layerTar)) {
            lock.writeLock().lock();
            try {
                StoredImage parent = byId(parentImageId, parentImageId);
                byte[] parentConfig = configs.get(Digest.parse(parent.id()))
                        .orElseThrow(() -> EngineException.failure("the config of image %s is missing or damaged", parent.id()));
                String diffId = pending.diffId().toString();
                boolean empty = diffId.equals(CommitConfig.EMPTY_LAYER_DIFF_ID);
                var chain = new ArrayList<>(parent.chainIds());
                LayerInfo layer = null;
                if (!empty) {
                    layer = layers.commit(pending, parent.chainIds().isEmpty() ? null : parent.topChainId());
                    chain.add(layer.chainId());
                }
                Digest configId = null;
                try {
                    byte[] json = CommitConfig.derive(parentConfig, options, diffId, Instant.now());
                    configId = Digest.of(json);
                    parents.put(configId, parent.id()); // before the config, which makes the image
                    String id = configs.put(json).toString();
                    var image = new StoredImage(id, ConfigFile.parse(json), List.copyOf(chain), parent.id());
                    images.put(id, image);
                    if (ref != null) references.put(ref, id);
                    return toImage(image);
                } catch (RuntimeException e) {
                    if (configId != null && !images.containsKey(configId.toString())) parents.delete(configId);
                    if (layer != null && !isLayerUsed(layer.chainId(), null)) layers.deleteLayer(layer.chainId());
                    throw e;
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    @Override
    public void tag(String source, String target) {
        ImageRef ref = ImageRef.parse(target);
        if (ref.hasDigest()) throw EngineException.invalid("refusing to create a tag with a digest reference");
        if (ref.familiarName().equals(Digest.SHA256)) {
            throw EngineException.invalid("refusing to create an ambiguous tag using digest algorithm as name");
        }
        lock.writeLock().lock();
        try {
            references.put(ref, find(source).id());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Docker's rules (daemon/images/image_delete.go), with {@code inUse} standing for "a container uses it": by
     * name, untag; if that was the last name, delete the image too unless a container uses it (then it stays,
     * dangling). By id, untag everything and delete. Refused without {@code force}: the only name of an image a
     * container uses, an image in use by id, an image with several names by id. Forced removal of an image in use
     * untags it and keeps it. An image other images were committed from is never deleted (by id, a conflict even
     * forced; by its last name, it is untagged and stays). Unless {@code noPrune}, deleting an image deletes its
     * parents too as long as they have no name, no other child and no container.
     */
    @Override
    public List<DeleteResponse> remove(String nameOrId, boolean force, boolean noPrune, Predicate<String> inUse) {
        lock.writeLock().lock();
        try {
            StoredImage image = find(nameOrId);
            String id = image.id();
            String shortId = Ids.shortId(id.substring(7));
            List<ImageRef> refs = references.referencesTo(id);
            boolean used = inUse.test(id);
            var records = new ArrayList<DeleteResponse>();
            if (!isIdPrefix(id, nameOrId)) {
                ImageRef ref = ImageRef.parse(nameOrId);
                if (!force && refs.size() == 1 && used) {
                    throw EngineException.conflict("conflict: unable to remove repository reference \"%s\" (must force) "
                            + "- a container is using its referenced image %s", nameOrId, shortId);
                }
                untag(ref, records);
                if (!references.referencesTo(id).isEmpty() || used || hasChildren(id)) return records;
                delete(image, records);
                if (!noPrune) pruneParents(image, inUse, records);
                return records;
            }
            if (hasChildren(id)) {
                throw EngineException.conflict("conflict: unable to delete %s (cannot be forced) - image has dependent "
                        + "child images", shortId);
            }
            if (used) {
                if (!force) {
                    throw EngineException.conflict("conflict: unable to delete %s (must be forced) - image is being used by "
                            + "stopped container", shortId);
                }
                refs.forEach(r -> untag(r, records));
                return records;
            }
            if (refs.size() > 1 && !force) {
                throw EngineException.conflict("conflict: unable to delete %s (must be forced) - image is referenced in "
                        + "multiple repositories", shortId);
            }
            refs.forEach(r -> untag(r, records));
            delete(image, records);
            if (!noPrune) pruneParents(image, inUse, records);
            return records;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private boolean hasChildren(String id) {
        return images.values().stream().anyMatch(i -> id.equals(i.parent()));
    }

    /** Deletes the parents of a deleted image upwards while each has no name, no child left and no container. */
    private long pruneParents(StoredImage deleted, Predicate<String> inUse, List<DeleteResponse> records) {
        long freed = 0;
        for (StoredImage p = images.get(deleted.parent()); p != null; p = images.get(p.parent())) {
            if (!references.referencesTo(p.id()).isEmpty() || hasChildren(p.id()) || inUse.test(p.id())) break;
            freed += delete(p, records);
        }
        return freed;
    }

    private static boolean isIdPrefix(String id, String typed) {
        return id.startsWith("sha256:" + typed) || id.startsWith(typed);
    }

    private void untag(ImageRef ref, List<DeleteResponse> records) {
        references.remove(ref);
        records.add(DeleteResponse.untag(ref.toString()));
    }

    /**
     * Config first, then layers top down: a crash in between leaves only unused layers, swept at start.
     *
     * @return the bytes the deleted layers held
     */
    private long delete(StoredImage image, List<DeleteResponse> records) {
        configs.delete(Digest.parse(image.id()));
        parents.delete(Digest.parse(image.id()));
        images.remove(image.id());
        records.add(DeleteResponse.deletedImage(image.id()));
        long freed = 0;
        for (String chainId : image.chainIds().reversed()) {
            if (isLayerUsed(chainId, image.id())) break;
            long size = layers.layer(chainId).map(LayerInfo::size).orElse(0L);
            if (!layers.deleteLayer(chainId)) break;
            freed += size;
            records.add(DeleteResponse.deletedLayer(chainId));
        }
        return freed;
    }

    private boolean isLayerUsed(String chainId, String exceptImageId) {
        return images.values().stream().anyMatch(i -> !i.id().equals(exceptImageId) && i.chainIds().contains(chainId));
    }

    // ---- archives, history, clean-up -------------------------------------------------------------------

    @Override
    public Archive save(List<String> names) {
        if (names == null || names.isEmpty()) throw EngineException.invalid("no images given to save");
        var saved = new ArrayList<ImageArchiveWriter.SavedImage>();
        lock.readLock().lock();
        try {
            var tags = new LinkedHashMap<String, List<ImageRef>>();
            for (String name : names) {
                for (var e : selectForSave(name).entrySet()) {
                    var list = tags.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                    e.getValue().stream().filter(r -> !list.contains(r)).forEach(list::add);
                }
            }
            for (var e : tags.entrySet()) {
                StoredImage s = images.get(e.getKey());
                byte[] config = configs.get(Digest.parse(s.id()))
                        .orElseThrow(() -> EngineException.failure("the config of image %s is missing or damaged", s.id()));
                // Refuse now, before the first byte, if a layer's tar cannot be given back.
                s.chainIds().forEach(layers::tarSize);
                String parent = s.parent() != null && tags.containsKey(s.parent()) ? s.parent() : null;
                saved.add(new ImageArchiveWriter.SavedImage(s.id(), config, s.config().diffIds(), s.chainIds(), e.getValue(), parent));
            }
        } finally {
            lock.readLock().unlock();
        }
        var source = new ImageArchiveWriter.Layers() {
            @Override
            public long tarSize(String chainId) {
                return layers.tarSize(chainId);
            }

            @Override
            public void writeTar(String chainId, java.io.OutputStream out) throws java.io.IOException {
                layers.writeTar(chainId, out);
            }
        };
        return new Archive() {
            @Override
            public List<String> imageIds() {
                return saved.stream().map(ImageArchiveWriter.SavedImage::id).toList();
            }

            @Override
            public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                ImageArchiveWriter.write(saved, source, out);
            }
        };
    }

    /**
     * Docker's save names (image/tarexport): an id or id prefix saves the image without names; name:tag that tag; a
     * repository without a tag every tag it has.
     */
    private Map<String, List<ImageRef>> selectForSave(String name) {
        boolean byId = HEX64.matcher(name).matches() || name.startsWith("sha256:");
        if (!byId) {
            ImageRef ref = ImageRef.parse(name);
            String last = name.substring(name.lastIndexOf('/') + 1);
            if (!ref.hasDigest() && !last.contains(":")) {
                var out = new LinkedHashMap<String, List<ImageRef>>();
                for (ImageRef tag : references.tagsOf(ref.fullName())) {
                    String id = references.get(tag).orElseThrow();
                    if (images.containsKey(id)) out.computeIfAbsent(id, k -> new ArrayList<>()).add(tag);
                }
                if (!out.isEmpty()) return out;
            }
            Optional<String> named = references.get(ref);
            if (named.isPresent() && images.containsKey(named.get())) {
                return Map.of(named.get(), ref.hasDigest() ? List.of() : List.of(ref));
            }
        }
        return Map.of(find(name).id(), List.of());
    }

    @Override
    public List<String> load(InputStream archive) {
        Path spool = tmpDir.resolve("load-" + UUID.randomUUID());
        var pending = new LinkedHashMap<String, PendingLayer>();
        try (var reader = ImageArchiveReader.spool(archive, spool)) {
            var archived = reader.images();
            // Unpack and check every new layer before anything becomes visible.
            for (var image : archived) {
                List<String> chainIds = chainIds(image.diffIds());
                for (int i = 0; i < chainIds.size(); i++) {
                    String chainId = chainIds.get(i);
                    if (pending.containsKey(chainId)) continue;
                    Digest diffId;
                    try (var in = reader.open(image.layers().get(i))) {
                        if (layers.layer(chainId).isPresent()) {
                            // Stored already: not unpacked again, but a damaged archive is still refused.
                            diffId = uncompressedDigest(in);
                        } else {
                            PendingLayer layer = layers.unpack(in);
                            pending.put(chainId, layer);
                            diffId = layer.diffId();
                        }
                        in.verify();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    if (!diffId.toString().equals(image.diffIds().get(i))) {
                        throw EngineException.invalid("invalid archive: layer %s does not match the image config: "
                                + "its diff_id is %s, the config names %s", image.layers().get(i).path(), diffId,
                                image.diffIds().get(i));
                    }
                }
            }
            afterUnpack.run();
            lock.writeLock().lock();
            try {
                return commitLoaded(archived, pending);
            } finally {
                lock.writeLock().unlock();
            }
        } finally {
            pending.values().forEach(PendingLayer::close);
        }
    }

    private static Digest uncompressedDigest(InputStream layer) {
        var sha = Digest.newSha256();
        byte[] buffer = new byte[64 * 1024];
        try {
            // Not closed here: the caller still drains and checks the compressed stream.
            var in = Compression.decompressing(layer);
            int n;
            while ((n = in.read(buffer)) > 0) sha.update(buffer, 0, n);
        } catch (java.io.IOException e) {
            throw new EngineException.InvalidArgument("invalid archive: " + e.getMessage(), e);
        }
        return Digest.fromHash(sha.digest());
    }

    /** Tests only: runs between a load's unpacking (no lock held) and its commit. */
    private Runnable afterUnpack = () -> {};

    void afterUnpack(Runnable hook) {
        this.afterUnpack = hook;
    }

    /**
     * Layers bottom up, then configs, then names; undone if anything fails on the way. A layer the archive found
     * stored already may have been deleted since (the unpacking holds no lock): then the load fails rather than
     * register an image without it.
     */
    private List<String> commitLoaded(List<ImageArchiveReader.ArchivedImage> archived, Map<String, PendingLayer> pending) {
        var committed = new ArrayList<String>();
        var added = new ArrayList<String>();
        try {
            for (var image : archived) {
                String parent = null;
                for (String chainId : chainIds(image.diffIds())) {
                    PendingLayer layer = pending.get(chainId);
                    if (layer != null && !layer.isDone()) {
                        layers.commit(layer, parent);
                        committed.add(chainId);
                    } else if (layers.layer(chainId).isEmpty()) {
                        throw EngineException.conflict("layer %s of image %s was deleted while the archive was "
                                + "being loaded; load it again", chainId, image.id());
                    }
                    parent = chainId;
                }
            }
            Map<String, String> parentOf = validParents(archived);
            for (var image : archived) {
                if (images.containsKey(image.id())) continue;
                String parent = parentOf.get(image.id());
                added.add(image.id());
                if (parent != null) parents.put(Digest.parse(image.id()), parent); // before the config, as a commit
                if (!configs.put(image.config()).toString().equals(image.id())) throw new IllegalStateException("config digest changed");
                images.put(image.id(), new StoredImage(image.id(), ConfigFile.parse(image.config()), chainIds(image.diffIds()), parent));
            }
        } catch (RuntimeException e) {
            for (String id : added) {
                images.remove(id);
                configs.delete(Digest.parse(id));
                parents.delete(Digest.parse(id));
            }
            for (String chainId : committed.reversed()) {
                if (!isLayerUsed(chainId, null)) layers.deleteLayer(chainId);
            }
            throw e;
        }
        var messages = new ArrayList<String>();
        for (var image : archived) {
            if (image.tags().isEmpty()) messages.add("Loaded image ID: " + image.id());
            for (ImageRef tag : image.tags()) {
                Optional<String> previous = references.get(tag);
                if (previous.isPresent() && !previous.get().equals(image.id())) {
                    messages.add("The image %s already exists, renaming the old one with ID %s to empty string"
                            .formatted(tag, previous.get()));
                }
                references.put(tag, image.id());
                messages.add("Loaded image: " + tag);
            }
        }
        return messages;
    }

    /**
     * The parents an archive names (manifest.json's "Parent", which docker save writes when it saves both), as dockerd
     * takes them: the parent must be in the archive or stored, and its layers the bottom of the child's; else the
     * load is refused.
     */
    private Map<String, String> validParents(List<ImageArchiveReader.ArchivedImage> archived) {
        var diffIds = new HashMap<String, List<String>>();
        images.values().forEach(i -> diffIds.put(i.id(), i.config().diffIds()));
        archived.forEach(i -> diffIds.put(i.id(), i.diffIds()));
        var out = new HashMap<String, String>();
        for (var image : archived) {
            if (image.parent() == null) continue;
            List<String> parentLayers = diffIds.get(image.parent());
            if (parentLayers == null || parentLayers.size() > image.diffIds().size()
                    || !image.diffIds().subList(0, parentLayers.size()).equals(parentLayers)) {
                throw EngineException.invalid("invalid archive: image %s is not a valid parent for %s", image.parent(), image.id());
            }
            out.put(image.id(), image.parent());
        }
        return out;
    }

    @Override
    public List<HistoryItem> history(String nameOrId) {
        lock.readLock().lock();
        try {
            StoredImage s = find(nameOrId);
            byte[] config = configs.get(Digest.parse(s.id()))
                    .orElseThrow(() -> EngineException.failure("the config of image %s is missing or damaged", s.id()));
            var out = new ArrayList<HistoryItem>();
            int layer = 0;
            for (var h : ImageHistory.parse(config)) {
                long size = 0;
                if (!h.emptyLayer()) {
                    if (layer >= s.chainIds().size()) throw EngineException.failure("too many non-empty layers in History section");
                    size = layers.layer(s.chainIds().get(layer)).map(LayerInfo::size).orElse(0L);
                    layer++;
                }
                out.addFirst(new HistoryItem("<missing>", h.created().getEpochSecond(), h.createdBy(), null, size, h.comment()));
            }
            // As dockerd: the newest entry is the image's, each older one its parent's, while there are parents.
            StoredImage owner = s;
            for (int i = 0; i < out.size() && owner != null; i++) {
                HistoryItem h = out.get(i);
                List<String> tags = toImage(owner).repoTags();
                out.set(i, new HistoryItem(owner.id(), h.created(), h.createdBy(), tags.isEmpty() ? null : tags, h.size(), h.comment()));
                owner = images.get(owner.parent());
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public PruneReport prune(Predicate<Image> select, Predicate<String> inUse) {
        lock.writeLock().lock();
        try {
            var records = new ArrayList<DeleteResponse>();
            long reclaimed = 0;
            // Children first: an image others were committed from goes in a later round, once they are gone.
            boolean deleted;
            do {
                deleted = false;
                for (StoredImage s : List.copyOf(images.values())) {
                    if (hasChildren(s.id()) || inUse.test(s.id()) || !select.test(toImage(s))) continue;
                    references.referencesTo(s.id()).forEach(r -> untag(r, records));
                    reclaimed += delete(s, records);
                    deleted = true;
                }
            } while (deleted);
            return new PruneReport(records, reclaimed);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public DiskUsage diskUsage() {
        lock.readLock().lock();
        try {
            var users = new HashMap<String, Integer>();
            images.values().forEach(i -> i.chainIds().forEach(c -> users.merge(c, 1, Integer::sum)));
            long total = layers.layers().stream().mapToLong(LayerInfo::size).sum();
            var rows = new ArrayList<ImageUsage>();
            for (StoredImage s : images.values()) {
                long shared = s.chainIds().stream().filter(c -> users.get(c) > 1)
                        .mapToLong(c -> layers.layer(c).map(LayerInfo::size).orElse(0L)).sum();
                rows.add(new ImageUsage(toImage(s), shared));
            }
            return new DiskUsage(total, rows);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- start-up ----------------------------------------------------------------------------------------

    private void load() {
        Map<String, String> parentLinks = parents.all();
        for (Digest digest : configs.list()) {
            var blob = configs.get(digest);
            if (blob.isEmpty()) continue;
            try {
                var config = ConfigFile.parse(blob.get());
                var chainIds = chainIds(config.diffIds());
                var missing = chainIds.stream().filter(c -> layers.layer(c).isEmpty()).toList();
                if (!missing.isEmpty()) {
                    log.warn("image {} is missing layers {}; ignoring it", digest, missing);
                    continue;
                }
                images.put(digest.toString(), new StoredImage(digest.toString(), config, chainIds, parentLinks.get(digest.toString())));
            } catch (RuntimeException e) {
                log.warn("ignoring the unreadable image config {}: {}", digest, e.getMessage());
            }
        }
        references.retainImages(images::containsKey);
        // Links of images a crash kept from being made (the link comes first) or from being removed completely.
        for (String child : parentLinks.keySet()) if (!images.containsKey(child)) parents.delete(Digest.parse(child));
        // Layers whose image never got its config (a crash mid-import) or lost it (mid-removal).
        Set<String> wanted = new HashSet<>();
        images.values().forEach(i -> wanted.addAll(i.chainIds()));
        // Repeat until nothing changes: a parent can go only after its children.
        boolean deleted;
        do {
            deleted = false;
            for (LayerInfo layer : layers.layers()) {
                if (!wanted.contains(layer.chainId()) && layers.deleteLayer(layer.chainId())) {
                    log.info("deleted the unused layer {}", layer.chainId());
                    deleted = true;
                }
            }
        } while (deleted);
    }

    private void sweepSpools() {
        try {
            FileTrees.deleteRecursively(tmpDir);
            java.nio.file.Files.createDirectories(tmpDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("preparing " + tmpDir + ": " + e.getMessage(), e);
        }
    }

    static List<String> chainIds(List<String> diffIds) {
        var out = new ArrayList<String>(diffIds.size());
        Digest parent = null;
        for (String diffId : diffIds) {
            parent = Digest.chainId(parent, Digest.parse(diffId));
            out.add(parent.toString());
        }
        return out;
    }
}
