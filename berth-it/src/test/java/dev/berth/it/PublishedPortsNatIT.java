package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Published ports as NAT: a client outside the host (a network namespace of the test's own) reaches a busybox httpd
 * through the host's address and is seen with its own address; the rules stay while the daemon is down, so the port
 * keeps answering, and are gone when the container stops or ended while no daemon ran. Also UDP, host port ranges,
 * containers reaching published ports through the host (hairpin), and {@code userland-proxy: false}. Driven with the
 * Docker CLI; rules checked with iptables-save.
 */
class PublishedPortsNatIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    /** httpd answering /cgi-bin/ip with the client address it sees. */
    private static final List<String> WHO_AM_I = List.of("busybox", "sh", "-c", "mkdir -p /www/cgi-bin"
            + " && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n' > /www/cgi-bin/ip"
            + " && chmod +x /www/cgi-bin/ip && exec httpd -f -p 80 -h /www");

    @Test
    void anOutsideClient_reachesThePort_asItself_alsoWhileTheDaemonIsDown_andTheRulesGoWithTheContainer() throws Exception {
        try (var outside = new OutsideClient()) {
            int hp = freePort();
            String id = run("--name", "nat-web", "-p", hp + ":80");
            String url = "http://" + outside.hostAddress() + ":" + hp + "/cgi-bin/ip";
            assertThat(outside.get(url).out()).contains(outside.clientAddress());
            assertThat(curl("http://127.0.0.1:" + hp + "/cgi-bin/ip").out()).contains("172.30.0.1"); // the proxy's
            var published = rules(id);
            assertThat(published).anyMatch(r -> r.contains("--dport " + hp) && r.contains("-j DNAT"));

            // The daemon dies: the rules stay, the port answers outside clients still.
            daemon.kill9();
            assertThat(outside.get(url).out()).contains(outside.clientAddress());
            daemon.start();
            assertThat(outside.get(url).out()).contains(outside.clientAddress());
            assertThat(curl("http://127.0.0.1:" + hp + "/cgi-bin/ip").out()).contains("172.30.0.1");
            assertThat(rules(id)).as("published again, not twice").containsExactlyInAnyOrderElementsOf(published);

            // The container ends while no daemon runs: the next daemon removes its rules and frees its port.
            String pid = daemon.docker("inspect", "-f", "{{.State.Pid}}", "nat-web").out().strip();
            daemon.kill9();
            Cli.run(List.of("kill", "-9", pid), Map.of(), null);
            waitUntilGone(pid);
            daemon.start();
            assertThat(daemon.docker("inspect", "-f", "{{.State.Running}}", "nat-web").out()).isEqualTo("false\n");
            assertThat(rules(id)).isEmpty();
            assertThat(outside.get(url).exit()).isNotZero();
            new ServerSocket(hp).close();

            // Started again and stopped: rules while it runs, none after.
            assertThat(daemon.docker("start", "nat-web").exit()).isZero();
            assertThat(outside.get(url).out()).contains(outside.clientAddress());
            assertThat(daemon.docker("stop", "-t", "1", "nat-web").exit()).isZero();
            assertThat(rules(id)).isEmpty();
            assertThat(daemon.docker("rm", "nat-web").exit()).isZero();
        }
    }

    @Test
    void containers_reachAPublishedPort_throughTheHost_fromTheirOwnNetworkAndFromAnother() throws Exception {
        // Whatever order FORWARD's jumps were added in (as on a host where the networks' chains came first), a
        // daemon start puts the accepting of DNATed traffic ahead of the isolation between networks.
        sh("iptables -w -D FORWARD -j BERTH-PORTS; iptables -w -A FORWARD -j BERTH-PORTS");
        daemon.kill9();
        daemon.start();
        int hp = freePort();
        run("--name", "hairpin-web", "-p", hp + ":80");
        // On the default bridge, through its gateway (the host): the userland proxy serves it, as in dockerd.
        assertThat(httpFrom(List.of(), "172.30.0.1", hp)).contains("200 OK");
        // From a user-defined network, through the host's address on that network: NATed across the networks.
        assertThat(daemon.docker("network", "create", "--subnet", "10.231.7.0/24", "hairpin-net").exit()).isZero();
        assertThat(httpFrom(List.of("--network", "hairpin-net"), "10.231.7.1", hp)).contains("200 OK");
        // Yet the container itself stays out of that network's reach.
        String ip = daemon.docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "hairpin-web").out().strip();
        assertThat(httpFrom(List.of("--network", "hairpin-net"), ip, 80)).doesNotContain("200 OK");
        assertThat(daemon.docker("rm", "-f", "hairpin-web").exit()).isZero();
        assertThat(daemon.docker("network", "rm", "hairpin-net").exit()).isZero();
    }

    @Test
    void aUdpPort_answersOutsideAndLoopbackClients() throws Exception {
        // busybox has no UDP server: a Java one, run with the host's JDK and C library mounted read-only.
        var server = daemon.dir().resolve("udp");
        Files.createDirectories(server);
        Files.writeString(server.resolve("UdpEcho.java"), """
                import java.net.*;
                class UdpEcho {
                    public static void main(String[] a) throws Exception {
                        try (var s = new DatagramSocket(Integer.parseInt(a[0]))) {
                            System.out.println("ready");
                            var buf = new byte[1500];
                            while (true) {
                                var p = new DatagramPacket(buf, buf.length);
                                s.receive(p);
                                byte[] r = ("from " + p.getAddress().getHostAddress() + ": " + new String(p.getData(), 0, p.getLength())).getBytes();
                                s.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                            }
                        }
                    }
                }
                """);
        int hp = freeUdpPort();
        String jdk = System.getProperty("java.home");
        var r = daemon.docker("run", "-d", "--name", "udp-echo", "-p", hp + ":5353/udp",
                "-v", jdk + ":/jdk:ro", "-v", "/lib64:/lib64:ro", "-v", "/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:ro",
                "-v", server + ":/srv:ro", "busybox", "/jdk/bin/java", "-Xshare:off", "/srv/UdpEcho.java", "5353");
        assertThat(r.exit()).as(r.toString()).isZero();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!daemon.docker("logs", "udp-echo").out().contains("ready") && System.nanoTime() < deadline) Thread.sleep(200);
        assertThat(daemon.docker("port", "udp-echo").out()).isEqualTo("5353/udp -> 0.0.0.0:" + hp + "\n");
        try (var outside = new OutsideClient()) {
            assertThat(outside.udp(outside.hostAddress(), hp, "hello")).isEqualTo("from " + outside.clientAddress() + ": hello");
        }
        var loopback = Cli.run(List.of("bash", "-c", "exec 3<>/dev/udp/127.0.0.1/" + hp + "; printf hi >&3; timeout 3 cat <&3"), Map.of(), null);
        assertThat(loopback.out()).isEqualTo("from 172.30.0.1: hi");
        assertThat(daemon.docker("rm", "-f", "udp-echo").exit()).isZero();
    }

    @Test
    void aHostPortRange_givesEachContainerTheNextFreePort() throws Exception {
        int from = freeRange(3);
        String range = "127.0.0.1:" + from + "-" + (from + 2) + ":80";
        run("--name", "range-1", "-p", range);
        run("--name", "range-2", "-p", range);
        assertThat(daemon.docker("port", "range-1", "80").out()).isEqualTo("127.0.0.1:" + from + "\n");
        assertThat(daemon.docker("port", "range-2", "80").out()).isEqualTo("127.0.0.1:" + (from + 1) + "\n");
        assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.PortBindings}}", "range-2").out())
                .isEqualTo("{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"" + from + "-" + (from + 2) + "\"}]}\n");
        assertThat(curl("http://127.0.0.1:" + (from + 1) + "/cgi-bin/ip").out()).contains("172.30.0.1");
        assertThat(daemon.docker("rm", "-f", "range-1", "range-2").exit()).isZero();
    }

    @Test
    void aPortInUse_leavesNoRuleNoLinkAndNoContainerRunning() throws Exception {
        try (var squatter = new ServerSocket(0)) {
            int hp = squatter.getLocalPort();
            var r = daemon.docker("run", "-d", "--name", "nat-clash", "-p", hp + ":80", "busybox", "httpd", "-f", "-p", "80");
            assertThat(r.exit()).isNotZero();
            assertThat(r.err()).contains("0.0.0.0:" + hp).contains("port is already allocated");
            String id = daemon.docker("inspect", "-f", "{{.Id}}", "nat-clash").out().strip();
            assertThat(rules(id)).isEmpty();
            assertThat(Cli.run(List.of("ip", "-o", "link"), Map.of(), null).out()).doesNotContain("vb" + id.substring(0, 13));
            assertThat(daemon.docker("rm", "nat-clash").exit()).isZero();
        }
    }

    /** Without the userland proxy NAT serves loopback clients and the container itself; the port is held, not listened on. */
    @Test
    void withoutTheUserlandProxy_natServesLoopbackAndHairpin_andNothingListens() throws Exception {
        try (var d = new TestDaemon().withConfig("{\"userland-proxy\": false}")) {
            d.start();
            d.loadBusybox();
            int hp = freePort();
            var args = new java.util.ArrayList<>(List.of("run", "-d", "--name", "noproxy", "-p", hp + ":80"));
            args.addAll(WHO_AM_I);
            var r = d.docker(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isZero();
            String id = r.out().strip();
            assertThat(curl("http://127.0.0.1:" + hp + "/cgi-bin/ip").out()).contains("172.30.0.1");
            var self = d.docker("exec", "noproxy", "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 172.30.0.1 " + hp);
            assertThat(self.out()).as("the container reaches its own published port").contains("HTTP/1.1");
            assertThat(Cli.run(List.of("ss", "-Hltn", "sport = :" + hp), Map.of(), null).out()).as("no listener").isBlank();
            try (var taken = new ServerSocket()) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> taken.bind(new java.net.InetSocketAddress(hp))))
                        .as("the port is held").isInstanceOf(java.net.BindException.class);
            }
            assertThat(d.docker("rm", "-f", "noproxy").exit()).isZero();
            assertThat(rules(id)).isEmpty();
        }
    }

    private static String run(String... options) throws Exception {
        var args = new java.util.ArrayList<>(List.of("run", "-d"));
        args.addAll(List.of(options));
        args.addAll(WHO_AM_I);
        var r = daemon.docker(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out().strip();
    }

    /** An HTTP request from a new container (with {@code options}) to {@code host:port}; what came back. */
    private static String httpFrom(List<String> options, String host, int port) throws Exception {
        var args = new java.util.ArrayList<>(List.of("run", "--rm"));
        args.addAll(options);
        args.addAll(List.of("busybox", "sh", "-c", "printf 'GET /cgi-bin/ip HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + host + " " + port));
        return daemon.docker(args.toArray(String[]::new)).out();
    }

    private static String sh(String script) throws Exception {
        return Cli.run(List.of("sh", "-c", script), Map.of(), null).out();
    }

    /** The port rules in iptables of the container {@code id}. */
    private static List<String> rules(String id) throws Exception {
        var out = new java.util.ArrayList<String>();
        for (String table : List.of("nat", "filter")) {
            for (String line : Cli.run(List.of("iptables-save", "-t", table), Map.of(), null).out().split("\n")) {
                if (line.contains(id)) out.add(line);
            }
        }
        return out;
    }

    private static void waitUntilGone(String pid) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(java.nio.file.Path.of("/proc", pid)) && System.nanoTime() < deadline) Thread.sleep(50);
    }

    private static Cli.Result curl(String url) throws Exception {
        return Cli.run(List.of("curl", "-s", "--max-time", "5", url), Map.of(), null);
    }

    private static int freePort() throws Exception {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws Exception {
        try (var s = new java.net.DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The first of {@code n} consecutive free TCP ports. */
    private static int freeRange(int n) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = freePort();
            if (first + n > 65535) continue;
            boolean free = true;
            for (int p = first + 1; p < first + n && free; p++) {
                try (var s = new ServerSocket(p, 1, InetAddress.getByName("127.0.0.1"))) {
                    // free
                } catch (java.io.IOException taken) {
                    free = false;
                }
            }
            if (free) return first;
        }
        throw new IllegalStateException("no " + n + " consecutive free ports");
    }
}
