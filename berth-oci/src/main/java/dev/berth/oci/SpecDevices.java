package dev.berth.oci;

import dev.berth.common.EngineException;
import dev.berth.oci.spec.Linux.LinuxDevice;
import dev.berth.oci.spec.Linux.LinuxDeviceCgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Device nodes and device cgroup rules, as moby's {@code WithDevices}: a privileged container sees every host device
 * and may use any; otherwise it gets runc's defaults plus {@code --device} nodes and
 * {@code --device-cgroup-rule} rules on top of Docker's default rules.
 */
final class SpecDevices {
    private SpecDevices() {}

    record Plan(List<LinuxDevice> devices, List<LinuxDeviceCgroup> rules) {}

    private static final Pattern CGROUP_RULE = Pattern.compile("^([acb]) ([0-9]+|\\*):([0-9]+|\\*) ([rwm]{1,3})$");

    /** Directories under /dev that hold no device nodes of the host's own (containerd's HostDevices). */
    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;

    static Plan plan(SpecOptions o) {
        var devices = new ArrayList<LinuxDevice>();
        var rules = new ArrayList<LinuxDeviceCgroup>();
        if (o.privileged()) {
            devices.addAll(hostDevices(Path.of("/dev")));
            for (var mapping : o.devices()) {
                // The host's /dev is already there; only a device renamed into the container adds anything.
                if (!mapping.pathOnHost().equals(mapping.pathInContainer())) {
                    devices.addAll(devicesFromPath(mapping).devices());
                }
            }
            rules.add(new LinuxDeviceCgroup(true, null, null, null, "rwm"));
            return new Plan(devices, rules);
        }
        rules.addAll(DockerDefaults.deviceRules());
        for (var mapping : o.devices()) {
            var plan = devicesFromPath(mapping);
            devices.addAll(plan.devices());
            rules.addAll(plan.rules());
        }
        for (var rule : o.deviceCgroupRules()) {
            rules.add(parseCgroupRule(rule));
        }
        return new Plan(devices, rules);
    }

    /** {@code c 13:* rwm}, {@code b 8:0 r}, {@code a *:* m}: Docker's {@code --device-cgroup-rule} syntax. */
    static LinuxDeviceCgroup parseCgroupRule(String rule) {
        var m = CGROUP_RULE.matcher(rule);
        if (!m.matches()) {
            throw EngineException.invalid("invalid device cgroup rule format: '%s'", rule);
        }
        return new LinuxDeviceCgroup(true, m.group(1), number(m.group(2)), number(m.group(3)), m.group(4));
    }

    private static Long number(String field) {
        return field.equals("*") ? -1L : Long.parseLong(field);
    }

    /** A device node, or every device node below a directory, as moby's {@code DevicesFromPath}. */
    static Plan devicesFromPath(DeviceMapping mapping) {
        var hostPath = Path.of(mapping.pathOnHost());
        try {
            if (Files.isSymbolicLink(hostPath)) {
                hostPath = hostPath.toRealPath();
            }
            var device = deviceFromPath(hostPath, mapping.pathInContainer());
            if (device != null) {
                return new Plan(List.of(device), List.of(rule(device, mapping.cgroupPermissions())));
            }
            if (Files.isDirectory(hostPath)) {
                var devices = new ArrayList<LinuxDevice>();
                var rules = new ArrayList<LinuxDeviceCgroup>();
                try (Stream<Path> walk = Files.walk(hostPath)) {
                    for (var p : walk.toList()) {
                        var inContainer = mapping.pathInContainer() + p.toString().substring(hostPath.toString().length());
                        var child = deviceFromPath(p, inContainer);
                        if (child != null) {
                            devices.add(child);
                            rules.add(rule(child, mapping.cgroupPermissions()));
                        }
                    }
                }
                if (!devices.isEmpty()) {
                    return new Plan(devices, rules);
                }
            }
            throw EngineException.invalid("error gathering device information while adding custom device \"%s\": "
                    + "not a device node", mapping.pathOnHost());
        } catch (IOException e) {
            throw EngineException.invalid("error gathering device information while adding custom device \"%s\": %s",
                    mapping.pathOnHost(), e.getMessage());
        }
    }

    /** Every block and character device under {@code dir}, skipping pts, shm and friends and the console. */
    static List<LinuxDevice> hostDevices(Path dir) {
        var out = new ArrayList<LinuxDevice>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (var p : entries.sorted().toList()) {
                var name = p.getFileName().toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!SKIPPED_DIRS.contains(name)) {
                        out.addAll(hostDevices(p));
                    }
                } else if (!name.equals("console")) {
                    var device = deviceFromPath(p, p.toString());
                    if (device != null) {
                        out.add(device);
                    }
                }
            }
        } catch (IOException e) {
            throw EngineException.failure("cannot list host devices in %s: %s", dir, e.getMessage());
        }
        return out;
    }

    /** The device at {@code hostPath} (not following a symlink), or null when it is not a block or char device. */
    private static LinuxDevice deviceFromPath(Path hostPath, String containerPath) throws IOException {
        int mode;
        long rdev;
        try {
            mode = (Integer) Files.getAttribute(hostPath, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            rdev = (Long) Files.getAttribute(hostPath, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        String type = switch (mode & S_IFMT) {
            case S_IFBLK -> "b";
            case S_IFCHR -> "c";
            default -> null;
        };
        if (type == null) {
            return null;
        }
        int uid = (Integer) Files.getAttribute(hostPath, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(hostPath, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        return new LinuxDevice(containerPath, type, major(rdev), minor(rdev), mode & 07777,
                Integer.toUnsignedLong(uid), Integer.toUnsignedLong(gid));
    }

    /** glibc's gnu_dev_major/gnu_dev_minor for the 64-bit dev_t layout. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L);
    }

    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
    }

    private static LinuxDeviceCgroup rule(LinuxDevice d, String permissions) {
        return new LinuxDeviceCgroup(true, d.type(), d.major(), d.minor(), permissions);
    }
}
