package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.EngineClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags of the interactive and resource commands turned into API requests, and Docker's arithmetic on stats and events. */
class LiveCommandsTest {
    @Test
    void sizes_arePowersOf1024() {
        assertThat(Sizes.ramInBytes("512m", "-m")).isEqualTo(512L * 1024 * 1024);
        assertThat(Sizes.ramInBytes("1.5g", "-m")).isEqualTo(1536L * 1024 * 1024);
        assertThat(Sizes.ramInBytes("64k", "-m")).isEqualTo(65536);
        assertThat(Sizes.ramInBytes("100", "-m")).isEqualTo(100);
        assertThat(Sizes.ramInBytes("2GB", "-m")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> Sizes.ramInBytes("lots", "--memory")).hasMessageContaining("invalid size: 'lots'");
    }

    @Test
    void resourceFlags_becomeHostConfig() {
        var r = new ResourceOptions();
        new CommandLine(r).parseArgs("-m", "64m", "--memory-swap", "-1", "--cpus", "1.5", "--cpu-shares", "512",
                "--cpuset-cpus", "0", "--pids-limit", "20", "--oom-kill-disable", "--memory-reservation", "32m");
        var host = new LinkedHashMap<String, Object>();
        r.addTo(host);
        assertThat(host).containsEntry("Memory", 64L << 20).containsEntry("MemorySwap", -1L)
                .containsEntry("NanoCpus", 1_500_000_000L).containsEntry("CpuShares", 512L).containsEntry("CpusetCpus", "0")
                .containsEntry("PidsLimit", 20L).containsEntry("OomKillDisable", true).containsEntry("MemoryReservation", 32L << 20);
        assertThatThrownBy(() -> ResourceOptions.nanoCpus("abc")).hasMessageContaining("--cpus");
        assertThatThrownBy(() -> ResourceOptions.nanoCpus("0.0000000001")).hasMessageContaining("--cpus");
    }

    @Test
    void ulimitsAndDevices_likeDockers() {
        assertThat(ContainerOptions.ulimit("nofile=1024:2048")).containsEntry("Name", "nofile").containsEntry("Soft", 1024L).containsEntry("Hard", 2048L);
        assertThat(ContainerOptions.ulimit("nproc=64")).containsEntry("Soft", 64L).containsEntry("Hard", 64L);
        assertThatThrownBy(() -> ContainerOptions.ulimit("nofile=10:5")).hasMessageContaining("soft limit must be less than or equal to hard limit");
        assertThat(ContainerOptions.device("/dev/fuse")).containsEntry("PathInContainer", "/dev/fuse").containsEntry("CgroupPermissions", "rwm");
        assertThat(ContainerOptions.device("/dev/sda:/dev/xvda:r")).containsEntry("PathOnHost", "/dev/sda")
                .containsEntry("PathInContainer", "/dev/xvda").containsEntry("CgroupPermissions", "r");
        assertThatThrownBy(() -> ContainerOptions.device("/dev/sda:/dev/xvda:rx")).hasMessageContaining("invalid device mode");
    }

    @Test
    void statsRow_computesDockersColumns() {
        var sample = EngineClient.json().readTree("""
                {"id":"0123456789abcdef0123","name":"/web",
                 "cpu_stats":{"cpu_usage":{"total_usage":300000000},"system_cpu_usage":2000000000,"online_cpus":2},
                 "precpu_stats":{"cpu_usage":{"total_usage":100000000},"system_cpu_usage":1000000000},
                 "memory_stats":{"usage":10485760,"limit":104857600,"stats":{"total_inactive_file":2097152}},
                 "networks":{"eth0":{"rx_bytes":1500,"tx_bytes":500}},
                 "blkio_stats":{"io_service_bytes_recursive":[{"op":"Read","value":4096},{"op":"Write","value":8192}]},
                 "pids_stats":{"current":3}}""");
        var row = new StatsRow("web", sample, true);
        assertThat(row.field("ID")).isEqualTo("0123456789ab");
        assertThat(row.field("Name")).isEqualTo("web");
        assertThat(row.field("CPUPerc")).isEqualTo("40.00%");
        assertThat(row.field("MemUsage")).isEqualTo("8MiB / 100MiB");
        assertThat(row.field("MemPerc")).isEqualTo("8.00%");
        assertThat(row.field("NetIO")).isEqualTo("1.5kB / 500B");
        assertThat(row.field("BlockIO")).isEqualTo("4.1kB / 8.19kB");
        assertThat(row.field("PIDs")).isEqualTo("3");
    }

    @Test
    void eventLine_hasSortedAttributes() {
        var event = EngineClient.json().readTree("""
                {"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"web","image":"busybox"}},
                 "time":1764561600,"timeNano":1764561600123456789}""");
        assertThat(EventsCommand.line(event)).endsWith(" container start abc (image=busybox, name=web)")
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.123456789(Z|[+-]\\d\\d:\\d\\d) .*");
    }

    @Test
    void aTtyWithStdin_needsATerminal() {
        // Under the test runner stdin is a pipe: refused before anything is sent to a daemon.
        var run = CliUnitTest.berth(Map.of("BERTH_HOST", "unix:///nonexistent/b.sock"), "run", "-it", "busybox", "sh");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("the input device is not a TTY\n");
        var exec = CliUnitTest.berth(Map.of("BERTH_HOST", "unix:///nonexistent/b.sock"), "exec", "-it", "web", "sh");
        assertThat(exec.err()).isEqualTo("the input device is not a TTY\n");
        // Detached, or without -i, nothing is read from the terminal, so no terminal is needed.
        assertThat(CliUnitTest.berth(Map.of("BERTH_HOST", "unix:///nonexistent/b.sock"), "run", "-d", "-it", "busybox").err())
                .contains("Cannot connect");
        assertThat(CliUnitTest.berth(Map.of("BERTH_HOST", "unix:///nonexistent/b.sock"), "run", "-t", "busybox").err())
                .contains("Cannot connect");
    }

    @Test
    void execArguments_afterTheContainerBelongToTheCommand() {
        var r = CliUnitTest.berth(Map.of("BERTH_HOST", "unix:///nonexistent/b.sock"), "exec", "-i", "web", "sh", "-c", "ls -l");
        assertThat(r.err()).contains("Cannot connect");
        var missing = CliUnitTest.berth(Map.of(), "exec", "web");
        assertThat(missing.exit()).isEqualTo(125);
        assertThat(List.of(missing.err().split("\n"))).first().asString().contains("requires at least");
    }
}
