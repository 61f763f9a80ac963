package dev.berth.daemon.api;

import dev.berth.engine.container.Container;
import dev.berth.engine.network.BridgeNetwork;
import dev.berth.engine.network.NetworkService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A container's NetworkSettings as Docker's inspect shows them: the default bridge and user-defined networks. */
final class NetworkViews {
    private NetworkViews() {}

    /**
     * The top-level address fields (deprecated in the API but read by scripts and {@code docker inspect -f}), which
     * Docker fills for the default bridge only, and {@code Networks} with an entry per network the container is on;
     * empty addresses for a container that does not run, as Docker shows them.
     */
    static void put(Map<String, Object> net, Container c, BridgeNetwork.Lease l, List<NetworkService.Attachment> attachments) {
        String mode = c.spec().host().networkMode();
        boolean bridged = mode == null || mode.isEmpty() || "default".equals(mode) || "bridge".equals(mode);
        net.put("Gateway", l == null ? "" : l.gateway());
        net.put("IPAddress", l == null ? "" : l.ip());
        net.put("IPPrefixLen", l == null ? 0 : l.prefix());
        net.put("MacAddress", l == null ? "" : l.mac());
        net.put("Bridge", "");
        net.put("GlobalIPv6Address", "");
        net.put("GlobalIPv6PrefixLen", 0);
        net.put("IPv6Gateway", "");
        var networks = new LinkedHashMap<String, Object>();
        if (bridged) {
            networks.put(BridgeNetwork.NAME, endpoint(null, null, l, NetworksHandler.id(BridgeNetwork.NAME),
                    l == null ? "" : l.containerId(), null));
        }
        for (var a : attachments) {
            var ep = a.endpoint();
            var ipam = ep.ipv4Address() == null ? null : Map.of("IPv4Address", ep.ipv4Address());
            networks.put(a.network().name(), endpoint(ipam, ep.aliases(), a.lease(), a.network().id(),
                    a.lease() == null ? "" : NetworkService.endpointId(a.network().id(), c.id()),
                    NetworkService.dnsNames(c.name(), c.id(), ep.aliases())));
        }
        net.put("Networks", networks);
    }

    private static Map<String, Object> endpoint(Object ipam, List<String> aliases, BridgeNetwork.Lease l, String networkId,
                                                String endpointId, List<String> dnsNames) {
        var e = new LinkedHashMap<String, Object>();
        e.put("IPAMConfig", ipam);
        e.put("Links", null);
        e.put("Aliases", aliases == null || aliases.isEmpty() ? null : aliases);
        e.put("MacAddress", l == null ? "" : l.mac());
        e.put("DriverOpts", null);
        e.put("NetworkID", networkId);
        e.put("EndpointID", endpointId);
        e.put("Gateway", l == null ? "" : l.gateway());
        e.put("IPAddress", l == null ? "" : l.ip());
        e.put("IPPrefixLen", l == null ? 0 : l.prefix());
        e.put("IPv6Gateway", "");
        e.put("GlobalIPv6Address", "");
        e.put("GlobalIPv6PrefixLen", 0);
        e.put("DNSNames", dnsNames);
        return e;
    }
}
