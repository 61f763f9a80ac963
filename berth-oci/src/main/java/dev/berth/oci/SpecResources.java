package dev.berth.oci;

import dev.berth.common.EngineException;
import dev.berth.oci.spec.Linux.LinuxBlockIO;
import dev.berth.oci.spec.Linux.LinuxCPU;
import dev.berth.oci.spec.Linux.LinuxDeviceCgroup;
import dev.berth.oci.spec.Linux.LinuxMemory;
import dev.berth.oci.spec.Linux.LinuxPids;
import dev.berth.oci.spec.Linux.LinuxResources;

import java.util.List;

/** {@link Resources} to the spec's cgroup section, as moby's {@code WithResources} and its helpers in daemon_unix.go. */
final class SpecResources {
    private SpecResources() {}

    /** CFS period Docker uses for {@code --cpus}: 100 ms in microseconds. */
    private static final long NANO_CPUS_PERIOD = 100_000;

    static LinuxResources of(Resources r, List<LinuxDeviceCgroup> deviceRules) {
        return new LinuxResources(deviceRules, memory(r), cpu(r), pids(r),
                r.blkioWeight() != null && r.blkioWeight() != 0 ? new LinuxBlockIO(r.blkioWeight()) : null);
    }

    private static LinuxMemory memory(Resources r) {
        var memory = new LinuxMemory(
                positive(r.memory()),
                positive(r.memoryReservation()),
                positive(r.memorySwap()),
                null,
                r.memorySwappiness() != null && r.memorySwappiness() >= 0 ? r.memorySwappiness() : null,
                r.oomKillDisable());
        return memory.equals(new LinuxMemory(null, null, null, null, null, null)) ? null : memory;
    }

    private static LinuxCPU cpu(Resources r) {
        Long shares = null;
        if (r.cpuShares() != null && r.cpuShares() != 0) {
            if (r.cpuShares() < 0) {
                throw EngineException.invalid("invalid CPU shares (%d): value must be a positive integer", r.cpuShares());
            }
            shares = r.cpuShares();
        }
        Long period = null;
        Long quota = null;
        if (r.nanoCpus() != null && r.nanoCpus() > 0) {
            period = NANO_CPUS_PERIOD;
            quota = r.nanoCpus() * NANO_CPUS_PERIOD / 1_000_000_000L;
        }
        if (r.cpuPeriod() != null && r.cpuPeriod() != 0) {
            period = r.cpuPeriod();
        }
        if (r.cpuQuota() != null && r.cpuQuota() != 0) {
            quota = r.cpuQuota();
        }
        var cpu = new LinuxCPU(shares, quota, period, null, null, emptyToNull(r.cpusetCpus()), emptyToNull(r.cpusetMems()));
        return cpu.equals(new LinuxCPU(null, null, null, null, null, null, null)) ? null : cpu;
    }

    /** Docker writes -1 for "no limit" (0 or negative), which runc needs to clear an earlier limit on update. */
    private static LinuxPids pids(Resources r) {
        if (r.pidsLimit() == null) {
            return null;
        }
        return new LinuxPids(r.pidsLimit() <= 0 ? -1 : r.pidsLimit());
    }

    private static Long positive(Long value) {
        return value != null && value > 0 ? value : null;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
