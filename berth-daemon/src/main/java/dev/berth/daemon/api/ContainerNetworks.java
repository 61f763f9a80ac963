package dev.berth.daemon.api;

import dev.berth.engine.network.NetworkService;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The create request's {@code NetworkingConfig.EndpointsConfig}: each network's aliases ({@code --network-alias})
 * and address ({@code --ip}), checked before the container exists and recorded once it does.
 */
public final class ContainerNetworks {
    private final NetworkService networks;

    public ContainerNetworks(NetworkService networks) {
        this.networks = networks;
    }

    /** One network's settings from the request. */
    record Settings(String network, List<String> aliases, String ip) {}

    /** The endpoint settings of a create request, checked; the network of its network mode first. */
    List<Settings> check(JsonNode request) {
        var out = new ArrayList<Settings>();
        String mode = request.path("HostConfig").path("NetworkMode").asString("");
        JsonNode endpoints = request.path("NetworkingConfig").path("EndpointsConfig");
        // The network of the network mode is joined with or without settings for it.
        if (!mode.isEmpty() && !endpoints.has(mode)) out.add(new Settings(mode, List.of(), null));
        if (!endpoints.isObject()) return out;
        for (var e : endpoints.properties()) {
            JsonNode ep = e.getValue();
            var aliases = new ArrayList<String>();
            if (ep.path("Aliases").isArray()) ep.path("Aliases").forEach(a -> aliases.add(a.asString()));
            String ip = ep.path("IPAMConfig").path("IPv4Address").asString("");
            var s = new Settings(e.getKey(), aliases, ip.isEmpty() ? null : ip);
            networks.checkEndpoint(s.network(), s.aliases(), s.ip());
            if (e.getKey().equals(mode)) out.addFirst(s);
            else out.add(s);
        }
        return out;
    }

    /** A create that failed after {@link #attach}: its endpoints go. */
    void discard(String containerId) {
        networks.forget(containerId);
    }

    /** Records the checked settings for the created container. */
    void attach(String containerId, List<Settings> settings) {
        long order = 0;
        for (var s : settings) networks.recordEndpoint(containerId, s.network(), s.aliases(), s.ip(), order++);
    }
}
