package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code kill -9} of the daemon loses nothing: containers keep running, records and exit codes survive. */
class CrashRecoveryIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @Test
    void kill9_whileContainersRun_losesNothing() throws Exception {
        String runner = daemon.berth("run", "-d", "--name", "runner", "busybox", "sh", "-c", "echo before; sleep 300").out().strip();
        String quitter = daemon.berth("run", "-d", "--name", "quitter", "busybox", "sh", "-c", "sleep 2; exit 7").out().strip();
        daemon.berth("create", "--name", "idle", "busybox", "true");
        int pid = Integer.parseInt(daemon.berth("inspect", "--format", "{{.State.Pid}}", "runner").out().strip());
        assertThat(pid).isPositive();

        daemon.kill9();
        // The container does not depend on the daemon process.
        assertThat(ProcessHandle.of(pid)).isPresent();
        // Let "quitter" exit while no daemon is watching.
        Thread.sleep(3000);
        daemon.start();

        assertThat(daemon.berth("ps", "-a", "--format", "{{.Names}}").out().lines().sorted().toList())
                .containsExactly("idle", "quitter", "runner");
        assertThat(daemon.berth("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", "runner").out())
                .isEqualTo("running " + pid + "\n");
        assertThat(daemon.berth("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "quitter").out())
                .isEqualTo("exited 7\n");
        assertThat(daemon.berth("logs", "runner").out()).isEqualTo("before\n");

        // The adopted container is fully controllable again.
        assertThat(daemon.berth("stop", "-t", "1", "runner").exit()).isZero();
        // sh is PID 1 without a SIGTERM handler, so stop ends it with SIGKILL after the timeout.
        assertThat(daemon.berth("inspect", "--format", "{{.State.ExitCode}}", runner).out()).isEqualTo("137\n");
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(daemon.berth("start", "idle").exit()).isZero();
        assertThat(daemon.berth("wait", "idle").out()).isEqualTo("0\n");
        assertThat(quitter).isNotEmpty();
    }

    @Test
    void restartAlways_aContainerThatDiedWithTheDaemonDown_isStartedAgainWithTheDaemon() throws Exception {
        assertThat(daemon.berth("run", "-d", "--name", "phoenix", "--restart", "always", "busybox", "sleep", "300").exit()).isZero();
        try {
            int pid = Integer.parseInt(daemon.berth("inspect", "--format", "{{.State.Pid}}", "phoenix").out().strip());
            daemon.kill9();
            assertThat(Cli.run(java.util.List.of("kill", "-9", Integer.toString(pid)), java.util.Map.of(), null).exit()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).isEmpty());
            daemon.start();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(daemon.berth("inspect", "--format", "{{.State.Status}}", "phoenix").out()).isEqualTo("running\n"));
            int again = Integer.parseInt(daemon.berth("inspect", "--format", "{{.State.Pid}}", "phoenix").out().strip());
            assertThat(again).isPositive().isNotEqualTo(pid);
        } finally {
            daemon.berth("rm", "-f", "phoenix");
        }
    }

    @Test
    void secondDaemon_onTheSameDataRoot_isRefused() throws Exception {
        var r = Cli.run(java.util.List.of(TestDaemon.REPO.resolve("bin/berthd").toString(), "-H", "unix:///tmp/bit-second.sock",
                "--data-root", daemon.dataRoot().toString(), "--exec-root", "/tmp/bit-second-run"), java.util.Map.of(), null);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("another berthd is already running with data root");
        assertThat(daemon.ping()).isTrue();
        assertThat(Files.exists(java.nio.file.Path.of("/tmp/bit-second.sock"))).isFalse();
    }
}
