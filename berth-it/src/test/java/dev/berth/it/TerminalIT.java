package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code run -it} in a real terminal: script(1) gives berth a pseudo-terminal as a user's shell has, so raw mode, the
 * window size and keys typed at the container's shell are the real thing.
 */
class TerminalIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    private static Cli.Result inTerminal(String shellLine, String typed) throws Exception {
        String berth = TestDaemon.REPO.resolve("bin/berth") + " -H " + daemon.host();
        return Cli.run(List.of("script", "-qec", shellLine.replace("BERTH", berth), "/dev/null"), Map.of(),
                typed == null ? null : typed.getBytes());
    }

    @Test
    void theContainerSeesATerminalOfOurSize() throws Exception {
        var r = inTerminal("stty rows 30 cols 100; BERTH run -it --rm busybox sh -c 'stty size; tty'", null);
        assertThat(r.exit()).as(r.toString()).isZero();
        // A terminal ends lines with \r\n.
        assertThat(r.out()).contains("30 100\r\n").contains("/dev/pts/0\r\n");
    }

    @Test
    void keysReachTheShell_andItsExitCodeIsOurs() throws Exception {
        var r = inTerminal("BERTH run -it --rm busybox sh", "echo in-container $((6*7))\rexit 3\r");
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).contains("in-container 42\r\n");
        assertThat(daemon.berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void dashIt_withPipedStdin_isRefused_beforeAnythingIsCreated() throws Exception {
        var run = daemon.berthWithInput("echo hi\n", "run", "-it", "busybox", "sh");
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("the input device is not a TTY\n");
        assertThat(daemon.berth("ps", "-aq").out()).isEmpty();

        assertThat(daemon.berth("run", "-d", "--name", "notty", "busybox", "sleep", "300").exit()).isZero();
        try {
            var exec = daemon.berthWithInput("echo hi\n", "exec", "-it", "notty", "sh");
            assertThat(exec.exit()).as(exec.toString()).isEqualTo(1);
            assertThat(exec.out()).isEmpty();
            assertThat(exec.err()).isEqualTo("the input device is not a TTY\n");
            var docker = daemon.dockerWithInput("echo hi\n", "exec", "-it", "notty", "sh");
            assertThat(docker.exit()).as(docker.toString()).isEqualTo(1);
            assertThat(docker.err()).contains("the input device is not a TTY");
        } finally {
            daemon.berth("rm", "-f", "notty");
        }
    }

    @Test
    void withoutStdin_theOutputStillComesThroughTheTerminal() throws Exception {
        var r = inTerminal("BERTH run -t --rm busybox echo hello", null);
        assertThat(r.exit()).as(r.toString()).isZero();
        // The container's TTY sends "hello\r\n"; without -i our terminal stays cooked and adds its own \r.
        assertThat(r.out()).contains("hello\r\r\n");
    }
}
