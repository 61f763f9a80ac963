package dev.berth.cli;

import java.math.BigDecimal;
import java.util.Map;
import picocli.CommandLine.Option;

/** The resource limits {@code run}, {@code create} and {@code update} share, as HostConfig fields. */
final class ResourceOptions {
    @Option(names = {"-m", "--memory"}, paramLabel = "bytes", description = "Memory limit")
    String memory;

    @Option(names = "--memory-swap", paramLabel = "bytes", description = "Swap limit equal to memory plus swap: '-1' to enable unlimited swap")
    String memorySwap;

    @Option(names = "--memory-reservation", paramLabel = "bytes", description = "Memory soft limit")
    String memoryReservation;

    @Option(names = "--cpus", paramLabel = "decimal", description = "Number of CPUs")
    String cpus;

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "int", description = "CPU shares (relative weight)")
    Long cpuShares;

    @Option(names = "--cpuset-cpus", paramLabel = "string", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;

    @Option(names = "--pids-limit", paramLabel = "int", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;

    @Option(names = "--oom-kill-disable", description = "Disable OOM Killer")
    boolean oomKillDisable;

    void addTo(Map<String, Object> host) {
        if (memory != null) host.put("Memory", Sizes.ramInBytes(memory, "--memory"));
        if (memorySwap != null) host.put("MemorySwap", memorySwap.equals("-1") ? -1L : Sizes.ramInBytes(memorySwap, "--memory-swap"));
        if (memoryReservation != null) host.put("MemoryReservation", Sizes.ramInBytes(memoryReservation, "--memory-reservation"));
        if (cpus != null) host.put("NanoCpus", nanoCpus(cpus));
        if (cpuShares != null) host.put("CpuShares", cpuShares);
        if (cpusetCpus != null) host.put("CpusetCpus", cpusetCpus);
        if (pidsLimit != null) host.put("PidsLimit", pidsLimit);
        if (oomKillDisable) host.put("OomKillDisable", true);
    }

    /** {@code --cpus 1.5} is 1500000000 NanoCpus; Docker allows nine decimals at most. */
    static long nanoCpus(String value) {
        try {
            BigDecimal n = new BigDecimal(value).movePointRight(9);
            if (n.signum() < 0 || n.stripTrailingZeros().scale() > 0) throw new NumberFormatException();
            return n.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageError("invalid argument \"" + value + "\" for \"--cpus\" flag: failed to parse " + value + " as a rational number");
        }
    }
}
