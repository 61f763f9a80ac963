package dev.berth.oci;

import dev.berth.oci.spec.Linux.LinuxDeviceCgroup;
import dev.berth.oci.spec.Spec.Mount;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed parts of Docker's Linux spec (moby v28 {@code oci/defaults.go}, {@code DefaultLinuxSpec}): default mounts,
 * masked and read-only paths, and the device cgroup rules. runc adds its own default devices (null, zero, full,
 * random, urandom, tty, console, ptmx) and their cgroup rules, so the spec lists no devices.
 */
final class DockerDefaults {
    private DockerDefaults() {}

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static List<Mount> mounts() {
        return List.of(
                new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777")));
    }

    /** In moby's order; the per-CPU thermal_throttle entries follow (GHSA-6fw5-f8r9-fgfm). */
    static List<String> maskedPaths(HostInfo host) {
        var paths = new ArrayList<>(List.of(
                "/proc/asound",
                "/proc/acpi",
                "/proc/interrupts",
                "/proc/kcore",
                "/proc/keys",
                "/proc/latency_stats",
                "/proc/timer_list",
                "/proc/timer_stats",
                "/proc/sched_debug",
                "/proc/scsi",
                "/sys/firmware",
                "/sys/devices/virtual/powercap"));
        paths.addAll(host.thermalThrottlePaths());
        return paths;
    }

    static final List<String> READONLY_PATHS = List.of(
            "/proc/bus",
            "/proc/fs",
            "/proc/irq",
            "/proc/sys",
            "/proc/sysrq-trigger");

    /** Deny everything, allow the usual character devices, and keep denying fuse (10:229) explicitly. */
    static List<LinuxDeviceCgroup> deviceRules() {
        return List.of(
                new LinuxDeviceCgroup(false, null, null, null, "rwm"),
                allowChar(1, 5),   // zero
                allowChar(1, 3),   // null
                allowChar(1, 9),   // urandom
                allowChar(1, 8),   // random
                allowChar(5, 0),   // tty
                allowChar(5, 1),   // console
                new LinuxDeviceCgroup(false, "c", 10L, 229L, "rwm"));
    }

    private static LinuxDeviceCgroup allowChar(long major, long minor) {
        return new LinuxDeviceCgroup(true, "c", major, minor, "rwm");
    }
}
