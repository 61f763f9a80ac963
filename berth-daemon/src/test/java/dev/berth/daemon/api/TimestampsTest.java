package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** since/until values as Docker's timetypes.GetTimestamp reads them, for every endpoint that takes one. */
class TimestampsTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void goDurations_countBackFromNow() {
        assertThat(Timestamps.parse("24h", NOW)).isEqualTo(NOW.minus(Duration.ofHours(24)));
        assertThat(Timestamps.parse("1h30m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
        assertThat(Timestamps.parse("1.5s", NOW)).isEqualTo(NOW.minusMillis(1500));
        assertThat(Timestamps.parse(".5h", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(30)));
        assertThat(Timestamps.parse("10ms5us3ns", NOW)).isEqualTo(NOW.minusNanos(10_005_003));
        assertThat(Timestamps.parse("2\u00b5s", NOW)).isEqualTo(NOW.minusNanos(2000));
        assertThat(Timestamps.parse("-5m", NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(Timestamps.parse("0s", NOW)).isEqualTo(NOW);
    }

    @Test
    void unixSecondsAndRfc3339_areAbsolute() {
        assertThat(Timestamps.parse("1700000000.5", NOW)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
        assertThat(Timestamps.parse("0", NOW)).isEqualTo(Instant.EPOCH);
        assertThat(Timestamps.parse("2025-05-06T07:08:09Z", NOW)).isEqualTo(Instant.parse("2025-05-06T07:08:09Z"));
        assertThat(Timestamps.parseOrNull("0")).isNull();
    }

    @Test
    void anythingElse_isRefused() {
        for (String bad : new String[] {"h", "1d", "24h ", "1h-5m", "yesterday"}) {
            assertThatThrownBy(() -> Timestamps.parse(bad, NOW)).as(bad)
                    .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("invalid timestamp: " + bad);
        }
    }
}
