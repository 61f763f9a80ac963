package dev.berth.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizesTest {
    @Test
    void readsGoUnitsSizes() {
        assertThat(ByteSizes.ramInBytes("512m")).isEqualTo(512L << 20);
        assertThat(ByteSizes.ramInBytes("1.5g")).isEqualTo(1536L << 20);
        assertThat(ByteSizes.ramInBytes("64k")).isEqualTo(65536);
        assertThat(ByteSizes.ramInBytes("100")).isEqualTo(100);
        assertThat(ByteSizes.ramInBytes("2GB")).isEqualTo(2L << 30);
        assertThat(ByteSizes.ramInBytes("512mi")).isEqualTo(512L << 20);
        assertThat(ByteSizes.ramInBytes("3 MiB")).isEqualTo(3L << 20);
    }

    @Test
    void refusesWhatGoUnitsRefuses() {
        for (String bad : new String[] {"lots", "1e3", ".5", "-1", "", "5x"}) {
            assertThatThrownBy(() -> ByteSizes.ramInBytes(bad)).as(bad).hasMessage("invalid size: '" + bad + "'");
        }
    }
}
