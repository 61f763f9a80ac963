package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerRootsTest {
    @TempDir
    Path tmp;

    @Test
    void removalOfAStoppedContainer_waitsForAnOperationOnItsRoot_andALaterOneFindsNoContainer() throws Exception {
        var f = new ServiceFixture(tmp);
        var roots = new ContainerRoots(f.service, f.layers, f.mounts, tmp.resolve("bundles"), tmp.resolve("scratch"));
        var c = f.service.create("ex", ServiceFixture.spec(List.of("true")));
        var inside = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var export = Thread.ofVirtual().start(() -> roots.withRoot("ex", (container, fd) -> {
            inside.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        var removal = Thread.ofVirtual().start(() -> f.service.remove("ex", false));
        Thread.sleep(200);
        assertThat(removal.isAlive()).as("rm waits for the export").isTrue();
        release.countDown();
        export.join();
        assertThat(removal.join(java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(f.service.list()).isEmpty();
        try (var left = Files.list(tmp.resolve("scratch"))) {
            assertThat(left).isEmpty(); // the private mount point went with the operation
        }
        assertThat(f.service.rootLockEntries()).isZero();
        assertThatThrownBy(() -> roots.withRoot(c.id(), (container, fd) -> true))
                .isInstanceOf(EngineException.NotFound.class);
    }
}
