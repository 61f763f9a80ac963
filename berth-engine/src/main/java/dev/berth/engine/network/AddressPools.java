package dev.berth.engine.network;

import java.util.List;
import java.util.Optional;

/**
 * Where a network without a given subnet gets one, as dockerd's default-address-pools: each pool's base is cut into
 * subnets of {@code size} bits, tried in order, pool after pool; the first that overlaps nothing in use is taken.
 */
public final class AddressPools {
    /** A base range and the prefix length of the subnets cut from it. */
    public record Pool(Subnet base, int size) {
        public Pool {
            if (size < base.prefix() || size > 32) throw new IllegalArgumentException("size " + size + " of " + base + " must be between the prefix length and 32");
        }
    }

    /**
     * dockerd's built-in pools when none are configured: 172.17.0.0/16 to 172.31.0.0/16 as /16s, then 192.168.0.0/16
     * as /20s.
     */
    public static final AddressPools DOCKER_DEFAULTS = new AddressPools(List.of(
            new Pool(Subnet.parse("172.17.0.0/16"), 16), new Pool(Subnet.parse("172.18.0.0/15"), 16),
            new Pool(Subnet.parse("172.20.0.0/14"), 16), new Pool(Subnet.parse("172.24.0.0/14"), 16),
            new Pool(Subnet.parse("172.28.0.0/14"), 16), new Pool(Subnet.parse("192.168.0.0/16"), 20)));

    private final List<Pool> pools;

    public AddressPools(List<Pool> pools) {
        this.pools = List.copyOf(pools);
    }

    /** The configured pools, or dockerd's built-in ones when {@code pools} is empty. */
    public static AddressPools orDefaults(List<Pool> pools) {
        return pools.isEmpty() ? DOCKER_DEFAULTS : new AddressPools(pools);
    }

    public List<Pool> pools() {
        return pools;
    }

    /**
     * The first subnet of the pools that overlaps none of {@code taken}. A candidate that overlaps a taken range
     * jumps past its end, so a large pool beside a large route is not walked address block by address block.
     */
    public Optional<Subnet> first(List<Subnet> taken) {
        for (Pool p : pools) {
            long step = 1L << (32 - p.size());
            long end = Integer.toUnsignedLong(p.base().last());
            long at = Integer.toUnsignedLong(p.base().network());
            while (at <= end) {
                var candidate = new Subnet((int) at, p.size());
                var clash = taken.stream().filter(candidate::overlaps).findFirst();
                if (clash.isEmpty()) return Optional.of(candidate);
                long past = Math.max(Integer.toUnsignedLong(clash.get().last()) + 1, at + step);
                at = (past + step - 1) / step * step; // the next candidate boundary at or after the clash's end
            }
        }
        return Optional.empty();
    }
}
