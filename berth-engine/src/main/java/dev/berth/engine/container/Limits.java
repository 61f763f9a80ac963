package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.oci.DeviceMapping;
import dev.berth.oci.Resources;
import dev.berth.oci.Ulimit;
import dev.berth.sys.cgroups.HostCounters;
import java.util.List;
import java.util.Map;

/**
 * A container's resource limits and kernel settings from {@code HostConfig}: the cgroup limits ({@code update} can
 * change them on a running container) and the settings fixed at create (ulimits, tmpfs mounts, sysctls, devices).
 * Nulls and zeros mean "not set", as in Docker. {@link #forCreate} applies Docker's create-time checks and
 * adjustments (daemon/daemon_unix.go {@code verifyPlatformContainerResources} and {@code adaptContainerSettings}).
 *
 * @param memorySwap memory plus swap in bytes; -1 is unlimited swap
 * @param nanoCpus   {@code --cpus} times 10^9
 * @param pidsLimit  null for unlimited (Docker stores 0 and negative values as null)
 * @param tmpfs      mount point to mount options ({@code size=64m,mode=1777}), as {@code --tmpfs /run:size=64m}
 */
public record Limits(
        Long memory,
        Long memorySwap,
        Long memoryReservation,
        Long nanoCpus,
        Long cpuShares,
        String cpusetCpus,
        String cpusetMems,
        Long pidsLimit,
        Boolean oomKillDisable,
        List<Ulimit> ulimits,
        Map<String, String> tmpfs,
        Map<String, String> sysctls,
        List<DeviceMapping> devices) {

    /** The smallest memory limit and reservation Docker allows (linuxMinMemory). */
    public static final long MIN_MEMORY = 6L * 1024 * 1024;

    static final long MIN_CPU_SHARES = 2;
    static final long MAX_CPU_SHARES = 262_144;

    public static final Limits NONE = new Limits(null, null, null, null, null, null, null, null, null,
            List.of(), Map.of(), Map.of(), List.of());

    public Limits {
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        tmpfs = tmpfs == null ? Map.of() : Map.copyOf(tmpfs);
        sysctls = sysctls == null ? Map.of() : Map.copyOf(sysctls);
        devices = devices == null ? List.of() : List.copyOf(devices);
    }

    /** The cgroup limits for the OCI spec. */
    public Resources resources() {
        return new Resources(memory, memoryReservation, memorySwap, null, oomKillDisable, cpuShares, nanoCpus,
                null, null, cpusetCpus, cpusetMems, pidsLimit, null);
    }

    /** {@link #forCreate(int, boolean)} on this host. */
    public Limits forCreate() {
        return forCreate(HostCounters.onlineCpus(), HostCounters.swapLimitSupported());
    }

    /**
     * The limits as Docker stores them at create: checked against this host ({@code cpus} online CPUs, swap limits
     * supported or not), swap defaulting to twice the memory limit, and a pids limit of 0 or less meaning none.
     */
    public Limits forCreate(int cpus, boolean swapLimitSupported) {
        check(this, cpus, false);
        Long swap = memorySwap;
        if (memory != null && memory > 0 && (swap == null || swap == 0)) {
            swap = swapLimitSupported ? memory * 2 : -1L;
        }
        return new Limits(memory, swap, memoryReservation, nanoCpus, cpuShares(cpuShares), cpusetCpus, cpusetMems,
                pidsLimit != null && pidsLimit <= 0 ? null : pidsLimit, oomKillDisable, ulimits, tmpfs, sysctls, devices);
    }

    /**
     * These limits with the cgroup fields of {@code change} that are set (Docker's {@code update}: a zero or null
     * field keeps the current value). Checked as a whole afterwards.
     */
    public Limits update(Limits change, int cpus) {
        Long mem = set(change.memory) ? change.memory : memory;
        Long swap = set(change.memorySwap) ? change.memorySwap : memorySwap;
        // Docker (container.UpdateContainer): a new memory limit above the swap limit needs a new swap limit too.
        if (set(change.memory) && !set(change.memorySwap) && memorySwap != null && memorySwap > 0
                && change.memory > memorySwap) {
            throw EngineException.conflict("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        }
        var updated = new Limits(mem, swap,
                set(change.memoryReservation) ? change.memoryReservation : memoryReservation,
                set(change.nanoCpus) ? change.nanoCpus : nanoCpus,
                set(change.cpuShares) ? cpuShares(change.cpuShares) : cpuShares,
                change.cpusetCpus != null && !change.cpusetCpus.isEmpty() ? change.cpusetCpus : cpusetCpus,
                change.cpusetMems != null && !change.cpusetMems.isEmpty() ? change.cpusetMems : cpusetMems,
                change.pidsLimit == null ? pidsLimit : change.pidsLimit <= 0 ? null : change.pidsLimit,
                oomKillDisable, ulimits, tmpfs, sysctls, devices);
        check(updated, cpus, true);
        return updated;
    }

    /** Docker moves CPU shares into the kernel's range, 2 to 262144 (0 stays "not set"). */
    private static Long cpuShares(Long shares) {
        if (shares == null || shares == 0) return shares;
        return Math.clamp(shares, MIN_CPU_SHARES, MAX_CPU_SHARES);
    }

    private static boolean set(Long v) {
        return v != null && v != 0;
    }

    /** Docker's messages, word for word, so scripts that match them keep working. */
    static void check(Limits l, int cpus, boolean update) {
        long memory = l.memory == null ? 0 : l.memory;
        long swap = l.memorySwap == null ? 0 : l.memorySwap;
        long reservation = l.memoryReservation == null ? 0 : l.memoryReservation;
        if (memory != 0 && memory < MIN_MEMORY) {
            throw EngineException.invalid("Minimum memory limit allowed is 6MB");
        }
        if (memory > 0 && swap > 0 && swap < memory) {
            throw EngineException.invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory == 0 && swap > 0 && !update) {
            throw EngineException.invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (reservation != 0 && reservation < MIN_MEMORY) {
            throw EngineException.invalid("Minimum memory reservation allowed is 6MB");
        }
        if (memory > 0 && reservation > 0 && memory < reservation) {
            throw EngineException.invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        if (l.nanoCpus != null && (l.nanoCpus < 0 || l.nanoCpus > cpus * 1_000_000_000L)) {
            throw EngineException.invalid("Range of CPUs is from 0.01 to %d.00, as there are only %d CPUs available", cpus, cpus);
        }
        if (l.cpuShares != null && l.cpuShares < 0) {
            throw EngineException.invalid("invalid CPU shares (%d): value must be a positive integer", l.cpuShares);
        }
        checkCpuset(l.cpusetCpus, cpus);
        if (!update) l.tmpfs.forEach(Limits::checkTmpfs);
    }

    /** The kernel's tmpfs {@code size=}: a number (decimal, 0x hex, 0 octal) with k, m, g, t, p or e, or a percentage. */
    private static final java.util.regex.Pattern TMPFS_SIZE =
            java.util.regex.Pattern.compile("(0[xX][0-9a-fA-F]+|[0-9]+)[kKmMgGtTpPeE]?|[0-9]+%");

    /**
     * {@code --tmpfs dest:options}: dockerd's destination check (ValidateTmpfsMountDestination, with its messages)
     * and the size the kernel would refuse at start, so that such a container is never created.
     */
    static void checkTmpfs(String destination, String options) {
        String cleaned = java.nio.file.Path.of(destination).normalize().toString();
        if (cleaned.equals("/")) {
            throw EngineException.invalid("invalid specification: destination can't be '/'");
        }
        if (!destination.startsWith("/")) {
            throw EngineException.invalid("invalid mount path: '%s' mount path must be absolute", destination);
        }
        for (String opt : options == null ? new String[0] : options.split(",")) {
            opt = opt.strip();
            if (opt.startsWith("size=") && !TMPFS_SIZE.matcher(opt.substring(5)).matches()) {
                throw EngineException.invalid("invalid tmpfs options for %s: invalid size: '%s'", destination, opt.substring(5));
            }
        }
    }

    /** Docker's {@code --cpuset-cpus}: a list of CPU numbers and ranges ({@code 0-2,4}), each one online here. */
    static void checkCpuset(String cpuset, int cpus) {
        if (cpuset == null || cpuset.isEmpty()) return;
        int highest = -1;
        for (String part : cpuset.split(",", -1)) {
            String[] range = part.split("-", -1);
            int lo;
            int hi;
            try {
                if (range.length > 2) throw new NumberFormatException();
                lo = Integer.parseInt(range[0].strip());
                hi = range.length == 2 ? Integer.parseInt(range[1].strip()) : lo;
            } catch (NumberFormatException e) {
                throw EngineException.invalid("Invalid value %s for cpuset cpus", cpuset);
            }
            if (lo < 0 || hi < lo) throw EngineException.invalid("Invalid value %s for cpuset cpus", cpuset);
            highest = Math.max(highest, hi);
        }
        if (highest >= cpus) {
            throw EngineException.invalid("Requested CPUs are not available - requested %s, available: %s",
                    cpuset, cpus == 1 ? "0" : "0-" + (cpus - 1));
        }
    }
}
