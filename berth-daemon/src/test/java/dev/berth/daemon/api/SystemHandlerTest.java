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

    @Test
    void runcVersion_readsVersionAndCommit() {
        var c = SystemHandler.runcVersion("""
                runc version 1.1.5+ds1
                commit: 1.1.5+ds1-1+deb12u1
                spec: 1.0.2-dev
                go: go1.19.8
                """).orElseThrow();
        assertThat(c.name()).isEqualTo("runc");
        assertThat(c.version()).isEqualTo("1.1.5+ds1");
        assertThat(c.details()).containsEntry("GitCommit", "1.1.5+ds1-1+deb12u1");
        assertThat(SystemHandler.runcVersion("sh: runc: not found")).isEmpty();
    }
}
