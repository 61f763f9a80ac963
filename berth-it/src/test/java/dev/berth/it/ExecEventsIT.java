package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** exec, detach keys and events as users see them through {@code berth} and the unmodified Docker CLI. */
class ExecEventsIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @BeforeAll
    static void start() throws Exception {
        var web = daemon.berth("run", "-d", "--name", "web", "busybox", "sleep", "600");
        assertThat(web.exit()).as(web.toString()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.berth("rm", "-f", "web");
    }

    @Test
    void exec_exitCodeAndStreams_reachBothClients() throws Exception {
        var berth = daemon.berth("exec", "web", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(berth.exit()).as(berth.toString()).isEqualTo(3);
        assertThat(berth.out()).isEqualTo("out\n");
        assertThat(berth.err()).isEqualTo("err\n");

        var docker = daemon.docker("exec", "web", "sh", "-c", "echo out; echo err >&2; exit 5");
        assertThat(docker.exit()).as(docker.toString()).isEqualTo(5);
        assertThat(docker.out()).isEqualTo("out\n");
        assertThat(docker.err()).isEqualTo("err\n");

        var killed = daemon.docker("exec", "web", "sh", "-c", "kill -9 $$");
        assertThat(killed.exit()).as(killed.toString()).isEqualTo(137);
    }

    @Test
    void exec_pipedStdin_reachesTheProcess() throws Exception {
        var docker = daemon.dockerWithInput("hi\n", "exec", "-i", "web", "cat");
        assertThat(docker.exit()).as(docker.toString()).isZero();
        assertThat(docker.out()).isEqualTo("hi\n");

        var berth = daemon.berthWithInput("one\ntwo\n", "exec", "-i", "web", "wc", "-l");
        assertThat(berth.exit()).as(berth.toString()).isZero();
        assertThat(berth.out().strip()).isEqualTo("2");
    }

    @Test
    void exec_userWorkdirAndEnv_apply() throws Exception {
        var r = daemon.docker("exec", "-u", "nobody", "-w", "/tmp", "-e", "FOO=bar", "web", "sh", "-c", "id -u; pwd; echo $FOO");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("65534\n/tmp\nbar\n");
    }

    @Test
    void exec_ofAMissingCommand_exits127WithRuncsMessage() throws Exception {
        var r = daemon.docker("exec", "web", "nosuch");
        assertThat(r.exit()).as(r.toString()).isEqualTo(127);
        assertThat(r.out() + r.err()).contains("OCI runtime exec failed").contains("executable file not found in $PATH");

        var b = daemon.berth("exec", "web", "nosuch");
        assertThat(b.exit()).as(b.toString()).isEqualTo(127);
    }

    @Test
    void exec_detached_runsInTheBackground() throws Exception {
        var r = daemon.docker("exec", "-d", "web", "sh", "-c", "sleep 0.2; touch /detached");
        assertThat(r.exit()).as(r.toString()).isZero();
        await("/detached created").atMost(Duration.ofSeconds(5)).until(() -> daemon.docker("exec", "web", "test", "-e", "/detached").exit() == 0);
    }

    @Test
    void exec_withATerminal_seesATty() throws Exception {
        var r = daemon.berth("exec", "-t", "web", "sh", "-c", "test -t 1 && echo tty; exit 4");
        assertThat(r.exit()).as(r.toString()).isEqualTo(4);
        assertThat(r.out()).contains("tty");
    }

    @Test
    void exec_inAStoppedOrMissingContainer_isRefused() throws Exception {
        daemon.berth("create", "--name", "idle", "busybox", "true");
        var stopped = daemon.docker("exec", "idle", "true");
        assertThat(stopped.exit()).isNotZero();
        assertThat(stopped.err()).contains("is not running");
        var missing = daemon.docker("exec", "nothere", "true");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("No such container: nothere");
        daemon.berth("rm", "idle");
    }

    @Test
    void events_aListenerStartedBefore_seesTheContainersLife() throws Exception {
        // --since: the bus replays what happened since t0 to a listener that subscribes late, so the listener cannot
        // miss the start however slowly it connects; --until: it ends by itself should the awaited events never come
        // (a minute: on a loaded 2-core machine the run, exec, kill and rm took more than 15 s).
        Instant t0 = Instant.now();
        var pb = new ProcessBuilder(TestDaemon.dockerCommand("events", "--since", since(t0),
                "--until", Long.toString(t0.getEpochSecond() + 60), "--filter", "container=evx", "--format", "{{.Action}}"));
        pb.environment().putAll(daemon.dockerEnv());
        Process listener = pb.start();
        try {
            assertThat(daemon.berth("run", "-d", "--name", "evx", "busybox", "sleep", "600").exit()).isZero();
            assertThat(daemon.docker("exec", "evx", "sh", "-c", "exit 2").exit()).isEqualTo(2);
            assertThat(daemon.berth("kill", "evx").exit()).isZero();
            assertThat(daemon.berth("rm", "evx").exit()).isZero();
            var lines = new ArrayList<String>();
            var in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
            while (!lines.contains("destroy")) {
                String line = in.readLine();
                if (line == null) break;
                lines.add(line);
            }
            assertThat(lines).containsSubsequence("create", "start", "exec_create: sh -c exit 2", "exec_start: sh -c exit 2",
                    "exec_die", "kill", "die", "destroy");
        } finally {
            listener.destroy();
            listener.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void events_sinceUntil_replayThePast_withFilters() throws Exception {
        Instant t0 = Instant.now();
        assertThat(daemon.berth("tag", "busybox", "evtag:1").exit()).isZero();
        assertThat(daemon.berth("rmi", "evtag:1").exit()).isZero();
        assertThat(daemon.docker("tag", "busybox", "evorg/evtag:2").exit()).isZero();
        assertThat(daemon.docker("rmi", "evorg/evtag:2").exit()).isZero();
        assertThat(daemon.berth("run", "--name", "evy", "busybox", "sh", "-c", "exit 7").exit()).isEqualTo(7);
        assertThat(daemon.berth("rename", "evy", "evz").exit()).isZero();
        assertThat(daemon.berth("rm", "evz").exit()).isZero();
        String since = since(t0);
        Thread.sleep(1100); // the Docker CLI sends --until 0s as whole seconds: let this second pass

        var images = daemon.docker("events", "--since", since, "--until", "0s", "--filter", "type=image",
                "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}");
        assertThat(images.exit()).as(images.toString()).isZero();
        assertThat(images.out()).contains("image tag evtag:1\n").contains("image tag evorg/evtag:2\n").contains("image untag ");

        var dies = daemon.berth("events", "--since", since, "--until", "0s", "--filter", "event=die",
                "--filter", "container=evy", "--format", "{{.Actor.Attributes.exitCode}}");
        assertThat(dies.exit()).as(dies.toString()).isZero();
        assertThat(dies.out()).isEqualTo("7\n");

        var renamed = daemon.docker("events", "--since", since, "--until", "0s", "--filter", "event=rename");
        assertThat(renamed.out()).contains("container rename ").contains("oldName=/evy").contains("name=evz");
    }

    @Test
    void rmForce_ofARunningContainer_killsItThenDestroysIt() throws Exception {
        Instant t0 = Instant.now();
        assertThat(daemon.berth("run", "-d", "--name", "rmf", "busybox", "sleep", "600").exit()).isZero();
        var rm = daemon.berth("rm", "-f", "rmf");
        assertThat(rm.exit()).as(rm.toString()).isZero();
        assertThat(rm.out()).isEqualTo("rmf\n");
        String until = Long.toString(Instant.now().getEpochSecond() + 1);
        var actions = daemon.berth("events", "--since", since(t0), "--until", until, "--filter", "container=rmf", "--format", "{{.Action}}");
        assertThat(actions.exit()).as(actions.toString()).isZero();
        assertThat(actions.out()).isEqualTo("create\nstart\nkill\ndie\ndestroy\n");
        var die = daemon.berth("events", "--since", since(t0), "--until", until, "--filter", "container=rmf",
                "--filter", "event=die", "--format", "{{.Actor.Attributes.exitCode}}");
        assertThat(die.out()).isEqualTo("137\n");
    }

    /** {@code t} as the seconds.nanoseconds that {@code --since} takes. */
    private static String since(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    /** The daemon itself watches a TTY attach's input for the detach keys, whatever the client. */
    @Test
    void attach_detachKeys_endTheAttach_andTheContainerRunsOn() throws Exception {
        var run = daemon.berth("run", "-d", "-it", "--name", "tty1", "busybox", "sh");
        assertThat(run.exit()).as(run.toString()).isZero();
        Instant t0 = Instant.now();
        var address = UnixDomainSocketAddress.of(daemon.host().substring("unix://".length()));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(address);
            String req = "POST /containers/tty1/attach?stream=1&stdin=1&stdout=1&detachKeys=ctrl-x,x HTTP/1.1\r\n"
                    + "Host: berth\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n";
            ch.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap("echo abc$((6*7))\n".getBytes(StandardCharsets.US_ASCII)));
            var got = new StringBuffer();
            // Read on a thread of its own: a daemon that never ends the stream fails the test after 15 s, not hangs it.
            var reader = new FutureTask<Integer>(() -> {
                var buf = ByteBuffer.allocate(4096);
                int n;
                boolean sent = false;
                while ((n = ch.read(buf)) >= 0) {
                    got.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                    buf.clear();
                    if (!sent && got.toString().contains("abc42")) {
                        ch.write(ByteBuffer.wrap(new byte[] {24, 'x'})); // ctrl-x, x
                        sent = true;
                    }
                }
                return n;
            });
            Thread.ofVirtual().start(reader);
            int n;
            try {
                n = reader.get(15, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                ch.close();
                throw new AssertionError("the daemon did not end the stream in 15 s; read so far:\n" + got, e);
            }
            assertThat(n).as("the daemon ends the stream").isEqualTo(-1);
            assertThat(got.toString()).startsWith("HTTP/1.1 101").contains("abc42");
        }
        var state = daemon.berth("inspect", "--format", "{{.State.Status}}", "tty1");
        assertThat(state.out()).isEqualTo("running\n");
        String since = since(t0);
        Thread.sleep(1100); // the Docker CLI sends --until 0s as whole seconds
        var ev = daemon.docker("events", "--since", since, "--until", "0s", "--filter", "container=tty1", "--format", "{{.Action}}");
        assertThat(ev.out()).contains("attach\n").contains("detach\n");
        daemon.berth("rm", "-f", "tty1");
    }
}
