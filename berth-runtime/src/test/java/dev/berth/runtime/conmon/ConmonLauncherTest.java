package dev.berth.runtime.conmon;

import dev.berth.runtime.Runtime.CreateRequest;
import dev.berth.runtime.Runtime.RuntimeFailure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ConmonLauncher against a stand-in for conmon: a script that, like conmon, exits at once and leaves a background
 * "monitor" to report on fd 3 later. Each test lets the launched shell exit before reading, the case in which the
 * JDK drains and closes the child's stdout, so a line must already be in the pipe by then.
 */
@Timeout(20)
class ConmonLauncherTest {

    private static final String ID = "berth-unit";

    @TempDir Path tmp;
    private StateLayout layout;

    @BeforeEach
    void taskDirectory() throws IOException {
        layout = new StateLayout(tmp.resolve("state"));
        Files.createDirectories(layout.taskDir(ID));
    }

    @Test
    void thePid_reportedAfterTheFirstProcessExited_isRead() throws Exception {
        ConmonLauncher launcher = launcherFor(monitorLater("{\"data\": 4242}"));

        assertThat(launchAndReadLate(launcher)).isEqualTo(4242);
    }

    @Test
    void runcsError_reportedAfterTheFirstProcessExited_reachesTheCaller() throws Exception {
        ConmonLauncher launcher = launcherFor(monitorLater("{\"data\": -1, \"message\": \"time=\\\"2026-01-01T00:00:00Z\\\" "
                + "level=error msg=\\\"runc create failed: unable to start container process: exec: \\\\\\\"/nope\\\\\\\": "
                + "stat /nope: no such file or directory\\\"\\n\"}"));

        assertThatThrownBy(() -> launchAndReadLate(launcher))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessage("runc create failed: unable to start container process: exec: \"/nope\": "
                        + "stat /nope: no such file or directory");
    }

    @Test
    void aMonitorThatEndsWithoutReporting_isAFailure() throws Exception {
        ConmonLauncher launcher = launcherFor("""
                ( exec 3>&- </dev/null >/dev/null 2>&1; sleep 0.3 ) &
                exit 0
                """);

        assertThatThrownBy(() -> launchAndReadLate(launcher))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessage("conmon ended without reporting the container");
    }

    @Test
    void conmonFailingAtOnce_reportsWhatItPrinted_andItsStatus() throws Exception {
        ConmonLauncher launcher = launcherFor("""
                echo "[conmon:e]: Failed to open log file No such file or directory"
                exit 1
                """);

        assertThatThrownBy(() -> launchAndReadLate(launcher))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("[conmon:e]: Failed to open log file No such file or directory")
                .hasMessageContaining("conmon exited with status 1");
    }

    @Test
    void launch_returnsThePid() throws Exception {
        ConmonLauncher launcher = launcherFor(monitorLater("{\"data\": 77}"));

        assertThat(launcher.launch(request())).isEqualTo(77);
    }

    @Test
    void argv_runsConmonWithTheTasksFiles_andTheRequestedStdio() {
        var launcher = new ConmonLauncher(Path.of("/usr/bin/conmon"), Path.of("/usr/sbin/runc"), layout,
                List.of("--root", "/run/x"));

        List<String> argv = launcher.argv(new CreateRequest(ID, tmp.resolve("bundle"), tmp.resolve("log"), true, true, true));

        assertThat(argv.subList(0, 5)).containsExactly("/bin/sh", "-c", ConmonLauncher.RELAY, "sh", "/usr/bin/conmon");
        assertThat(String.join(" ", argv))
                .contains("-P " + layout.conmonPidFile(ID), "-p " + layout.containerPidFile(ID),
                        "--runtime-arg --root --runtime-arg /run/x")
                .endsWith(" -t -i --leave-stdin-open");
    }

    @Test
    void argv_ofAnExec_sharesTheMonitorArguments_withItsOwnFiles() {
        var launcher = new ConmonLauncher(Path.of("/usr/bin/conmon"), Path.of("/usr/sbin/runc"), layout,
                List.of("--root", "/run/x"));
        Path dir = tmp.resolve("execs/e1");

        List<String> argv = launcher.argv(List.of("/bin/sh", "-c", "script", "sh", "fifo"), new ConmonLauncher.Monitor(
                ID, "e1", dir, dir.resolve("pid"), dir.resolve("conmon.pid"), dir, dir.resolve("exits"), "none"), true, false);

        assertThat(argv.subList(0, 6)).containsExactly("/bin/sh", "-c", "script", "sh", "fifo", "/usr/bin/conmon");
        assertThat(String.join(" ", argv))
                .contains("-c " + ID + " -u e1 -n " + ID, "-r /usr/sbin/runc", "-b " + dir, "-P " + dir.resolve("conmon.pid"),
                        "-l none", "--socket-dir-path " + layout.sockets(), "--runtime-arg --root --runtime-arg /run/x")
                .endsWith(" -t");
    }

    @Test
    void spawn_scrubsTheDaemonsNotifySocket_andHandsTheSyncPipe() throws Exception {
        Path out = tmp.resolve("env");
        Process p = ConmonLauncher.spawn(List.of("/bin/sh", "-c", "env > " + out), tmp, java.util.Map.of("_OCI_STARTPIPE", "5"));
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(out)).contains("_OCI_SYNCPIPE=3", "_OCI_STARTPIPE=5").doesNotContain("NOTIFY_SOCKET=");
    }

    @Test
    void monitorPid_isTheProcessOnlyWhileItStillHasThePidFileAmongItsArguments() throws Exception {
        Path pidFile = tmp.resolve("conmon.pid");
        Process holder = new ProcessBuilder("/bin/sh", "-c", "sleep 30", pidFile.toString()).start();
        try {
            Files.writeString(pidFile, holder.pid() + "\n");
            assertThat(ConmonRuntime.monitorPid(pidFile)).hasValue((int) holder.pid());
            // The pid taken by another process (here: this JVM), as after pid reuse: not the monitor.
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            assertThat(ConmonRuntime.monitorPid(pidFile)).isEmpty();
        } finally {
            holder.destroyForcibly().waitFor();
        }
        Files.writeString(pidFile, holder.pid() + "\n");
        assertThat(ConmonRuntime.monitorPid(pidFile)).isEmpty();
        assertThat(ConmonRuntime.monitorPid(tmp.resolve("missing"))).isEmpty();
    }

    @Test
    void deleteTree_removesLinksWithoutFollowingThem() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f"), "y");
        Files.createSymbolicLink(tmp.resolve("tree/a/link"), outside);
        ConmonRuntime.deleteTree(tmp.resolve("tree"));
        assertThat(tmp.resolve("tree")).doesNotExist();
        assertThat(outside.resolve("keep")).exists();
        ConmonRuntime.deleteTree(tmp.resolve("tree")); // gone already: nothing to do
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Starts the launcher's shell and waits for it to exit before reading, as a slow reader would. */
    private int launchAndReadLate(ConmonLauncher launcher) throws InterruptedException {
        Process p = launcher.start(request());
        p.waitFor();
        return launcher.awaitCreated(p, ID);
    }

    /** A stand-in whose "monitor" writes {@code line} to the sync fd once the first process is long gone. */
    private String monitorLater(String line) throws IOException {
        Path file = Files.writeString(tmp.resolve("sync-line"), line + "\n");
        return """
                ( exec </dev/null >/dev/null 2>&1; sleep 0.3; cat '%s' >&3 ) &
                exit 0
                """.formatted(file);
    }

    private ConmonLauncher launcherFor(String body) throws IOException {
        Path script = tmp.resolve("fake-conmon");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new ConmonLauncher(script, Path.of("/usr/sbin/runc"), layout, List.of());
    }

    private CreateRequest request() {
        return new CreateRequest(ID, tmp.resolve("bundle"), tmp.resolve("logs/" + ID + ".log"), false, false);
    }
}
