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
}
