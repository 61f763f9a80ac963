package dev.berth.sys.cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Host-wide counters that container stats are measured against: CPU time, CPUs and memory. */
public final class HostCounters {
    private HostCounters() {}

    /** USER_HZ: /proc/stat counts in 1/100 s. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /**
     * Host CPU time in nanoseconds: the sum of user, nice, system, idle, iowait, irq and softirq of /proc/stat's
     * {@code cpu} line, as Docker's {@code getSystemCPUUsage}.
     */
    public static long systemCpuUsage() {
        for (String line : procStat().split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long ticks = 0;
                for (int i = 1; i < Math.min(8, f.length); i++) ticks += Long.parseLong(f[i]);
                return ticks * NANOS_PER_TICK;
            }
        }
        return 0;
    }

    /** The CPUs the kernel has online: the {@code cpuN} lines of /proc/stat. */
    public static int onlineCpus() {
        int n = 0;
        for (String line : procStat().split("\n")) {
            if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) n++;
        }
        return Math.max(n, 1);
    }

    /** MemTotal of /proc/meminfo in bytes. */
    public static long memoryTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the kernel limits memory plus swap (cgroup v1's memsw files, or v2's memory.swap.max). */
    public static boolean swapLimitSupported() {
        Path root = Path.of("/sys/fs/cgroup");
        return Files.exists(root.resolve("cgroup.controllers"))
                || Files.exists(root.resolve("memory/memory.memsw.limit_in_bytes"));
    }

    private static String procStat() {
        try {
            return Files.readString(Path.of("/proc/stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
