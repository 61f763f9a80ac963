package dev.berth.sys.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.sys.cgroups.CgroupSample.IoEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupParsersTest {
    private static Path fixture(String name) throws Exception {
        return Path.of(CgroupParsersTest.class.getResource("/cgroups/" + name).toURI());
    }

    @Test
    void v2_readsCpuInNanosMemoryPidsAndIoPerDevice() throws Exception {
        var s = CgroupV2.read(fixture("v2"));
        assertThat(s.cpuTotal()).isEqualTo(2_500_000_000L);
        assertThat(s.cpuUser()).isEqualTo(1_500_000_000L);
        assertThat(s.cpuKernel()).isEqualTo(1_000_000_000L);
        assertThat(s.cpuPerCpu()).isNull();
        assertThat(s.cpuPeriods()).isEqualTo(40);
        assertThat(s.cpuThrottledPeriods()).isEqualTo(3);
        assertThat(s.cpuThrottledTime()).isEqualTo(12_000_000L);
        assertThat(s.memoryUsage()).isEqualTo(4_194_304L);
        assertThat(s.memoryLimit()).isEqualTo(8_388_608L);
        assertThat(s.memoryMaxUsage()).isNull();
        assertThat(s.memoryFailcnt()).isEqualTo(2);
        assertThat(s.memoryStats()).containsEntry("inactive_file", 1_048_576L).containsEntry("anon", 1_048_576L);
        assertThat(s.pidsCurrent()).isEqualTo(3);
        assertThat(s.pidsLimit()).isZero(); // "max"
        assertThat(s.ioBytes()).containsExactly(new IoEntry(8, 0, "read", 4096), new IoEntry(8, 0, "write", 8192));
        assertThat(s.ioOps()).containsExactly(new IoEntry(8, 0, "read", 1), new IoEntry(8, 0, "write", 2));
    }

    @Test
    void v2_withoutMemoryLimitOrControllers_givesZeros(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("memory.max"), "max\n");
        var s = CgroupV2.read(dir);
        assertThat(s.memoryLimit()).isZero();
        assertThat(s.cpuTotal()).isZero();
        assertThat(s.ioBytes()).isEmpty();
        assertThat(s.memoryStats()).isEmpty();
    }

    @Test
    void v1_readsEachControllersDirectory_andLeavesTheGrandTotalOutOfBlkio() throws Exception {
        var dirs = Map.of("cpuacct", fixture("v1/cpuacct"), "cpu", fixture("v1/cpu"), "memory", fixture("v1/memory"),
                "pids", fixture("v1/pids"), "blkio", fixture("v1/blkio"));
        var s = CgroupV1.read(dirs);
        assertThat(s.cpuTotal()).isEqualTo(123_456_789L);
        assertThat(s.cpuPerCpu()).containsExactly(100_000_000L, 23_456_789L);
        assertThat(s.cpuUser()).isEqualTo(50_000_000L);
        assertThat(s.cpuKernel()).isEqualTo(70_000_000L);
        assertThat(s.cpuThrottledTime()).isEqualTo(5000);
        assertThat(s.memoryUsage()).isEqualTo(655_360L);
        assertThat(s.memoryMaxUsage()).isEqualTo(4_345_856L);
        assertThat(s.memoryLimit()).isZero(); // the kernel's "unlimited"
        assertThat(s.memoryStats()).containsEntry("total_inactive_file", 4096L);
        assertThat(s.pidsLimit()).isEqualTo(50);
        assertThat(s.ioBytes()).hasSize(5).first().isEqualTo(new IoEntry(8, 0, "Read", 4096));
        assertThat(s.ioOps()).extracting(IoEntry::op).containsExactly("Read", "Write");
    }

    @Test
    void cgroups_findTheProcessCgroupThroughProc(@TempDir Path tmp) throws Exception {
        Path proc = tmp.resolve("proc");
        Path root = tmp.resolve("cgroup");
        Files.createDirectories(proc.resolve("42"));
        Files.writeString(proc.resolve("42/cgroup"), "7:pids:/berth/abc\n4:cpu,cpuacct:/berth/abc\n0::/\n");
        Files.createDirectories(root.resolve("pids/berth/abc"));
        Files.writeString(root.resolve("pids/berth/abc/cgroup.procs"), "42\n43\n");
        var cgroups = new Cgroups(root, proc);
        assertThat(cgroups.v2()).isFalse();
        assertThat(cgroups.procs(42)).isEqualTo(List.of(42, 43));
        assertThat(cgroups.paths(42)).containsEntry("cpu,cpuacct", "/berth/abc");
    }

    @Test
    void cgroups_onV2_readTheUnifiedHierarchy(@TempDir Path tmp) throws Exception {
        Path proc = tmp.resolve("proc");
        Path root = tmp.resolve("cgroup");
        Files.createDirectories(proc.resolve("42"));
        Files.writeString(proc.resolve("42/cgroup"), "0::/berth/abc\n");
        Files.createDirectories(root.resolve("berth/abc"));
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids io\n");
        Files.writeString(root.resolve("berth/abc/cgroup.procs"), "42\n");
        Files.writeString(root.resolve("berth/abc/memory.current"), "1024\n");
        var cgroups = new Cgroups(root, proc);
        assertThat(cgroups.v2()).isTrue();
        assertThat(cgroups.procs(42)).containsExactly(42);
        assertThat(cgroups.sample(42).memoryUsage()).isEqualTo(1024);
    }
}
