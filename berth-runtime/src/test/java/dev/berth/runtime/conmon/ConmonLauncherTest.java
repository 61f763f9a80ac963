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
