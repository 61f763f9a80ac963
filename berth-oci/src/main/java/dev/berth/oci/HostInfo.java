package dev.berth.oci;

import dev.berth.oci.seccomp.KernelVersion;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The facts about this machine that Docker's spec depends on, read once from {@code /proc} and {@code /sys}. Tests
 * build their own to pin a kernel version or a capability set.
 *
 * @param kernelRelease        {@code uname -r}, for seccomp {@code minKernel} and recursive read-only binds
 * @param seccompArch          libseccomp's native name ({@code amd64}, {@code arm64}...), as moby's profile uses it
 * @param capabilities         capabilities this process may hand out: known to the kernel ({@code cap_last_cap})
 *                             and in our own bounding set. A privileged container gets exactly these.
 * @param openFilesHardLimit   our own RLIMIT_NOFILE hard limit; a container cannot be given more without
 *                             CAP_SYS_RESOURCE
 * @param thermalThrottlePaths {@code /sys/devices/system/cpu/cpuN/thermal_throttle} that exist (masked by Docker)
 * @param presentSysctls       which of Docker's default network sysctls exist on this kernel
 * @param cgroupV2             whether {@code /sys/fs/cgroup} is the unified hierarchy
 */
public record HostInfo(
        String kernelRelease,
        String seccompArch,
        List<String> capabilities,
        long openFilesHardLimit,
        List<String> thermalThrottlePaths,
        Set<String> presentSysctls,
        boolean cgroupV2) {

    public HostInfo {
        capabilities = List.copyOf(capabilities);
        thermalThrottlePaths = List.copyOf(thermalThrottlePaths);
        presentSysctls = Set.copyOf(presentSysctls);
    }

    private static volatile HostInfo current;

    /** This machine, read on first use. */
    public static HostInfo current() {
        var info = current;
        if (info == null) {
            info = read();
            current = info;
        }
        return info;
    }

    public HostInfo withKernelRelease(String release) {
        return new HostInfo(release, seccompArch, capabilities, openFilesHardLimit, thermalThrottlePaths,
                presentSysctls, cgroupV2);
    }

    public HostInfo withCapabilities(List<String> caps) {
        return new HostInfo(kernelRelease, seccompArch, caps, openFilesHardLimit, thermalThrottlePaths,
                presentSysctls, cgroupV2);
    }

    /** {@code major.minor} of the kernel; moby compares only these two (profiles/seccomp/kernel_linux.go). */
    public KernelVersion kernelVersion() {
        return KernelVersion.ofRelease(kernelRelease);
    }

    /** Docker uses {@code rro} for read-only binds when the kernel has mount_setattr (5.12) and runc knows it. */
    public boolean recursiveReadOnly() {
        return kernelVersion().atLeast(new KernelVersion(5, 12));
    }

    static final String PING_GROUP_RANGE = "net.ipv4.ping_group_range";
    static final String UNPRIVILEGED_PORT_START = "net.ipv4.ip_unprivileged_port_start";

    private static HostInfo read() {
        var presentSysctls = new TreeSet<String>();
        for (var name : List.of(PING_GROUP_RANGE, UNPRIVILEGED_PORT_START)) {
            if (Files.exists(Path.of("/proc/sys", name.replace('.', '/')))) {
                presentSysctls.add(name);
            }
        }
        return new HostInfo(
                readString(Path.of("/proc/sys/kernel/osrelease"), "0.0").strip(),
                seccompArch(System.getProperty("os.arch")),
                readAvailableCapabilities(),
                readOpenFilesHardLimit(),
                readThermalThrottlePaths(),
                presentSysctls,
                Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")));
    }

    static String seccompArch(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "x86";
            case "arm" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> javaArch;
        };
    }

    /** Like containerd's {@code cap.Current()}, which Docker uses for privileged containers and to vet cap-add. */
    private static List<String> readAvailableCapabilities() {
        int last = Integer.parseInt(readString(Path.of("/proc/sys/kernel/cap_last_cap"),
                String.valueOf(Capabilities.KNOWN.size() - 1)).strip());
        long bounding = -1L;
        for (var line : readString(Path.of("/proc/self/status"), "").split("\n")) {
            if (line.startsWith("CapBnd:")) {
                bounding = Long.parseUnsignedLong(line.substring("CapBnd:".length()).strip(), 16);
            }
        }
        var caps = new ArrayList<String>();
        for (int i = 0; i <= last && i < Capabilities.KNOWN.size(); i++) {
            if ((bounding & (1L << i)) != 0) {
                caps.add(Capabilities.KNOWN.get(i));
            }
        }
        return caps;
    }

    /** {@code Max open files  <soft>  <hard>  files} in /proc/self/limits. */
    static long readOpenFilesHardLimit() {
        var m = Pattern.compile("(?m)^Max open files\\s+(\\S+)\\s+(\\S+)")
                .matcher(readString(Path.of("/proc/self/limits"), ""));
        if (!m.find() || m.group(2).equals("unlimited")) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(m.group(2));
    }

    /** moby masks thermal_throttle of every possible CPU (GHSA-6fw5-f8r9-fgfm) where the directory exists. */
    private static List<String> readThermalThrottlePaths() {
        var paths = new ArrayList<String>();
        for (int cpu : possibleCpus(readString(Path.of("/sys/devices/system/cpu/possible"), "").strip())) {
            var path = "/sys/devices/system/cpu/cpu" + cpu + "/thermal_throttle";
            if (Files.exists(Path.of(path))) {
                paths.add(path);
            }
        }
        return paths;
    }

    /** Parses a cpu list such as {@code 0-3,8,10-11}. */
    static List<Integer> possibleCpus(String list) {
        var cpus = new ArrayList<Integer>();
        if (list.isEmpty()) {
            return cpus;
        }
        for (var part : list.split(",")) {
            var range = part.strip().split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int i = from; i <= to; i++) {
                cpus.add(i);
            }
        }
        return cpus;
    }

    /**
     * Reads a /proc or /sys file in one big read: these report size 0, and {@code Files.readString} on a sysctl
     * file such as {@code cap_last_cap} returned only its first byte ("4" for "40") on this kernel.
     */
    private static String readString(Path path, String fallback) {
        try (var in = new FileInputStream(path.toFile())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fallback;
        }
    }
}
