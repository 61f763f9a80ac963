package dev.berth.image;

import dev.berth.common.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;

/**
 * Reads what {@code docker save}, {@code podman save} and {@code skopeo copy ... docker-archive:/oci-archive:} write:
 * a docker-archive (its {@code manifest.json} is preferred, as Docker does) or else an OCI image layout. The archive
 * (plain or compressed) is first spooled into a private directory, since {@code manifest.json} may come after the
 * layers; the entries are plain files and directories there, and links in the archive are kept as a table, never
 * created, so nothing in an archive can point outside it.
 *
 * <p>Refused with {@link EngineException.InvalidArgument}: names that are absolute or climb out with {@code ..},
 * links whose target leaves the archive, corrupt or truncated tars, blobs that do not match their digest, manifests
 * that name missing files or do not match their config. Layer contents are checked by the caller, which unpacks them
 * and compares their diff_ids with the config's.
 */
final class ImageArchiveReader implements AutoCloseable {
    private static final long MAX_JSON = 16L << 20;
    private static final int MAX_LINK_HOPS = 16;
    private static final Set<String> LAYER_TYPES = Set.of(
            "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar+zstd",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
            "application/vnd.docker.image.rootfs.diff.tar",
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
    private static final Set<String> INDEX_TYPES = Set.of(
            ImageArchiveWriter.OCI_INDEX, "application/vnd.docker.distribution.manifest.list.v2+json");

    private final Path dir;
    private final Map<String, String> links = new HashMap<>();

    /** An image found in the archive. {@code layers} line up with the config's {@code diffIds}. */
    /** {@code parent}: manifest.json's "Parent" (the image it was committed from, saved alongside), else null. */
    record ArchivedImage(String id, byte[] config, List<String> diffIds, List<LayerFile> layers, List<ImageRef> tags,
                         String parent) {}

    /** A layer's file in the archive; {@code digest} is the blob digest to check, or null where the name carries none. */
    record LayerFile(String path, Digest digest) {}

    private ImageArchiveReader(Path dir) {
        this.dir = dir;
    }

    /** Spools {@code archive} into {@code dir}, which must not exist yet; the directory is deleted on failure. */
    static ImageArchiveReader spool(InputStream archive, Path dir) {
        var reader = new ImageArchiveReader(dir);
        try {
            Files.createDirectories(dir);
            reader.extract(archive);
            return reader;
        } catch (IOException | RuntimeException e) {
            reader.close();
            if (e instanceof EngineException ee) throw ee;
            if (e instanceof IOException io) {
                throw new EngineException.InvalidArgument("invalid archive: " + message(io), io);
            }
            throw (RuntimeException) e;
        }
    }

    private void extract(InputStream archive) throws IOException {
        var tar = new TarArchiveInputStream(read(() -> Compression.decompressing(archive)), StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        int entries = 0;
        while ((e = read(tar::getNextEntry)) != null) {
            entries++;
            if (!e.isCheckSumOK()) throw invalid("invalid tar header");
            String name = clean(e.getName());
            if (name == null) {
                if (e.isDirectory()) continue;
                throw invalid("invalid entry " + e.getName() + ": path escapes the archive");
            }
            Path target = dir.resolve(name);
            if (e.isDirectory()) {
                mkdirs(target);
            } else if (e.isSymbolicLink()) {
                String parent = Path.of(name).getParent() == null ? "" : Path.of(name).getParent().toString();
                String resolved = e.getLinkName().startsWith("/") ? null : clean(parent.isEmpty() ? e.getLinkName() : parent + "/" + e.getLinkName());
                if (resolved == null) throw invalid("invalid entry " + e.getName() + ": link to " + e.getLinkName() + " leaves the archive");
                links.put(name, resolved);
            } else if (e.isLink()) {
                String resolved = clean(e.getLinkName());
                if (resolved == null) throw invalid("invalid entry " + e.getName() + ": link to " + e.getLinkName() + " leaves the archive");
                links.put(name, resolved);
            } else if (e.isFile()) {
                mkdirs(target.getParent());
                var attrs = lstat(target);
                if (attrs != null && attrs.isDirectory()) throw invalid("invalid entry " + e.getName() + ": a directory of that name exists");
                read(() -> Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING));
                if (Files.size(target) != e.getSize()) throw invalid("unexpected EOF");
            } else {
                throw invalid("invalid entry " + e.getName() + ": unexpected entry type " + (char) e.getLinkFlag());
            }
        }
        if (entries == 0) throw invalid("empty archive");
    }

    private void mkdirs(Path d) throws IOException {
        // Components are plain directories: nothing here creates links, so createDirectories stays inside.
        Path p = dir;
        for (Path c : dir.relativize(d)) {
            p = p.resolve(c);
            var attrs = lstat(p);
            if (attrs == null) Files.createDirectory(p);
            else if (!attrs.isDirectory()) throw invalid(dir.relativize(p) + " is both a file and a directory");
        }
    }

    // ---- images ------------------------------------------------------------------------------------------

    List<ArchivedImage> images() {
        if (exists("manifest.json")) return dockerArchive();
        if (exists("index.json")) return ociLayout();
        throw invalid("no manifest.json or index.json: not a docker-archive or OCI layout");
    }

    private List<ArchivedImage> dockerArchive() {
        JsonNode manifest = json("manifest.json");
        if (!manifest.isArray()) throw invalid("manifest.json is not a list");
        var images = new LinkedHashMap<String, ArchivedImage>();
        for (JsonNode entry : manifest) {
            String configPath = text(entry, "Config");
            byte[] config = bytes(configPath);
            ConfigFile parsed = parseConfig(config, configPath);
            String id = Digest.of(config).toString();
            Digest named = digestInName(configPath);
            if (named != null && !named.toString().equals(id)) throw invalid(configPath + " does not match its digest");
            var layers = new ArrayList<LayerFile>();
            for (JsonNode l : entry.path("Layers")) {
                String path = l.asString();
                layers.add(new LayerFile(path, digestInName(path)));
            }
            checkLayerCount(parsed, layers.size());
            var tags = new ArrayList<ImageRef>();
            for (JsonNode t : entry.path("RepoTags")) tags.add(tag(t.asString()));
            String parent = entry.path("Parent").asString(null);
            if (parent != null) parent = digest(parent).toString();
            merge(images, new ArchivedImage(id, config, parsed.diffIds(), layers, tags, parent));
        }
        return List.copyOf(images.values());
    }

    private List<ArchivedImage> ociLayout() {
        JsonNode index = json("index.json");
        var images = new LinkedHashMap<String, ArchivedImage>();
        for (JsonNode d : index.path("manifests")) ociManifest(d, images, 0, null);
        if (images.isEmpty()) throw invalid("index.json lists no image for " + ConfigFile.hostArchitecture());
        return List.copyOf(images.values());
    }

    private void ociManifest(JsonNode descriptor, Map<String, ArchivedImage> images, int depth, ImageRef inherited) {
        if (depth > 4) throw invalid("indexes nested too deep");
        ImageRef tag = inherited != null ? inherited : nameFromAnnotations(descriptor.path("annotations"));
        Digest digest = digest(text(descriptor, "digest"));
        byte[] blob = verifiedBlob(digest);
        JsonNode m = parse(blob, blobPath(digest));
        String mediaType = descriptor.path("mediaType").asString(m.path("mediaType").asString(""));
        if (INDEX_TYPES.contains(mediaType) || m.has("manifests")) {
            for (JsonNode child : m.path("manifests")) {
                JsonNode platform = child.path("platform");
                if (!platform.isMissingNode() && (!platform.path("os").asString("linux").equals("linux")
                        || !platform.path("architecture").asString(ConfigFile.hostArchitecture()).equals(ConfigFile.hostArchitecture()))) {
                    continue;
                }
                ociManifest(child, images, depth + 1, tag);
            }
            return;
        }
        Digest configDigest = digest(text(m.path("config"), "digest"));
        byte[] config = verifiedBlob(configDigest);
        ConfigFile parsed = parseConfig(config, blobPath(configDigest));
        var layers = new ArrayList<LayerFile>();
        for (JsonNode l : m.path("layers")) {
            String type = l.path("mediaType").asString("");
            if (!LAYER_TYPES.contains(type)) throw invalid("unsupported layer media type " + type);
            Digest ld = digest(text(l, "digest"));
            layers.add(new LayerFile(blobPath(ld), ld));
        }
        checkLayerCount(parsed, layers.size());
        merge(images, new ArchivedImage(configDigest.toString(), config, parsed.diffIds(), layers,
                tag == null ? List.of() : List.of(tag), null));
    }

    /** io.containerd.image.name as Docker writes it; else org.opencontainers.image.ref.name if it is a full name. */
    private static ImageRef nameFromAnnotations(JsonNode annotations) {
        String name = annotations.path(ImageArchiveWriter.CONTAINERD_NAME).asString(null);
        if (name == null) {
            String ref = annotations.path(ImageArchiveWriter.OCI_REF_NAME).asString(null);
            if (ref == null || !(ref.contains(":") || ref.contains("/"))) return null;
            name = ref;
        }
        try {
            ImageRef r = ImageRef.parse(name);
            return r.hasDigest() ? null : r;
        } catch (EngineException e) {
            return null;
        }
    }

    private static void merge(Map<String, ArchivedImage> images, ArchivedImage image) {
        ArchivedImage known = images.get(image.id());
        if (known == null) {
            images.put(image.id(), image);
            return;
        }
        var tags = new ArrayList<>(known.tags());
        image.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
        images.put(image.id(), new ArchivedImage(known.id(), known.config(), known.diffIds(), known.layers(), tags,
                known.parent() != null ? known.parent() : image.parent()));
    }

    private static void checkLayerCount(ConfigFile config, int layers) {
        if (config.diffIds().size() != layers) {
            throw invalid("invalid manifest, layers length mismatch: expected " + config.diffIds().size() + ", got " + layers);
        }
    }

    private static ConfigFile parseConfig(byte[] config, String path) {
        try {
            return ConfigFile.parse(config);
        } catch (RuntimeException e) {
            throw invalid("invalid image config " + path + ": " + e.getMessage());
        }
    }

    private static ImageRef tag(String s) {
        ImageRef r;
        try {
            r = ImageRef.parse(s);
        } catch (EngineException e) {
            throw invalid("invalid tag " + s + ": " + e.getMessage());
        }
        if (r.hasDigest()) throw invalid("invalid tag " + s + ": a digest is not a tag");
        return r;
    }

    // ---- files -------------------------------------------------------------------------------------------

    /**
     * A layer's contents (compressed or not, as stored). With a digest, reading checks it: the stream fails at its
     * end if the bytes do not match, and {@link VerifiedStream#verify()} drains and checks what the reader left.
     */
    VerifiedStream open(LayerFile layer) {
        try {
            return new VerifiedStream(Files.newInputStream(file(layer.path()), LinkOption.NOFOLLOW_LINKS), layer);
        } catch (IOException e) {
            throw new UncheckedIOException("opening " + layer.path() + ": " + e.getMessage(), e);
        }
    }

    static final class VerifiedStream extends ObservedInputStream {
        private final MessageDigest sha = Digest.newSha256();
        private final LayerFile layer;

        VerifiedStream(InputStream in, LayerFile layer) {
            super(in);
            this.layer = layer;
        }

        @Override
        protected void observe(byte[] b, int off, int len) {
            sha.update(b, off, len);
        }

        /** Reads what is left and checks the digest. */
        void verify() {
            try {
                transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (layer.digest() != null && !Digest.fromHash(sha.digest()).equals(layer.digest())) {
                throw invalid("layer " + layer.path() + " does not match its digest " + layer.digest());
            }
        }
    }

    private byte[] verifiedBlob(Digest d) {
        byte[] b = bytes(blobPath(d));
        if (!Digest.of(b).equals(d)) throw invalid(blobPath(d) + " does not match its digest");
        return b;
    }

    private JsonNode json(String path) {
        return parse(bytes(path), path);
    }

    private static JsonNode parse(byte[] b, String path) {
        try {
            return dev.berth.common.Json.MAPPER.readTree(b);
        } catch (RuntimeException e) {
            throw invalid(path + " is not valid JSON");
        }
    }

    private byte[] bytes(String path) {
        Path f = file(path);
        try {
            if (Files.size(f) > MAX_JSON) throw invalid(path + " is too large");
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
        }
    }

    private boolean exists(String path) {
        String name = follow(path);
        return name != null && lstat(dir.resolve(name)) instanceof BasicFileAttributes a && a.isRegularFile();
    }

    /** The spooled file for an archive path, links followed within the archive. */
    private Path file(String path) {
        String name = follow(path);
        if (name == null) throw invalid("invalid path " + path);
        Path f = dir.resolve(name);
        var attrs = lstat(f);
        if (attrs == null || !attrs.isRegularFile()) throw invalid("file " + path + " is missing from the archive");
        return f;
    }

    private String follow(String path) {
        String name = clean(path);
        for (int hops = 0; name != null && links.containsKey(name); hops++) {
            if (hops == MAX_LINK_HOPS) throw invalid("too many links at " + path);
            name = links.get(name);
        }
        return name;
    }

    private static String blobPath(Digest d) {
        return ImageArchiveWriter.blobPath(d);
    }

    private static Digest digestInName(String path) {
        String name = Path.of(path).getFileName().toString();
        if (name.endsWith(".tar")) name = name.substring(0, name.length() - 4);
        if (name.endsWith(".json")) name = name.substring(0, name.length() - 5);
        if (!name.matches("[0-9a-f]{64}")) return null;
        // blobs/sha256/<hex> names a blob by content; older archives' <hex>.json names the config, <id>/layer.tar not.
        return path.startsWith("blobs/sha256/") || path.endsWith(".json") ? new Digest(name) : null;
    }

    private static Digest digest(String s) {
        try {
            return Digest.parse(s);
        } catch (EngineException e) {
            throw invalid("invalid digest " + s);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isString() || v.asString().isEmpty()) throw invalid("missing " + field);
        return v.asString();
    }

    /** Relative, cleaned, inside the archive; null for the root or a name that leaves it. */
    static String clean(String name) {
        return name == null ? null : TarSplit.clean(name);
    }

    private static BasicFileAttributes lstat(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** Failures reading the sender's archive are the sender's: 400. */
    private static <T> T read(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("invalid archive: " + message(e), e);
        }
    }

    private static String message(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.toLowerCase(java.util.Locale.ROOT).contains("truncated") ? "unexpected EOF" : m;
    }

    private static EngineException invalid(String why) {
        return EngineException.invalid("invalid archive: %s", why);
    }

    @Override
    public void close() {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + dir + ": " + e.getMessage(), e);
        }
    }
}
