package dev.berth.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.events.EventBus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerMountsTest {
    @TempDir Path dir;

    private final EventBus events = new EventBus();

    private static MountPoint named(String name, String destination) {
        return new MountPoint("volume", name, null, destination, true, "z", "", false, false, null, null, null);
    }

    private static MountPoint anonymous(String destination) {
        return new MountPoint("volume", null, null, destination, true, "", "", false, false, null, null,
                Map.of(Volume.ANONYMOUS_LABEL, ""));
    }

    private ContainerMounts mounts(VolumeStore volumes) {
        return new ContainerMounts(dir.resolve("mounts"), volumes, events);
    }

    @Test
    void discard_ofAFailedCreate_dropsItsRecordAndItsNewAnonymousVolumes_butNotNamedOnes() throws Exception {
        var volumes = new VolumeStore(dir.resolve("volumes"), events);
        var mounts = mounts(volumes);
        String id = "d".repeat(64);
        mounts.attach(id, List.of(anonymous("/a"), named("keep", "/data")), false, Map.of());
        String anon = mounts.plan(id).mounts().getFirst().name();
        mounts.discard(id);
        assertThat(mounts.plan(id).mounts()).isEmpty();
        assertThat(dir.resolve("mounts").resolve(id + ".json")).doesNotExist();
        assertThat(volumes.exists(anon)).isFalse();
        assertThat(volumes.exists("keep")).isTrue();
    }

    @Test
    void copyUp_fillsAnEmptyVolume_andLeavesAFullOneAlone() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc/app"));
        Files.writeString(rootfs.resolve("a.conf"), "from the image");
        Path data = Files.createDirectories(dir.resolve("vol/_data"));
        ContainerMounts.copyUp(dir.resolve("rootfs"), "/etc/app", data);
        assertThat(Files.readString(data.resolve("a.conf"))).isEqualTo("from the image");
        assertThat(data.resolveSibling(ContainerMounts.COPY_UP_PENDING)).doesNotExist();

        Files.writeString(data.resolve("a.conf"), "the user's");
        Files.writeString(rootfs.resolve("b.conf"), "new in the image");
        ContainerMounts.copyUp(dir.resolve("rootfs"), "/etc/app", data);
        assertThat(Files.readString(data.resolve("a.conf"))).isEqualTo("the user's");
        assertThat(data.resolve("b.conf")).doesNotExist();
    }

    @Test
    void copyUp_cutShortByACrash_isFinishedByTheNextStart_notTakenForAFullVolume() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/srv"));
        for (String n : List.of("one", "two", "three")) Files.writeString(rootfs.resolve(n), n);
        Path data = Files.createDirectories(dir.resolve("vol/_data"));
        Files.writeString(data.resolve("one"), "one"); // what landed before the daemon was killed
        Files.writeString(data.resolveSibling(ContainerMounts.COPY_UP_PENDING), "/srv");
        ContainerMounts.copyUp(dir.resolve("rootfs"), "/srv", data);
        try (var files = Files.list(data)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("one", "two", "three");
        }
        assertThat(data.resolveSibling(ContainerMounts.COPY_UP_PENDING)).doesNotExist();
    }

    @Test
    void aContainerWithoutMounts_hasNoFile() throws Exception {
        var mounts = mounts(new VolumeStore(dir.resolve("volumes"), events));
        mounts.attach("a".repeat(64), List.of(), false, Map.of());
        mounts.attach("b".repeat(64), List.of(named("v1", "/data")), false, Map.of());
        try (var files = Files.list(dir.resolve("mounts"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("b".repeat(64) + ".json");
        }
        assertThat(mounts.plan("a".repeat(64)).mounts()).isEmpty();
    }

    @Test
    void refCounts_countEachContainerOncePerVolume() {
        var mounts = mounts(new VolumeStore(dir.resolve("volumes"), events));
        mounts.attach("a".repeat(64), List.of(named("v1", "/data"), named("v1", "/again")), false, Map.of());
        mounts.attach("b".repeat(64), List.of(named("v1", "/data"), named("v2", "/x")), false, Map.of());
        assertThat(mounts.refCounts()).isEqualTo(Map.of("v1", 2, "v2", 1));
    }

    @Test
    void aRemovedContainersPlan_isKeptOnlyForItsAnonymousVolumes_untilTheRemovalDecides() {
        var volumes = new VolumeStore(dir.resolve("volumes"), events);
        var mounts = mounts(volumes);
        String kept = "a".repeat(64), dropped = "b".repeat(64), plain = "c".repeat(64);
        mounts.attach(kept, List.of(anonymous("/a")), false, Map.of());
        mounts.attach(dropped, List.of(anonymous("/b")), false, Map.of());
        mounts.attach(plain, List.of(named("v1", "/data")), false, Map.of());
        String keptVolume = mounts.plan(kept).mounts().getFirst().name();
        String droppedVolume = mounts.plan(dropped).mounts().getFirst().name();
        for (String id : List.of(kept, dropped, plain)) events.publish("container", "destroy", id, Map.of());

        mounts.keepAnonymous(kept); // plain rm
        mounts.dropAnonymous(kept); // nothing left to drop: the volume stays
        mounts.dropAnonymous(dropped); // rm -v
        assertThat(volumes.exists(keptVolume)).isTrue();
        assertThat(volumes.exists(droppedVolume)).isFalse();
        assertThat(volumes.exists("v1")).isTrue();
    }

    @Test
    void under_findsTheDeepestMountAtOrAboveAPath_andBelow_theMountsUnderADirectory() throws Exception {
        var volumes = new VolumeStore(dir.resolve("volumes"), events);
        var mounts = mounts(volumes);
        Path host = Files.createDirectories(dir.resolve("host"));
        String id = "a".repeat(64);
        var bind = new MountPoint("bind", null, host.toString(), "/data/sub", true, "", "rprivate", false, true, null, null, null);
        var tmpfs = new MountPoint("tmpfs", null, "", "/t", true, "", "", false, false, "", null, null);
        mounts.attach(id, List.of(named("v1", "/data"), bind, tmpfs), false, Map.of());

        var u = mounts.under(id, "/data/x/../y/").orElseThrow();
        assertThat(u.mount().name()).isEqualTo("v1");
        assertThat(u.source()).isEqualTo(Path.of(volumes.get("v1").mountpoint()));
        assertThat(u.rest()).isEqualTo("/y");
        assertThat(mounts.under(id, "/data/sub").orElseThrow()).extracting(ContainerMounts.Under::source, ContainerMounts.Under::rest)
                .containsExactly(host, "");
        assertThat(mounts.under(id, "/t/f").orElseThrow().source()).isNull();
        assertThat(mounts.under(id, "/database")).isEmpty();
        assertThat(mounts.under(id, "/")).isEmpty();

        assertThat(mounts.below(id, "/")).containsExactlyInAnyOrder("/data", "/data/sub", "/t");
        assertThat(mounts.below(id, "/data")).containsExactly("/data/sub");
        assertThat(mounts.below(id, "/data/sub")).isEmpty();
    }
}
