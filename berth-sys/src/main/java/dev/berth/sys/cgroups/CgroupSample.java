package dev.berth.sys.cgroups;

import java.util.List;
import java.util.Map;

/**
 * One reading of a cgroup's counters, the same shape for cgroup v1 and v2. Times are nanoseconds. A field a cgroup
 * version does not have is null (per-CPU usage and the memory high-water mark exist on v1 only).
 *
 * @param memoryLimit   bytes, or 0 when the cgroup has no limit (the caller shows the host's memory instead)
 * @param memoryStats   {@code memory.stat} as it is: v1 names ({@code total_inactive_file}) or v2 names
 *                      ({@code inactive_file})
 * @param pidsLimit     0 when unlimited
 * @param ioBytes       bytes read and written per device ({@code op} is Read/Write on v1, read/write on v2)
 * @param ioOps         operations per device, likewise
 */
public record CgroupSample(
        long cpuTotal,
        List<Long> cpuPerCpu,
        long cpuKernel,
        long cpuUser,
        long cpuPeriods,
        long cpuThrottledPeriods,
        long cpuThrottledTime,
        long memoryUsage,
        Long memoryMaxUsage,
        Long memoryFailcnt,
        long memoryLimit,
        Map<String, Long> memoryStats,
        long pidsCurrent,
        long pidsLimit,
        List<IoEntry> ioBytes,
        List<IoEntry> ioOps) {

    public record IoEntry(long major, long minor, String op, long value) {}
}
