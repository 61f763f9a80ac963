package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A person at a terminal, played through tmux: types into {@code berth run -it} and {@code docker exec -it}, reads the
 * screen, detaches with ctrl-p ctrl-q and attaches again.
 */
class DetachTmuxIT {
    private static final java.util.concurrent.atomic.AtomicInteger SERVERS = new java.util.concurrent.atomic.AtomicInteger();
    /** A tmux server of each test's own: one being killed cannot take the next test's session with it. */
    private final String server = "berth-it-" + ProcessHandle.current().pid() + "-" + SERVERS.incrementAndGet();
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @AfterEach
    void killTmux() throws Exception {
        tmux("kill-server");
    }

    private Cli.Result tmux(String... args) throws Exception {
        var cmd = new ArrayList<>(List.of("tmux", "-L", server));
        cmd.addAll(List.of(args));
        return Cli.run(cmd, Map.of(), null);
    }

    /** Runs {@code command} in a new 100x30 tmux session, then prints its exit status and waits. */
    private void session(String name, String command) throws Exception {
        var r = tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30",
                command + "; echo EXITED $?; sleep 60");
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private static String berth() {
        return TestDaemon.REPO.resolve("bin/berth") + " -H " + daemon.host();
    }

    private String screen(String name) throws Exception {
        return tmux("capture-pane", "-p", "-t", name).out();
    }

    private String awaitScreen(String name, String text) throws Exception {
        var shown = new AtomicReference<String>();
        await("screen of " + name + " shows \"" + text + "\"").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            shown.set(screen(name));
            assertThat(shown.get()).contains(text);
        });
        return shown.get();
    }

    @Test
    void runIt_detachWithCtrlPCtrlQ_thenAttachAgain() throws Exception {
        session("run", berth() + " run -it --name tty busybox sh");
        awaitScreen("run", "/ #");
        tmux("send-keys", "-t", "run", "echo one $((6*7))", "Enter");
        awaitScreen("run", "one 42");
        tmux("send-keys", "-t", "run", "C-p", "C-q");
        awaitScreen("run", "EXITED");
        assertThat(daemon.berth("inspect", "--format", "{{.State.Status}}", "tty").out()).isEqualTo("running\n");

        session("again", berth() + " attach tty");
        Thread.sleep(500);
        tmux("send-keys", "-t", "again", "echo two $((7*7))", "Enter");
        awaitScreen("again", "two 49");
        tmux("send-keys", "-t", "again", "exit 3", "Enter");
        assertThat(awaitScreen("again", "EXITED")).contains("EXITED 3");
        assertThat(daemon.berth("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "tty").out()).isEqualTo("exited 3\n");
        daemon.berth("rm", "tty");
    }

    @Test
    void startAi_detachWithCtrlPCtrlQ_returns_andTheContainerRunsOn() throws Exception {
        assertThat(daemon.berth("create", "-it", "--name", "sai", "busybox", "sh").exit()).isZero();
        session("start", berth() + " start -ai sai");
        awaitScreen("start", "/ #");
        tmux("send-keys", "-t", "start", "echo four $((9*9))", "Enter");
        awaitScreen("start", "four 81");
        tmux("send-keys", "-t", "start", "C-p", "C-q");
        assertThat(awaitScreen("start", "EXITED")).contains("EXITED 0");
        assertThat(daemon.berth("inspect", "--format", "{{.State.Status}}", "sai").out()).isEqualTo("running\n");
        daemon.berth("rm", "-f", "sai");
    }

    @Test
    void dockerExecIt_isInteractive_andReturnsTheShellsStatus() throws Exception {
        assertThat(daemon.berth("run", "-d", "--name", "box", "busybox", "sleep", "600").exit()).isZero();
        String env = daemon.dockerEnv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        session("exec", env + " /usr/local/bin/docker exec -it box sh");
        awaitScreen("exec", "/ #");
        tmux("send-keys", "-t", "exec", "stty size; echo three $((8*8))", "Enter");
        String s = awaitScreen("exec", "three 64");
        assertThat(s).containsPattern("\\d+ 100\\s"); // the window size reached the exec
        tmux("send-keys", "-t", "exec", "exit 5", "Enter");
        assertThat(awaitScreen("exec", "EXITED")).contains("EXITED 5");
        daemon.berth("rm", "-f", "box");
    }
}
