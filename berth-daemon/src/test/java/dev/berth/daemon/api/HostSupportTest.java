package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostSupportTest {
    @TempDir
    Path dir;

    private Path file(String rel, String content) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void v2_readsTheControllers_andWarnsForWhatIsMissing() throws Exception {
        file("cg/cgroup.controllers", "cpuset cpu io pids\n");
        file("proc/net/ipv4/ip_forward", "1\n");
        file("proc/net/bridge/bridge-nf-call-iptables", "1\n");
        file("proc/net/bridge/bridge-nf-call-ip6tables", "0\n");
        var s = HostSupport.probe(dir.resolve("cg"), dir.resolve("proc"));
        assertThat(s).containsEntry("MemoryLimit", false).containsEntry("SwapLimit", false).containsEntry("CpuCfsQuota", true)
                .containsEntry("CPUSet", true).containsEntry("PidsLimit", true).containsEntry("IPv4Forwarding", true);
        assertThat(HostSupport.warnings(s)).containsExactly("WARNING: No memory limit support", "WARNING: No swap limit support",
                "WARNING: bridge-nf-call-ip6tables is disabled");
    }

    @Test
    void v1_looksForEachControllersFiles() throws Exception {
        file("cg/memory/memory.limit_in_bytes", "");
        file("cg/memory/memory.oom_control", "");
        file("cg/cpu/cpu.cfs_period_us", "");
        file("cg/cpu/cpu.cfs_quota_us", "");
        file("cg/cpu/cpu.shares", "");
        file("cg/cpuset/cpuset.cpus", "");
        Files.createDirectories(dir.resolve("cg/pids"));
        file("proc/net/ipv4/ip_forward", "0\n");
        var s = HostSupport.probe(dir.resolve("cg"), dir.resolve("proc"));
        assertThat(s).containsEntry("MemoryLimit", true).containsEntry("SwapLimit", false).containsEntry("OomKillDisable", true)
                .containsEntry("CPUShares", true).containsEntry("PidsLimit", true);
        assertThat(HostSupport.warnings(s)).containsExactly("WARNING: No swap limit support", "WARNING: IPv4 forwarding is disabled",
                "WARNING: bridge-nf-call-iptables is disabled", "WARNING: bridge-nf-call-ip6tables is disabled");
    }

    @Test
    void backingFilesystem_namesExtAsDockerDoes() {
        assertThat(HostSupport.backingFilesystem(dir)).isNotBlank().isNotEqualTo("ext4");
    }
}
