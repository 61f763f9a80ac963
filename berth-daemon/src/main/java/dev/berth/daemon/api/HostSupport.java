package dev.berth.daemon.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this host's kernel lets containers be given, as {@code info} reports it (MemoryLimit, SwapLimit, CPU and pids
 * controllers, IP forwarding, bridge netfilter) and the warnings dockerd prints for what is missing. Read from
 * /sys/fs/cgroup and /proc/sys at each call: cheap, and right after a sysctl changes.
 */
final class HostSupport {
    private HostSupport() {}

    static final Path CGROUP = Path.of("/sys/fs/cgroup");

    static boolean cgroupV2(Path root) {
        return Files.exists(root.resolve("cgroup.controllers"));
    }

    /** The capability fields of {@code info} for the cgroup hierarchy at {@code root} and the sysctls under {@code proc}. */
    static Map<String, Object> probe(Path root, Path proc) {
        var m = new LinkedHashMap<String, Object>();
        if (cgroupV2(root)) {
            List<String> controllers = List.of(read(root.resolve("cgroup.controllers")).split("\\s+"));
            boolean memory = controllers.contains("memory");
            boolean cpu = controllers.contains("cpu");
            m.put("MemoryLimit", memory);
            m.put("SwapLimit", memory);
            m.put("CpuCfsPeriod", cpu);
            m.put("CpuCfsQuota", cpu);
            m.put("CPUShares", cpu);
            m.put("CPUSet", controllers.contains("cpuset"));
            m.put("PidsLimit", controllers.contains("pids"));
            m.put("OomKillDisable", false);
        } else {
            m.put("MemoryLimit", Files.exists(root.resolve("memory/memory.limit_in_bytes")));
            m.put("SwapLimit", Files.exists(root.resolve("memory/memory.memsw.limit_in_bytes")));
            m.put("CpuCfsPeriod", Files.exists(root.resolve("cpu/cpu.cfs_period_us")));
            m.put("CpuCfsQuota", Files.exists(root.resolve("cpu/cpu.cfs_quota_us")));
            m.put("CPUShares", Files.exists(root.resolve("cpu/cpu.shares")));
            m.put("CPUSet", Files.exists(root.resolve("cpuset/cpuset.cpus")));
            m.put("PidsLimit", Files.exists(root.resolve("pids")));
            m.put("OomKillDisable", Files.exists(root.resolve("memory/memory.oom_control")));
        }
        m.put("IPv4Forwarding", read(proc.resolve("net/ipv4/ip_forward")).equals("1"));
        m.put("BridgeNfIptables", read(proc.resolve("net/bridge/bridge-nf-call-iptables")).equals("1"));
        m.put("BridgeNfIp6tables", read(proc.resolve("net/bridge/bridge-nf-call-ip6tables")).equals("1"));
        return m;
    }

    /** dockerd's warnings for what {@link #probe} found missing, in its words and order. */
    static List<String> warnings(Map<String, Object> support) {
        var out = new ArrayList<String>();
        warn(out, support, "MemoryLimit", "WARNING: No memory limit support");
        warn(out, support, "SwapLimit", "WARNING: No swap limit support");
        warn(out, support, "CpuCfsQuota", "WARNING: No cpu cfs quota support");
        warn(out, support, "CpuCfsPeriod", "WARNING: No cpu cfs period support");
        warn(out, support, "CPUShares", "WARNING: No cpu shares support");
        warn(out, support, "CPUSet", "WARNING: No cpuset support");
        warn(out, support, "IPv4Forwarding", "WARNING: IPv4 forwarding is disabled");
        warn(out, support, "BridgeNfIptables", "WARNING: bridge-nf-call-iptables is disabled");
        warn(out, support, "BridgeNfIp6tables", "WARNING: bridge-nf-call-ip6tables is disabled");
        return out;
    }

    private static void warn(List<String> out, Map<String, Object> support, String key, String warning) {
        if (Boolean.FALSE.equals(support.get(key))) out.add(warning);
    }

    /**
     * The file system under {@code dir} as Docker names it in "Backing Filesystem" (its fsmagic names): ext2/3/4 are
     * {@code extfs}, the rest go by their kernel name.
     */
    static String backingFilesystem(Path dir) {
        try {
            String type = Files.getFileStore(dir).type();
            return switch (type) {
                case "ext2", "ext3", "ext4" -> "extfs";
                case "overlay" -> "overlayfs";
                default -> type;
            };
        } catch (java.io.IOException e) {
            return "<unknown>";
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
