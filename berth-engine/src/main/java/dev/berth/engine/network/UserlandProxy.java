package dev.berth.engine.network;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dockerd's docker-proxy in the daemon: copies what reaches a published host port to the container, for the clients
 * NAT does not serve (loopback ones, or all when iptables is off). Each relay runs on virtual threads; closing it
 * stops accepting and frees the port before {@link Relay#close} returns, so a restart can bind it again at once.
 */
final class UserlandProxy {
    private static final Logger log = LoggerFactory.getLogger(UserlandProxy.class);
    /** A UDP client silent for this long is forgotten (conntrack's default UDP stream time-out is 120 s). */
    private static final Duration UDP_IDLE = Duration.ofSeconds(90);

    private UserlandProxy() {}

    /** A running relay; {@link #close} ends it. */
    interface Relay extends Closeable {
        @Override
        void close();
    }

    /** Relays the connections accepted on {@code server} to {@code target}. */
    static Relay tcp(ServerSocket server, InetSocketAddress target) {
        Thread acceptor = Thread.ofVirtual().name("port-tcp-" + server.getLocalPort()).start(() -> {
            while (!server.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return; // closed
                }
                Thread.ofVirtual().start(() -> relay(client, target));
            }
        });
        return () -> {
            closeQuietly(server);
            join(acceptor, server.getLocalPort());
        };
    }

    /**
     * Relays datagrams received on {@code socket} to {@code target}, each client through a socket of its own so the
     * container's replies find their way back to it.
     */
    static Relay udp(DatagramSocket socket, InetSocketAddress target) {
        var clients = new ConcurrentHashMap<SocketAddress, DatagramSocket>();
        Thread receiver = Thread.ofVirtual().name("port-udp-" + socket.getLocalPort()).start(() -> {
            var buf = new byte[65535];
            while (!socket.isClosed()) {
                var packet = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(packet);
                    SocketAddress from = packet.getSocketAddress();
                    DatagramSocket upstream = clients.computeIfAbsent(from, f -> upstream(socket, f, target, clients));
                    if (upstream != null) upstream.send(new DatagramPacket(packet.getData(), packet.getLength()));
                } catch (IOException e) {
                    if (!socket.isClosed()) log.debug("udp proxy to {}: {}", target, e.getMessage());
                }
            }
        });
        return () -> {
            socket.close();
            clients.values().forEach(DatagramSocket::close);
            join(receiver, socket.getLocalPort());
        };
    }

    /** A socket connected to the container for one UDP client, and the thread that sends its replies back. */
    private static DatagramSocket upstream(DatagramSocket server, SocketAddress client, InetSocketAddress target,
                                           ConcurrentHashMap<SocketAddress, DatagramSocket> clients) {
        try {
            var up = new DatagramSocket();
            up.connect(target);
            up.setSoTimeout((int) UDP_IDLE.toMillis());
            Thread.ofVirtual().start(() -> {
                var buf = new byte[65535];
                try (up) {
                    while (true) {
                        var reply = new DatagramPacket(buf, buf.length);
                        up.receive(reply);
                        server.send(new DatagramPacket(reply.getData(), reply.getLength(), client));
                    }
                } catch (SocketTimeoutException idle) {
                    // forgotten below
                } catch (IOException e) {
                    if (!server.isClosed()) log.debug("udp proxy reply to {}: {}", client, e.getMessage());
                } finally {
                    clients.remove(client, up);
                }
            });
            return up;
        } catch (IOException e) {
            log.debug("udp proxy to {}: {}", target, e.getMessage());
            return null;
        }
    }

    /** Bytes a TCP relay moves per system call, each way: 128 KiB of heap per open connection. */
    private static final int RELAY_BUFFER = 64 * 1024;

    private static void relay(Socket client, InetSocketAddress target) {
        try (client; var upstream = new Socket()) {
            upstream.connect(target, 5000);
            var back = Thread.ofVirtual().start(() -> pump(upstream, client));
            pump(client, upstream);
            back.join();
        } catch (IOException e) {
            log.debug("port proxy to {}: {}", target, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            // Larger than transferTo's 16 KiB: a bulk transfer takes a quarter of the system calls (bench scenario n).
            byte[] buf = new byte[RELAY_BUFFER];
            for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
            out.flush();
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * Waits for the thread serving a closed socket to end: a socket closed while a virtual thread waits in it keeps
     * the port until that thread has woken up, and a start right after a stop (restart) binds the same port.
     */
    private static void join(Thread t, int port) {
        try {
            if (!t.join(Duration.ofSeconds(5))) log.warn("port {} not released within 5 s", port);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
