package dev.berth.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HumanTimeTest {
    @Test
    void duration_wordsItAsDockerDoes() {
        assertThat(HumanTime.duration(Duration.ofMillis(500))).isEqualTo("Less than a second");
        assertThat(HumanTime.duration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(HumanTime.duration(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(HumanTime.duration(Duration.ofSeconds(60))).isEqualTo("About a minute");
        assertThat(HumanTime.duration(Duration.ofMinutes(5))).isEqualTo("5 minutes");
        assertThat(HumanTime.duration(Duration.ofMinutes(61))).isEqualTo("About an hour");
        assertThat(HumanTime.duration(Duration.ofHours(3))).isEqualTo("3 hours");
        assertThat(HumanTime.duration(Duration.ofDays(3))).isEqualTo("3 days");
    }

    @Test
    void rfc3339_dropsTrailingZeros() {
        assertThat(HumanTime.rfc3339(Instant.parse("2026-11-22T10:00:00.120Z"))).isEqualTo("2026-11-22T10:00:00.12Z");
        assertThat(HumanTime.rfc3339(Instant.parse("2026-11-22T10:00:00Z"))).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(HumanTime.rfc3339(Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(HumanTime.rfc3339(Instant.parse("2026-11-22T10:00:00.000000001Z"))).isEqualTo("2026-11-22T10:00:00.000000001Z");
        assertThat(HumanTime.rfc3339(Instant.parse("2026-11-22T10:00:59.123456789Z"))).isEqualTo("2026-11-22T10:00:59.123456789Z");
    }
}
