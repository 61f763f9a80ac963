package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {
    private static final long MB = 1024 * 1024;

    private static Limits memory(Long memory, Long swap, Long reservation) {
        return new Limits(memory, swap, reservation, null, null, null, null, null, null, null, null, null, null);
    }

    private static Limits cpus(Long nanoCpus, String cpuset) {
        return new Limits(null, null, null, nanoCpus, null, cpuset, null, null, null, null, null, null, null);
    }

    @Test
    void forCreate_defaultsSwapToTwiceTheMemory_orUnlimitedWithoutSwapAccounting() {
        assertThat(memory(64 * MB, null, null).forCreate(2, true).memorySwap()).isEqualTo(128 * MB);
        assertThat(memory(64 * MB, 0L, null).forCreate(2, false).memorySwap()).isEqualTo(-1L);
        assertThat(memory(64 * MB, -1L, null).forCreate(2, true).memorySwap()).isEqualTo(-1L);
        assertThat(Limits.NONE.forCreate(2, true).memorySwap()).isNull();
    }

    @Test
    void forCreate_refusesWhatDockerRefuses_withItsWords() {
        assertThatThrownBy(() -> memory(4 * MB, null, null).forCreate(2, true))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("Minimum memory limit allowed is 6MB");
        assertThatThrownBy(() -> memory(64 * MB, 32 * MB, null).forCreate(2, true))
                .hasMessage("Minimum memoryswap limit should be larger than memory limit, see usage");
        assertThatThrownBy(() -> memory(null, 32 * MB, null).forCreate(2, true))
                .hasMessage("You should always set the Memory limit when using Memoryswap limit, see usage");
        assertThatThrownBy(() -> memory(null, null, MB).forCreate(2, true))
                .hasMessage("Minimum memory reservation allowed is 6MB");
        assertThatThrownBy(() -> memory(16 * MB, null, 32 * MB).forCreate(2, true))
                .hasMessage("Minimum memory limit can not be less than memory reservation limit, see usage");
        assertThatThrownBy(() -> cpus(3_000_000_000L, null).forCreate(2, true))
                .hasMessage("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available");
    }

    @Test
    void cpuset_acceptsListsAndRangesOfOnlineCpus() {
        Limits.checkCpuset("0-1", 2);
        Limits.checkCpuset("0,1", 2);
        Limits.checkCpuset("1", 2);
        assertThatThrownBy(() -> Limits.checkCpuset("2", 2))
                .hasMessage("Requested CPUs are not available - requested 2, available: 0-1");
        for (String bad : List.of("x", "1-", "-1", "2-1", "0,,1", "0-1-2")) {
            assertThatThrownBy(() -> Limits.checkCpuset(bad, 4)).as(bad)
                    .hasMessage("Invalid value " + bad + " for cpuset cpus");
        }
    }

    @Test
    void forCreate_treatsAPidsLimitOfZeroOrLessAsNone() {
        var l = new Limits(null, null, null, null, null, null, null, -1L, null, null, null, null, null);
        assertThat(l.forCreate(2, true).pidsLimit()).isNull();
    }

    @Test
    void update_replacesOnlyTheFieldsThatAreSet_andKeepsCreateTimeSettings() {
        var created = new Limits(64 * MB, 128 * MB, null, 500_000_000L, 512L, "0", null, 50L, null,
                List.of(), Map.of("/run", "size=1m"), Map.of(), List.of());
        var updated = created.update(cpus(1_000_000_000L, null), 2);
        assertThat(updated.nanoCpus()).isEqualTo(1_000_000_000L);
        assertThat(updated.memory()).isEqualTo(64 * MB);
        assertThat(updated.cpuShares()).isEqualTo(512L);
        assertThat(updated.pidsLimit()).isEqualTo(50L);
        assertThat(updated.tmpfs()).containsEntry("/run", "size=1m");
        var unlimitedPids = new Limits(null, null, null, null, null, null, null, -1L, null, null, null, null, null);
        assertThat(created.update(unlimitedPids, 2).pidsLimit()).isNull();
    }

    @Test
    void update_ofMemoryAboveTheSwapLimit_needsANewSwapLimit() {
        var created = memory(64 * MB, 128 * MB, null);
        assertThatThrownBy(() -> created.update(memory(256 * MB, null, null), 2))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        assertThat(created.update(memory(256 * MB, 512 * MB, null), 2).memorySwap()).isEqualTo(512 * MB);
        assertThat(created.update(memory(100 * MB, null, null), 2).memory()).isEqualTo(100 * MB);
        assertThatThrownBy(() -> created.update(memory(MB, null, null), 2)).hasMessage("Minimum memory limit allowed is 6MB");
    }

    @Test
    void cpuShares_areMovedIntoTheKernelsRange() {
        var low = new Limits(null, null, null, null, 1L, null, null, null, null, null, null, null, null);
        var high = new Limits(null, null, null, null, 1_000_000L, null, null, null, null, null, null, null, null);
        assertThat(low.forCreate(2, true).cpuShares()).isEqualTo(2L);
        assertThat(high.forCreate(2, true).cpuShares()).isEqualTo(262_144L);
        assertThat(Limits.NONE.forCreate(2, true).cpuShares()).isNull();
    }

    private static Limits tmpfs(String destination, String options) {
        return new Limits(null, null, null, null, null, null, null, null, null, null, Map.of(destination, options), null, null);
    }

    @Test
    void forCreate_refusesATmpfsThatCouldNotBeMounted_withDockersWords() {
        assertThatThrownBy(() -> tmpfs("data", "").forCreate(2, true))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("invalid mount path: 'data' mount path must be absolute");
        assertThatThrownBy(() -> tmpfs("/x/..", "").forCreate(2, true))
                .hasMessage("invalid specification: destination can't be '/'");
        assertThatThrownBy(() -> tmpfs("/data", "rw,size=abc").forCreate(2, true))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("invalid tmpfs options for /data: invalid size: 'abc'");
        assertThatThrownBy(() -> tmpfs("/data", "size=1.5m").forCreate(2, true)).hasMessageContaining("invalid size: '1.5m'");
        for (String size : List.of("65536", "64m", "1G", "0x100k", "50%")) {
            assertThat(tmpfs("/data", "size=" + size + ",mode=1777").forCreate(2, true).tmpfs())
                    .containsEntry("/data", "size=" + size + ",mode=1777");
        }
    }
}
