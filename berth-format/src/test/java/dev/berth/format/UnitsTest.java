package dev.berth.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void humanSize_likeGoUnits() {
        assertThat(Units.humanSize(0, 3)).isEqualTo("0B");
        assertThat(Units.humanSize(999, 3)).isEqualTo("999B");
        assertThat(Units.humanSize(1000, 3)).isEqualTo("1kB");
        assertThat(Units.humanSize(4_261_234, 3)).isEqualTo("4.26MB");
        assertThat(Units.humanSize(1_234_567_890)).isEqualTo("1.235GB");
    }

    @Test
    void bytesSize_usesPowersOf1024() {
        assertThat(Units.bytesSize(1024)).isEqualTo("1KiB");
        assertThat(Units.bytesSize(25_200_000_000.0)).isEqualTo("23.47GiB");
    }
}
