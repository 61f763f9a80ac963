package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Health checks (--health-*, an image's HEALTHCHECK) as users see them through berth and the Docker CLI. */
class HealthChecksIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    private static String health(String container) throws Exception {
        return daemon.docker("inspect", "-f", "{{.State.Health.Status}}", container).out().strip();
    }

    @Test
    void aCheck_startsAsStarting_turnsHealthy_thenUnhealthy_inInspectPsFiltersAndEvents() throws Exception {
        long since = Instant.now().getEpochSecond();
        var run = daemon.docker("run", "-d", "--name", "hc", "--health-cmd", "test -f /tmp/ready && echo ok",
                "--health-interval", "1s", "--health-retries", "2", "busybox", "sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 600");
        assertThat(run.exit()).as(run.toString()).isZero();
        String id = run.out().strip();
        assertThat(health("hc")).isEqualTo("starting");
        assertThat(daemon.docker("ps", "--format", "{{.Status}}", "--filter", "name=hc").out()).endsWith("(health: starting)\n");

        await().atMost(Duration.ofSeconds(30)).until(() -> health("hc").equals("healthy"));
        assertThat(daemon.berth("ps", "--format", "{{.Status}}", "--filter", "name=hc").out()).endsWith("(healthy)\n");
        assertThat(daemon.docker("ps", "-q", "--no-trunc", "--filter", "health=healthy").out()).contains(id);
        assertThat(daemon.docker("ps", "-q", "--no-trunc", "--filter", "health=unhealthy").out()).doesNotContain(id);
        assertThat(daemon.docker("inspect", "-f", "{{json .Config.Healthcheck}}", "hc").out().strip())
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"test -f /tmp/ready && echo ok\"],\"Interval\":1000000000,\"Retries\":2}");
        assertThat(daemon.docker("inspect", "-f", "{{range .State.Health.Log}}{{.ExitCode}}:{{.Output}}{{end}}", "hc").out())
                .contains("0:ok\n");

        assertThat(daemon.docker("exec", "hc", "rm", "/tmp/ready").exit()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> health("hc").equals("unhealthy"));
        assertThat(Integer.parseInt(daemon.docker("inspect", "-f", "{{.State.Health.FailingStreak}}", "hc").out().strip()))
                .isGreaterThanOrEqualTo(2);
        assertThat(daemon.docker("ps", "--format", "{{.Status}}", "--filter", "health=unhealthy").out()).endsWith("(unhealthy)\n");

        var events = daemon.docker("events", "--since", Long.toString(since), "--until", Long.toString(Instant.now().getEpochSecond() + 1),
                "--filter", "container=hc", "--filter", "event=health_status", "--format", "{{.Action}}");
        assertThat(events.out()).isEqualTo("health_status: healthy\nhealth_status: unhealthy\n");
        assertThat(daemon.docker("rm", "-f", "hc").exit()).isZero();
    }

    @Test
    void aProbeOverItsTimeout_isKilledAndCountsAsAFailure() throws Exception {
        var run = daemon.berth("run", "-d", "--name", "slow", "--health-cmd", "sleep 30", "--health-timeout", "500ms",
                "--health-interval", "1s", "--health-retries", "1", "busybox", "sleep", "600");
        assertThat(run.exit()).as(run.toString()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> health("slow").equals("unhealthy"));
        assertThat(daemon.docker("inspect", "-f", "{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}|{{end}}", "slow").out())
                .startsWith("-1 Health check exceeded timeout (500ms)|");
        // the probe's sleep was killed, not left behind in the container
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !daemon.docker("exec", "slow", "ps", "-o", "args").out().contains("sleep 30"));
        assertThat(daemon.docker("rm", "-f", "slow").exit()).isZero();
    }

    @Test
    void anImagesHealthcheck_isRunUnlessNoHealthcheck_andCommitCarriesIt() throws Exception {
        var base = daemon.docker("create", "--name", "tocommit", "--health-cmd", "true", "--health-interval", "1s", "busybox", "sleep", "600");
        assertThat(base.exit()).as(base.toString()).isZero();
        assertThat(daemon.docker("commit", "tocommit", "withhealth:1").exit()).isZero();
        assertThat(daemon.docker("image", "inspect", "-f", "{{json .Config.Healthcheck}}", "withhealth:1").out().strip())
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":1000000000}");

        assertThat(daemon.docker("run", "-d", "--name", "inherits", "withhealth:1").exit()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> health("inherits").equals("healthy"));
        // a daemon killed and started again checks the containers it adopts
        daemon.kill9();
        daemon.start();
        assertThat(health("inherits")).isIn("starting", "healthy");
        await().atMost(Duration.ofSeconds(30)).until(() -> health("inherits").equals("healthy"));

        var off = daemon.docker("run", "-d", "--name", "off", "--no-healthcheck", "withhealth:1");
        assertThat(off.exit()).as(off.toString()).isZero();
        assertThat(daemon.docker("inspect", "-f", "{{json .State.Health}}", "off").out().strip()).isEqualTo("null");
        assertThat(daemon.docker("inspect", "-f", "{{json .Config.Healthcheck.Test}}", "off").out().strip()).isEqualTo("[\"NONE\"]");
        assertThat(daemon.docker("ps", "-q", "--no-trunc", "--filter", "health=none").out()).contains(off.out().strip());
        daemon.docker("rm", "-f", "inherits", "off", "tocommit");
    }

    @Test
    void badHealthOptions_areRefused_andCreateNothing() throws Exception {
        var conflict = daemon.berth("run", "--rm", "--no-healthcheck", "--health-cmd", "true", "busybox", "true");
        assertThat(conflict.exit()).isEqualTo(125);
        assertThat(conflict.err()).contains("--no-healthcheck conflicts with --health-* options");
        var negative = daemon.berth("create", "--health-retries", "-1", "--health-cmd", "true", "busybox", "true");
        assertThat(negative.exit()).isEqualTo(125);
        assertThat(negative.err()).contains("--health-retries cannot be negative");
        var badDuration = daemon.berth("create", "--health-interval", "soon", "busybox", "true");
        assertThat(badDuration.exit()).isEqualTo(125);
        assertThat(badDuration.err()).contains("invalid argument \"soon\" for \"--health-interval\" flag: time: invalid duration \"soon\"");
        var tooShort = daemon.docker("create", "--health-interval", "1us", "--health-cmd", "true", "busybox", "true");
        assertThat(tooShort.exit()).isNotZero();
        assertThat(tooShort.err()).contains("Interval in Healthcheck cannot be less than 1ms");
        assertThat(daemon.docker("ps", "-aq").out()).isEmpty();
    }
}
