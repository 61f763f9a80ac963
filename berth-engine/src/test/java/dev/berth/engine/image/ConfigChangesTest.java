package dev.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.image.ImageConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
    @Test
    void apply_understandsDockerfileInstructions() {
        ImageConfig c = ConfigChanges.apply(ImageConfig.EMPTY, List.of(
                "CMD [\"sh\"]", "ENTRYPOINT /bin/run me", "ENV A=1 B=\"two words\"", "ENV C 3", "LABEL x=y",
                "EXPOSE 80 53/udp", "USER nobody", "WORKDIR /srv", "STOPSIGNAL SIGINT", "VOLUME /data"));
        assertThat(c.cmd()).containsExactly("sh");
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c", "/bin/run me");
        assertThat(c.env()).containsExactly("A=1", "B=two words", "C=3");
        assertThat(c.labels()).containsEntry("x", "y");
        assertThat(c.exposedPorts()).containsExactly("80/tcp", "53/udp");
        assertThat(c.user()).isEqualTo("nobody");
        assertThat(c.workingDir()).isEqualTo("/srv");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");
        assertThat(c.volumes()).containsExactly("/data");
    }

    @Test
    void apply_laterEnvReplacesEarlier() {
        ImageConfig c = ConfigChanges.apply(ImageConfig.EMPTY, List.of("ENV A=1", "ENV A=2"));
        assertThat(c.env()).containsExactly("A=2");
    }

    @Test
    void apply_refusesUnknownInstructions() {
        assertThatThrownBy(() -> ConfigChanges.apply(ImageConfig.EMPTY, List.of("RUN rm -rf /")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("RUN is not a valid change command");
    }
}
