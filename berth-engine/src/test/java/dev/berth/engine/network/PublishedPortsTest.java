package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records of published ports: the bindings asked for at create, and the host ports an ephemeral binding is
 * served on while the container runs, which a daemon started after a crash serves again.
 */
class PublishedPortsTest {
    private static final String ID = "c".repeat(64);
    /** A "container" on the host's loopback: the proxy alone serves here (no NAT in unit tests). */
    private static final PortNat.Target LOOPBACK = new PortNat.Target("127.0.0.1", "lo", "127.0.0.0/8");

    @TempDir Path dir;

    @Test
    void anEphemeralBinding_isServedOnTheSamePortByTheNextDaemon_untilTheRunEnds() throws Exception {
        var first = new PublishedPorts(dir);
        first.save(ID, List.of(new PublishedPorts.Binding(80, "tcp", "127.0.0.1", 0), new PublishedPorts.Binding(81, "tcp", "127.0.0.1", 0)));
        first.open(ID, LOOPBACK);
        List<Integer> served = ports(first);
        assertThat(Files.readAllLines(dir.resolve(ID + ".served"))).containsExactly(served.get(0) + "", served.get(1) + "");

        // The daemon dies: its sockets go with it, the records stay. The next one serves the same ports.
        closeSocketsOnly(first);
        var second = new PublishedPorts(dir);
        second.open(ID, LOOPBACK);
        assertThat(ports(second)).isEqualTo(served);

        // The run ends: the served ports are forgotten, the bindings asked for are kept for the next start.
        second.close(ID);
        assertThat(dir.resolve(ID + ".served")).doesNotExist();
        assertThat(second.requested(ID)).hasSize(2);
    }

    @Test
    void aServedPortTakenMeanwhile_isReplacedByANewOne() throws Exception {
        var first = new PublishedPorts(dir);
        first.save(ID, List.of(new PublishedPorts.Binding(80, "tcp", "127.0.0.1", 0)));
        first.open(ID, LOOPBACK);
        int old = ports(first).getFirst();
        closeSocketsOnly(first);
        try (var squatter = new ServerSocket(old, 1, InetAddress.getLoopbackAddress())) {
            var second = new PublishedPorts(dir);
            second.open(ID, LOOPBACK);
            assertThat(ports(second).getFirst()).isNotEqualTo(old).isPositive();
            assertThat(Files.readAllLines(dir.resolve(ID + ".served"))).containsExactly(ports(second).getFirst() + "");
            second.close(ID);
        }
    }

    @Test
    void aFixedPort_isFreeAgainAsSoonAsItIsClosed_soThatARestartCanBindIt() throws Exception {
        int port = freeLoopbackPort();
        var ports = new PublishedPorts(dir);
        ports.save(ID, List.of(new PublishedPorts.Binding(80, "tcp", "127.0.0.1", port)));
        for (int i = 0; i < 50; i++) {
            ports.open(ID, LOOPBACK);
            assertThat(ports(ports)).containsExactly(port);
            ports.close(ID);
        }
    }

    @Test
    void retainOnly_dropsTheRecordsOfContainersThatDoNotExist_servedOnesToo() throws Exception {
        String gone = "d".repeat(64);
        var ports = servingAnEphemeralPort(ID, gone);
        ports.retainOnly(Set.of(ID));
        assertThat(dir.resolve(ID)).exists();
        assertThat(dir.resolve(ID + ".served")).exists();
        assertThat(dir.resolve(gone)).doesNotExist();
        assertThat(dir.resolve(gone + ".served")).doesNotExist();
        ports.close(ID);
    }

    @Test
    void aHostPortRange_givesTheFirstFreePortOfTheRange_andIsRecordedAsARange() throws Exception {
        int first = freeLoopbackPort();
        var ports = new PublishedPorts(dir);
        var range = new PublishedPorts.Binding(80, "tcp", "127.0.0.1", first, first + 3);
        ports.save(ID, List.of(range));
        assertThat(ports.requested(ID)).containsExactly(range);
        assertThat(range.hostPorts()).isEqualTo(first + "-" + (first + 3));
        try (var squatter = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
            ports.open(ID, LOOPBACK);
            assertThat(ports(ports).getFirst()).isBetween(first + 1, first + 3);
            ports.close(ID);
        }
    }

    @Test
    void aFullRange_isRefused_namingTheRange_andHoldsNothing() throws Exception {
        try (var squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int taken = squatter.getLocalPort();
            var ports = new PublishedPorts(dir);
            ports.save(ID, List.of(new PublishedPorts.Binding(81, "tcp", "127.0.0.1", 0),
                    new PublishedPorts.Binding(80, "tcp", "127.0.0.1", taken, taken)));
            assertThatThrownBy(() -> ports.open(ID, LOOPBACK))
                    .hasMessageContaining("Bind for 127.0.0.1:" + taken + " failed: port is already allocated");
            assertThat(ports.active(ID)).isEmpty();
        }
    }

    @Test
    void aUdpPort_relaysEachClientsDatagrams_andTheRepliesComeBack() throws Exception {
        try (var container = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            // The "container": answers every datagram with its text upper-cased.
            Thread.ofVirtual().start(() -> {
                var buf = new byte[1500];
                try {
                    while (true) {
                        var p = new DatagramPacket(buf, buf.length);
                        container.receive(p);
                        byte[] reply = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
                        container.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    }
                } catch (Exception closed) {
                    // test over
                }
            });
            var ports = new PublishedPorts(dir);
            ports.save(ID, List.of(new PublishedPorts.Binding(container.getLocalPort(), "udp", "127.0.0.1", 0)));
            ports.open(ID, LOOPBACK);
            int published = ports(ports).getFirst();
            for (String word : List.of("one", "two")) {
                try (var client = new DatagramSocket()) {
                    client.setSoTimeout(5000);
                    byte[] out = word.getBytes(StandardCharsets.UTF_8);
                    client.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), published));
                    var in = new DatagramPacket(new byte[100], 100);
                    client.receive(in);
                    assertThat(new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8)).isEqualTo(word.toUpperCase());
                }
            }
            ports.close(ID);
            // Freed: the port can be bound again.
            new DatagramSocket(published, InetAddress.getLoopbackAddress()).close();
        }
    }

    @Test
    void retainRunning_forgetsTheServedPortsOfContainersThatEnded_keepsTheirBindings() throws Exception {
        String ended = "e".repeat(64);
        var ports = servingAnEphemeralPort(ID, ended);
        for (String id : List.of(ID, ended)) ports.closeSockets(id); // the daemon dies
        var next = new PublishedPorts(dir);
        next.retainRunning(Set.of(ID));
        assertThat(dir.resolve(ID + ".served")).exists();
        assertThat(dir.resolve(ended + ".served")).doesNotExist();
        assertThat(dir.resolve(ended)).exists();
    }

    private static List<Integer> ports(PublishedPorts p) {
        return p.active(ID).stream().map(PublishedPorts.Active::hostPort).toList();
    }

    /** What a SIGKILL of the daemon does to its published ports: the sockets close, the records stay. */
    private static void closeSocketsOnly(PublishedPorts p) {
        p.closeSockets(ID);
    }

    private static int freeLoopbackPort() throws IOException {
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Port records for {@code ids}, each serving container port 80 on an ephemeral loopback port. */
    private PublishedPorts servingAnEphemeralPort(String... ids) throws IOException {
        var ports = new PublishedPorts(dir);
        for (String id : ids) {
            ports.save(id, List.of(new PublishedPorts.Binding(80, "tcp", "127.0.0.1", 0)));
            ports.open(id, LOOPBACK);
        }
        return ports;
    }
}
