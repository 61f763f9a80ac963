package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Published ports of containers on the default bridge: busybox httpd reached through 127.0.0.1:hostPort, shown by
 * {@code docker ps}, {@code docker port} and inspect; a port in use refused with its number and nothing left
 * running; ports freed on stop, served again after a kill -9 of the daemon.
 */
class PublishedPortsIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @Test
    void publishedPort_answersOnLoopback_isListed_andFreedOnStop() throws Exception {
        int hp = freePort();
        var run = daemon.docker("run", "-d", "--name", "web", "-p", "127.0.0.1:" + hp + ":80", "-p", "81",
                "busybox", "sh", "-c", "httpd -p 81 -h /etc; exec httpd -f -p 80 -h /etc");
        assertThat(run.exit()).as(run.toString()).isZero();
        String short12 = run.out().strip().substring(0, 12);
        assertThat(curl("http://127.0.0.1:" + hp + "/hostname")).isEqualTo(short12 + "\n");

        var port = daemon.docker("port", "web");
        assertThat(port.out()).startsWith("80/tcp -> 127.0.0.1:" + hp + "\n81/tcp -> 0.0.0.0:");
        String ephemeral = daemon.docker("port", "web", "81").out().strip().replaceAll(".*:", "");
        assertThat(curl("http://127.0.0.1:" + ephemeral + "/hostname")).isEqualTo(short12 + "\n");
        assertThat(daemon.docker("ps", "--format", "{{.Ports}}").out())
                .isEqualTo("127.0.0.1:" + hp + "->80/tcp, 0.0.0.0:" + ephemeral + "->81/tcp\n");
        assertThat(daemon.berth("inspect", "-f", "{{json .HostConfig.PortBindings}}", "web").out())
                .isEqualTo("{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"" + hp + "\"}],\"81/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}\n");

        // A second container asking for the same port is refused, names the port and does not run.
        var clash = daemon.docker("run", "-d", "--name", "clash", "-p", "127.0.0.1:" + hp + ":80", "busybox", "httpd", "-f", "-p", "80");
        assertThat(clash.exit()).isNotZero();
        assertThat(clash.err()).contains("127.0.0.1:" + hp).contains("port is already allocated");
        assertThat(daemon.docker("inspect", "-f", "{{.State.Running}}", "clash").out()).isEqualTo("false\n");

        // The daemon dies and comes back: the container still runs and its ports answer again, the ephemeral one too
        // on the same port (as dockerd's docker-proxy keeps it).
        daemon.kill9();
        daemon.start();
        assertThat(curl("http://127.0.0.1:" + hp + "/hostname")).isEqualTo(short12 + "\n");
        assertThat(daemon.docker("port", "web", "81").out().strip()).endsWith(":" + ephemeral);
        assertThat(curl("http://127.0.0.1:" + ephemeral + "/hostname")).isEqualTo(short12 + "\n");

        // A restart binds the fixed port again right after the stop freed it.
        var restart = daemon.docker("restart", "-t", "1", "web");
        assertThat(restart.exit()).as(restart.toString()).isZero();
        assertThat(curl("http://127.0.0.1:" + hp + "/hostname")).isEqualTo(short12 + "\n");

        assertThat(daemon.docker("stop", "-t", "1", "web").exit()).isZero();
        // Nothing listens on the port any more: curl's exit 7 is "connection refused", not a timeout or an empty reply.
        var refused = curlResult("http://127.0.0.1:" + hp + "/hostname");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(7);
        assertThat(daemon.docker("ps", "-a", "--filter", "name=web", "--format", "[{{.Ports}}]").out()).isEqualTo("[]\n");
        assertThat(daemon.berth("rm", "-f", "web", "clash").exit()).isZero();
    }

    @Test
    void publishAll_publishesExposedPorts_onEphemeralPorts() throws Exception {
        var run = daemon.berth("run", "-d", "-P", "--expose", "8080", "busybox", "httpd", "-f", "-p", "8080", "-h", "/etc");
        assertThat(run.exit()).as(run.toString()).isZero();
        String id = run.out().strip();
        String hostPort = daemon.docker("port", id, "8080").out().strip().replaceAll(".*:", "");
        assertThat(Integer.parseInt(hostPort)).isPositive();
        assertThat(curl("http://127.0.0.1:" + hostPort + "/hostname")).isEqualTo(id.substring(0, 12) + "\n");
        assertThat(daemon.berth("rm", "-f", id).exit()).isZero();
    }

    @Test
    void psPortsAndPort_areTheDockerClis_andExposedPortsShowWhileTheContainerRuns() throws Exception {
        int a = freePort();
        int b = freePort();
        var run = daemon.docker("run", "-d", "--name", "shapes", "-p", "127.0.0.1:" + a + ":80", "-p", "80",
                "-p", b + ":" + b + "/udp", "--expose", "7000-7001", "--expose", "7005", "--expose", "7010/sctp", "busybox", "sleep", "300");
        assertThat(run.exit()).as(run.toString()).isZero();
        String docker = daemon.docker("ps", "--filter", "name=shapes", "--format", "{{.Ports}}").out();
        assertThat(docker).startsWith("7000-7001/tcp, 7005/tcp, 7010/sctp, 0.0.0.0:" + b + "->" + b + "/udp, 0.0.0.0:")
                .endsWith("->80/tcp, 127.0.0.1:" + a + "->80/tcp\n");
        assertThat(daemon.berth("ps", "--filter", "name=shapes", "--format", "{{.Ports}}").out()).isEqualTo(docker);
        assertThat(daemon.docker("inspect", "-f", "{{json .Config.ExposedPorts}}", "shapes").out())
                .isEqualTo("{\"" + b + "/udp\":{},\"7000/tcp\":{},\"7001/tcp\":{},\"7005/tcp\":{},\"7010/sctp\":{},\"80/tcp\":{}}\n");
        assertThat(daemon.docker("inspect", "-f", "{{json (index .NetworkSettings.Ports \"7005/tcp\")}}", "shapes").out())
                .isEqualTo("null\n");
        // port: the same lines from berth as from the Docker CLI, and the same refusal for a port only exposed.
        var dockerPort = daemon.docker("port", "shapes");
        assertThat(dockerPort.out()).contains("80/tcp -> 127.0.0.1:" + a + "\n").contains(b + "/udp -> 0.0.0.0:" + b + "\n");
        assertThat(daemon.berth("port", "shapes").out()).isEqualTo(dockerPort.out());
        assertThat(daemon.berth("port", "shapes", "80").out()).isEqualTo(daemon.docker("port", "shapes", "80/tcp").out());
        var exposedOnly = daemon.berth("port", "shapes", "7005");
        assertThat(exposedOnly.exit()).isEqualTo(1);
        assertThat(exposedOnly.err()).contains("Error: No public port '7005' published for shapes");

        // A commit keeps them in the image, as dockerd's does.
        assertThat(daemon.docker("commit", "shapes", "shapes-image").exit()).isZero();
        assertThat(daemon.docker("image", "inspect", "-f", "{{json .Config.ExposedPorts}}", "shapes-image").out())
                .contains("\"7000/tcp\":{}").contains("\"80/tcp\":{}");
        assertThat(daemon.docker("rmi", "shapes-image").exit()).isZero();

        // Stopped, nothing is served: no ports in the list, as with dockerd.
        assertThat(daemon.docker("stop", "-t", "0", "shapes").exit()).isZero();
        assertThat(daemon.docker("ps", "-a", "--filter", "name=shapes", "--format", "[{{.Ports}}]").out()).isEqualTo("[]\n");
        assertThat(daemon.docker("rm", "shapes").exit()).isZero();

        // On the host network, bindings are ignored with dockerd's warning.
        var host = daemon.docker("run", "--rm", "--network", "host", "-p", a + ":80", "busybox", "true");
        assertThat(host.exit()).as(host.toString()).isZero();
        assertThat(host.err()).contains("WARNING: Published ports are discarded when using host network mode");
    }

    @Test
    void badPorts_areRefused_andCreateNothing() throws Exception {
        var sctp = daemon.docker("run", "--rm", "-p", "53/sctp", "busybox", "true");
        assertThat(sctp.exit()).isNotZero();
        assertThat(sctp.err()).contains("sctp");
        var api = daemon.request("POST", "/containers/create",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"99999\"}]}}}");
        assertThat(api).contains("invalid port specification");
        var badIp = daemon.request("POST", "/containers/create",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"999.1.1.1\",\"HostPort\":\"8080\"}]}}}");
        assertThat(badIp).contains("invalid IP address: 999.1.1.1");
        assertThat(daemon.berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void oneHostPort_forAContainerPortRange_isAUsageError() throws Exception {
        var r = daemon.berth("run", "-p", "8080:80-81", "busybox", "true");
        assertThat(r.exit()).as(r.toString()).isEqualTo(125);
        assertThat(r.err()).contains("invalid ranges specified for container and host Ports");
        assertThat(daemon.berth("ps", "-aq").out()).isEmpty();
    }

    /** A port nothing listens on now, so parallel runs and other programs do not collide with a fixed number. */
    private static int freePort() throws Exception {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String curl(String url) throws Exception {
        return curlResult(url).out();
    }

    private static Cli.Result curlResult(String url) throws Exception {
        return Cli.run(List.of("curl", "-s", "--max-time", "5", url), Map.of(), null);
    }
}
