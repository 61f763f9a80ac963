package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A clean daemon stop with and without live-restore, as dockerd: without it (the default) containers are stopped
 * with their stop signal and come back only by restart policy; with it they run on and the next daemon adopts them.
 */
class LiveRestoreIT {
    /** Exits 7 on SIGTERM, so a graceful stop shows as 7 and a SIGKILL as 137; prints a tick every 0.1 s. */
    private static final String TICKER = "trap 'echo bye; exit 7' TERM; i=0; while :; do echo tick$i; i=$((i+1)); usleep 100000; done";

    private static String pid(TestDaemon d, String name) throws Exception {
        return d.docker("inspect", "-f", "{{.State.Pid}}", name).out().strip();
    }

    @Test
    void withoutLiveRestore_aStopStopsContainersGracefully_andRestartPoliciesBringThemBack() throws Exception {
        try (var d = TestDaemon.started()) {
            d.loadBusybox();
            assertThat(d.docker("run", "-d", "--name", "plain", "busybox", "sh", "-c", TICKER).exit()).isZero();
            assertThat(d.docker("run", "-d", "--name", "back", "--restart", "always", "busybox", "sh", "-c", TICKER).exit()).isZero();
            String plainPid = pid(d, "plain"), backPid = pid(d, "back");

            d.stop();
            assertThat(Path.of("/proc", plainPid)).doesNotExist();
            assertThat(Path.of("/proc", backPid)).doesNotExist();

            d.start();
            assertThat(d.docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "plain").out()).isEqualTo("exited 7\n");
            assertThat(d.docker("logs", "--tail", "1", "plain").out()).isEqualTo("bye\n");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    d.docker("inspect", "-f", "{{.State.Status}}", "back").out().strip().equals("running"));
        }
    }

    @Test
    void withLiveRestore_containersRunOn_andTheNextDaemonAdoptsThem() throws Exception {
        try (var d = new TestDaemon().withConfig("{\"live-restore\": true, \"debug\": true}")) {
            d.start();
            d.loadBusybox();
            assertThat(d.docker("info", "-f", "{{.LiveRestoreEnabled}}").out()).isEqualTo("true\n");
            assertThat(d.docker("run", "-d", "--name", "kept", "busybox", "sh", "-c", TICKER).exit()).isZero();
            String pid = pid(d, "kept");
            await().atMost(Duration.ofSeconds(10)).until(() -> d.docker("logs", "kept").out().contains("tick3\n"));

            d.stop();
            assertThat(Path.of("/proc", pid)).exists();
            Thread.sleep(500); // ticks written while no daemon runs

            d.start();
            assertThat(d.docker("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", "kept").out()).isEqualTo("running " + pid + "\n");
            var exec = d.docker("exec", "kept", "echo", "inside");
            assertThat(exec.out()).isEqualTo("inside\n");
            assertThat(d.docker("stop", "kept").exit()).isZero();
            assertThat(d.docker("inspect", "-f", "{{.State.ExitCode}}", "kept").out()).isEqualTo("7\n");
            // the log runs on without a gap or a repeat across the restart
            var ticks = d.docker("logs", "kept").out().lines().filter(l -> l.startsWith("tick")).toList();
            for (int i = 0; i < ticks.size(); i++) assertThat(ticks.get(i)).isEqualTo("tick" + i);
            assertThat(ticks.size()).isGreaterThan(8);
            assertThat(Files.exists(Path.of("/proc", pid))).isFalse();
        }
    }
}
