package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The unmodified Docker CLI (28.x) against berthd: what Docker users type must just work. */
class DockerCliIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @Test
    void version_showsBothSides() throws Exception {
        var r = daemon.docker("version");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Server:").contains("API version:       1.50");
    }

    @Test
    void runRm_echo() throws Exception {
        var r = daemon.docker("run", "--rm", "busybox", "echo", "hello");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("hello\n");
        assertThat(daemon.docker("ps", "-aq").out()).isEmpty();
    }

    @Test
    void run_exitCodeAndStreams() throws Exception {
        var r = daemon.docker("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 5");
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
    }

    @Test
    void pipedStdin_reachesTheContainer_andMegabytesOfOutputArriveWhole() throws Exception {
        var cat = daemon.dockerWithInput("hi\n", "run", "-i", "--rm", "busybox", "cat");
        assertThat(cat.exit()).as(cat.toString()).isZero();
        assertThat(cat.out()).isEqualTo("hi\n");

        // About 3.4 MB: every line in order, none lost or doubled.
        var big = daemon.docker("run", "--rm", "busybox", "seq", "1", "500000");
        assertThat(big.exit()).as(big.err()).isZero();
        String expected = IntStream.rangeClosed(1, 500000).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
        assertThat(big.out().length()).isEqualTo(expected.length());
        assertThat(big.out().equals(expected)).as("the output is seq's, byte for byte").isTrue();
        assertThat(daemon.docker("ps", "-aq").out()).isEmpty();
    }

    @Test
    void detached_ps_logs_stop_rm() throws Exception {
        var run = daemon.docker("run", "-d", "--name", "dweb", "busybox", "sh", "-c", "echo up; exec sleep 300");
        assertThat(run.exit()).as(run.toString()).isZero();
        var ps = daemon.docker("ps");
        assertThat(ps.out()).contains("dweb").contains("Up ");
        Thread.sleep(300);
        assertThat(daemon.docker("logs", "dweb").out()).isEqualTo("up\n");
        assertThat(daemon.docker("inspect", "-f", "{{.State.Running}} {{.Name}}", "dweb").out()).isEqualTo("true /dweb\n");
        assertThat(daemon.docker("stop", "-t", "1", "dweb").out()).isEqualTo("dweb\n");
        assertThat(daemon.docker("rm", "dweb").exit()).isZero();
    }

    @Test
    void images_and_errors() throws Exception {
        assertThat(daemon.docker("images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains("busybox:latest");
        var missing = daemon.docker("inspect", "no-such-thing");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("No such object: no-such-thing");
        var notFound = daemon.docker("run", "--rm", "busybox", "no-such-command");
        assertThat(notFound.exit()).isEqualTo(127);
    }
}
