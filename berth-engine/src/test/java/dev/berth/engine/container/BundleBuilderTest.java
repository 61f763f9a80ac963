package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.engine.volume.ContainerMounts;
import dev.berth.oci.BindMount;

import dev.berth.oci.ConsoleSize;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleBuilderTest {
    private static final ContainerFiles.Written FILES =
            new ContainerFiles.Written(Path.of("/c/hostname"), Path.of("/c/hosts"), Path.of("/c/resolv.conf"));

    private static Container container(boolean tty, ContainerSpec.TerminalSize size) {
        var h = ContainerSpec.HostSettings.DEFAULT;
        var host = new ContainerSpec.HostSettings(h.autoRemove(), h.networkMode(), h.restartPolicy(), h.privileged(),
                h.readonlyRootfs(), h.capAdd(), h.capDrop(), h.securityOpt(), h.shmSize(), h.init(), size);
        var spec = new ContainerSpec("busybox", List.of("sh"), null, null, null, null, null, null, null, null, null,
                tty, tty, tty, host);
        var config = ContainerDefaults.merge(spec, ServiceFixture.BUSYBOX);
        return new Container("f".repeat(64), "x", Instant.EPOCH, "busybox", ServiceFixture.BUSYBOX.id(),
                ServiceFixture.BUSYBOX.chainId(), spec, config, ContainerState.created());
    }

    @Test
    void options_withTty_startTheTerminalAtTheClientsSize() {
        var o = new BundleBuilder(null).options(container(true, new ContainerSpec.TerminalSize(40, 100)), Path.of("/r"), FILES);
        assertThat(o.terminal()).isTrue();
        assertThat(o.consoleSize()).isEqualTo(new ConsoleSize(40, 100));
    }

    @Test
    void options_withoutTty_haveNoConsoleSize() {
        var o = new BundleBuilder(null).options(container(false, new ContainerSpec.TerminalSize(40, 100)), Path.of("/r"), FILES);
        assertThat(o.consoleSize()).isNull();
    }

    @Test
    void userMounts_atATmpfsDestination_areADuplicateMountPoint() {
        var resolved = new ContainerMounts.Resolved(List.of(BindMount.of(Path.of("/v"), "/data/", false)), Map.of());
        assertThatThrownBy(() -> BundleBuilder.withUserMounts(Map.of("/data", ""), resolved))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("Duplicate mount point: /data");
        var tmpfsVolume = new ContainerMounts.Resolved(List.of(), Map.of("/data", "size=1m"));
        assertThatThrownBy(() -> BundleBuilder.withUserMounts(Map.of("/data", ""), tmpfsVolume))
                .hasMessage("Duplicate mount point: /data");
        var apart = new ContainerMounts.Resolved(List.of(BindMount.of(Path.of("/v"), "/v", false)), Map.of("/t", "size=1m"));
        assertThat(BundleBuilder.withUserMounts(Map.of("/run", "exec"), apart))
                .containsExactlyInAnyOrderEntriesOf(Map.of("/run", "exec", "/t", "size=1m"));
    }
}
