package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthcheckTest {
    private static final Healthcheck IMAGE = new Healthcheck(List.of("CMD", "check"), 5_000_000_000L, 2_000_000_000L, 0, 0, 4);

    @Test
    void merge_takesEachUnsetPartFromTheImage() {
        var container = new Healthcheck(List.of(), 1_000_000_000L, 0, 0, 0, 0);
        assertThat(Healthcheck.merge(container, IMAGE))
                .isEqualTo(new Healthcheck(List.of("CMD", "check"), 1_000_000_000L, 2_000_000_000L, 0, 0, 4));
        assertThat(Healthcheck.merge(null, IMAGE)).isEqualTo(IMAGE);
        assertThat(Healthcheck.merge(new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0), IMAGE).disabled()).isTrue();
    }

    @Test
    void json_leavesZeroPartsOut_andReadsBack() {
        assertThat(IMAGE.toJson()).isEqualTo(Map.of("Test", List.of("CMD", "check"), "Interval", 5_000_000_000L,
                "Timeout", 2_000_000_000L, "Retries", 4));
        assertThat(Healthcheck.fromJson(IMAGE.toJson())).isEqualTo(IMAGE);
        assertThat(Healthcheck.fromJson("not a map")).isNull();
    }

    @Test
    void validate_refusesDurationsUnderAMillisecond_andNegativeRetries() {
        assertThatThrownBy(() -> new Healthcheck(List.of("CMD", "x"), 999, 0, 0, 0, 0).validate())
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("Interval in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> new Healthcheck(List.of("CMD", "x"), 0, -1, 0, 0, 0).validate())
                .hasMessage("Timeout in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> new Healthcheck(List.of("CMD", "x"), 0, 0, 0, 0, -1).validate())
                .hasMessage("Retries in Healthcheck cannot be negative");
        IMAGE.validate();
    }
}
