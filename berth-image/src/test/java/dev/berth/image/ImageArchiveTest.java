package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import dev.berth.image.ImageService.ImportOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** save and load through {@link LocalImageService}: formats, round trips, and archives that must be refused. */
class ImageArchiveTest {
    @TempDir
    Path dataRoot;

    private LocalImageService images;

    @BeforeEach
    void open() {
        images = new LocalImageService(dataRoot.resolve("image"), new OverlayLayerStore(dataRoot.resolve("overlay")));
    }

    private LocalImageService freshStore(String name) {
        return new LocalImageService(dataRoot.resolve(name + "/image"), new OverlayLayerStore(dataRoot.resolve(name + "/overlay")));
    }

    private static byte[] save(ImageService service, String... names) throws IOException {
        var out = new ByteArrayOutputStream();
        service.save(List.of(names)).writeTo(out);
        return out.toByteArray();
    }

    private static Map<String, byte[]> entries(byte[] tar) throws IOException {
        var out = new LinkedHashMap<String, byte[]>();
        try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) out.put(e.getName(), in.readAllBytes());
        }
        return out;
    }

    /** A layer with the kinds of entries a real image has, whiteouts included. */
    private static byte[] richLayer() {
        return new Tars().dir("etc", 0755).file("etc/hello", 0644, "hello\n").symlink("etc/link", "/etc/hello")
                .hardlink("etc/hard", "etc/hello").dir("var/empty", 01777)
                .file("a/" + "very-long-name-".repeat(12) + "end", 04755, "long name\n")
                .file("etc/.wh.gone", 0644, "").file("opaque/.wh..wh..opq", 0644, "").build();
    }

    @Test
    void save_writesDockerArchiveAndOciLayout_sharingBlobs() throws IOException {
        Image image = images.importRootfs(new ByteArrayInputStream(richLayer()), new ImportOptions("busybox:latest", null, null));
        images.tag("busybox:latest", "example.com/team/tool:1.0");
        var tar = entries(save(images, "busybox", "example.com/team/tool:1.0"));

        var names = List.copyOf(tar.keySet());
        assertThat(names.subList(0, 2)).containsExactly("blobs/", "blobs/sha256/");
        assertThat(names.subList(names.size() - 4, names.size())).containsExactly("index.json", "manifest.json", "oci-layout", "repositories");
        // config, layer, manifest: each once, sorted by digest
        var blobs = names.subList(2, names.size() - 4);
        assertThat(blobs).hasSize(3).isSorted();
        var manifest = Json.read(tar.get("manifest.json"), List.class);
        assertThat(manifest).hasSize(1);
        var entry = (Map<?, ?>) manifest.getFirst();
        assertThat(entry.get("Config")).isEqualTo("blobs/sha256/" + image.id().substring(7));
        assertThat(entry.get("RepoTags")).isEqualTo(List.of("busybox:latest", "example.com/team/tool:1.0"));
        String layerPath = (String) ((List<?>) entry.get("Layers")).getFirst();
        // The layer comes back byte for byte: its digest is the config's diff_id.
        assertThat(layerPath).isEqualTo("blobs/sha256/" + image.layers().getFirst().substring(7));
        assertThat(Digest.of(tar.get(layerPath)).toString()).isEqualTo(image.layers().getFirst());
        assertThat(tar.get(layerPath)).isEqualTo(richLayer());

        String index = new String(tar.get("index.json"), StandardCharsets.UTF_8);
        assertThat(index).contains("\"io.containerd.image.name\":\"docker.io/library/busybox:latest\"")
                .contains("\"org.opencontainers.image.ref.name\":\"latest\"")
                .contains("\"io.containerd.image.name\":\"example.com/team/tool:1.0\"");
        assertThat(new String(tar.get("repositories"), StandardCharsets.UTF_8))
                .isEqualTo("{\"busybox\":{\"latest\":\"" + image.id().substring(7) + "\"},\"example.com/team/tool\":{\"1.0\":\""
                        + image.id().substring(7) + "\"}}");
        assertThat(new String(tar.get("oci-layout"), StandardCharsets.UTF_8)).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    @Test
    void saveLoadSave_givesTheSameIdsAndBytes() throws IOException {
        Image first = images.importRootfs(new ByteArrayInputStream(richLayer()), new ImportOptions("one:1", null, null));
        Image second = images.importRootfs(new ByteArrayInputStream(Tars.single("two")), new ImportOptions("two:2", null, null));
        byte[] archive = save(images, "one:1", "two:2");

        var other = freshStore("other");
        assertThat(other.load(new ByteArrayInputStream(archive))).containsExactly("Loaded image: one:1", "Loaded image: two:2");
        assertThat(other.resolve("one:1").id()).isEqualTo(first.id());
        assertThat(other.resolve("two:2").id()).isEqualTo(second.id());
        assertThat(save(other, "one:1", "two:2")).isEqualTo(archive);
    }

    @Test
    void load_failsIfALayerItFoundStoredIsDeletedBeforeItCommits() throws IOException {
        Image a = images.importRootfs(new ByteArrayInputStream(Tars.single("s")), new ImportOptions("a:1", null, null));
        Image b = images.importRootfs(new ByteArrayInputStream(Tars.single("s")), new ImportOptions("b:1", null, "other config"));
        assertThat(b.layers()).isEqualTo(a.layers());
        byte[] archive = save(images, "b:1");
        images.remove("b:1", false, false, id -> false);
        // The layer is there (a:1 uses it) when load looks, and gone when load commits.
        images.afterUnpack(() -> images.remove("a:1", false, false, id -> false));
        assertThatThrownBy(() -> images.load(new ByteArrayInputStream(archive)))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("was deleted while the archive was being loaded");
        assertThat(images.list()).isEmpty();
        images.afterUnpack(() -> {});
        assertThat(images.load(new ByteArrayInputStream(archive))).containsExactly("Loaded image: b:1");
        assertThat(save(images, "b:1")).isEqualTo(archive);
    }

    @Test
    void load_ofAnUntaggedSave_printsTheId_andMovesTagsOffOtherImages() throws IOException {
        Image image = images.importRootfs(new ByteArrayInputStream(Tars.single("x")), new ImportOptions("x:1", null, null));
        byte[] byId = save(images, image.id().substring(7, 19));
        var other = freshStore("other");
        assertThat(other.load(new ByteArrayInputStream(byId))).containsExactly("Loaded image ID: " + image.id());

        Image old = other.importRootfs(new ByteArrayInputStream(Tars.single("old")), new ImportOptions("x:1", null, null));
        assertThat(other.load(new ByteArrayInputStream(save(images, "x:1")))).containsExactly(
                "The image x:1 already exists, renaming the old one with ID " + old.id() + " to empty string",
                "Loaded image: x:1");
        assertThat(other.resolve("x:1").id()).isEqualTo(image.id());
        assertThat(other.resolve(old.id()).repoTags()).isEmpty();
    }

    @Test
    void load_readsOciLayoutsWithGzipAndZstdLayers() throws IOException {
        byte[] layer = Tars.single("oci");
        Digest diffId = Digest.of(layer);
        byte[] gz = gzip(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + diffId + "\"]},\"history\":[{\"created_by\":\"made by hand\"}]}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.of(config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + Digest.of(gz) + "\",\"size\":" + gz.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] index = ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"" + Digest.of(manifest) + "\",\"size\":" + manifest.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"oci/thing:v1\"}}]}").getBytes(StandardCharsets.UTF_8);
        byte[] archive = archive(Map.of(
                "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8),
                "index.json", index,
                "blobs/sha256/" + Digest.of(manifest).hex(), manifest,
                "blobs/sha256/" + Digest.of(config).hex(), config,
                "blobs/sha256/" + Digest.of(gz).hex(), gz));
        assertThat(images.load(new ByteArrayInputStream(archive))).containsExactly("Loaded image: oci/thing:v1");
        Image loaded = images.resolve("oci/thing:v1");
        assertThat(loaded.id()).isEqualTo(Digest.of(config).toString());
        var history = images.history("oci/thing:v1");
        assertThat(history).singleElement().satisfies(h -> {
            assertThat(h.id()).isEqualTo(loaded.id());
            assertThat(h.createdBy()).isEqualTo("made by hand");
            assertThat(h.tags()).containsExactly("oci/thing:v1");
        });
        // Saved again, the layer is the uncompressed tar its diff_id names.
        assertThat(Digest.of(entries(save(images, "oci/thing:v1")).get("blobs/sha256/" + diffId.hex()))).isEqualTo(diffId);
    }

    @Test
    void load_refusesHostileAndCorruptArchives_leavingTheStoreUnchanged() throws IOException {
        images.importRootfs(new ByteArrayInputStream(richLayer()), new ImportOptions("keep:1", null, null));
        byte[] good = save(images, "keep:1");
        var target = freshStore("target");
        List<String> before = storeFiles(dataRoot.resolve("target"));

        var slip = archiveWithExtra(good, "../../escaped", "boom".getBytes(StandardCharsets.UTF_8));
        var absolute = archiveWithExtra(good, "/tmp/absolute", "boom".getBytes(StandardCharsets.UTF_8));
        var truncated = Arrays.copyOf(good, good.length / 2);
        // A layer whose bytes are not what the config's diff_id names.
        var tampered = good.clone();
        int at = indexOf(tampered, "hello\n".getBytes(StandardCharsets.UTF_8));
        tampered[at] = 'j';
        var link = linkArchive();
        // A layer tar that climbs out of its root.
        var evilLayer = new Tars().file("../../outside", 0644, "x").build();
        for (byte[] bad : List.of(slip, absolute, truncated, tampered, link, layerArchive(evilLayer), new byte[] {1, 2, 3})) {
            assertThatThrownBy(() -> target.load(new ByteArrayInputStream(bad))).isInstanceOf(EngineException.InvalidArgument.class);
            assertThat(storeFiles(dataRoot.resolve("target"))).isEqualTo(before);
            assertThat(target.list()).isEmpty();
        }
        // A damaged copy of a layer the store has already is refused too.
        target.load(new ByteArrayInputStream(good));
        List<String> loaded = storeFiles(dataRoot.resolve("target"));
        assertThatThrownBy(() -> target.load(new ByteArrayInputStream(tampered)))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("does not match");
        assertThat(storeFiles(dataRoot.resolve("target"))).isEqualTo(loaded);
        assertThat(Files.exists(dataRoot.resolve("escaped"))).isFalse();
        assertThat(Files.exists(Path.of("/tmp/absolute"))).isFalse();
    }

    @Test
    void prune_removesDanglingByDefault_andSharedLayersOnlyWhenUnused() throws IOException {
        Image kept = images.importRootfs(new ByteArrayInputStream(Tars.single("a")), new ImportOptions("a:1", null, null));
        Image dangling = images.importRootfs(new ByteArrayInputStream(Tars.single("b")), new ImportOptions(null, null, null));
        var report = images.prune(i -> i.repoTags().isEmpty(), id -> false);
        assertThat(report.deleted()).extracting(ImageService.DeleteResponse::deleted).contains(dangling.id());
        // The layer's Deleted record is there too, but only the image's says it is an image.
        assertThat(report.deleted()).filteredOn(ImageService.DeleteResponse::image)
                .extracting(ImageService.DeleteResponse::deleted).containsExactly(dangling.id());
        assertThat(report.deleted()).hasSizeGreaterThan(1);
        assertThat(report.spaceReclaimed()).isEqualTo(dangling.size());
        assertThat(images.list()).extracting(Image::id).containsExactly(kept.id());

        images.tag("a:1", "a:2");
        var usage = images.diskUsage();
        assertThat(usage.layersSize()).isEqualTo(kept.size());
        var all = images.prune(i -> true, id -> id.equals(kept.id()));
        assertThat(all.deleted()).isEmpty();
        all = images.prune(i -> true, id -> false);
        assertThat(all.deleted()).extracting(ImageService.DeleteResponse::untagged).contains("a:1", "a:2");
        assertThat(images.list()).isEmpty();
    }

    // ---- fixtures ----------------------------------------------------------------------------------------

    private static List<String> storeFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static byte[] gzip(byte[] b) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    private static byte[] archive(Map<String, byte[]> files) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(out)) {
            for (var f : files.entrySet()) put(tar, f.getKey(), f.getValue());
        }
        return out.toByteArray();
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        var e = new TarArchiveEntry(name, true);
        e.setSize(content.length);
        e.setModTime(FileTime.from(Instant.EPOCH));
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static byte[] archiveWithExtra(byte[] archive, String name, byte[] content) throws IOException {
        var files = new LinkedHashMap<String, byte[]>();
        files.put(name, content);
        files.putAll(entries(archive));
        files.keySet().removeIf(n -> n.endsWith("/"));
        return archive(files);
    }

    /** manifest.json names a layer through a symlink that points out of the archive. */
    private static byte[] linkArchive() throws IOException {
        byte[] config = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"]}}"
                .getBytes(StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(out)) {
            put(tar, "config.json", config);
            var link = new TarArchiveEntry("layer.tar", TarConstants.LF_SYMLINK);
            link.setLinkName("../../../etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            put(tar, "manifest.json", "[{\"Config\":\"config.json\",\"Layers\":[\"layer.tar\"]}]".getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A docker-archive of one image whose single layer is {@code layer}, with a matching config. */
    private static byte[] layerArchive(byte[] layer) throws IOException {
        byte[] config = ("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.of(layer) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        var files = new LinkedHashMap<String, byte[]>();
        files.put("layer.tar", layer);
        files.put("config.json", config);
        files.put("manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"evil:1\"],\"Layers\":[\"layer.tar\"]}]"
                .getBytes(StandardCharsets.UTF_8));
        return archive(files);
    }
}
