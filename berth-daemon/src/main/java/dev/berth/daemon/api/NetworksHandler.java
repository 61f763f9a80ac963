package dev.berth.daemon.api;

import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.network.BridgeNetwork;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /networks} and {@code GET /networks/{id}} for the networks every daemon has: {@code bridge} (the
 * default bridge, with its subnet and the containers on it), {@code host} and {@code none}. Their ids are fixed
 * digests of their names. User-defined networks (create, connect, ...) are not there yet and say so.
 */
public final class NetworksHandler {
    private static final Set<String> LS_FILTERS = Set.of("name", "id", "driver", "type", "scope", "label", "dangling");
    private static final List<String> BUILT_IN = List.of("bridge", "host", "none");

    private final ContainerService containers;
    private final BridgeNetwork bridge;

    /** {@code bridge} may be null when the daemon runs without it: the bridge network is then not listed. */
    public NetworksHandler(ContainerService containers, BridgeNetwork bridge) {
        this.containers = containers;
        this.bridge = bridge;
    }

    public void register(Router r) {
        r.get("/networks", this::list);
        r.get("/networks/{id}", ex -> ex.json(200, view(find(ex.param("id")), true)));
        r.post("/networks/create", ex -> {
            throw EngineException.invalid("user-defined networks are not supported yet: only bridge, host and none");
        });
    }

    private void list(Exchange ex) {
        var f = Filters.parse(ex.query("filters"), LS_FILTERS);
        var out = new ArrayList<Map<String, Object>>();
        for (String name : names()) {
            String driver = "none".equals(name) ? "null" : name;
            if (f.has("name") && f.get("name").stream().noneMatch(name::contains)) continue;
            if (f.has("id") && f.get("id").stream().noneMatch(id(name)::startsWith)) continue;
            if (f.has("driver") && !f.get("driver").contains(driver)) continue;
            if (f.has("type") && !f.get("type").contains("builtin")) continue;
            if (f.has("scope") && !f.get("scope").contains("local")) continue;
            if (f.has("label") || f.has("dangling") && f.get("dangling").contains("true")) continue;
            out.add(view(name, false));
        }
        ex.json(200, out);
    }

    private List<String> names() {
        return bridge == null ? List.of("host", "none") : BUILT_IN;
    }

    private String find(String idOrName) {
        for (String name : names()) if (name.equals(idOrName)) return name;
        for (String name : names()) if (idOrName.length() >= 1 && id(name).startsWith(idOrName)) return name;
        throw EngineException.notFound("network %s not found", idOrName);
    }

    private Map<String, Object> view(String name, boolean withContainers) {
        var m = new LinkedHashMap<String, Object>();
        m.put("Name", name);
        m.put("Id", id(name));
        m.put("Created", "0001-01-01T00:00:00Z");
        m.put("Scope", "local");
        m.put("Driver", "none".equals(name) ? "null" : name);
        m.put("EnableIPv4", true);
        m.put("EnableIPv6", false);
        var config = new ArrayList<Map<String, String>>();
        if ("bridge".equals(name)) config.add(Map.of("Subnet", bridge.subnet(), "Gateway", bridge.gatewayIp()));
        m.put("IPAM", Map.of("Driver", "default", "Options", Map.of(), "Config", config));
        m.put("Internal", false);
        m.put("Attachable", false);
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        var members = new LinkedHashMap<String, Object>();
        if (withContainers) {
            for (Container c : containers.list()) {
                if (!c.state().isRunning()) continue;
                if ("bridge".equals(name)) {
                    containers.bridgeLease(c.id()).ifPresent(l -> members.put(c.id(), member(c, l.mac(), l.ip() + "/" + l.prefix())));
                } else if (name.equals(c.spec().host().networkMode())) {
                    members.put(c.id(), member(c, "", ""));
                }
            }
        }
        m.put("Containers", members);
        m.put("Options", "bridge".equals(name) ? Map.of("com.docker.network.bridge.name", bridge.bridgeName(),
                "com.docker.network.bridge.default_bridge", "true") : Map.of());
        m.put("Labels", Map.of());
        return m;
    }

    private static Map<String, Object> member(Container c, String mac, String ip) {
        var m = new LinkedHashMap<String, Object>();
        m.put("Name", c.name());
        m.put("EndpointID", ip.isEmpty() ? "" : c.id());
        m.put("MacAddress", mac);
        m.put("IPv4Address", ip);
        m.put("IPv6Address", "");
        return m;
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
