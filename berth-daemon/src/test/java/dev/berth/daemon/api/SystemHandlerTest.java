package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemHandlerTest {
    @Test
    void swarm_isInactive_soTheCliPrintsNoNodeDetails() {
        assertThat(SystemHandler.swarm()).containsEntry("LocalNodeState", "inactive").containsEntry("ControlAvailable", false);
    }

    @Test
    void openFiles_countsTheDaemonsDescriptors() {
        assertThat(SystemHandler.openFiles()).isGreaterThanOrEqualTo(3);
    }
}
