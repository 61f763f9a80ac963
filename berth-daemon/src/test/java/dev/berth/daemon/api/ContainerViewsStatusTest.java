package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerViewsStatusTest {
    @Test
    void status_matchesDockersColumn() {
        var s = dev.berth.engine.container.ContainerState.created();
        assertThat(ContainerViews.status(s)).isEqualTo("Created");
        assertThat(ContainerViews.status(s.running(1, Instant.now().minusSeconds(3), 0))).isEqualTo("Up 3 seconds");
        assertThat(ContainerViews.status(s.exited(1, false, Instant.now().minusSeconds(120)))).isEqualTo("Exited (1) 2 minutes ago");
    }

    @Test
    void summary_withSizes_givesSizeRootFsAsWritableLayerPlusImage() {
        var spec = new dev.berth.engine.container.ContainerSpec("busybox", java.util.List.of("sh"), null, null, null,
                null, null, null, null, null, null, false, false, false,
                dev.berth.engine.container.ContainerSpec.HostSettings.DEFAULT);
        var config = new dev.berth.engine.container.ContainerConfig("h", "", "", java.util.List.of(), java.util.List.of("sh"),
                null, "busybox", "", null, null, null, false, false, false);
        var c = new dev.berth.engine.container.Container("f".repeat(64), "x", Instant.EPOCH, "busybox",
                "sha256:" + "1".repeat(64), "sha256:" + "2".repeat(64), spec, config,
                dev.berth.engine.container.ContainerState.created());
        var sized = ContainerViews.summary(c, 2L, 4_260_000L);
        assertThat(sized.sizeRw()).isEqualTo(2L);
        assertThat(sized.sizeRootFs()).isEqualTo(4_260_002L);
        // Without size=1 neither is there (ps leaves the SIZE column out).
        var unsized = ContainerViews.summary(c, null, 4_260_000L);
        assertThat(unsized.sizeRw()).isNull();
        assertThat(unsized.sizeRootFs()).isNull();
        assertThat(ContainerViews.summary(c, null).sizeRootFs()).isNull();
    }
}
