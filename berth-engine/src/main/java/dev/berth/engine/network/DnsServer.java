package dev.berth.engine.network;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.net.InetAddress;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DNS server of one user-defined network (Docker's 127.0.0.11, here on the network's gateway): it
 * answers A queries for the names of the network's containers (name, aliases, short id) from {@code lookup}, with
 * an empty answer for other record types of those names, and forwards every other query unchanged to the name servers
 * of the container that asked (its {@code --dns}, else the host's resolvers), relaying the first reply. It listens on
 * UDP and on TCP (RFC 7766: what a resolver falls back to after a truncated answer), and forwards over the transport
 * the query came by. Only the DNS wire format a stub resolver sends is read (RFC 1035 4.1): a
 * header and one question; additional records (EDNS) are ignored.
 */
public final class DnsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    static final int TYPE_A = 1;
    private static final int TTL_SECONDS = 600;
    private static final int UPSTREAM_TIMEOUT_MS = 2000;

    private static final int TCP_IDLE_MS = 10_000;

    private final DatagramSocket socket;
    private final ServerSocket tcp;
    private final BiFunction<String, InetAddress, List<String>> lookup;
    private final Function<InetAddress, List<InetSocketAddress>> upstreams;

    /**
     * Binds {@code address} and serves on a virtual thread until closed. {@code lookup} gets a lower-case name
     * without the trailing dot and the address that asked, and returns the name's IPv4 addresses in the order to
     * answer them (empty: not ours); {@code upstreams} gets the address that asked and returns the name servers to
     * forward its other queries to, in the order to try them.
     */
    public DnsServer(InetSocketAddress address, BiFunction<String, InetAddress, List<String>> lookup,
                     Function<InetAddress, List<InetSocketAddress>> upstreams)
            throws SocketException {
        this.socket = new DatagramSocket(address);
        this.lookup = lookup;
        this.upstreams = upstreams;
        this.tcp = listenTcp(new InetSocketAddress(address.getAddress(), socket.getLocalPort()));
        Thread.ofVirtual().name("dns-" + address).start(this::serve);
        if (tcp != null) Thread.ofVirtual().name("dns-tcp-" + address).start(this::serveTcp);
    }

    /** The TCP listener on the UDP socket's address and port; null (UDP only) when that cannot be bound. */
    private static ServerSocket listenTcp(InetSocketAddress at) {
        try {
            var s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(at);
            return s;
        } catch (IOException e) {
            log.warn("dns on {}: no TCP listener, UDP only: {}", at, e.getMessage());
            return null;
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            var p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                if (!socket.isClosed()) log.warn("dns receive: {}", e.getMessage());
                continue;
            }
            byte[] query = Arrays.copyOf(p.getData(), p.getLength());
            var from = p.getSocketAddress();
            var asker = p.getAddress();
            Thread.ofVirtual().start(() -> {
                try {
                    byte[] reply = answer(query, asker);
                    if (reply != null) socket.send(new DatagramPacket(reply, reply.length, from));
                } catch (IOException | RuntimeException e) {
                    log.debug("dns reply to {}: {}", from, e.getMessage());
                }
            });
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            Socket c;
            try {
                c = tcp.accept();
            } catch (IOException e) {
                if (!tcp.isClosed()) log.warn("dns accept: {}", e.getMessage());
                continue;
            }
            Thread.ofVirtual().start(() -> serveConnection(c));
        }
    }

    /** Queries on one connection, each with its two-byte length, answered in turn until the client is done or idle. */
    private void serveConnection(Socket c) {
        try (c) {
            c.setSoTimeout(TCP_IDLE_MS);
            var in = new DataInputStream(c.getInputStream());
            var out = new DataOutputStream(c.getOutputStream());
            while (true) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException e) {
                    return;
                }
                byte[] query = in.readNBytes(length);
                if (query.length < length) return;
                byte[] reply = answer(query, c.getInetAddress(), true);
                if (reply == null) continue;
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            log.debug("dns tcp {}: {}", c.getRemoteSocketAddress(), e.getMessage());
        }
    }

    /** The reply to {@code query} that came over UDP. */
    byte[] answer(byte[] query, InetAddress asker) {
        return answer(query, asker, false);
    }

    /** The reply to {@code query}, or null for something that is not a query (dropped, as a resolver would). */
    byte[] answer(byte[] query, InetAddress asker, boolean overTcp) {
        if (query.length < 12) return null;
        var in = ByteBuffer.wrap(query);
        int flags = in.getShort(2) & 0xffff;
        int questions = in.getShort(4) & 0xffff;
        if ((flags & 0x8000) != 0) return null; // a response
        if (((flags >> 11) & 0xf) != 0 || questions != 1) return error(query, -1, 4); // NOTIMP
        int pos = 12;
        var name = new StringBuilder();
        while (true) {
            if (pos >= query.length) return error(query, -1, 1); // FORMERR
            int len = query[pos] & 0xff;
            pos++;
            if (len == 0) break;
            if (len > 63 || pos + len > query.length) return error(query, -1, 1);
            if (!name.isEmpty()) name.append('.');
            name.append(new String(query, pos, len, StandardCharsets.US_ASCII));
            pos += len;
        }
        if (pos + 4 > query.length) return error(query, -1, 1);
        int questionEnd = pos + 4;
        int type = in.getShort(pos) & 0xffff;
        List<String> ips = lookup.apply(name.toString().toLowerCase(Locale.ROOT), asker);
        if (ips.isEmpty()) {
            var to = upstreams.apply(asker);
            return overTcp ? forwardTcp(query, questionEnd, to) : forward(query, questionEnd, to);
        }
        List<String> answers = type == TYPE_A ? ips : List.of();
        var out = ByteBuffer.allocate(questionEnd + answers.size() * 16);
        out.put(query, 0, questionEnd);
        out.putShort(2, (short) (0x8400 | (flags & 0x0100) | 0x0080)); // QR, AA, RD as asked, RA
        out.putShort(6, (short) answers.size());
        out.putShort(8, (short) 0);
        out.putShort(10, (short) 0);
        for (String ip : answers) {
            out.putShort((short) 0xc00c); // the name: a pointer to the question's
            out.putShort((short) TYPE_A);
            out.putShort((short) 1); // IN
            out.putInt(TTL_SECONDS);
            out.putShort((short) 4);
            out.putInt(BridgeNetwork.toInt(ip));
        }
        return out.array();
    }

    /** Relays the query to {@code upstreams} in turn; SERVFAIL when none answers. */
    private static byte[] forward(byte[] query, int questionEnd, List<InetSocketAddress> upstreams) {
        for (var upstream : upstreams) {
            try (var s = new DatagramSocket()) {
                s.setSoTimeout(UPSTREAM_TIMEOUT_MS);
                s.send(new DatagramPacket(query, query.length, upstream));
                byte[] buf = new byte[4096];
                var p = new DatagramPacket(buf, buf.length);
                while (true) {
                    s.receive(p);
                    if (p.getLength() >= 12 && buf[0] == query[0] && buf[1] == query[1]) return Arrays.copyOf(buf, p.getLength());
                }
            } catch (SocketTimeoutException e) {
                log.debug("dns upstream {} did not answer", upstream);
            } catch (IOException e) {
                log.debug("dns upstream {}: {}", upstream, e.getMessage());
            }
        }
        return error(query, questionEnd, 2);
    }

    /** Relays the query to {@code upstreams} in turn over TCP; SERVFAIL when none answers. */
    private static byte[] forwardTcp(byte[] query, int questionEnd, List<InetSocketAddress> upstreams) {
        for (var upstream : upstreams) {
            try (var s = new Socket()) {
                s.connect(upstream, UPSTREAM_TIMEOUT_MS);
                s.setSoTimeout(UPSTREAM_TIMEOUT_MS);
                var out = new DataOutputStream(s.getOutputStream());
                out.writeShort(query.length);
                out.write(query);
                out.flush();
                var in = new DataInputStream(s.getInputStream());
                int length = in.readUnsignedShort();
                byte[] reply = in.readNBytes(length);
                if (reply.length == length && length >= 12 && reply[0] == query[0] && reply[1] == query[1]) return reply;
            } catch (IOException e) {
                log.debug("dns upstream {} over tcp: {}", upstream, e.getMessage());
            }
        }
        return error(query, questionEnd, 2);
    }

    /** A reply with {@code rcode} and the question echoed ({@code questionEnd} -1: without it). */
    private static byte[] error(byte[] query, int questionEnd, int rcode) {
        int len = questionEnd < 0 ? 12 : questionEnd;
        var out = ByteBuffer.allocate(len);
        out.put(query, 0, len);
        int flags = ((query[2] & 0xff) << 8 | (query[3] & 0xff));
        out.putShort(2, (short) (0x8000 | (flags & 0x7900) | 0x0080 | rcode));
        out.putShort(4, (short) (questionEnd < 0 ? 0 : 1));
        out.putShort(6, (short) 0);
        out.putShort(8, (short) 0);
        out.putShort(10, (short) 0);
        return out.array();
    }

    @Override
    public void close() {
        socket.close();
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException e) {
                log.debug("dns tcp close: {}", e.getMessage());
            }
        }
    }
}
