package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded name server over real UDP on loopback: local answers, and forwarding to a stand-in upstream. */
class DnsServerTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void answersItsNames_emptyForOtherTypes_andForwardsTheRest() throws Exception {
        var names = Map.of("web", List.of("10.9.0.2", "10.9.0.3"));
        try (var upstream = new DatagramSocket(LOOPBACK);
             var dns = new DnsServer(LOOPBACK, (n, from) -> from.isLoopbackAddress() ? names.getOrDefault(n, List.of()) : List.of(),
                     from -> from.isLoopbackAddress() ? List.of((InetSocketAddress) upstream.getLocalSocketAddress()) : List.of())) {
            var a = ask(dns.port(), 0x1234, "WEB.", 1);
            assertThat(a.id).isEqualTo(0x1234);
            assertThat(a.rcode).isZero();
            assertThat(a.addresses).containsExactly("10.9.0.2", "10.9.0.3");

            var aaaa = ask(dns.port(), 7, "web", 28);
            assertThat(aaaa.rcode).isZero();
            assertThat(aaaa.addresses).isEmpty();

            // An unknown name goes unchanged to the upstream named for the asker, and its reply comes back.
            Thread.ofVirtual().start(() -> {
                try {
                    byte[] buf = new byte[512];
                    var p = new DatagramPacket(buf, buf.length);
                    upstream.receive(p);
                    byte[] reply = java.util.Arrays.copyOf(buf, p.getLength());
                    reply[2] = (byte) 0x81;
                    reply[3] = (byte) 0x83; // NXDOMAIN
                    upstream.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (Exception ignored) {
                    // the assertion below fails instead
                }
            });
            var other = ask(dns.port(), 9, "elsewhere.example", 1);
            assertThat(other.id).isEqualTo(9);
            assertThat(other.rcode).isEqualTo(3);
        }
    }

    @Test
    void withoutAnUpstream_anUnknownNameIsServfail() throws Exception {
        try (var dns = new DnsServer(LOOPBACK, (n, from) -> List.of(), from -> List.of())) {
            assertThat(ask(dns.port(), 5, "nothing", 1).rcode).isEqualTo(2);
        }
    }

    private record Reply(int id, int rcode, List<String> addresses) {}

    private static Reply ask(int port, int id, String name, int type) throws Exception {
        var q = new ByteArrayOutputStream();
        q.write(new byte[] {(byte) (id >> 8), (byte) id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) continue;
            q.write(label.length());
            q.write(label.getBytes(StandardCharsets.US_ASCII));
        }
        q.write(new byte[] {0, 0, (byte) type, 0, 1});
        try (var s = new DatagramSocket()) {
            s.setSoTimeout(5000);
            byte[] query = q.toByteArray();
            s.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
            byte[] buf = new byte[512];
            var p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            var in = ByteBuffer.wrap(buf, 0, p.getLength());
            int rid = in.getShort() & 0xffff;
            int flags = in.getShort() & 0xffff;
            in.getShort();
            int answers = in.getShort() & 0xffff;
            in.position(query.length); // past the echoed question
            var addresses = new ArrayList<String>();
            for (int i = 0; i < answers; i++) {
                in.getShort(); // name pointer
                int t = in.getShort();
                in.getShort();
                in.getInt();
                int len = in.getShort();
                if (t == 1 && len == 4) addresses.add(BridgeNetwork.toIp(in.getInt()));
                else in.position(in.position() + len);
            }
            return new Reply(rid, flags & 0xf, addresses);
        }
    }
}
