package dev.berth.daemon.api;

import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.network.BridgeNetwork;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The {@code /networks} endpoints: the networks every daemon has ({@code bridge}, the default bridge with its
 * subnet and the containers on it; {@code host}; {@code none}), whose ids are fixed digests of their names, and the
 * user-defined bridge networks of {@link NetworkService}.
 */
public final class NetworksHandler {
    private static final Set<String> LS_FILTERS = Set.of("name", "id", "driver", "type", "scope", "label", "dangling");
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "until");
    private static final List<String> BUILT_IN = List.of("bridge", "host", "none");

    private final ContainerService containers;
    private final BridgeNetwork bridge;
    private final NetworkService networks;

    /** {@code bridge} may be null when the daemon runs without it: the bridge network is then not listed. */
    public NetworksHandler(ContainerService containers, BridgeNetwork bridge, NetworkService networks) {
        this.containers = containers;
        this.bridge = bridge;
        this.networks = networks;
    }

    public void register(Router r) {
        r.get("/networks", this::list);
        r.get("/networks/{id}", ex -> ex.json(200, view(ex.param("id"))));
        r.post("/networks/create", this::create);
        r.post("/networks/prune", this::prune);
        r.delete("/networks/{id}", ex -> {
            networks.remove(builtIn(ex.param("id")) != null ? builtIn(ex.param("id")) : ex.param("id"));
            ex.status(204);
        });
        r.post("/networks/{id}/connect", this::connect);
        r.post("/networks/{id}/disconnect", this::disconnect);
    }

    private void create(Exchange ex) throws IOException {
        JsonNode body = ex.readJson(JsonNode.class);
        if (body == null || body.isNull()) throw EngineException.invalid("network name is required");
        JsonNode config = body.path("IPAM").path("Config");
        if (config.size() > 1) throw EngineException.invalid("only one IPv4 subnet per network is supported");
        JsonNode pool = config.size() == 1 ? config.get(0) : null;
        if (body.path("EnableIPv6").asBoolean(false)) throw EngineException.invalid("IPv6 networks are not supported");
        String ipamDriver = body.path("IPAM").path("Driver").asString("");
        if (!ipamDriver.isEmpty() && !ipamDriver.equals("default")) throw EngineException.notFound("plugin \"%s\" not found", ipamDriver);
        Network n = networks.create(new NetworkService.CreateRequest(body.path("Name").asString(""),
                body.path("Driver").asString(""), text(pool, "Subnet"), text(pool, "Gateway"), text(pool, "IPRange"),
                body.path("Internal").asBoolean(false), body.path("Attachable").asBoolean(false),
                strings(body.path("Labels")), strings(body.path("Options"))));
        var out = new LinkedHashMap<String, Object>();
        out.put("Id", n.id());
        out.put("Warning", "");
        ex.json(201, out);
    }

    private void connect(Exchange ex) throws IOException {
        JsonNode body = ex.readJson(JsonNode.class);
        if (body == null || body.path("Container").asString("").isEmpty()) throw EngineException.invalid("container is required");
        JsonNode ep = body.path("EndpointConfig");
        networks.connect(ex.param("id"), body.path("Container").asString(), list(ep.path("Aliases")),
                text(ep.path("IPAMConfig"), "IPv4Address"));
        ex.status(200);
    }

    private void disconnect(Exchange ex) throws IOException {
        JsonNode body = ex.readJson(JsonNode.class);
        if (body == null || body.path("Container").asString("").isEmpty()) throw EngineException.invalid("container is required");
        networks.disconnect(ex.param("id"), body.path("Container").asString(), body.path("Force").asBoolean(false));
        ex.status(200);
    }

    private void prune(Exchange ex) {
        var f = Filters.parse(ex.query("filters"), PRUNE_FILTERS);
        Instant until = f.has("until") ? Timestamps.parse(f.get("until").getFirst()) : null;
        var removed = networks.prune(n -> f.labelsMatch(n.labels()) && f.notLabelsMatch(n.labels())
                && (until == null || Instant.parse(n.created()).isBefore(until)));
        var out = new LinkedHashMap<String, Object>();
        out.put("NetworksDeleted", removed);
        ex.json(200, out);
    }

    private void list(Exchange ex) {
        var f = Filters.parse(ex.query("filters"), LS_FILTERS);
        var out = new ArrayList<Map<String, Object>>();
        for (String name : builtIns()) {
            String driver = "none".equals(name) ? "null" : name;
            if (f.has("name") && f.get("name").stream().noneMatch(name::contains)) continue;
            if (f.has("id") && f.get("id").stream().noneMatch(id(name)::startsWith)) continue;
            if (f.has("driver") && !f.get("driver").contains(driver)) continue;
            if (f.has("type") && !f.get("type").contains("builtin")) continue;
            if (f.has("scope") && !f.get("scope").contains("local")) continue;
            if (f.has("label") || f.has("dangling") && dangling(f)) continue;
            out.add(builtInView(name, false));
        }
        for (Network n : networks.list()) {
            if (f.has("name") && f.get("name").stream().noneMatch(n.name()::contains)) continue;
            if (f.has("id") && f.get("id").stream().noneMatch(n.id()::startsWith)) continue;
            if (f.has("driver") && !f.get("driver").contains(n.driver())) continue;
            if (f.has("type") && !f.get("type").contains("custom")) continue;
            if (f.has("scope") && !f.get("scope").contains("local")) continue;
            if (!f.labelsMatch(n.labels())) continue;
            if (f.has("dangling") && dangling(f) != networks.members(n).isEmpty()) continue;
            out.add(customView(n, false));
        }
        ex.json(200, out);
    }

    private static boolean dangling(Filters f) {
        return switch (f.get("dangling").getFirst()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw EngineException.invalid("invalid filter 'dangling=%s'", f.get("dangling").getFirst());
        };
    }

    private List<String> builtIns() {
        return bridge == null ? List.of("host", "none") : BUILT_IN;
    }

    /** The built-in network {@code idOrName} names (by name or id prefix), or null. */
    private String builtIn(String idOrName) {
        for (String name : builtIns()) if (name.equals(idOrName)) return name;
        if (networks.exists(idOrName)) return null;
        for (String name : builtIns()) if (idOrName.length() >= 1 && id(name).startsWith(idOrName)) return name;
        return null;
    }

    private Map<String, Object> view(String idOrName) {
        String name = builtIn(idOrName);
        return name != null ? builtInView(name, true) : customView(networks.find(idOrName), true);
    }

    private Map<String, Object> customView(Network n, boolean withContainers) {
        var config = new LinkedHashMap<String, String>();
        config.put("Subnet", n.subnet());
        if (n.ipRange() != null) config.put("IPRange", n.ipRange());
        config.put("Gateway", n.gateway());
        var members = new LinkedHashMap<String, Object>();
        if (withContainers) {
            for (var m : networks.members(n)) {
                members.put(m.containerId(), member(m.name(), NetworkService.endpointId(n.id(), m.containerId()), m.lease().mac(),
                        m.lease().ip() + "/" + m.lease().prefix()));
            }
        }
        return view(n.name(), n.id(), n.created(), n.driver(), List.of(config), n.internal(), n.attachable(), members,
                n.options(), n.labels());
    }

    private Map<String, Object> builtInView(String name, boolean withContainers) {
        var config = new ArrayList<Map<String, String>>();
        if ("bridge".equals(name)) config.add(Map.of("Subnet", bridge.subnet(), "Gateway", bridge.gatewayIp()));
        var members = new LinkedHashMap<String, Object>();
        if (withContainers) {
            for (Container c : containers.list()) {
                if (!c.state().isRunning()) continue;
                if ("bridge".equals(name)) {
                    containers.bridgeLease(c.id()).ifPresent(l -> members.put(c.id(), member(c.name(), c.id(), l.mac(), l.ip() + "/" + l.prefix())));
                } else if (name.equals(c.spec().host().networkMode())) {
                    members.put(c.id(), member(c.name(), "", "", ""));
                }
            }
        }
        var options = "bridge".equals(name) ? Map.of("com.docker.network.bridge.name", bridge.bridgeName(),
                "com.docker.network.bridge.default_bridge", "true") : Map.<String, String>of();
        return view(name, id(name), "0001-01-01T00:00:00Z", "none".equals(name) ? "null" : name, config, false, false,
                members, options, Map.of());
    }

    private static Map<String, Object> view(String name, String id, String created, String driver, List<?> config,
                                            boolean internal, boolean attachable, Map<String, Object> members,
                                            Map<String, String> options, Map<String, String> labels) {
        var m = new LinkedHashMap<String, Object>();
        m.put("Name", name);
        m.put("Id", id);
        m.put("Created", created);
        m.put("Scope", "local");
        m.put("Driver", driver);
        m.put("EnableIPv4", true);
        m.put("EnableIPv6", false);
        m.put("IPAM", Map.of("Driver", "default", "Options", Map.of(), "Config", config));
        m.put("Internal", internal);
        m.put("Attachable", attachable);
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        m.put("Containers", members);
        m.put("Options", options);
        m.put("Labels", labels);
        return m;
    }

    private static Map<String, Object> member(String name, String endpointId, String mac, String ip) {
        var m = new LinkedHashMap<String, Object>();
        m.put("Name", name);
        m.put("EndpointID", ip.isEmpty() ? "" : endpointId);
        m.put("MacAddress", mac);
        m.put("IPv4Address", ip);
        m.put("IPv6Address", "");
        return m;
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.isMissingNode() || node.isNull()) return null;
        String v = node.path(field).asString("");
        return v.isEmpty() ? null : v;
    }

    private static Map<String, String> strings(JsonNode node) {
        var out = new LinkedHashMap<String, String>();
        if (node != null && node.isObject()) node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString("")));
        return out;
    }

    private static List<String> list(JsonNode node) {
        var out = new ArrayList<String>();
        if (node != null && node.isArray()) node.forEach(x -> out.add(x.asString()));
        return out;
    }

    static String id(String name) {
        try {
            var d = MessageDigest.getInstance("SHA-256").digest(("berth network " + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
