package dev.berth.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.engine.events.EventBus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeStoreTest {
    @TempDir
    Path root;

    @Test
    void create_isKept_andAStoreOnTheSameRootSeesIt() throws Exception {
        var store = new VolumeStore(root, new EventBus());
        var v = store.create("data", "local", Map.of(), Map.of("k", "v"));
        assertThat(v.mountpoint()).isEqualTo(root.resolve("data/_data").toString());
        assertThat(store.create("data", null, Map.of(), Map.of())).isEqualTo(v);
        Files.writeString(Path.of(v.mountpoint(), "f"), "12345");

        var again = new VolumeStore(root, new EventBus());
        assertThat(again.get("data")).isEqualTo(v);
        assertThat(again.size(again.get("data"))).isEqualTo(5);
        assertThat(store.create("", "local", Map.of(), Map.of()).name()).matches("[0-9a-f]{64}");
    }

    @Test
    void badNamesDriversAndOptions_areRefused() {
        var store = new VolumeStore(root, new EventBus());
        assertThatThrownBy(() -> store.create("a/b", "local", Map.of(), Map.of())).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> store.create("xx", "nfs", Map.of(), Map.of())).isInstanceOf(EngineException.NotFound.class);
        assertThatThrownBy(() -> store.create("xx", "local", Map.of("bogus", "1"), Map.of())).hasMessageContaining("invalid option");
        assertThatThrownBy(() -> store.create("xx", "local", Map.of("type", "tmpfs", "o", "size=lots"), Map.of())).hasMessageContaining("invalid size");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void volumesInUse_stay_andPruneTakesOnlyAnonymousUnlessAll() {
        var store = new VolumeStore(root, new EventBus());
        store.create("used", "local", Map.of(), Map.of());
        store.create("named", "local", Map.of(), Map.of());
        store.create("anon", "local", Map.of(), Map.of(Volume.ANONYMOUS_LABEL, ""));
        store.usersFrom(n -> n.equals("used") ? List.of("c1") : List.of());
        assertThatThrownBy(() -> store.remove("used", true)).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("remove used: volume is in use - [c1]");
        assertThat(store.prune(false, v -> true).deleted()).containsExactly("anon");
        assertThat(store.prune(true, v -> true).deleted()).containsExactly("named");
        assertThat(store.list()).extracting(Volume::name).containsExactly("used");
        assertThat(root.resolve("named")).doesNotExist();
    }

    @Test
    void aDirectoryWithoutItsRecord_isNoVolume() throws Exception {
        Files.createDirectories(root.resolve("half/_data"));
        assertThat(new VolumeStore(root, new EventBus()).list()).isEmpty();
    }
}
