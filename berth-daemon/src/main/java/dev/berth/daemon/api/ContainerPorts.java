package dev.berth.daemon.api;

import dev.berth.common.EngineException;
import dev.berth.engine.container.Container;
import dev.berth.engine.network.PublishedPorts;
import dev.berth.image.ImageService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Published ports on the API: {@code HostConfig.PortBindings} and {@code PublishAllPorts} (the ports of
 * {@code Config.ExposedPorts} and the image's EXPOSE, each on an ephemeral host port) read at create; the bindings
 * shown in {@code HostConfig.PortBindings}, what is served in {@code NetworkSettings.Ports} and in the list's
 * {@code Ports}. Containers on the default bridge or a user-defined network publish; host, none and container: modes ignore the bindings.
 */
public final class ContainerPorts {
    private final PublishedPorts ports;
    private final ImageService images;

    public ContainerPorts(PublishedPorts ports, ImageService images) {
        this.ports = ports;
        this.images = images;
    }

    /** The bindings a create request asks for; a bad one is a 400 before anything is created. */
    List<PublishedPorts.Binding> check(JsonNode raw) {
        var out = new ArrayList<PublishedPorts.Binding>();
        JsonNode host = raw.path("HostConfig");
        if (!publishes(host.path("NetworkMode").asString(""))) return out;
        JsonNode pb = host.path("PortBindings");
        var bound = new LinkedHashSet<String>();
        if (pb.isObject()) {
            for (var e : pb.properties()) {
                String[] key = parseKey(e.getKey());
                bound.add(key[0] + "/" + key[1]);
                JsonNode list = e.getValue();
                if (list == null || list.isNull() || list.isEmpty()) {
                    out.add(binding(key, "", ""));
                    continue;
                }
                for (JsonNode b : list) out.add(binding(key, b.path("HostIp").asString(""), b.path("HostPort").asString("")));
            }
        }
        if (host.path("PublishAllPorts").asBoolean(false)) {
            var exposed = new LinkedHashSet<String>();
            JsonNode ep = raw.path("ExposedPorts");
            if (ep.isObject()) ep.propertyNames().forEach(exposed::add);
            try {
                var cfg = images.resolve(raw.path("Image").asString("")).config();
                if (cfg != null && cfg.exposedPorts() != null) exposed.addAll(cfg.exposedPorts());
            } catch (EngineException.NotFound ignored) {
                // create says so
            }
            for (String p : exposed) {
                String[] key = parseKey(p);
                if (bound.add(key[0] + "/" + key[1])) out.add(binding(key, "", ""));
            }
        }
        return out;
    }

    /** The create response's warnings about ports: dockerd's for bindings on the host network, which are ignored. */
    static List<String> warnings(JsonNode raw) {
        JsonNode host = raw.path("HostConfig");
        boolean bindings = host.path("PortBindings").isObject() && !host.path("PortBindings").isEmpty();
        return "host".equals(host.path("NetworkMode").asString("")) && bindings
                ? List.of("Published ports are discarded when using host network mode") : List.of();
    }

    void attach(String id, List<PublishedPorts.Binding> bindings) {
        ports.save(id, bindings);
    }

    void discard(String id) {
        ports.forget(id);
    }

    /**
     * The list's {@code Ports}, as dockerd lists them: what is served, and while the container runs on a network that
     * publishes, its other exposed ports without a host address or port.
     */
    void decorateSummary(Container c, ObjectNode tree) {
        var rows = new ArrayList<Map<String, Object>>();
        var served = new java.util.HashSet<String>();
        for (var a : ports.active(c.id())) {
            var m = new LinkedHashMap<String, Object>();
            m.put("IP", a.hostIp());
            m.put("PrivatePort", a.binding().containerPort());
            m.put("PublicPort", a.hostPort());
            m.put("Type", a.binding().proto());
            rows.add(m);
            served.add(a.binding().key());
        }
        for (String key : unpublished(c, served)) {
            int slash = key.indexOf('/'); // kept as port/proto at create; sctp too, which is exposed but not published
            var m = new LinkedHashMap<String, Object>();
            m.put("PrivatePort", Integer.parseInt(key.substring(0, slash)));
            m.put("Type", key.substring(slash + 1));
            rows.add(m);
        }
        tree.set("Ports", dev.berth.api.ApiJson.MAPPER.valueToTree(rows));
    }

    /**
     * Inspect's {@code HostConfig.PortBindings} and {@code NetworkSettings.Ports}: what is served, and while the
     * container runs on a network that publishes, its other exposed ports with null (keys sorted, as Go writes maps).
     */
    void decorateInspect(Container c, ObjectNode tree) {
        var requested = new java.util.TreeMap<String, List<Map<String, String>>>();
        for (var b : ports.requested(c.id())) {
            requested.computeIfAbsent(b.key(), k -> new ArrayList<>())
                    .add(hostPort(b.hostIp(), b.hostPorts()));
        }
        if (tree.get("HostConfig") instanceof ObjectNode hc) hc.set("PortBindings", dev.berth.api.ApiJson.MAPPER.valueToTree(requested));
        var served = new java.util.TreeMap<String, List<Map<String, String>>>();
        for (var a : ports.active(c.id())) {
            served.computeIfAbsent(a.binding().key(), k -> new ArrayList<>())
                    .add(hostPort(a.hostIp(), Integer.toString(a.hostPort())));
        }
        for (String key : unpublished(c, served.keySet())) served.put(key, null);
        if (tree.get("NetworkSettings") instanceof ObjectNode ns) ns.set("Ports", dev.berth.api.ApiJson.MAPPER.valueToTree(served));
    }

    /** Whether a container in this network mode has ports of its own to publish: host, none and container: do not. */
    private static boolean publishes(String networkMode) {
        return !("host".equals(networkMode) || "none".equals(networkMode) || networkMode.startsWith("container:"));
    }

    /** The exposed ports not in {@code served}, for a running container on a network that publishes; else none. */
    private static List<String> unpublished(Container c, java.util.Set<String> served) {
        if (!c.state().isRunning() || !publishes(c.spec().host().networkMode())) return List.of();
        return c.config().exposedPorts().stream().filter(k -> !served.contains(k)).toList();
    }

    /** {"HostIp": ..., "HostPort": ...} in Docker's order. */
    private static Map<String, String> hostPort(String ip, String port) {
        var m = new LinkedHashMap<String, String>();
        m.put("HostIp", ip);
        m.put("HostPort", port);
        return m;
    }

    private static String[] parseKey(String key) {
        String[] parts = key.split("/", 2);
        String proto = parts.length == 2 ? parts[1] : "tcp";
        if (!"tcp".equals(proto) && !"udp".equals(proto)) {
            if ("sctp".equals(proto)) throw EngineException.invalid("publishing sctp ports is not supported: %s", key);
            throw EngineException.invalid("invalid port specification: \"%s\"", key);
        }
        port(parts[0], key, false);
        return new String[] {parts[0], proto};
    }

    private static PublishedPorts.Binding binding(String[] key, String hostIp, String hostPort) {
        // A literal IPv4 address only: a name would be looked up when the port is bound.
        if (!hostIp.isEmpty()) {
            try {
                dev.berth.engine.network.BridgeNetwork.toInt(hostIp);
            } catch (IllegalArgumentException e) {
                throw EngineException.invalid("invalid IP address: %s", hostIp);
            }
        }
        // A host port range ("8000-8010") is a pool: the binding gets its first free port.
        String[] range = hostPort.split("-", 2);
        int from = hostPort.isEmpty() ? 0 : port(range[0], hostPort, true);
        int to = range.length == 2 ? port(range[1], hostPort, false) : from;
        if (to < from || (from == 0 && to != 0)) throw EngineException.invalid("invalid port specification: \"%s\"", hostPort);
        return new PublishedPorts.Binding(port(key[0], key[0], false), key[1], hostIp, from, to);
    }

    private static int port(String s, String what, boolean zeroOk) {
        try {
            int p = Integer.parseInt(s);
            if (p < (zeroOk ? 0 : 1) || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid port specification: \"%s\"", what);
        }
    }
}
