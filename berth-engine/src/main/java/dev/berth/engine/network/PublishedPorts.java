package dev.berth.engine.network;

import dev.berth.common.AtomicFiles;
import dev.berth.common.EngineException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
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
 * Published ports ({@code -p}, {@code -P}) of containers on bridge networks, as dockerd publishes them: iptables
 * rules DNAT the host port to the container ({@link PortNat}), and a userland proxy in the daemon (dockerd's
 * docker-proxy, {@link UserlandProxy}) serves the clients NAT does not: loopback ones by default, none with
 * {@code userland-proxy: false} (NAT serves loopback too), all with {@code iptables: false}. Either way the daemon
 * holds a socket on every host port it publishes, so a port in use is refused when the container starts ("port is
 * already allocated"), before the container runs, and another program cannot take it meanwhile.
 *
 * <p>The bindings asked for at create are kept in {@code <dir>/<id>} (one line per binding, written atomically); the
 * sockets and rules live while the container runs and are set up again by the next daemon for the containers that
 * still run. The host ports the bindings got are kept in {@code <dir>/<id>.served} while the container runs, so that a
 * daemon killed and started again serves them on the same ports (as dockerd's docker-proxy keeps them); a new start of
 * the container gets new ones, as with dockerd.
 */
public final class PublishedPorts {
    private static final Logger log = LoggerFactory.getLogger(PublishedPorts.class);

    /**
     * A binding as asked for: hostPort 0 means an ephemeral port, a hostPortEnd above hostPort the first free port of
     * that range, hostIp "" all of the host's addresses.
     */
    public record Binding(int containerPort, String proto, String hostIp, int hostPort, int hostPortEnd) {
        public Binding(int containerPort, String proto, String hostIp, int hostPort) {
            this(containerPort, proto, hostIp, hostPort, hostPort);
        }

        public String key() { return containerPort + "/" + proto; }

        /** The host port as the API shows it: "", "8080" or "8000-8010". */
        public String hostPorts() {
            return hostPort == 0 ? "" : hostPortEnd > hostPort ? hostPort + "-" + hostPortEnd : Integer.toString(hostPort);
        }
    }

    /** A binding as served: the host address and port actually held. */
    public record Active(Binding binding, String hostIp, int hostPort) {}

    /** A held host port: its socket, and the proxy relaying on it (null when NAT serves every client). */
    private record Held(Active active, java.io.Closeable socket, UserlandProxy.Relay relay) {}

    private static final String SERVED = ".served";

    private final Path dir;
    private final PortNat nat;
    private final ConcurrentHashMap<String, List<Held>> open = new ConcurrentHashMap<>();

    /** Ports served by the userland proxy alone (iptables off). */
    public PublishedPorts(Path dir) throws IOException {
        this(dir, null);
    }

    /** Ports published by {@code nat}'s rules, with the userland proxy for what they leave; {@code nat} null: the proxy alone. */
    public PublishedPorts(Path dir, PortNat nat) throws IOException {
        this.dir = dir;
        this.nat = nat;
        Files.createDirectories(dir);
        AtomicFiles.sweepTemporaries(dir);
    }

    /** Records the bindings of a new container (nothing is written for none). */
    public void save(String id, List<Binding> bindings) {
        if (bindings.isEmpty()) return;
        var sb = new StringBuilder();
        for (var b : bindings) sb.append(b.containerPort()).append(' ').append(b.proto()).append(' ')
                .append(b.hostIp().isEmpty() ? "-" : b.hostIp()).append(' ').append(b.hostPort() == 0 ? "0" : b.hostPorts()).append('\n');
        AtomicFiles.write(dir.resolve(id), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The bindings asked for at create. */
    public List<Binding> requested(String id) {
        try {
            var out = new ArrayList<Binding>();
            for (String line : Files.readAllLines(dir.resolve(id))) {
                String[] f = line.trim().split(" ");
                if (f.length != 4) continue;
                String[] ports = f[3].split("-", 2);
                int from = Integer.parseInt(ports[0]);
                out.add(new Binding(Integer.parseInt(f[0]), f[1], "-".equals(f[2]) ? "" : f[2], from,
                        ports.length == 2 ? Integer.parseInt(ports[1]) : from));
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
        return o == null ? List.of() : o.stream().map(Held::active).toList();
    }

    /**
     * Publishes every binding of the container to {@code target}: holds each host port, relays on it where the proxy
     * serves, and sets the NAT rules. All or nothing: when one port cannot be had the others are freed again and the
     * error names the port. A binding gets the port it was served on before, if the container's run has one recorded
     * (a daemon picking up a running container).
     */
    public void open(String id, PortNat.Target target) {
        var bindings = requested(id);
        if (bindings.isEmpty()) return;
        List<Integer> before = served(id);
        closeSockets(id);
        var held = new ArrayList<Held>();
        try {
            for (int i = 0; i < bindings.size(); i++) {
                var b = bindings.get(i);
                held.add(hold(b, i < before.size() ? before.get(i) : 0, new InetSocketAddress(target.ip(), b.containerPort())));
            }
            var sb = new StringBuilder();
            for (var h : held) sb.append(h.active().hostPort()).append('\n');
            AtomicFiles.write(dir.resolve(id + SERVED), sb.toString().getBytes(StandardCharsets.UTF_8));
            if (nat != null) {
                nat.publish(id, target, held.stream().map(h -> new PortNat.Forward(h.active().binding().proto(),
                        h.active().binding().hostIp(), h.active().hostPort(), h.active().binding().containerPort())).toList());
            }
        } catch (IOException | RuntimeException e) {
            held.forEach(PublishedPorts::free);
            if (e instanceof EngineException ee) throw ee;
            throw EngineException.failure("publishing ports: %s", e.getMessage());
        }
        open.put(id, List.copyOf(held));
    }

    /** Takes the host port of a binding: the one served before if still free, else the first free one asked for. */
    private Held hold(Binding b, int before, InetSocketAddress target) {
        String ip = b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp();
        var candidates = new ArrayList<Integer>();
        if (before > 0) candidates.add(before);
        for (int p = b.hostPort(); p <= b.hostPortEnd(); p++) if (p == 0 || p != before) candidates.add(p);
        IOException last = null;
        for (int port : candidates) {
            try {
                return bind(b, ip, port, target);
            } catch (IOException e) {
                if (port == before) log.warn("port {}:{} served before is taken now; publishing on another", ip, port);
                last = e;
            }
        }
        throw EngineException.failure("driver failed programming external connectivity on endpoint: "
                + "Bind for %s:%s failed: port is already allocated (%s)", ip, b.hostPort() == 0 ? "0" : b.hostPorts(),
                last == null ? "no port" : last.getMessage());
    }

    /**
     * Holds {@code port} (0: an ephemeral one) with a socket that relays to {@code target} when the proxy serves, or
     * that is only bound, never listening, when NAT serves every client (as dockerd holds ports then).
     */
    private Held bind(Binding b, String ip, int port, InetSocketAddress target) throws IOException {
        var address = new InetSocketAddress(ip, port);
        boolean relay = nat == null || !nat.natLoopback();
        if ("udp".equals(b.proto())) {
            var socket = new DatagramSocket(address);
            var active = new Active(b, ip, socket.getLocalPort());
            return new Held(active, socket, relay ? UserlandProxy.udp(socket, target) : null);
        }
        if (!relay) {
            var channel = SocketChannel.open();
            try {
                channel.bind(address);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new Held(new Active(b, ip, ((InetSocketAddress) channel.getLocalAddress()).getPort()), channel, null);
        }
        var server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(address, 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new Held(new Active(b, ip, server.getLocalPort()), server, UserlandProxy.tcp(server, target));
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

    /** Stops publishing the container's ports: its run is over, and the next gets new ephemeral ones. Idempotent. */
    public void close(String id) {
        if (nat != null && (open.containsKey(id) || Files.exists(dir.resolve(id + SERVED)))) nat.unpublish(id);
        closeSockets(id);
        delete(dir.resolve(id + SERVED), id);
    }

    /** Frees the container's host ports, leaving its records and rules (also what a daemon's death does). */
    void closeSockets(String id) {
        var o = open.remove(id);
        if (o != null) o.forEach(PublishedPorts::free);
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
        for (String id : recorded()) if (!containerIds.contains(id)) forget(id);
    }

    /**
     * After a daemon start, before the running containers are published again: forgets what the runs of the others
     * held (they ended while no daemon ran): their served ports and their rules.
     */
    public void retainRunning(java.util.Set<String> running) {
        for (String id : recorded()) if (!running.contains(id)) delete(dir.resolve(id + SERVED), id);
        if (nat != null) nat.retainOnly(running);
    }

    /** The containers with records here. */
    private java.util.Set<String> recorded() {
        var ids = new java.util.TreeSet<String>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.startsWith(AtomicFiles.TEMP_PREFIX)) ids.add(name.endsWith(SERVED) ? name.substring(0, name.length() - SERVED.length()) : name);
            }
        } catch (IOException e) {
            log.warn("reading {}: {}", dir, e.getMessage());
        }
        return ids;
    }

    private static void free(Held h) {
        if (h.relay() != null) {
            h.relay().close();
            return;
        }
        try {
            h.socket().close();
        } catch (IOException e) {
            log.warn("freeing port {}: {}", h.active().hostPort(), e.getMessage());
        }
    }
}
