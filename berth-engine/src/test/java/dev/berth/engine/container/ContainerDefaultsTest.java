package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.Image;
import dev.berth.image.ImageConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerDefaultsTest {
    private static final ImageConfig IMAGE_CONFIG = new ImageConfig("app", null, List.of("PATH=/bin", "MODE=prod"),
            List.of("/entry"), List.of("serve"), null, "/app", Map.of("a", "1"), null);
    private static final Image IMAGE = new Image("sha256:" + "a".repeat(64), List.of("x:latest"), List.of(), null, null,
            Instant.EPOCH, null, "amd64", "linux", IMAGE_CONFIG, List.of(), "sha256:" + "b".repeat(64), 0);

    private static ContainerSpec spec(List<String> cmd, List<String> entrypoint, List<String> env) {
        return new ContainerSpec("x", cmd, entrypoint, env, null, null, null, null, Map.of("b", "2"), null, null,
                false, false, false, ContainerSpec.HostSettings.DEFAULT);
    }

    @Test
    void exposedPorts_ofImageAndRequest_areMergedOnce_asPortSlashProto_sortedByNumber() {
        assertThat(ContainerDefaults.mergeExposedPorts(List.of("7000", "80/tcp", "not-a-port"), List.of("443", "53/UDP", "80/tcp")))
                .containsExactly("53/udp", "80/tcp", "443/tcp", "7000/tcp");
        assertThat(ContainerDefaults.mergeExposedPorts(null, null)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainerDefaults.mergeExposedPorts(List.of(), List.of("http")))
                .hasMessage("invalid port specification: \"http\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainerDefaults.mergeExposedPorts(List.of(), List.of("70000/tcp")))
                .hasMessageContaining("70000/tcp");
    }

    @Test
    void merge_usesImageDefaults_whenNothingIsGiven() {
        var c = ContainerDefaults.merge(spec(null, null, null), IMAGE);
        assertThat(c.args()).containsExactly("/entry", "serve");
        assertThat(c.user()).isEqualTo("app");
        assertThat(c.workingDir()).isEqualTo("/app");
        assertThat(c.labels()).containsEntry("a", "1").containsEntry("b", "2");
    }

    @Test
    void merge_cmdReplacesImageCmd_butKeepsEntrypoint() {
        assertThat(ContainerDefaults.merge(spec(List.of("debug"), null, null), IMAGE).args()).containsExactly("/entry", "debug");
    }

    @Test
    void merge_entrypointDropsImageCmd_andEmptyEntrypointClearsIt() {
        assertThat(ContainerDefaults.merge(spec(null, List.of("sh"), null), IMAGE).args()).containsExactly("sh");
        assertThat(ContainerDefaults.merge(spec(List.of("ls"), List.of(""), null), IMAGE).args()).containsExactly("ls");
    }

    @Test
    void merge_envOverridesByName_keepingImageOrder() {
        var c = ContainerDefaults.merge(spec(null, null, List.of("MODE=dev", "NEW=1")), IMAGE);
        assertThat(c.env()).containsExactly("PATH=/bin", "MODE=dev", "NEW=1");
    }

    @Test
    void merge_refusesARelativeWorkingDirectory() {
        var spec = new ContainerSpec("x", null, null, null, "relative", null, null, null, null, null, null,
                false, false, false, ContainerSpec.HostSettings.DEFAULT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainerDefaults.merge(spec, IMAGE))
                .isInstanceOf(dev.berth.common.EngineException.InvalidArgument.class)
                .hasMessage("the working directory 'relative' is invalid, it needs to be an absolute path");
    }

    @Test
    void merge_onTheHostNetwork_takesTheHostsName_unlessOneIsGiven() {
        var d = ContainerSpec.HostSettings.DEFAULT;
        var host = new ContainerSpec.HostSettings(false, "host", d.restartPolicy(), false, false, d.capAdd(), d.capDrop(),
                d.securityOpt(), 0, false, null);
        var unnamed = new ContainerSpec("x", null, null, null, null, null, null, null, null, null, null, false, false, false, host);
        assertThat(ContainerDefaults.merge(unnamed, IMAGE).hostname()).isEqualTo(ContainerDefaults.hostHostname()).isNotBlank();
        var named = new ContainerSpec("x", null, null, null, null, null, "box", null, null, null, null, false, false, false, host);
        assertThat(ContainerDefaults.merge(named, IMAGE).hostname()).isEqualTo("box");
        assertThat(ContainerDefaults.merge(spec(null, null, null), IMAGE).hostname()).isNull(); // the short id, later
    }
}
