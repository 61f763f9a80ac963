package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FiltersTest {
    @Test
    void label_needsEveryKeyOrPair_andLabelNot_refusesAnyOfThem() {
        var f = Filters.parse("{\"label\":[\"a\",\"b=1\"],\"label!\":[\"x\",\"y=2\"]}", Set.of("label", "label!"));
        assertThat(f.labelsMatch(Map.of("a", "", "b", "1"))).isTrue();
        assertThat(f.labelsMatch(Map.of("a", "", "b", "2"))).isFalse();
        assertThat(f.labelsMatch(null)).isFalse();
        assertThat(f.notLabelsMatch(Map.of("y", "3"))).isTrue();
        assertThat(f.notLabelsMatch(Map.of("x", "anything"))).isFalse();
        assertThat(f.notLabelsMatch(Map.of("y", "2"))).isFalse();
        assertThat(f.notLabelsMatch(null)).isTrue();
        assertThat(Filters.NONE.notLabelsMatch(Map.of("x", ""))).isTrue();
    }
}
