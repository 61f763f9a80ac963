package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayLayerStoreTest {
    private static final String CONTAINER = "c0ffee".repeat(10) + "abcd";

    @TempDir
    Path root;

    private LayerInfo commit(OverlayLayerStore store, byte[] tar, String parent) {
        try (var pending = store.unpack(new ByteArrayInputStream(tar))) {
            return store.commit(pending, parent);
        }
    }

    @Test
    void prepare_givesAnOverlayMount_withTheImageLayerBelow() {
        var store = new OverlayLayerStore(root);
        LayerInfo layer = commit(store, Tars.single("x"), null);

        var mount = store.prepare(CONTAINER, layer.chainId());

        Path dir = root.resolve("containers").resolve(CONTAINER);
        assertThat(mount.type()).isEqualTo("overlay");
        assertThat(mount.source()).isEqualTo("overlay");
        assertThat(mount.options()).containsExactly(
                "lowerdir=" + store.diffDir(layer.chainId()),
                "upperdir=" + dir.resolve("upper"),
                "workdir=" + dir.resolve("work"));
        assertThat(mount.upperDir()).isEqualTo(dir.resolve("upper")).isDirectory();
        assertThat(dir.resolve("work")).isDirectory();
        assertThat(store.prepare(CONTAINER, layer.chainId())).isEqualTo(mount);
    }

    @Test
    void lowerdir_listsTheTopLayerFirst() {
        var store = new OverlayLayerStore(root);
        LayerInfo bottom = commit(store, Tars.single("bottom"), null);
        LayerInfo top = commit(store, Tars.single("top"), bottom.chainId());

        assertThat(top.parent()).isEqualTo(bottom.chainId());
        assertThat(top.chainId()).isEqualTo(Digest.chainId(Digest.parse(bottom.chainId()), Digest.parse(top.diffId())).toString());
        assertThat(store.prepare(CONTAINER, top.chainId()).options().getFirst())
                .isEqualTo("lowerdir=" + store.diffDir(top.chainId()) + ":" + store.diffDir(bottom.chainId()));
        assertThat(store.deleteLayer(bottom.chainId())).as("a layer with a child stays").isFalse();
    }

    @Test
    void prepare_onNoLayers_usesTheEmptyDirectory() {
        var store = new OverlayLayerStore(root);
        assertThat(store.prepare(CONTAINER, "").options().getFirst()).isEqualTo("lowerdir=" + root.resolve("empty"));
        assertThat(root.resolve("empty")).isEmptyDirectory();
    }

    @Test
    void prepare_refusesUnknownLayersBadIdsAndAnotherBase() {
        var store = new OverlayLayerStore(root);
        LayerInfo a = commit(store, Tars.single("a"), null);
        LayerInfo b = commit(store, Tars.single("b"), null);

        assertThatThrownBy(() -> store.prepare(CONTAINER, "sha256:" + "0".repeat(64)))
                .isInstanceOf(EngineException.NotFound.class);
        assertThatThrownBy(() -> store.prepare("../escape", a.chainId())).isInstanceOf(EngineException.InvalidArgument.class);
        store.prepare(CONTAINER, a.chainId());
        assertThatThrownBy(() -> store.prepare(CONTAINER, b.chainId())).isInstanceOf(EngineException.Conflict.class);
        assertThat(root.resolve("escape")).doesNotExist();
    }

    @Test
    void mountFor_isTheSameAfterARestart() {
        var store = new OverlayLayerStore(root);
        LayerInfo layer = commit(store, Tars.single("x"), null);
        var mount = store.prepare(CONTAINER, layer.chainId());

        var reopened = new OverlayLayerStore(root);

        assertThat(reopened.mountFor(CONTAINER)).isEqualTo(mount);
        assertThat(reopened.layer(layer.chainId())).contains(layer);
        assertThatThrownBy(() -> reopened.mountFor("unknown")).isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void writableSize_countsTheContainersOwnBytes_hardLinksOnce() throws IOException {
        var store = new OverlayLayerStore(root);
        var upper = store.prepare(CONTAINER, commit(store, Tars.single("x"), null).chainId()).upperDir();
        assertThat(store.writableSize(CONTAINER)).isZero();

        Files.write(upper.resolve("data"), new byte[1000]);
        Files.createDirectories(upper.resolve("dir"));
        Files.write(upper.resolve("dir/more"), new byte[24]);
        Files.createLink(upper.resolve("dir/link"), upper.resolve("data"));

        assertThat(store.writableSize(CONTAINER)).isEqualTo(1024);
        assertThat(store.writableSize("unknown")).isZero();
    }

    @Test
    void remove_deletesTheContainerLayer_andFreesTheImageLayer() {
        var store = new OverlayLayerStore(root);
        LayerInfo layer = commit(store, Tars.single("x"), null);
        store.prepare(CONTAINER, layer.chainId());
        assertThat(store.deleteLayer(layer.chainId())).as("a container builds on it").isFalse();

        store.remove(CONTAINER);
        store.remove(CONTAINER); // quiet the second time

        assertThat(root.resolve("containers")).isEmptyDirectory();
        assertThatThrownBy(() -> store.mountFor(CONTAINER)).isInstanceOf(EngineException.NotFound.class);
        assertThat(store.deleteLayer(layer.chainId())).isTrue();
        assertThat(root.resolve("layers")).isEmptyDirectory();
        assertThat(store.layers()).isEmpty();
    }

    @Test
    void startUp_sweepsHalfCreatedContainerLayers() throws IOException {
        Files.createDirectories(root.resolve("containers/.tmp-" + CONTAINER + "-x/upper"));
        var store = new OverlayLayerStore(root);
        assertThat(root.resolve("containers")).isEmptyDirectory();
        assertThatThrownBy(() -> store.mountFor(CONTAINER)).isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void commit_ofACommittedOrRefusedLayer_leavesNothing() {
        var store = new OverlayLayerStore(root);
        assertThatThrownBy(() -> store.unpack(new ByteArrayInputStream(new Tars().file("../x", 0644, "x").build())))
                .isInstanceOf(EngineException.InvalidArgument.class);
        LayerInfo first = commit(store, Tars.single("same"), null);
        LayerInfo again = commit(store, Tars.single("same"), null);
        assertThat(again).isEqualTo(first);
        assertThat(store.layers()).hasSize(1);
        assertThat(root.resolve("layers").toFile().list()).containsExactly(Digest.parse(first.chainId()).hex());
    }

    @Test
    void mountinfoEscapes_areUndone() {
        assertThat(OverlayLayerStore.unescapeMountinfo("/a\\040b\\011c\\134d")).isEqualTo("/a b\tc\\d");
        assertThat(OverlayLayerStore.unescapeMountinfo("/plain")).isEqualTo("/plain");
        assertThat(OverlayLayerStore.mountUsing(root)).isNull();
        assertThat(List.of(OverlayLayerStore.mountUsing(Path.of("/proc")))).doesNotContainNull();
    }
}
