package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resource limits, pause, top, stats and update as a user sees them through {@code berth} and the Docker CLI, on
 * real runc, conmon and cgroups (v1 or v2, whichever the host has).
 */
class LimitsIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @Test
    void exceedingTheMemoryLimit_isAnOomKill_exit137() throws Exception {
        long since = java.time.Instant.now().getEpochSecond() - 1;
        var run = daemon.berth("run", "--name", "hog", "-m", "8m", "busybox", "sh", "-c", "x=a; while true; do x=$x$x; done");
        assertThat(run.exit()).as(run.toString()).isEqualTo(137);
        var state = daemon.docker("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}", "hog");
        assertThat(state.out()).isEqualTo("true 137 8388608\n");
        assertThat(events(since, "hog")).containsSubsequence("start", "oom", "die");
        daemon.berth("rm", "hog");
    }

    @Test
    void limitsAreEnforcedInsideTheContainer_andShownByInspect() throws Exception {
        var r = daemon.docker("run", "--name", "limited", "-m", "64m", "--cpus", "0.5", "--pids-limit", "50",
                "--ulimit", "nofile=1000:2000", "--tmpfs", "/scratch:size=1m", "--shm-size", "32m",
                "--sysctl", "net.ipv4.ip_forward=1", "busybox", "sh", "-c",
                "ulimit -n; ulimit -Hn; df -k /dev/shm /scratch | tail -2 | awk '{print $2}'; cat /proc/sys/net/ipv4/ip_forward");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("1000\n2000\n32768\n1024\n1\n");
        var inspect = daemon.berth("inspect", "-f",
                "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.ShmSize}} {{json .HostConfig.Ulimits}} {{json .HostConfig.Tmpfs}}",
                "limited");
        assertThat(inspect.out()).isEqualTo("67108864 134217728 500000000 50 33554432 [{\"Name\":\"nofile\",\"Hard\":2000,\"Soft\":1000}] {\"/scratch\":\"size=1m\"}\n");
        daemon.berth("rm", "limited");
    }

    @Test
    void limitsBelowWhatDockerAllows_areRefused_andNothingIsCreated() throws Exception {
        int before = daemon.berth("ps", "-aq").out().lines().toList().size();
        var small = daemon.docker("run", "-m", "4m", "busybox", "true");
        assertThat(small.exit()).isEqualTo(125);
        assertThat(small.err()).contains("Minimum memory limit allowed is 6MB");
        var swap = daemon.berth("run", "-m", "64m", "--memory-swap", "32m", "busybox", "true");
        assertThat(swap.exit()).isNotZero();
        assertThat(swap.err()).contains("Minimum memoryswap limit should be larger than memory limit");
        var cpuset = daemon.docker("create", "--cpuset-cpus", "0-999", "busybox");
        assertThat(cpuset.err()).contains("Requested CPUs are not available - requested 0-999");
        var ulimit = daemon.request("POST", "/v1.50/containers/create",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"Ulimits\":[{\"Name\":\"bogus\",\"Soft\":1,\"Hard\":1}]}}");
        assertThat(ulimit).startsWith("HTTP/1.1 400").contains("invalid ulimit type: bogus");
        assertThat(daemon.berth("ps", "-aq").out().lines().toList()).hasSize(before);
    }

    @Test
    void pause_stopsProgress_andUnpauseResumesIt() throws Exception {
        long since = java.time.Instant.now().getEpochSecond() - 1;
        daemon.berth("run", "-d", "--name", "counter", "busybox", "sh", "-c",
                "i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.05; done");
        assertThat(daemon.docker("pause", "counter").exit()).isZero();
        assertThat(daemon.berth("ps", "--filter", "name=counter", "--format", "{{.Names}} {{.Status}}").out())
                .matches("counter Up .* \\(Paused\\)\n");
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", "counter").out()).isEqualTo("paused true\n");
        var again = daemon.berth("pause", "counter");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("is already paused");
        // Frozen: the same processes stay (pid and command only: ps's C column is CPU time over elapsed time, which
        // keeps changing while frozen) and the counter does not advance.
        var top1 = daemon.docker("top", "counter", "-o", "pid,args");
        Thread.sleep(500);
        assertThat(daemon.docker("top", "counter", "-o", "pid,args").out()).isEqualTo(top1.out());

        assertThat(daemon.berth("unpause", "counter").exit()).isZero();
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}}", "counter").out()).isEqualTo("running\n");

        assertThat(daemon.docker("pause", "counter").exit()).isZero();
        var stop = daemon.docker("stop", "-t", "1", "counter");
        assertThat(stop.exit()).as(stop.toString()).isZero();
        assertThat(daemon.berth("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "counter").out()).isEqualTo("exited 137\n");
        assertThat(events(since, "counter")).containsSubsequence("pause", "unpause", "pause", "unpause", "die", "stop");
        var paused = daemon.docker("pause", "counter");
        assertThat(paused.exit()).isNotZero();
        assertThat(paused.err()).contains("is not running");
        daemon.berth("rm", "counter");
    }

    /** The actions of a container's events since {@code since} (epoch seconds), through docker events. */
    private static java.util.List<String> events(long since, String name) throws Exception {
        var r = daemon.docker("events", "--since", Long.toString(since),
                "--until", Long.toString(java.time.Instant.now().getEpochSecond() + 1),
                "--filter", "container=" + name, "--format", "{{.Action}}");
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out().lines().toList();
    }

    @Test
    void top_listsTheContainersProcesses_withPsOptions() throws Exception {
        daemon.berth("run", "-d", "--name", "sleeper", "busybox", "sleep", "300");
        var top = daemon.docker("top", "sleeper");
        assertThat(top.exit()).as(top.toString()).isZero();
        assertThat(top.out().lines().toList()).hasSize(2);
        assertThat(top.out().lines().findFirst().orElseThrow()).startsWith("UID").contains("PID").contains("CMD");
        assertThat(top.out()).contains("sleep 300");
        var custom = daemon.berth("top", "sleeper", "-o", "pid,comm");
        assertThat(custom.exit()).as(custom.toString()).isZero();
        assertThat(custom.out()).startsWith("PID").contains("COMMAND").contains("sleep");
        daemon.berth("rm", "-f", "sleeper");
        daemon.berth("create", "--name", "idle", "busybox");
        var stopped = daemon.docker("top", "idle");
        assertThat(stopped.exit()).isNotZero();
        assertThat(stopped.err()).contains("is not running");
        daemon.berth("rm", "idle");
    }

    @Test
    void stats_showTheMemoryAContainerUses_againstItsLimit() throws Exception {
        // 20 MB held in a shell variable; the shell stays (a last command alone would be exec'd).
        daemon.berth("run", "-d", "--name", "eater", "-m", "100m", "busybox", "sh", "-c",
                "x=$(head -c 20000000 /dev/zero | tr '\\0' a); while true; do sleep 1; done");
        // The shell needs a moment to build the string: wait for the usage to pass 15 MiB, then both clients must see it.
        await("eater uses 15 MiB").atMost(Duration.ofSeconds(20)).until(() -> mib(daemon.berth("stats", "--no-stream",
                "--format", "{{.MemUsage}}", "eater").out()) > 15.0);
        for (var r : new Cli.Result[] {
                daemon.docker("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.PIDs}} {{.CPUPerc}}", "eater"),
                daemon.berth("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.PIDs}} {{.CPUPerc}}", "eater")}) {
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).matches("eater \\d+(\\.\\d+)?MiB / 100MiB [12] \\d+\\.\\d\\d%\n");
            assertThat(mib(r.out().split(" ", 2)[1])).isBetween(15.0, 100.0);
        }
        var raw = daemon.request("GET", "/v1.50/containers/eater/stats?stream=false", null);
        assertThat(raw).contains("\"cpu_stats\"").contains("\"precpu_stats\"").contains("\"system_cpu_usage\"")
                .contains("\"pids_stats\"").contains("\"limit\":104857600");
        daemon.berth("rm", "-f", "eater");
    }

    /** The MiB of a stats MemUsage ("12.5MiB / 100MiB"); -1 if it is in other units or absent. */
    private static double mib(String memUsage) {
        String used = memUsage.split(" ")[0];
        return used.endsWith("MiB") ? Double.parseDouble(used.substring(0, used.length() - 3)) : -1;
    }

    @Test
    void update_changesTheLimitsOfARunningContainer_andTheyOutliveTheDaemon() throws Exception {
        daemon.berth("run", "-d", "--name", "tuned", "-m", "64m", "busybox", "sleep", "300");
        var update = daemon.docker("update", "-m", "128m", "--memory-swap", "256m", "--pids-limit", "100",
                "--cpus", "1", "--restart", "unless-stopped", "tuned");
        assertThat(update.exit()).as(update.toString()).isZero();
        assertThat(update.out()).isEqualTo("tuned\n");
        var inside = daemon.berth("stats", "--no-stream", "--format", "{{.MemUsage}}", "tuned");
        assertThat(inside.out()).endsWith(" / 128MiB\n");
        var tooSmall = daemon.berth("update", "-m", "1m", "tuned");
        assertThat(tooSmall.exit()).isNotZero();
        assertThat(tooSmall.err()).contains("Minimum memory limit allowed is 6MB");

        daemon.kill9(); // a crash: the container and its cgroup run on (a clean stop would stop it without live-restore)
        daemon.start();
        var inspect = daemon.docker("inspect", "-f",
                "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.PidsLimit}} {{.HostConfig.NanoCpus}} {{.HostConfig.RestartPolicy.Name}} {{.State.Status}}",
                "tuned");
        assertThat(inspect.out()).isEqualTo("134217728 268435456 100 1000000000 unless-stopped running\n");
        daemon.berth("rm", "-f", "tuned");
    }
}
