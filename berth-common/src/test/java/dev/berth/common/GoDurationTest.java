package dev.berth.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void parse_readsGosForms_andRefusesBareNumbers() {
        assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(GoDuration.parse(".5h")).isEqualTo(Duration.ofMinutes(30));
        assertThat(GoDuration.parse("10ms5us3ns")).isEqualTo(Duration.ofNanos(10_005_003));
        assertThat(GoDuration.parse("-5m")).isEqualTo(Duration.ofMinutes(-5));
        assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(GoDuration.parse("10")).isNull();
        assertThat(GoDuration.parse("5 s")).isNull();
        assertThat(GoDuration.parse("")).isNull();
    }

    @Test
    void format_printsAsGoDoes() {
        assertThat(GoDuration.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format(Duration.ofHours(2))).isEqualTo("2h0m0s");
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(GoDuration.format(Duration.ofNanos(1500))).isEqualTo("1.5\u00b5s");
    }
}
