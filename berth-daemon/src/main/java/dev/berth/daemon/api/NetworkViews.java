package dev.berth.daemon.api;

import dev.berth.engine.container.Container;
import dev.berth.engine.network.BridgeNetwork;
import java.util.LinkedHashMap;
import java.util.Map;

/** A container's NetworkSettings as Docker's inspect shows them for the default bridge network. */
final class NetworkViews {
    private NetworkViews() {}

    /**
     * The top-level address fields (deprecated in the API but read by scripts and {@code docker inspect -f}) and
     * {@code Networks.bridge}; empty values for a container that does not run, as Docker shows them.
     */
    static void putBridge(Map<String, Object> net, Container c, BridgeNetwork.Lease l) {
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
        if (!bridged) {
            net.put("Networks", Map.of());
            return;
        }
        var e = new LinkedHashMap<String, Object>();
        e.put("IPAMConfig", null);
        e.put("Links", null);
        e.put("Aliases", null);
        e.put("MacAddress", l == null ? "" : l.mac());
        e.put("NetworkID", NetworksHandler.id(BridgeNetwork.NAME));
        e.put("EndpointID", l == null ? "" : l.containerId());
        e.put("Gateway", l == null ? "" : l.gateway());
        e.put("IPAddress", l == null ? "" : l.ip());
        e.put("IPPrefixLen", l == null ? 0 : l.prefix());
        e.put("IPv6Gateway", "");
        e.put("GlobalIPv6Address", "");
        e.put("GlobalIPv6PrefixLen", 0);
        e.put("DNSNames", null);
        net.put("Networks", Map.of(BridgeNetwork.NAME, e));
    }
}
