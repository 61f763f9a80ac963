package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
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

    @TempDir Path dir;

    @Test
    void anEphemeralBinding_isServedOnTheSamePortByTheNextDaemon_untilTheRunEnds() throws Exception {
        var first = new PublishedPorts(dir);
        first.save(ID, List.of(new PublishedPorts.Binding(80, "tcp", "127.0.0.1", 0), new PublishedPorts.Binding(81, "tcp", "127.0.0.1", 0)));
        first.open(ID, "127.0.0.1");
        List<Integer> served = ports(first);
        assertThat(Files.readAllLines(dir.resolve(ID + ".served"))).containsExactly(served.get(0) + "", served.get(1) + "");

        // The daemon dies: its sockets go with it, the records stay. The next one serves the same ports.
        closeSocketsOnly(first);
        var second = new PublishedPorts(dir);
        second.open(ID, "127.0.0.1");
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
        first.open(ID, "127.0.0.1");
        int old = ports(first).getFirst();
        closeSocketsOnly(first);
        try (var squatter = new ServerSocket(old, 1, InetAddress.getLoopbackAddress())) {
            var second = new PublishedPorts(dir);
            second.open(ID, "127.0.0.1");
            assertThat(ports(second).getFirst()).isNotEqualTo(old).isPositive();
            assertThat(Files.readAllLines(dir.resolve(ID + ".served"))).containsExactly(ports(second).getFirst() + "");
            second.close(ID);
        }
    }

    @Test
    void aFixedPort_isFreeAgainAsSoonAsItIsClosed_soThatARestartCanBindIt() throws Exception {
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        var ports = new PublishedPorts(dir);
        ports.save(ID, List.of(new PublishedPorts.Binding(80, "tcp", "127.0.0.1", port)));
        for (int i = 0; i < 50; i++) {
            ports.open(ID, "127.0.0.1");
            assertThat(ports(ports)).containsExactly(port);
            ports.close(ID);
        }
    }

    @Test
    void retainOnly_dropsTheRecordsOfContainersThatDoNotExist_servedOnesToo() throws Exception {
        var ports = new PublishedPorts(dir);
        String gone = "d".repeat(64);
        for (String id : List.of(ID, gone)) {
            ports.save(id, List.of(new PublishedPorts.Binding(80, "tcp", "127.0.0.1", 0)));
            ports.open(id, "127.0.0.1");
        }
        ports.retainOnly(Set.of(ID));
        assertThat(dir.resolve(ID)).exists();
        assertThat(dir.resolve(ID + ".served")).exists();
        assertThat(dir.resolve(gone)).doesNotExist();
        assertThat(dir.resolve(gone + ".served")).doesNotExist();
        ports.close(ID);
    }

    private static List<Integer> ports(PublishedPorts p) {
        return p.active(ID).stream().map(PublishedPorts.Active::hostPort).toList();
    }

    /** What a SIGKILL of the daemon does to its published ports: the sockets close, the records stay. */
    private static void closeSocketsOnly(PublishedPorts p) {
        p.closeSockets(ID);
    }
}
