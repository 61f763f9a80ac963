package dev.berth.engine.network;

import dev.berth.common.AtomicFiles;
import dev.berth.common.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Published ports ({@code -p}, {@code -P}) of containers on the default bridge, served by a userland proxy in the
 * daemon (as dockerd's docker-proxy): a listening socket per binding on the host's address, each connection copied
 * both ways to the container's address. Being a real socket it answers on the host's loopback and on its other
 * addresses alike, and a port in use is refused when the container starts ("port is already allocated"), before
 * the container runs. The bindings asked for at create are kept in {@code <dir>/<id>} (one line per binding,
 * written atomically); the sockets live while the container runs and are opened again by the next daemon for the
 * containers that still run. The host ports an ephemeral binding got are kept in {@code <dir>/<id>.served} while the
 * container runs, so that a daemon killed and started again serves them on the same ports (as dockerd's
 * docker-proxy keeps them); a new start of the container gets new ones, as with dockerd. TCP only for now.
 */
public final class PublishedPorts {
    private static final Logger log = LoggerFactory.getLogger(PublishedPorts.class);

    /** A binding as asked for: hostPort 0 means an ephemeral port, hostIp "" all of the host's addresses. */
    public record Binding(int containerPort, String proto, String hostIp, int hostPort) {
        public String key() { return containerPort + "/" + proto; }
    }

    /** A binding as served: the host address and port actually listened on. */
    public record Active(Binding binding, String hostIp, int hostPort) {}

    /** A served binding: its listening socket and the (virtual) thread that accepts on it. */
    private record Open(Active active, ServerSocket socket, Thread acceptor) {}

    private static final String SERVED = ".served";

    private final Path dir;
    private final ConcurrentHashMap<String, List<Open>> open = new ConcurrentHashMap<>();

    public PublishedPorts(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        AtomicFiles.sweepTemporaries(dir);
    }

    /** Records the bindings of a new container (nothing is written for none). */
    public void save(String id, List<Binding> bindings) {
        if (bindings.isEmpty()) return;
        var sb = new StringBuilder();
        for (var b : bindings) sb.append(b.containerPort()).append(' ').append(b.proto()).append(' ')
                .append(b.hostIp().isEmpty() ? "-" : b.hostIp()).append(' ').append(b.hostPort()).append('\n');
        AtomicFiles.write(dir.resolve(id), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The bindings asked for at create. */
    public List<Binding> requested(String id) {
        try {
            var out = new ArrayList<Binding>();
            for (String line : Files.readAllLines(dir.resolve(id))) {
                String[] f = line.trim().split(" ");
                if (f.length != 4) continue;
                out.add(new Binding(Integer.parseInt(f[0]), f[1], "-".equals(f[2]) ? "" : f[2], Integer.parseInt(f[3])));
            }
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What is served now for the container; empty when it does not run. */
    public List<Active> active(String id) {
        var o = open.get(id);
        return o == null ? List.of() : o.stream().map(Open::active).toList();
    }

    /**
     * Listens on every binding of the container and forwards to {@code containerIp}. All or nothing: when one port
     * cannot be had the others are closed again and the error names the port. An ephemeral binding gets the port it
     * was served on before, if the container's run has one recorded (a daemon picking up a running container).
     */
    public void open(String id, String containerIp) {
        var bindings = requested(id);
        if (bindings.isEmpty()) return;
        List<Integer> before = served(id);
        closeSockets(id);
        var opened = new ArrayList<Open>();
        try {
            for (int i = 0; i < bindings.size(); i++) {
                var b = bindings.get(i);
                String ip = b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp();
                int again = b.hostPort() == 0 && i < before.size() ? before.get(i) : 0;
                ServerSocket server;
                try {
                    server = listen(ip, again, b.hostPort());
                } catch (IOException e) {
                    throw EngineException.failure("driver failed programming external connectivity on endpoint: "
                            + "Bind for %s:%d failed: port is already allocated (%s)", ip, b.hostPort(), e.getMessage());
                }
                var target = new InetSocketAddress(containerIp, b.containerPort());
                var acceptor = Thread.ofVirtual().name("port-" + server.getLocalPort()).start(() -> accept(server, target));
                opened.add(new Open(new Active(b, ip, server.getLocalPort()), server, acceptor));
            }
            if (bindings.stream().anyMatch(b -> b.hostPort() == 0)) {
                var sb = new StringBuilder();
                for (var o : opened) sb.append(o.active().hostPort()).append('\n');
                AtomicFiles.write(dir.resolve(id + SERVED), sb.toString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            opened.forEach(PublishedPorts::closeQuietly);
            if (e instanceof EngineException ee) throw ee;
            throw EngineException.failure("publishing ports: %s", e.getMessage());
        }
        open.put(id, List.copyOf(opened));
    }

    /**
     * Listens on {@code again}, the port served before, when there is one and it is still free, else on
     * {@code asked} (0: an ephemeral port). Another program may have taken the old port while no daemon served it.
     */
    private static ServerSocket listen(String ip, int again, int asked) throws IOException {
        if (again > 0) {
            try {
                return listen(ip, again);
            } catch (IOException taken) {
                log.warn("port {}:{} served before is taken now; publishing on a new one", ip, again);
            }
        }
        return listen(ip, asked);
    }

    private static ServerSocket listen(String ip, int port) throws IOException {
        var server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(ip, port), 128);
            return server;
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    /** The host ports served in the container's current run, in the order of its bindings; empty if none. */
    private List<Integer> served(String id) {
        try {
            return Files.readAllLines(dir.resolve(id + SERVED)).stream().map(String::trim).filter(l -> l.matches("\\d+"))
                    .map(Integer::parseInt).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            log.warn("reading the served ports of {}: {}", id, e.getMessage());
            return List.of();
        }
    }

    /** Stops serving the container's ports: its run is over, and the next gets new ephemeral ones. Idempotent. */
    public void close(String id) {
        closeSockets(id);
        delete(dir.resolve(id + SERVED), id);
    }

    /** Closes the container's listening sockets, leaving its records (also what a daemon's death does). */
    void closeSockets(String id) {
        var o = open.remove(id);
        if (o != null) o.forEach(PublishedPorts::closeQuietly);
    }

    /** Forgets a removed container's bindings. */
    public void forget(String id) {
        close(id);
        delete(dir.resolve(id), id);
    }

    private static void delete(Path file, String id) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("forgetting the ports of {}: {}", id, e.getMessage());
        }
    }

    /** Drops the bindings of containers that do not exist (a create cut short before its record was written). */
    public void retainOnly(java.util.Set<String> containerIds) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                String id = name.endsWith(SERVED) ? name.substring(0, name.length() - SERVED.length()) : name;
                if (!name.startsWith(AtomicFiles.TEMP_PREFIX) && !containerIds.contains(id)) forget(id);
            }
        } catch (IOException e) {
            log.warn("reading {}: {}", dir, e.getMessage());
        }
    }

    private static void accept(ServerSocket server, InetSocketAddress target) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> relay(client, target));
        }
    }

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
            in.transferTo(out);
            out.flush();
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // both ends go
            }
        }
    }

    /**
     * Closes the socket and waits for its acceptor to end: a socket closed while a virtual thread waits in its accept
     * keeps the port until that thread has woken up, and a start right after a stop (restart) binds the same port.
     */
    private static void closeQuietly(Open o) {
        try {
            o.socket().close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            if (!o.acceptor().join(java.time.Duration.ofSeconds(5))) log.warn("port {} not released within 5 s", o.active().hostPort());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
