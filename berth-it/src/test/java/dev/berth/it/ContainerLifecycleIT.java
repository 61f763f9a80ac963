package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The container lifecycle as a user drives it with {@code berth}, on real runc, conmon and overlayfs. */
class ContainerLifecycleIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @Test
    void runRm_printsOutput_andLeavesNoContainer() throws Exception {
        var r = daemon.berth("run", "--rm", "busybox", "echo", "hello");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("hello\n");
        assertThat(daemon.berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void run_keepsStdoutAndStderrApart_andReturnsTheExitCode() throws Exception {
        var r = daemon.berth("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
    }

    @Test
    void detachedServer_isListed_logged_stopped_andRemoved() throws Exception {
        var run = daemon.berth("run", "-d", "--name", "web", "busybox", "sh", "-c", "echo serving; exec httpd -f -p 8080");
        assertThat(run.exit()).as(run.toString()).isZero();
        String id = run.out().strip();
        assertThat(id).matches("[0-9a-f]{64}");

        var ps = daemon.berth("ps");
        assertThat(ps.out()).startsWith("CONTAINER ID   IMAGE");
        assertThat(ps.out()).contains(id.substring(0, 12)).contains("web").contains("Up ");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(daemon.berth("logs", "web").out()).isEqualTo("serving\n"));

        var stop = daemon.berth("stop", "-t", "2", "web");
        assertThat(stop.exit()).as(stop.toString()).isZero();
        assertThat(stop.out()).isEqualTo("web\n");
        assertThat(daemon.berth("ps", "-q").out()).isEmpty();
        // httpd is PID 1 and has no SIGTERM handler, so the kernel ignores SIGTERM; stop kills it after 2 s: 128 + 9.
        assertThat(daemon.berth("ps", "-a", "--format", "{{.Names}} {{.Status}}").out()).startsWith("web Exited (137)");
        assertThat(daemon.berth("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "web").out()).isEqualTo("exited 137\n");

        var rm = daemon.berth("rm", "web");
        assertThat(rm.exit()).as(rm.toString()).isZero();
        assertThat(daemon.berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void removingARunningContainer_needsForce() throws Exception {
        daemon.berth("run", "-d", "--name", "busy", "busybox", "sleep", "300");
        var rm = daemon.berth("rm", "busy");
        assertThat(rm.exit()).isEqualTo(1);
        assertThat(rm.err()).contains("cannot remove container \"/busy\": container is running");
        assertThat(daemon.berth("ps", "-q").out()).isNotEmpty();
        var force = daemon.berth("rm", "-f", "busy");
        assertThat(force.exit()).as(force.toString()).isZero();
        assertThat(daemon.berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void missingCommand_exits127_withDockersMessage() throws Exception {
        var r = daemon.berth("run", "--rm", "busybox", "no-such-command");
        assertThat(r.exit()).as(r.toString()).isEqualTo(127);
        assertThat(r.err()).contains("executable file not found");
        assertThat(daemon.berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void unknownImage_isAClearError() throws Exception {
        var r = daemon.berth("run", "--rm", "no-such-image");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("no-such-image");
    }

    @Test
    void duplicateOrInvalidName_isRefused_andChangesNothing() throws Exception {
        assertThat(daemon.berth("create", "--name", "twin", "busybox", "true").exit()).isZero();
        var dup = daemon.berth("create", "--name", "twin", "busybox", "true");
        assertThat(dup.exit()).isEqualTo(125);
        assertThat(dup.err()).contains("The container name \"/twin\" is already in use");
        var bad = daemon.berth("create", "--name", "bad name!", "busybox", "true");
        assertThat(bad.exit()).isEqualTo(125);
        assertThat(bad.err()).contains("Invalid container name");
        assertThat(daemon.berth("ps", "-a", "--format", "{{.Names}}").out()).isEqualTo("twin\n");
        daemon.berth("rm", "twin");
    }

    @Test
    void createOptions_reachTheProcess() throws Exception {
        var r = daemon.berth("run", "--rm", "-e", "GREETING=hi there", "-w", "/tmp", "-u", "65534", "-h", "box",
                "busybox", "sh", "-c", "echo \"$GREETING|$(pwd)|$(id -u)|$(hostname)\"");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("hi there|/tmp|65534|box\n");
    }

    @Test
    void entrypointOverride_andImageCmd() throws Exception {
        var r = daemon.berth("run", "--rm", "--entrypoint", "echo", "busybox", "a", "b");
        assertThat(r.out()).isEqualTo("a b\n");
        // The image's CMD is ["sh"]: with stdin closed, sh exits 0 at once.
        assertThat(daemon.berth("run", "--rm", "busybox").exit()).isZero();
    }

    @Test
    void logs_tail_andTimestamps() throws Exception {
        var id = daemon.berth("run", "-d", "busybox", "sh", "-c", "for i in 1 2 3; do echo line$i; done").out().strip();
        assertThat(daemon.berth("wait", id).out()).isEqualTo("0\n");
        assertThat(daemon.berth("logs", id).out()).isEqualTo("line1\nline2\nline3\n");
        assertThat(daemon.berth("logs", "--tail", "1", id).out()).isEqualTo("line3\n");
        assertThat(daemon.berth("logs", "-t", id).out().lines().toList())
                .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z line\\d"));
        daemon.berth("rm", id);
    }

    @Test
    void kill_rename_restart_wait() throws Exception {
        // With --init, tini is PID 1 and forwards USR1 to sleep, which dies of it: 128 + 10.
        daemon.berth("run", "-d", "--init", "--name", "k1", "busybox", "sleep", "300");
        assertThat(daemon.berth("rename", "k1", "k2").exit()).isZero();
        assertThat(daemon.berth("kill", "-s", "USR1", "k2").exit()).isZero();
        assertThat(daemon.berth("wait", "k2").out()).isEqualTo("138\n");
        assertThat(daemon.berth("restart", "k2").exit()).isZero();
        assertThat(daemon.berth("inspect", "--format", "{{.State.Running}}", "k2").out()).isEqualTo("true\n");
        assertThat(daemon.berth("kill", "k2").out()).isEqualTo("k2\n");
        assertThat(daemon.berth("wait", "k2").out()).isEqualTo("137\n");
        var stopped = daemon.berth("kill", "k2");
        assertThat(stopped.exit()).isEqualTo(1);
        assertThat(stopped.err()).contains("is not running");
        daemon.berth("rm", "k2");
    }

    @Test
    void restartOnFailure2_triesTwiceMore_thenStaysExited() throws Exception {
        var run = daemon.berth("run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 1");
        assertThat(run.exit()).as(run.toString()).isZero();
        String state = "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}";
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(daemon.berth("inspect", "-f", state, "flaky").out()).isEqualTo("exited 2 1\n"));
        // And no third restart.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(daemon.berth("inspect", "-f", state, "flaky").out()).isEqualTo("exited 2 1\n"));
        assertThat(daemon.berth("rm", "flaky").exit()).isZero();
    }

    @Test
    void restartAlways_butStopped_staysStopped() throws Exception {
        assertThat(daemon.berth("run", "-d", "--name", "keeper", "--restart", "always", "busybox", "sleep", "300").exit()).isZero();
        var stop = daemon.berth("stop", "-t", "1", "keeper");
        assertThat(stop.exit()).as(stop.toString()).isZero();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(daemon.berth("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "keeper").out()).isEqualTo("exited 0\n"));
        assertThat(daemon.berth("rm", "keeper").exit()).isZero();
    }

    @Test
    void ps_filtersAndFormats() throws Exception {
        daemon.berth("run", "-d", "--name", "f1", "-l", "tier=web", "busybox", "sleep", "300");
        daemon.berth("run", "--name", "f2", "busybox", "sh", "-c", "exit 2");
        assertThat(daemon.berth("ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}").out()).isEqualTo("f2\n");
        assertThat(daemon.berth("ps", "--filter", "label=tier=web", "--format", "{{.Names}}").out()).isEqualTo("f1\n");
        assertThat(daemon.berth("ps", "-a", "--filter", "exited=2", "--format", "{{.Names}}").out()).isEqualTo("f2\n");
        assertThat(daemon.berth("ps", "-a", "--filter", "name=f", "-q").out().lines()).hasSize(2);
        assertThat(daemon.berth("ps", "-l", "--format", "{{.Names}}").out()).isEqualTo("f2\n");
        var prune = daemon.berth("container", "prune", "-f");
        assertThat(prune.out()).contains("Deleted Containers:");
        assertThat(daemon.berth("ps", "-a", "--format", "{{.Names}}").out()).isEqualTo("f1\n");
        daemon.berth("rm", "-f", "f1");
    }
}
