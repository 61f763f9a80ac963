package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code docker info} against berthd: the counts, and the host facts as the host itself tells them. */
class DaemonInfoIT {
    private static String sh(String command) throws Exception {
        return Cli.run(List.of("sh", "-c", command), Map.of(), null).out().strip();
    }

    @Test
    void dockerInfo_countsContainersAndImages_andTellsTheHostAsItIs() throws Exception {
        try (var d = TestDaemon.started()) {
            d.loadBusybox();
            String running = d.docker("run", "-d", "busybox", "sleep", "300").out().strip();
            String paused = d.docker("run", "-d", "busybox", "sleep", "300").out().strip();
            assertThat(d.docker("pause", paused).exit()).isZero();
            d.docker("create", "busybox", "true");
            d.docker("run", "busybox", "true");

            assertThat(d.docker("info", "--format", "{{.Containers}} {{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}} {{.Images}}").out())
                    .isEqualTo("4 1 1 2 1\n");
            var info = d.docker("info");
            assertThat(info.exit()).as(info.toString()).isZero();
            String out = info.out();
            String fs = sh("stat -f -c %T " + d.dataRoot());
            String backing = fs.startsWith("ext") ? "extfs" : fs;
            boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
            assertThat(out).contains(" Containers: 4\n  Running: 1\n  Paused: 1\n  Stopped: 2\n Images: 1\n")
                    .contains(" Storage Driver: overlay2\n  Backing Filesystem: " + backing + "\n")
                    .contains(" Cgroup Driver: cgroupfs\n Cgroup Version: " + (v2 ? "2" : "1") + "\n")
                    .contains(" Runtimes: runc\n Default Runtime: runc\n")
                    .contains(" Kernel Version: " + sh("uname -r") + "\n")
                    .contains(" Operating System: " + sh(". /etc/os-release; echo \"$PRETTY_NAME\"") + "\n")
                    .contains(" OSType: linux\n Architecture: x86_64\n")
                    .contains(" CPUs: " + sh("nproc") + "\n")
                    .contains(" Docker Root Dir: " + d.dataRoot() + "\n")
                    .contains(" Live Restore Enabled: false\n")
                    .contains(" Insecure Registries:\n  ::1/128\n  127.0.0.0/8\n")
                    .contains(" Debug Mode: true\n");
            if (Files.isExecutable(Path.of("/usr/sbin/runc"))) assertThat(out).containsPattern(" runc version: \\S+");
            long memKb = Long.parseLong(sh("awk '/^MemTotal:/ {print $2}' /proc/meminfo"));
            assertThat(d.docker("info", "--format", "{{.MemTotal}}").out().strip()).isEqualTo(Long.toString(memKb * 1024));
            boolean forwarding = sh("cat /proc/sys/net/ipv4/ip_forward").equals("1");
            assertThat(d.docker("info", "--format", "{{.IPv4Forwarding}}").out()).isEqualTo(forwarding + "\n");
            assertThat(info.err().contains("WARNING: IPv4 forwarding is disabled")).isEqualTo(!forwarding);
            assertThat(info.err()).doesNotContain("without encryption");
            d.docker("rm", "-f", running, paused);
        }
    }
}
