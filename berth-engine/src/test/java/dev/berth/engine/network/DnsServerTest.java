package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
    void overTcp_answersSeveralQueriesOnOneConnection_andForwardsOverTcp() throws Exception {
        try (var upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             var dns = new DnsServer(LOOPBACK, (n, from) -> n.equals("web") ? List.of("10.9.0.2") : List.of(),
                     from -> List.of((InetSocketAddress) upstream.getLocalSocketAddress()));
             var client = new Socket(InetAddress.getLoopbackAddress(), dns.port())) {
            client.setSoTimeout(5000);
            Thread.ofVirtual().start(() -> {
                try (var c = upstream.accept()) {
                    var in = new DataInputStream(c.getInputStream());
                    byte[] q = in.readNBytes(in.readUnsignedShort());
                    q[2] = (byte) 0x81;
                    q[3] = (byte) 0x83; // NXDOMAIN
                    var out = new DataOutputStream(c.getOutputStream());
                    out.writeShort(q.length);
                    out.write(q);
                    out.flush();
                } catch (Exception ignored) {
                    // the assertion below fails instead
                }
            });
            var local = askTcp(client, 0x4321, "web", 1);
            assertThat(local.id).isEqualTo(0x4321);
            assertThat(local.addresses).containsExactly("10.9.0.2");
            var forwarded = askTcp(client, 11, "elsewhere.example", 1);
            assertThat(forwarded.id).isEqualTo(11);
            assertThat(forwarded.rcode).isEqualTo(3);
        }
    }

    @Test
    void withoutAnUpstream_anUnknownNameIsServfail() throws Exception {
        try (var dns = new DnsServer(LOOPBACK, (n, from) -> List.of(), from -> List.of())) {
            assertThat(ask(dns.port(), 5, "nothing", 1).rcode).isEqualTo(2);
        }
    }

    private record Reply(int id, int rcode, List<String> addresses) {}

    private static byte[] query(int id, String name, int type) {
        var q = new ByteArrayOutputStream();
        q.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) continue;
            q.write(label.length());
            q.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        q.writeBytes(new byte[] {0, 0, (byte) type, 0, 1});
        return q.toByteArray();
    }

    /** Over UDP. */
    private static Reply ask(int port, int id, String name, int type) throws Exception {
        try (var s = new DatagramSocket()) {
            s.setSoTimeout(5000);
            byte[] query = query(id, name, type);
            s.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
            byte[] buf = new byte[512];
            var p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return parse(ByteBuffer.wrap(buf, 0, p.getLength()), query.length);
        }
    }

    /** Over a TCP connection already open: the query and the reply each with their two-byte length. */
    private static Reply askTcp(Socket s, int id, String name, int type) throws Exception {
        byte[] query = query(id, name, type);
        var out = new DataOutputStream(s.getOutputStream());
        out.writeShort(query.length);
        out.write(query);
        out.flush();
        var in = new DataInputStream(s.getInputStream());
        byte[] reply = in.readNBytes(in.readUnsignedShort());
        return parse(ByteBuffer.wrap(reply), query.length);
    }

    private static Reply parse(ByteBuffer in, int questionEnd) {
        int rid = in.getShort() & 0xffff;
        int flags = in.getShort() & 0xffff;
        in.getShort();
        int answers = in.getShort() & 0xffff;
        in.position(questionEnd); // past the echoed question
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
