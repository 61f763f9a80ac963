package dev.berth.engine.network;

/**
 * An IPv4 subnet in CIDR form ({@code 172.18.0.0/16}); built only from a valid CIDR, with host bits cleared as
 * dockerd does when it checks a pool. Addresses are ints, as {@link BridgeNetwork#toInt} parses them.
 */
public record Subnet(int network, int prefix) {
    public Subnet {
        if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("invalid prefix length " + prefix);
        network &= mask(prefix);
    }

    /** Parses {@code a.b.c.d/n}; an {@link IllegalArgumentException} naming the input otherwise. */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !cidr.substring(slash + 1).matches("\\d{1,2}")) throw new IllegalArgumentException("invalid CIDR address: " + cidr);
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        if (prefix > 32) throw new IllegalArgumentException("invalid CIDR address: " + cidr);
        try {
            return new Subnet(BridgeNetwork.toInt(cidr.substring(0, slash)), prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid CIDR address: " + cidr);
        }
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == network;
    }

    public boolean contains(Subnet other) {
        return other.prefix >= prefix && contains(other.network);
    }

    public boolean overlaps(Subnet other) {
        return contains(other.network) || other.contains(network);
    }

    /** The last address of the subnet (its broadcast address). */
    public int last() {
        return network | ~mask(prefix);
    }

    @Override
    public String toString() {
        return BridgeNetwork.toIp(network) + "/" + prefix;
    }
}
