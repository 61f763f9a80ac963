package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.container.StatsReading;
import dev.berth.sys.cgroups.CgroupSample;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsJsonTest {
    private static final long HOST_MEMORY = 8L << 30;

    private static CgroupSample sample(long cpu, long memoryLimit) {
        return new CgroupSample(cpu, List.of(cpu), 0, cpu, 0, 0, 0, 1 << 20, 2L << 20, 0L, memoryLimit,
                Map.of("total_inactive_file", 4096L), 2, 0,
                List.of(new CgroupSample.IoEntry(8, 0, "Read", 4096)), List.of());
    }

    private static StatsReading reading(CgroupSample s, long system) {
        return new StatsReading("f".repeat(64), "web", Instant.parse("2026-01-01T00:00:01Z"), s, system, 2,
                HOST_MEMORY, Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void aSample_carriesItsPredecessorAsPrecpu_andTheHostMemoryWhenThereIsNoLimit() {
        var json = StatsJson.of(reading(sample(2_000, 0), 20_000), reading(sample(1_000, 0), 10_000));
        assertThat(json).containsEntry("name", "/web").containsEntry("read", "2026-01-01T00:00:01Z");
        var cpu = map(json.get("cpu_stats"));
        assertThat(map(cpu.get("cpu_usage")).get("total_usage")).isEqualTo(2_000L);
        assertThat(map(map(json.get("precpu_stats")).get("cpu_usage")).get("total_usage")).isEqualTo(1_000L);
        assertThat(cpu).containsEntry("system_cpu_usage", 20_000L).containsEntry("online_cpus", 2);
        assertThat(map(json.get("memory_stats"))).containsEntry("limit", HOST_MEMORY).containsEntry("usage", 1L << 20);
        assertThat(json).doesNotContainKey("networks"); // only loopback
    }

    @Test
    void aContainerThatDoesNotRun_givesDockersZeroSample() {
        var json = StatsJson.of(new StatsReading("f".repeat(64), "web", null, null, 0, 2, HOST_MEMORY, null), null);
        assertThat(json).containsEntry("read", "0001-01-01T00:00:00Z").containsEntry("preread", "0001-01-01T00:00:00Z");
        assertThat(map(json.get("memory_stats"))).isEmpty();
        assertThat(map(json.get("pids_stats"))).isEmpty();
    }

    @Test
    void aMemoryLimit_isShownAsItIs() {
        var json = StatsJson.of(reading(sample(1, 64L << 20), 1), null);
        assertThat(map(json.get("memory_stats"))).containsEntry("limit", 64L << 20);
    }
}
