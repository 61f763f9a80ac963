package dev.berth.oci;

/**
 * Cgroup limits from Docker's {@code HostConfig} resources. Every field is nullable: null (or 0 where Docker treats
 * 0 as "unset") leaves the limit out of the spec, as Docker's {@code getMemoryResources}/{@code getCPUResources}
 * do. Create-time adjustments (such as Docker's default swap of twice the memory limit) belong to the engine.
 *
 * @param memorySwap        bytes of memory plus swap; -1 (unlimited) and 0 leave it out, as Docker does
 * @param nanoCpus          {@code --cpus} times 1e9; becomes a CFS quota over a 100 ms period
 * @param pidsLimit         0 or negative means "unlimited" (written as -1, which runc needs to clear a limit)
 */
public record Resources(
        Long memory,
        Long memoryReservation,
        Long memorySwap,
        Long memorySwappiness,
        Boolean oomKillDisable,
        Long cpuShares,
        Long nanoCpus,
        Long cpuPeriod,
        Long cpuQuota,
        String cpusetCpus,
        String cpusetMems,
        Long pidsLimit,
        Integer blkioWeight) {

    public static final Resources NONE =
            new Resources(null, null, null, null, null, null, null, null, null, null, null, null, null);

    public Resources withMemory(Long bytes) {
        return new Resources(bytes, memoryReservation, memorySwap, memorySwappiness, oomKillDisable, cpuShares,
                nanoCpus, cpuPeriod, cpuQuota, cpusetCpus, cpusetMems, pidsLimit, blkioWeight);
    }

    public Resources withCpuShares(Long shares) {
        return new Resources(memory, memoryReservation, memorySwap, memorySwappiness, oomKillDisable, shares,
                nanoCpus, cpuPeriod, cpuQuota, cpusetCpus, cpusetMems, pidsLimit, blkioWeight);
    }

    public Resources withPidsLimit(Long limit) {
        return new Resources(memory, memoryReservation, memorySwap, memorySwappiness, oomKillDisable, cpuShares,
                nanoCpus, cpuPeriod, cpuQuota, cpusetCpus, cpusetMems, limit, blkioWeight);
    }

    public Resources withCpuset(String cpus, String mems) {
        return new Resources(memory, memoryReservation, memorySwap, memorySwappiness, oomKillDisable, cpuShares,
                nanoCpus, cpuPeriod, cpuQuota, cpus, mems, pidsLimit, blkioWeight);
    }
}
