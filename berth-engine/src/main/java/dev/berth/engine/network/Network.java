package dev.berth.engine.network;

import java.util.List;
import java.util.Map;

/**
 * A user-defined bridge network as it is kept on disk: what {@code network create} fixed. Nothing in it changes
 * after create; who is attached lives in {@link Endpoint} records and leases.
 *
 * @param ipRange  the part of the subnet addresses are leased from ({@code --ip-range}), or null for all of it
 * @param bridge   the Linux bridge (Docker's {@code br-<12 hex of id>}, or the bridge.name option)
 */
public record Network(String id, String name, String driver, String created, String subnet, String gateway,
                      String ipRange, boolean internal, boolean attachable, Map<String, String> labels,
                      Map<String, String> options, String bridge) {

    public Network {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** A container's membership of a network, and how it asked to join (its aliases, its {@code --ip}). */
    public record Endpoint(String containerId, List<String> aliases, String ipv4Address, long order) {
        public Endpoint {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }
    }

    /** What the API reports about a running member: its lease and its names on the network. */
    public record Member(String containerId, String name, BridgeNetwork.Lease lease, List<String> aliases) {}
}
