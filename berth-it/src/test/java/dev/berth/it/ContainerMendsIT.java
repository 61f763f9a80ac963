package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Container behaviours a user sees through the real Docker CLI and berth: a network that does not exist fails the
 * start (not the create, as with dockerd), kill of a paused container leaves it paused for a signal that does not end it, rm of a stopped container
 * waits for an export of it, diff shows an empty directory the container changed.
 */
class ContainerMendsIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private static int containers() throws Exception {
        return ok(daemon.docker("ps", "-aq")).out().lines().toList().size();
    }

    @Test
    void aNetworkThatDoesNotExist_failsTheStart_asDockerd_andTheContainerStaysCreated() throws Exception {
        var docker = daemon.docker("run", "--name", "nonet", "--network", "nosuch", "busybox", "true");
        assertThat(docker.exit()).as(docker.toString()).isNotZero();
        assertThat(docker.err()).contains("failed to set up container networking: network nosuch not found")
                .doesNotContain("Unable to find image"); // create accepted it: no 404 there to send the CLI pulling
        assertThat(ok(daemon.docker("inspect", "-f", "{{.State.Status}} {{.State.Error}}", "nonet")).out().strip())
                .isEqualTo("created failed to set up container networking: network nosuch not found");
        ok(daemon.docker("rm", "nonet"));
        var berth = daemon.berth("run", "--rm", "--network", "nosuch", "busybox", "true");
        assertThat(berth.exit()).as(berth.toString()).isNotZero();
        assertThat(berth.err()).contains("network nosuch not found");
        int before = containers();
        var noPeer = daemon.docker("run", "--rm", "--network", "container:nosuch", "busybox", "true");
        assertThat(noPeer.exit()).as(noPeer.toString()).isNotZero();
        assertThat(noPeer.err()).contains("No such container: nosuch").doesNotContain("Unable to find image");
        assertThat(containers()).isEqualTo(before); // the --rm ones went with their failed starts
        ok(daemon.berth("run", "--rm", "--network", "host", "busybox", "true"));
    }

    @Test
    void kill_ofAPausedContainer_withASignalThatDoesNotEndIt_leavesItPaused() throws Exception {
        ok(daemon.docker("run", "-d", "--name", "kp", "--stop-signal", "SIGTERM", "busybox", "sleep", "300"));
        try {
            ok(daemon.docker("pause", "kp"));
            ok(daemon.docker("kill", "-s", "USR1", "kp"));
            assertThat(ok(daemon.docker("inspect", "-f", "{{.State.Status}}", "kp")).out().strip()).isEqualTo("paused");
            ok(daemon.docker("kill", "kp"));
            assertThat(ok(daemon.docker("inspect", "-f", "{{.State.Status}}", "kp")).out().strip()).isEqualTo("exited");
        } finally {
            daemon.docker("rm", "-f", "kp");
        }
    }

    @Test
    void rm_ofAStoppedContainer_duringItsExport_waitsForIt_andRemovesIt() throws Exception {
        ok(daemon.docker("run", "--name", "ex", "busybox", "dd", "if=/dev/zero", "of=/big", "bs=1M", "count=64"));
        var export = new ProcessBuilder(TestDaemon.dockerCommand("export", "ex"));
        export.environment().putAll(daemon.dockerEnv());
        export.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = export.start();
        InputStream out = p.getInputStream();
        assertThat(out.readNBytes(4096)).hasSize(4096); // the export is under way, and blocks on its pipe now
        CompletableFuture<Cli.Result> rm = CompletableFuture.supplyAsync(() -> {
            try {
                return daemon.docker("rm", "ex");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1000);
        assertThat(rm).as("rm waits for the export").isNotDone();
        long total = 4096 + out.transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(total).isGreaterThan(64L * 1024 * 1024);
        ok(rm.get(30, TimeUnit.SECONDS));
        var gone = daemon.docker("inspect", "ex");
        assertThat(gone.exit()).isNotZero();
        assertThat(gone.err()).contains("No such object: ex");
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(daemon.execRoot() + "/rootfs-ops");
    }

    @Test
    void diff_showsAnEmptyDirectoryTheContainerChanged_butNotTheRuntimesMountPoints() throws Exception {
        ok(daemon.docker("run", "--name", "dh", "busybox", "chmod", "700", "/home"));
        try {
            assertThat(ok(daemon.docker("diff", "dh")).out().lines().toList()).containsExactly("C /home");
        } finally {
            daemon.docker("rm", "-f", "dh");
        }
    }
}
