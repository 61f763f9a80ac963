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

    @Test
    void probeRunc_readsTheVersion_andGivesUpOnARuntimeThatHangs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var good = script(dir.resolve("good"), "echo 'runc version 1.2.3'; echo 'commit: abc'");
        assertThat(SystemHandler.probeRunc(good.toString(), java.time.Duration.ofSeconds(5)).orElseThrow().version())
                .isEqualTo("1.2.3");
        var hangs = script(dir.resolve("hangs"), "echo 'runc version 9'; exec sleep 60");
        long start = System.nanoTime();
        assertThat(SystemHandler.probeRunc(hangs.toString(), java.time.Duration.ofMillis(300))).isEmpty();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
        assertThat(SystemHandler.probeRunc(dir.resolve("missing").toString(), java.time.Duration.ofSeconds(1))).isEmpty();
    }

    private static java.nio.file.Path script(java.nio.file.Path path, String body) throws java.io.IOException {
        java.nio.file.Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        path.toFile().setExecutable(true);
        return path;
    }
}
