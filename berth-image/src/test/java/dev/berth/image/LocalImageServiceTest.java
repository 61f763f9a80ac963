package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import dev.berth.image.ImageService.DeleteResponse;
import dev.berth.image.ImageService.ImportOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalImageServiceTest {
    private static final Predicate<String> UNUSED = id -> false;

    @TempDir
    Path dataRoot;

    private OverlayLayerStore layers;
    private LocalImageService images;

    @BeforeEach
    void open() {
        reopen();
    }

    private void reopen() {
        layers = new OverlayLayerStore(dataRoot.resolve("overlay"));
        images = new LocalImageService(dataRoot.resolve("image"), layers);
    }

    private Image importTar(byte[] tar, String reference) {
        return images.importRootfs(new ByteArrayInputStream(tar), new ImportOptions(reference, null, null));
    }

    private List<String> storeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dataRoot)) {
            return files.map(p -> dataRoot.relativize(p).toString()).sorted().toList();
        }
    }

    private long layerDirs() throws IOException {
        try (var dirs = Files.list(dataRoot.resolve("overlay/layers"))) {
            return dirs.count();
        }
    }

    @Test
    void import_makesAnImageOfOneLayer_withDockersConfig() throws IOException {
        byte[] tar = Tars.single("hello");
        var config = new ImageConfig(null, List.of("80/tcp"), List.of("A=1"), null, List.of("sh"), null, "/tmp",
                Map.of("k", "v"), null);

        Image image = images.importRootfs(new ByteArrayInputStream(tar), new ImportOptions("busybox", config, null));

        String diffId = Digest.of(tar).toString();
        assertThat(image.id()).matches("sha256:[0-9a-f]{64}");
        assertThat(image.repoTags()).containsExactly("busybox:latest");
        assertThat(image.repoDigests()).isEmpty();
        assertThat(image.layers()).containsExactly(diffId);
        assertThat(image.chainId()).isEqualTo(diffId);
        assertThat(image.size()).isEqualTo(5);
        assertThat(image.os()).isEqualTo("linux");
        assertThat(image.architecture()).isEqualTo(ConfigFile.hostArchitecture());
        assertThat(image.comment()).isEqualTo("Imported from -");
        assertThat(image.config()).isEqualTo(config);
        assertThat(layers.diffDir(image.chainId()).resolve("etc/hello")).hasContent("hello");

        // The id is the sha256 of the config blob, which has Docker's shape and keys.
        byte[] blob = Files.readAllBytes(dataRoot.resolve("image/blobs/sha256").resolve(image.id().substring(7)));
        assertThat(Digest.of(blob).toString()).isEqualTo(image.id());
        Map<?, ?> json = Json.MAPPER.readValue(blob, Map.class);
        assertThat(json.get("rootfs")).isEqualTo(Map.of("type", "layers", "diff_ids", List.of(diffId)));
        @SuppressWarnings("unchecked")
        var configJson = (Map<String, Object>) json.get("config");
        assertThat(configJson).containsEntry("Cmd", List.of("sh")).containsEntry("WorkingDir", "/tmp")
                .containsEntry("ExposedPorts", Map.of("80/tcp", Map.of()));
        assertThat((List<?>) json.get("history")).hasSize(1);
    }

    @Test
    void import_withMessage_keepsItAsComment_andNullConfigMeansNothingSet() {
        Image image = images.importRootfs(new ByteArrayInputStream(Tars.single("x")), new ImportOptions(null, null, "my import"));
        assertThat(image.comment()).isEqualTo("my import");
        assertThat(image.repoTags()).isEmpty();
        assertThat(image.config().cmd()).isNull();
        assertThat(image.config().entrypoint()).isNull();
    }

    @Test
    void import_ofTheSameContentTwice_storesTheLayerOnce() throws IOException {
        Image first = importTar(Tars.single("same"), "a:1");
        Image second = importTar(Tars.single("same"), "b:1");

        assertThat(second.id()).isNotEqualTo(first.id()); // created differs, as with docker import
        assertThat(second.chainId()).isEqualTo(first.chainId());
        assertThat(layerDirs()).isEqualTo(1);
    }

    @Test
    void resolve_findsByNameFullNameIdAndIdPrefix() {
        Image image = importTar(Tars.single("x"), "busybox");
        String hex = image.id().substring(7);

        for (String name : List.of("busybox", "busybox:latest", "docker.io/library/busybox:latest", "library/busybox",
                image.id(), hex, hex.substring(0, 12), "sha256:" + hex.substring(0, 5))) {
            assertThat(images.resolve(name).id()).as(name).isEqualTo(image.id());
        }
    }

    @Test
    void resolve_missing_isNotFound_withDockersMessage() {
        importTar(Tars.single("x"), "busybox");
        assertThatThrownBy(() -> images.resolve("nope:1"))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("No such image: nope:1");
        assertThatThrownBy(() -> images.resolve("nope"))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("No such image: nope:latest");
        assertThatThrownBy(() -> images.resolve("busybox:2")).isInstanceOf(EngineException.NotFound.class);
        assertThatThrownBy(() -> images.resolve("busybox@sha256:" + "0".repeat(64)))
                .isInstanceOf(EngineException.NotFound.class);
        assertThatThrownBy(() -> images.resolve("sha256:" + "0".repeat(64)))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("No such image: sha256:" + "0".repeat(64));
        assertThatThrownBy(() -> images.resolve("Bad/Name")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageStartingWith("invalid reference format");
    }

    @Test
    void storeContent_survivesANewServiceOnTheSameRoot() {
        Image image = importTar(Tars.single("persist"), "keep:1");
        images.tag("keep:1", "example.com/team/tool:2");
        Image dangling = importTar(Tars.single("dangling"), null);

        reopen();

        assertThat(images.list()).extracting(Image::id).containsExactlyInAnyOrder(image.id(), dangling.id());
        Image again = images.resolve("example.com/team/tool:2");
        assertThat(again.id()).isEqualTo(image.id());
        assertThat(again.repoTags()).containsExactly("example.com/team/tool:2", "keep:1");
        assertThat(again.created()).isEqualTo(image.created());
        assertThat(again.size()).isEqualTo(image.size());
        assertThat(layers.layer(again.chainId())).isPresent();
    }

    @Test
    void tag_movesANameOffItsPreviousImage_whichStaysDangling() {
        Image old = importTar(Tars.single("old"), "app:1");
        Image fresh = importTar(Tars.single("new"), "app:2");

        images.tag(fresh.id(), "app:1");

        assertThat(images.resolve("app:1").id()).isEqualTo(fresh.id());
        assertThat(images.resolve(old.id()).repoTags()).isEmpty();
        assertThat(images.list()).hasSize(2);
    }

    @Test
    void tag_refusesDigestsAndBadNames_andUnknownSources() {
        importTar(Tars.single("x"), "busybox");
        assertThatThrownBy(() -> images.tag("busybox", "busybox@sha256:" + "a".repeat(64)))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("refusing to create a tag with a digest reference");
        assertThatThrownBy(() -> images.tag("busybox", "Bad/Name"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("invalid reference format");
        assertThatThrownBy(() -> images.tag("nope", "x:1"))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("No such image: nope:latest");
    }

    @Test
    void remove_byNameWithOtherNamesLeft_onlyUntags() {
        Image image = importTar(Tars.single("x"), "busybox");
        images.tag("busybox", "other:1");

        var result = images.remove("other:1", false, false, UNUSED);

        assertThat(result).containsExactly(DeleteResponse.untag("other:1"));
        assertThat(images.resolve(image.id()).repoTags()).containsExactly("busybox:latest");
    }

    @Test
    void remove_lastName_deletesTheImageAndItsLayer() throws IOException {
        Image image = importTar(Tars.single("x"), "busybox");

        var result = images.remove("busybox", false, false, UNUSED);

        assertThat(result).containsExactly(DeleteResponse.untag("busybox:latest"),
                DeleteResponse.deletedImage(image.id()), DeleteResponse.deletedLayer(image.chainId()));
        assertThat(images.list()).isEmpty();
        assertThat(layerDirs()).isZero();
        assertThat(dataRoot.resolve("image/blobs/sha256").resolve(image.id().substring(7))).doesNotExist();
    }

    @Test
    void remove_keepsALayerAnotherImageShares() throws IOException {
        Image a = importTar(Tars.single("shared"), "a:1");
        importTar(Tars.single("shared"), "b:1");

        assertThat(images.remove("a:1", false, false, UNUSED))
                .containsExactly(DeleteResponse.untag("a:1"), DeleteResponse.deletedImage(a.id()));
        assertThat(layerDirs()).isEqualTo(1);
        assertThat(images.resolve("b:1").chainId()).isEqualTo(a.chainId());
    }

    @Test
    void remove_byIdWithSeveralNames_needsForce() {
        Image image = importTar(Tars.single("x"), "busybox");
        images.tag("busybox", "other:1");
        String shortId = image.id().substring(7, 19);

        assertThatThrownBy(() -> images.remove(shortId, false, false, UNUSED))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("conflict: unable to delete " + shortId
                        + " (must be forced) - image is referenced in multiple repositories");
        assertThat(images.resolve(image.id()).repoTags()).hasSize(2);

        var result = images.remove(shortId, true, false, UNUSED);
        assertThat(result).containsExactly(DeleteResponse.untag("busybox:latest"), DeleteResponse.untag("other:1"),
                DeleteResponse.deletedImage(image.id()), DeleteResponse.deletedLayer(image.chainId()));
    }

    @Test
    void remove_byIdWithOneName_untagsAndDeletes() {
        Image image = importTar(Tars.single("x"), "busybox");
        assertThat(images.remove(image.id(), false, false, UNUSED)).extracting(DeleteResponse::untagged)
                .containsExactly("busybox:latest", null, null);
        assertThat(images.list()).isEmpty();
    }

    @Test
    void remove_ofAnImageInUse_isRefused_unlessForced_andForceOnlyUntags() {
        Image image = importTar(Tars.single("x"), "busybox");
        String shortId = image.id().substring(7, 19);
        Predicate<String> inUse = image.id()::equals;

        assertThatThrownBy(() -> images.remove("busybox", false, false, inUse))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("conflict: unable to remove repository reference \"busybox\" (must force) - a container is "
                        + "using its referenced image " + shortId);
        assertThatThrownBy(() -> images.remove(image.id(), false, false, inUse))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("conflict: unable to delete " + shortId + " (must be forced) - image is being used by stopped container");

        assertThat(images.remove("busybox", true, false, inUse)).containsExactly(DeleteResponse.untag("busybox:latest"));
        Image kept = images.resolve(image.id());
        assertThat(kept.repoTags()).isEmpty();
        assertThat(images.remove(image.id(), true, false, inUse)).isEmpty();
        assertThat(images.list()).hasSize(1);
    }

    @Test
    void remove_byNameWhileInUse_untagsWhenOtherNamesRemain() {
        Image image = importTar(Tars.single("x"), "busybox");
        images.tag("busybox", "inuse:1");
        assertThat(images.remove("inuse:1", false, false, image.id()::equals))
                .containsExactly(DeleteResponse.untag("inuse:1"));
    }

    @Test
    void remove_missing_isNotFound() {
        assertThatThrownBy(() -> images.remove("nope:1", false, false, UNUSED))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("No such image: nope:1");
    }

    @Test
    void refusedImports_leaveTheStoreAsItWas() throws IOException {
        importTar(Tars.single("x"), "busybox");
        List<String> before = storeFiles();

        for (byte[] bad : List.of(
                new Tars().file("ok", 0644, "fine").file("../escape", 0644, "x").build(),
                new Tars().file("ok", 0644, "fine").file("/abs", 0644, "x").build(),
                "this is not a tar archive".getBytes(StandardCharsets.US_ASCII),
                java.util.Arrays.copyOf(Tars.single("y".repeat(2000)), 1500))) {
            assertThatThrownBy(() -> importTar(bad, "broken:1")).isInstanceOf(EngineException.InvalidArgument.class);
        }
        assertThatThrownBy(() -> importTar(Tars.single("z"), "Broken/Ref")).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> importTar(Tars.single("z"), "x@sha256:" + "a".repeat(64)))
                .hasMessage("cannot import digest reference");

        assertThat(storeFiles()).isEqualTo(before);
        assertThat(images.list()).hasSize(1);
    }

    private Image commitOn(Image parent, String content, String reference) {
        var options = new ImageService.CommitOptions(reference, null, null, null, "c0ffee", "sh");
        return images.commit(parent.id(), new ByteArrayInputStream(Tars.single(content)), options);
    }

    @Test
    void commit_recordsItsParent_whichSurvivesARestart_andChainsTheHistoryIds() {
        Image base = importTar(Tars.single("base"), "base:1");
        Image child = commitOn(base, "child", "child:1");
        Image grandchild = commitOn(child, "grandchild", null);

        assertThat(child.parent()).isEqualTo(base.id());
        assertThat(base.parent()).isEmpty();
        reopen();
        assertThat(images.resolve(grandchild.id()).parent()).isEqualTo(child.id());
        var history = images.history(grandchild.id());
        assertThat(history).extracting(ImageService.HistoryItem::id).containsExactly(grandchild.id(), child.id(), base.id());
        assertThat(history).extracting(ImageService.HistoryItem::tags).containsExactly(null, List.of("child:1"), List.of("base:1"));
    }

    @Test
    void anImageWithChildren_isNeverDeleted_byIdAConflictEvenForced_byItsLastNameOnlyUntagged() {
        Image base = importTar(Tars.single("base"), "base:1");
        Image child = commitOn(base, "child", "child:1");

        assertThatThrownBy(() -> images.remove(base.id(), true, false, UNUSED))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("conflict: unable to delete %s (cannot be forced) - image has dependent child images",
                        base.id().substring(7, 19));
        assertThat(images.resolve("base:1").id()).isEqualTo(base.id());

        assertThat(images.remove("base:1", false, false, UNUSED)).containsExactly(DeleteResponse.untag("base:1"));
        assertThat(images.resolve(base.id()).repoTags()).isEmpty();

        // Deleting the child takes its nameless parent along, unless told not to prune.
        assertThat(images.remove("child:1", false, false, UNUSED)).containsSubsequence(
                DeleteResponse.untag("child:1"), DeleteResponse.deletedImage(child.id()), DeleteResponse.deletedImage(base.id()));
        assertThat(images.list()).isEmpty();
    }

    @Test
    void remove_noPrune_keepsTheNamelessParent_andPruneTakesChildrenBeforeParents() {
        Image base = importTar(Tars.single("base"), "base:1");
        Image child = commitOn(base, "child", "child:1");
        images.remove("base:1", false, false, UNUSED);
        images.remove("child:1", false, true, UNUSED);
        assertThat(images.list()).extracting(Image::id).containsExactly(base.id());

        Image again = commitOn(base, "again", "again:1");
        var report = images.prune(i -> true, UNUSED);
        assertThat(report.deleted()).extracting(DeleteResponse::deleted).containsSubsequence(again.id(), base.id());
        assertThat(images.list()).isEmpty();
        assertThat(dataRoot.resolve("image/parents")).isEmptyDirectory();
    }

    @Test
    void load_keepsTheParentAnArchiveNames_andRefusesOneThatIsNoParent() throws IOException {
        Image base = importTar(Tars.single("base"), "base:1");
        Image other = importTar(Tars.single("other"), "other:1");
        Image child = commitOn(base, "child", "child:1");
        byte[] good = archive(child, base.id(), base);
        byte[] bad = archive(child, other.id(), other);
        for (String name : List.of("child:1", "base:1", "other:1")) images.remove(name, false, false, UNUSED);
        assertThat(images.list()).isEmpty();
        List<String> emptyStore = storeFiles();

        assertThatThrownBy(() -> images.load(new ByteArrayInputStream(bad)))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("is not a valid parent for " + child.id());
        assertThat(storeFiles()).isEqualTo(emptyStore);

        images.load(new ByteArrayInputStream(good));
        assertThat(images.resolve("child:1").parent()).isEqualTo(base.id());
    }

    /** An archive of {@code child} naming {@code parentId} as its parent, with {@code alongside} saved too. */
    private byte[] archive(Image child, String parentId, Image alongside) throws IOException {
        var saved = new java.util.ArrayList<ImageArchiveWriter.SavedImage>();
        for (Image i : List.of(child, alongside)) {
            byte[] config = Files.readAllBytes(dataRoot.resolve("image/blobs/sha256").resolve(i.id().substring(7)));
            saved.add(new ImageArchiveWriter.SavedImage(i.id(), config, i.layers(), LocalImageService.chainIds(i.layers()),
                    List.of(ImageRef.parse(i.repoTags().getFirst())), i == child ? parentId : null));
        }
        var out = new java.io.ByteArrayOutputStream();
        ImageArchiveWriter.write(saved, new ImageArchiveWriter.Layers() {
            @Override
            public long tarSize(String chainId) {
                return layers.tarSize(chainId);
            }

            @Override
            public void writeTar(String chainId, java.io.OutputStream o) throws IOException {
                layers.writeTar(chainId, o);
            }
        }, out);
        return out.toByteArray();
    }

    @Test
    void startUp_dropsTheParentLinkOfACommitACrashCutShort() throws IOException {
        Image base = importTar(Tars.single("base"), "base:1");
        Files.writeString(dataRoot.resolve("image/parents").resolve("ab".repeat(32)), base.id());

        reopen();

        assertThat(dataRoot.resolve("image/parents")).isEmptyDirectory();
        assertThat(images.resolve("base:1").id()).isEqualTo(base.id());
    }

    @Test
    void startUp_sweepsWhatACrashLeft() throws IOException {
        Image kept = importTar(Tars.single("kept"), "kept:1");
        // A crash mid-unpack, mid-write and after a layer commit whose config never got written.
        Files.createDirectories(dataRoot.resolve("overlay/layers/.tmp-crashed/diff/etc"));
        Files.writeString(dataRoot.resolve("image/blobs/sha256/.tmp-halfwritten"), "{");
        try (var orphan = layers.unpack(new ByteArrayInputStream(Tars.single("orphan")))) {
            layers.commit(orphan, null);
        }
        assertThat(layerDirs()).isEqualTo(3);

        reopen();

        assertThat(layerDirs()).isEqualTo(1);
        assertThat(dataRoot.resolve("image/blobs/sha256/.tmp-halfwritten")).doesNotExist();
        assertThat(images.resolve("kept:1").id()).isEqualTo(kept.id());
    }

    @Test
    void startUp_dropsNamesOfImagesWhoseConfigIsGone() throws IOException {
        Image image = importTar(Tars.single("x"), "gone:1");
        Files.delete(dataRoot.resolve("image/blobs/sha256").resolve(image.id().substring(7)));

        reopen();

        assertThatThrownBy(() -> images.resolve("gone:1")).isInstanceOf(EngineException.NotFound.class);
        assertThat(Files.readString(dataRoot.resolve("image/repositories.json"))).doesNotContain("gone");
        assertThat(layerDirs()).isZero();
    }

    @Test
    void concurrentImportsAndRemovals_keepTheStoreConsistent() throws Exception {
        var threads = new java.util.ArrayList<Thread>();
        var errors = java.util.Collections.synchronizedList(new java.util.ArrayList<Throwable>());
        for (int t = 0; t < 8; t++) {
            int n = t;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 10; i++) {
                        importTar(Tars.single("content " + (i % 3)), "img" + n + ":" + i);
                        if (i % 2 == 0) images.remove("img" + n + ":" + i, false, false, UNUSED);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread t : threads) t.join();

        assertThat(errors).isEmpty();
        assertThat(images.list()).hasSize(40);
        Set<String> used = new java.util.HashSet<>();
        images.list().forEach(i -> used.add(i.chainId()));
        assertThat(layerDirs()).isEqualTo(used.size());
        reopen();
        assertThat(images.list()).hasSize(40);
    }
}
