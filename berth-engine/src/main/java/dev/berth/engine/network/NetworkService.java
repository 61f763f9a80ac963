package dev.berth.engine.network;

import static dev.berth.engine.network.HostCommands.must;
import static dev.berth.engine.network.HostCommands.run;

import dev.berth.common.EngineException;
import dev.berth.common.Ids;
import dev.berth.engine.events.EventBus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User-defined bridge networks: create, remove, connect and disconnect, and what a container start needs from them
 * (addresses, interfaces, a name server). Each network is a {@link Network} record, its own Linux bridge with the
 * gateway address, its rules in {@link NetworkFirewall}, leases in a {@link BridgeNetwork} and a {@link DnsServer}
 * on the gateway that answers for the network's containers.
 *
 * <p>A create writes a pending record first, then sets up the host, then commits the record: a crash part-way is
 * undone at the next start ({@link #restore}), a failure at once. A remove takes the host side down, then deletes the
 * record. Methods are synchronized: network changes are rare and short.
 */
public final class NetworkService {
    private static final Logger log = LoggerFactory.getLogger(NetworkService.class);
    private static final Set<String> BUILT_IN = Set.of("bridge", "host", "none", "default");
    private static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";
    private static final Pattern ETH = Pattern.compile("^\\d+: (eth\\d+)[@:]", Pattern.MULTILINE);

    /**
     * What the network code needs of a container; {@code pid} is 0 while it does not run, {@code dns} its
     * {@code --dns} servers (empty: the host's).
     */
    public record ContainerRef(String id, String name, String networkMode, int pid, List<String> dns) {}

    /** {@code POST /networks/create} in engine terms; nulls and empties mean "pick one" or "none". */
    public record CreateRequest(String name, String driver, String subnet, String gateway, String ipRange,
                                boolean internal, boolean attachable, Map<String, String> labels,
                                Map<String, String> options) {}

    /** A container's place on one network; the lease only while it runs. */
    public record Attachment(Network network, Network.Endpoint endpoint, BridgeNetwork.Lease lease) {}

    /** What a start needs: the container's address on its first network and the name server to use. */
    public record Joined(String ip, String nameserver) {}

    private final NetworkStore store;
    private final Path leasesRoot;
    private final Path dataRoot;
    private final EventBus events;
    private final NetworkFirewall firewall = new NetworkFirewall();
    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final Map<String, BridgeNetwork> bridges = new HashMap<>();
    private final Map<String, DnsServer> dns = new HashMap<>();
    private final List<Subnet> reserved = new ArrayList<>(List.of(DefaultBridge.DOCKER0));
    private final AtomicLong rotation = new AtomicLong();
    private volatile Function<String, ContainerRef> containers = id -> {
        throw EngineException.notFound("No such container: %s", id);
    };

    /**
     * Records under {@code root}, leases under {@code leasesRoot/<bridge>}; {@code defaultBridge} (may be null) is
     * kept apart from the networks: its subnet is never picked and traffic between it and them is dropped. Networks
     * created without a subnet take theirs from {@code pools}.
     */
    public NetworkService(Path root, Path leasesRoot, Path dataRoot, EventBus events, BridgeNetwork defaultBridge,
                          AddressPools pools) {
        this.store = new NetworkStore(root);
        this.pools = pools;
        this.leasesRoot = leasesRoot;
        this.dataRoot = dataRoot;
        this.events = events;
        if (defaultBridge != null) reserved.add(Subnet.parse(defaultBridge.subnet()));
        this.defaultBridge = defaultBridge == null ? null : defaultBridge.bridgeName();
    }

    private final String defaultBridge;
    private final AddressPools pools;

    /** The subnets of the networks recorded under {@code root}, for choosing the default bridge's before they are set up. */
    public static List<Subnet> recordedSubnets(Path root) {
        return new NetworkStore(root).loadAll().stream().map(n -> Subnet.parse(n.subnet())).toList();
    }

    /** How names and ids of containers are looked up (a NotFound for an unknown one). */
    public void containers(Function<String, ContainerRef> lookup) {
        this.containers = lookup;
    }

    // ---- start-up ------------------------------------------------------------------------------------------

    /**
     * At daemon start: undoes creates a crash cut short, sets up every network's bridge and rules where missing,
     * releases leases of containers that do not run, and starts the name servers.
     */
    public synchronized void restore(Set<String> running) {
        try {
            firewall.setUpChains();
            if (defaultBridge != null) firewall.isolate(defaultBridge);
        } catch (IOException e) {
            log.error("iptables chains for networks: {}", e.getMessage());
        }
        for (Network n : store.pending()) {
            log.info("undoing the interrupted create of network {}", n.name());
            tearDownHost(n);
            store.delete(n.id());
        }
        for (Network n : store.loadAll()) {
            try {
                setUpHost(n);
            } catch (IOException | RuntimeException e) {
                log.error("setting up network {} again: {}", n.name(), e.getMessage());
            }
            var b = bridgeOf(n);
            b.reconcile(running);
            networks.put(n.id(), n);
            bridges.put(n.id(), b);
            startDns(n);
        }
    }

    /** Forgets the endpoints of containers that no longer exist (removed while the daemon was down). */
    public synchronized void retainOnly(Set<String> containerIds) {
        for (Network n : networks.values()) {
            for (var e : store.endpointsOf(n.id())) {
                if (!containerIds.contains(e.containerId())) store.deleteEndpoint(n.id(), e.containerId());
            }
        }
    }

    // ---- queries -------------------------------------------------------------------------------------------

    public synchronized List<Network> list() {
        return List.copyOf(networks.values());
    }

    /** A network by full id, name, or unique id prefix, as dockerd resolves them. */
    public synchronized Network find(String idOrName) {
        return lookup(idOrName).orElseThrow(() -> EngineException.notFound("network %s not found", idOrName));
    }

    /** Whether {@code idOrName} names a user-defined network. */
    public synchronized boolean exists(String idOrName) {
        return lookup(idOrName).isPresent();
    }

    private Optional<Network> lookup(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) return Optional.empty();
        Network byId = networks.get(idOrName);
        if (byId != null) return Optional.of(byId);
        for (Network n : networks.values()) if (n.name().equals(idOrName)) return Optional.of(n);
        var prefixed = networks.values().stream().filter(n -> n.id().startsWith(idOrName)).toList();
        if (prefixed.size() > 1) throw EngineException.notFound("network %s is ambiguous (%d matches found based on ID prefix)", idOrName, prefixed.size());
        return prefixed.stream().findFirst();
    }

    /** The running members of {@code n}, in lease order. */
    public synchronized List<Network.Member> members(Network n) {
        var b = bridges.get(n.id());
        if (b == null) return List.of();
        var out = new ArrayList<Network.Member>();
        for (var lease : b.held()) {
            var ref = ref(lease.containerId());
            if (ref.isEmpty()) continue;
            var ep = endpoint(n.id(), lease.containerId());
            out.add(new Network.Member(lease.containerId(), ref.get().name(), lease, ep.map(Network.Endpoint::aliases).orElse(List.of())));
        }
        return out;
    }

    /** The networks {@code containerId} belongs to, in the order it joined them. */
    public synchronized List<Attachment> attachments(String containerId) {
        var out = new ArrayList<Attachment>();
        for (Network n : networks.values()) {
            var ep = endpoint(n.id(), containerId);
            if (ep.isEmpty()) continue;
            out.add(new Attachment(n, ep.get(), bridges.get(n.id()).leaseOf(containerId).orElse(null)));
        }
        out.sort(java.util.Comparator.comparingLong(a -> a.endpoint().order()));
        return out;
    }

    /** The names a container answers to on a network: its name, its aliases, its short id. */
    public static List<String> dnsNames(String containerName, String containerId, List<String> aliases) {
        var out = new ArrayList<String>();
        out.add(containerName);
        for (String a : aliases) if (!out.contains(a)) out.add(a);
        out.add(Ids.shortId(containerId));
        return out;
    }

    /** A stable endpoint id for a container on a network. */
    public static String endpointId(String networkId, String containerId) {
        try {
            var d = MessageDigest.getInstance("SHA-256").digest((networkId + "/" + containerId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- create and remove ---------------------------------------------------------------------------------

    public synchronized Network create(CreateRequest r) {
        String name = r.name() == null ? "" : r.name().strip();
        if (name.isEmpty()) throw EngineException.invalid("network name is required");
        String driver = r.driver() == null || r.driver().isEmpty() ? "bridge" : r.driver();
        if (!driver.equals("bridge")) throw EngineException.notFound("plugin \"%s\" not found", driver);
        if (BUILT_IN.contains(name) || networks.values().stream().anyMatch(n -> n.name().equals(name))) {
            throw EngineException.conflict("network with name %s already exists", name);
        }
        Subnet subnet = r.subnet() == null || r.subnet().isEmpty() ? pickSubnet() : checkSubnet(r.subnet());
        String gateway = checkGateway(subnet, r.gateway());
        String range = null;
        if (r.ipRange() != null && !r.ipRange().isEmpty()) {
            Subnet ipRange = parse(r.ipRange());
            if (!subnet.contains(ipRange)) {
                throw EngineException.invalid("invalid network config:\nparent subnet %s does not contain ip-range %s", subnet, r.ipRange());
            }
            range = ipRange.toString();
        }
        String id = Ids.random();
        var options = r.options() == null ? Map.<String, String>of() : r.options();
        String bridge = options.getOrDefault(BRIDGE_NAME_OPTION, "br-" + id.substring(0, 12));
        if (bridge.length() > 15 || !bridge.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw EngineException.invalid("invalid bridge name %s: at most 15 letters, digits, '_', '.' or '-'", bridge);
        }
        if (networks.values().stream().anyMatch(n -> n.bridge().equals(bridge)) || linkExists(bridge)) {
            throw EngineException.conflict("bridge name %s is already in use", bridge);
        }
        var n = new Network(id, name, driver, Instant.now().toString(), subnet.toString(), gateway, range,
                r.internal(), r.attachable(), r.labels(), options, bridge);
        store.savePending(n);
        try {
            setUpHost(n);
        } catch (IOException | RuntimeException e) {
            tearDownHost(n);
            store.delete(n.id());
            throw EngineException.failure("failed to create network %s: %s", name, e.getMessage());
        }
        store.commit(n);
        networks.put(id, n);
        bridges.put(id, bridgeOf(n));
        startDns(n);
        events.publish("network", "create", id, Map.of("name", name, "type", driver));
        return n;
    }

    /** Removes a network no running container is on; its stopped containers lose their membership. */
    public synchronized void remove(String idOrName) {
        if (BUILT_IN.contains(idOrName)) throw EngineException.forbidden("%s is a pre-defined network and cannot be removed", idOrName);
        Network n = find(idOrName);
        var held = bridges.get(n.id()).held();
        if (!held.isEmpty()) {
            var names = held.stream().map(l -> ref(l.containerId()).map(ContainerRef::name).orElse(Ids.shortId(l.containerId()))).toList();
            throw EngineException.conflict("error while removing network: network %s has active endpoints (%s)", n.name(), String.join(", ", names));
        }
        var server = dns.remove(n.id());
        if (server != null) server.close();
        tearDownHost(n);
        store.delete(n.id());
        networks.remove(n.id());
        bridges.remove(n.id());
        events.publish("network", "destroy", n.id(), Map.of("name", n.name(), "type", n.driver()));
    }

    /** Removes the networks that {@code select} picks and no running container is on; their names. */
    public synchronized List<String> prune(Predicate<Network> select) {
        var removed = new ArrayList<String>();
        for (Network n : List.copyOf(networks.values())) {
            if (!select.test(n) || !bridges.get(n.id()).held().isEmpty()) continue;
            remove(n.id());
            removed.add(n.name());
        }
        return removed;
    }

    // ---- connect and disconnect ----------------------------------------------------------------------------

    /** Connects a container, running or not, to a network; {@code ip} null lets the network pick its address. */
    public synchronized void connect(String network, String container, List<String> aliases, String ip) {
        Network n = findForEndpoint(network);
        ContainerRef c = containers.apply(container);
        String mode = c.networkMode() == null ? "" : c.networkMode();
        if (mode.equals("host") || mode.startsWith("container:")) {
            throw EngineException.forbidden("container sharing network namespace with another container or host cannot be connected to any other network");
        }
        if (mode.equals("none")) {
            throw EngineException.forbidden("container cannot be connected to multiple networks with one of the networks in private (none) mode");
        }
        if (endpoint(n.id(), c.id()).isPresent()) {
            throw EngineException.forbidden("endpoint with name %s already exists in network %s", c.name(), n.name());
        }
        checkAddress(n, ip);
        var ep = new Network.Endpoint(c.id(), aliases, ip == null || ip.isEmpty() ? null : ip, System.currentTimeMillis());
        store.saveEndpoint(n.id(), ep);
        if (c.pid() > 0) {
            var b = bridges.get(n.id());
            try {
                var lease = b.lease(c.id(), ep.ipv4Address());
                b.plumb(lease, c.pid(), nextInterface(c.pid()), false);
            } catch (IOException | RuntimeException e) {
                b.release(c.id());
                store.deleteEndpoint(n.id(), c.id());
                if (e instanceof EngineException ee) throw ee;
                throw EngineException.failure("failed to connect %s to network %s: %s", c.name(), n.name(), e.getMessage());
            }
        }
        publish("connect", n, c.id());
    }

    public synchronized void disconnect(String network, String container, boolean force) {
        Network n = findForEndpoint(network);
        ContainerRef c;
        try {
            c = containers.apply(container);
        } catch (EngineException.NotFound e) {
            // With force, an endpoint of a container that is gone can be removed by its id, as with dockerd.
            if (!force || endpoint(n.id(), container).isEmpty()) throw e;
            c = new ContainerRef(container, container, "", 0, List.of());
        }
        if (endpoint(n.id(), c.id()).isEmpty()) {
            throw EngineException.forbidden("container %s is not connected to network %s", c.name(), n.name());
        }
        bridges.get(n.id()).release(c.id());
        store.deleteEndpoint(n.id(), c.id());
        publish("disconnect", n, c.id());
    }

    private Network findForEndpoint(String network) {
        if (BUILT_IN.contains(network)) {
            throw EngineException.invalid("connecting to or disconnecting from the built-in network %s is not supported yet", network);
        }
        return find(network);
    }

    // ---- what a container start needs ----------------------------------------------------------------------

    /**
     * The network settings a create records: the container's endpoint on {@code network} with its aliases and
     * address, {@code order} 0 for the network of its network mode. Nothing is recorded for a network that does not
     * exist (yet); the start checks again.
     */
    public synchronized void recordEndpoint(String containerId, String network, List<String> aliases, String ip, long order) {
        var n = lookup(network);
        if (n.isEmpty()) return;
        store.saveEndpoint(n.get().id(), new Network.Endpoint(containerId, aliases, ip == null || ip.isEmpty() ? null : ip, order));
    }

    /**
     * The create-time checks of a container's network settings, as dockerd makes them: an address and aliases only
     * on a user-defined network, and an address inside its subnet.
     */
    public synchronized void checkEndpoint(String network, List<String> aliases, String ip) {
        boolean custom = lookup(network).isPresent();
        if (ip != null && !ip.isEmpty()) {
            if (!custom) throw EngineException.invalid("user specified IP address is supported on user defined networks only");
            checkAddress(lookup(network).get(), ip);
        }
        if (aliases != null && !aliases.isEmpty() && !custom) {
            throw EngineException.invalid("network-scoped alias is supported only for containers in user defined networks");
        }
    }

    /**
     * Leases the container's addresses on all its networks (joining the one of its network mode when not yet on
     * it); on failure none is left. Null when it is on no user-defined network.
     */
    public synchronized Joined join(String containerId, String mode) throws IOException {
        var primary = lookup(mode);
        if (primary.isPresent() && endpoint(primary.get().id(), containerId).isEmpty()) {
            store.saveEndpoint(primary.get().id(), new Network.Endpoint(containerId, List.of(), null, 0));
        }
        var first = (Attachment) null;
        try {
            for (var a : attachments(containerId)) {
                var lease = bridges.get(a.network().id()).lease(containerId, a.endpoint().ipv4Address());
                if (first == null) first = new Attachment(a.network(), a.endpoint(), lease);
            }
        } catch (IOException | RuntimeException e) {
            release(containerId);
            throw e;
        }
        return first == null ? null : new Joined(first.lease().ip(), first.network().gateway());
    }

    /**
     * Plumbs the leased addresses into the network namespace of {@code pid}: eth0 (or eth1 and on when
     * {@code afterEth0}), the default route through the first non-internal network unless {@code hasRoute}.
     */
    public synchronized void plumb(String containerId, int pid, boolean afterEth0, boolean hasRoute) throws IOException {
        int index = afterEth0 ? 1 : 0;
        boolean route = hasRoute;
        for (var a : attachments(containerId)) {
            if (a.lease() == null) continue;
            boolean gateway = !route && !a.network().internal();
            bridges.get(a.network().id()).plumb(a.lease(), pid, "eth" + index++, gateway);
            route |= gateway;
            publish("connect", a.network(), containerId);
        }
    }

    /** Releases the container's addresses and veths on every network (a disconnect event where it had one). Idempotent. */
    public synchronized void release(String containerId) {
        for (Network n : networks.values()) {
            var b = bridges.get(n.id());
            boolean held = b.leaseOf(containerId).isPresent();
            b.release(containerId);
            if (held) publish("disconnect", n, containerId);
        }
    }

    private void publish(String action, Network n, String containerId) {
        events.publish("network", action, n.id(), Map.of("container", containerId, "name", n.name(), "type", n.driver()));
    }

    /** A removed container leaves every network. */
    public synchronized void forget(String containerId) {
        release(containerId);
        for (Network n : networks.values()) store.deleteEndpoint(n.id(), containerId);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private Optional<Network.Endpoint> endpoint(String networkId, String containerId) {
        return store.endpointsOf(networkId).stream().filter(e -> e.containerId().equals(containerId)).findFirst();
    }

    private Optional<ContainerRef> ref(String containerId) {
        try {
            return Optional.of(containers.apply(containerId));
        } catch (EngineException.NotFound e) {
            return Optional.empty();
        }
    }

    private BridgeNetwork bridgeOf(Network n) {
        return new BridgeNetwork(n.bridge(), Subnet.parse(n.subnet()), n.gateway(),
                n.ipRange() == null ? null : Subnet.parse(n.ipRange()), leasesDir(n), dataRoot,
                "vn" + n.id().substring(0, 4));
    }

    /** The network's leases: a directory named after its id (hex digits only), never after a user-chosen name. */
    private Path leasesDir(Network n) {
        if (!n.id().matches("[0-9a-f]{64}")) throw new IllegalStateException("invalid network id " + n.id());
        return leasesRoot.resolve("net-" + n.id().substring(0, 12));
    }

    private static Subnet parse(String cidr) {
        try {
            return Subnet.parse(cidr);
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("%s", e.getMessage());
        }
    }

    private Subnet checkSubnet(String cidr) {
        Subnet s = parse(cidr);
        if (s.prefix() > 30) throw EngineException.invalid("invalid network config:\nsubnet %s is too small: at most /30", cidr);
        for (Subnet taken : taken()) {
            if (taken.overlaps(s)) throw EngineException.forbidden("Pool overlaps with other one on this address space");
        }
        return s;
    }

    private List<Subnet> taken() {
        var out = new ArrayList<>(reserved);
        for (Network n : networks.values()) out.add(Subnet.parse(n.subnet()));
        return out;
    }

    private static String checkGateway(Subnet subnet, String gateway) {
        if (gateway == null || gateway.isEmpty()) return BridgeNetwork.toIp(subnet.network() + 1);
        int g;
        try {
            g = BridgeNetwork.toInt(gateway);
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("invalid network config:\ninvalid gateway address %s", gateway);
        }
        if (!subnet.contains(g) || g == subnet.network() || g == subnet.last()) {
            throw EngineException.invalid("invalid network config:\nparent subnet %s does not contain gateway %s", subnet, gateway);
        }
        return gateway;
    }

    /** An address a container asks for must be a usable one of the network's subnet (or --ip-range) and not the gateway. */
    private static void checkAddress(Network n, String ip) {
        if (ip == null || ip.isEmpty()) return;
        int a;
        try {
            a = BridgeNetwork.toInt(ip);
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("invalid IPv4 address: %s", ip);
        }
        Subnet s = Subnet.parse(n.subnet());
        Subnet range = n.ipRange() == null ? s : Subnet.parse(n.ipRange());
        if (!range.contains(a) || a == s.network() || a == s.last()) {
            throw EngineException.invalid("invalid endpoint settings:\nno configured subnet or ip-range contain the IP address %s", ip);
        }
        if (ip.equals(n.gateway())) throw EngineException.conflict("Address already in use");
    }

    /**
     * The first free subnet of the address pools (the configured default-address-pools, else Docker's built-in ones),
     * clear of docker0, the default bridge, the other networks, and every address and route the host has.
     */
    private Subnet pickSubnet() {
        var avoid = taken();
        avoid.addAll(HostRoutes.all());
        return pools.first(avoid).orElseThrow(() -> EngineException.invalid(
                "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network"));
    }

    private static boolean linkExists(String name) {
        return run(List.of("ip", "link", "show", "dev", name), true) == 0;
    }

    /** The bridge with the gateway address, up, and the network's rules: where missing. */
    private void setUpHost(Network n) throws IOException {
        Subnet s = Subnet.parse(n.subnet());
        if (!linkExists(n.bridge())) must(List.of("ip", "link", "add", "name", n.bridge(), "type", "bridge"));
        must(List.of("ip", "addr", "replace", n.gateway() + "/" + s.prefix(), "dev", n.bridge()));
        must(List.of("ip", "link", "set", "dev", n.bridge(), "up"));
        firewall.setUpChains();
        firewall.add(n.bridge(), n.subnet(), n.internal());
        if (!n.internal()) {
            try {
                Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
            } catch (IOException e) {
                log.warn("cannot enable IP forwarding: {}", e.getMessage());
            }
        }
    }

    /** Removes the network's rules, bridge and leases; what is already gone is fine. */
    private void tearDownHost(Network n) {
        firewall.remove(n.bridge(), n.subnet(), n.internal());
        run(List.of("ip", "link", "del", "dev", n.bridge()), true);
        try {
            NetworkStore.deleteTree(leasesDir(n));
        } catch (RuntimeException e) {
            log.warn("removing the leases of network {}: {}", n.name(), e.getMessage());
        }
    }

    private void startDns(Network n) {
        try {
            var address = new InetSocketAddress(InetAddress.getByName(n.gateway()), 53);
            dns.put(n.id(), new DnsServer(address, (name, from) -> resolve(n.id(), name, from.getHostAddress()),
                    from -> upstreams(n.id(), from.getHostAddress())));
        } catch (IOException e) {
            log.error("no name server for network {} on {}:53: {}", n.name(), n.gateway(), e.getMessage());
        }
    }

    /**
     * The addresses {@code name} has for the container at {@code asker} on a network: as Docker's embedded DNS, the
     * names of every network that container is on are answered (each with its address on that network), not only
     * those of the network asked. Rotated on each call, so a shared alias is round-robin.
     */
    List<String> resolve(String networkId, String name, String asker) {
        var ips = new ArrayList<String>();
        synchronized (this) {
            Network asked = networks.get(networkId);
            if (asked == null) return List.of();
            var scope = new ArrayList<Network>(List.of(asked));
            members(asked).stream().filter(m -> m.lease().ip().equals(asker)).findFirst().ifPresent(self -> {
                for (var a : attachments(self.containerId())) {
                    if (a.lease() != null && !scope.contains(a.network())) scope.add(a.network());
                }
            });
            for (Network n : scope) {
                for (var m : members(n)) {
                    boolean match = m.name().equalsIgnoreCase(name) || Ids.shortId(m.containerId()).equals(name)
                            || m.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(name));
                    if (match && !ips.contains(m.lease().ip())) ips.add(m.lease().ip());
                }
                if (!ips.isEmpty()) break; // the first network that knows the name answers
            }
        }
        if (ips.size() > 1) java.util.Collections.rotate(ips, (int) (rotation.getAndIncrement() % ips.size()));
        return ips;
    }

    /**
     * Where the name server of a network forwards what it does not know for the container at {@code asker}: its
     * {@code --dns} servers as dockerd's embedded server does, else the host's. They are asked from the host (a
     * loopback one too, as dockerd asks a loopback --dns from the host's namespace).
     */
    List<InetSocketAddress> upstreams(String networkId, String asker) {
        List<String> own;
        synchronized (this) {
            Network n = networks.get(networkId);
            own = n == null ? List.of() : members(n).stream().filter(m -> m.lease().ip().equals(asker)).findFirst()
                    .flatMap(m -> ref(m.containerId())).map(ContainerRef::dns).orElse(List.of());
        }
        var out = new ArrayList<InetSocketAddress>();
        for (String ip : own) {
            if (ip.matches("[0-9.]+")) out.add(new InetSocketAddress(ip, 53)); // IPv4 only, as the rest of the network
        }
        return out.isEmpty() ? hostUpstreams() : out;
    }

    /** The host's name servers, from /etc/resolv.conf. */
    private static List<InetSocketAddress> hostUpstreams() {
        var out = new ArrayList<InetSocketAddress>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver") && f[1].matches("[0-9.]+")) {
                    out.add(new InetSocketAddress(InetAddress.getByName(f[1]), 53));
                }
            }
        } catch (IOException e) {
            log.warn("reading /etc/resolv.conf: {}", e.getMessage());
        }
        return out;
    }

    /** The first ethN name not in use in the network namespace of {@code pid}. */
    private static String nextInterface(int pid) throws IOException {
        String links = HostCommands.output(List.of("nsenter", "-t", Integer.toString(pid), "-n", "ip", "-o", "link", "show"));
        var used = new java.util.HashSet<String>();
        var m = ETH.matcher(links);
        while (m.find()) used.add(m.group(1));
        int i = 0;
        while (used.contains("eth" + i)) i++;
        return "eth" + i;
    }
}
