package dev.berth.oci;

import dev.berth.oci.BindMount.Propagation;
import dev.berth.oci.spec.Spec.Mount;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Merges Docker's default mounts with the container's binds, following moby's {@code withMounts}
 * (daemon/oci_linux.go): a bind replaces the default at its destination, a bind on {@code /dev} removes every default
 * below it, {@code /dev/shm} gets its size, a read-only rootfs makes the remaining system mounts read-only, and a
 * privileged container gets {@code /sys} and the cgroup mount writable.
 */
final class SpecMounts {
    private SpecMounts() {}

    /** The mounts and the rootfs propagation ({@code null} = runtime default) that the binds require. */
    record Plan(List<Mount> mounts, String rootfsPropagation) {}

    /** System mounts that stay writable under {@code --read-only}, as in Docker. */
    private static final Set<String> WRITABLE_UNDER_READONLY_ROOTFS =
            Set.of("/proc", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev");

    static Plan plan(SpecOptions o, HostInfo host) {
        // Parents before children, so a bind on /data is mounted before one on /data/x (moby sortMounts).
        var binds = o.extraMounts().stream()
                .sorted(Comparator.comparingInt(m -> depth(m.destination())))
                .toList();
        var userDestinations = binds.stream().map(m -> clean(m.destination())).collect(Collectors.toCollection(java.util.HashSet::new));
        o.tmpfs().keySet().forEach(d -> userDestinations.add(clean(d)));
        boolean userDev = userDestinations.contains("/dev");

        var mounts = new ArrayList<Mount>();
        for (var m : DockerDefaults.mounts()) {
            if (userDestinations.contains(m.destination())) {
                continue;
            }
            if (userDev && m.destination().startsWith("/dev/")) {
                continue;
            }
            if (m.destination().equals("/dev/shm")) {
                m = withOption(m, "size=" + o.shmSize());
            }
            mounts.add(m);
        }

        // Tmpfs mounts first, so that a bind below one lands on it rather than under it.
        o.tmpfs().entrySet().stream()
                .sorted(Comparator.comparingInt((java.util.Map.Entry<String, String> e) -> depth(e.getKey())))
                .forEach(e -> mounts.add(new Mount(clean(e.getKey()), "tmpfs", "tmpfs", tmpfsOptions(e.getValue()))));

        String rootfsPropagation = null;
        for (var b : binds) {
            var options = new ArrayList<String>();
            options.add(b.nonRecursive() ? "bind" : "rbind");
            if (b.readOnly()) {
                options.add(host.recursiveReadOnly() && !b.nonRecursive() ? "rro" : "ro");
            }
            options.add(b.propagation().option());
            mounts.add(new Mount(clean(b.destination()), "bind", b.source().toString(), List.copyOf(options)));
            rootfsPropagation = rootfsPropagationFor(b.propagation(), rootfsPropagation);
        }

        if (o.readonlyRootfs()) {
            mounts.replaceAll(m -> WRITABLE_UNDER_READONLY_ROOTFS.contains(m.destination())
                    || userDestinations.contains(m.destination())
                    || m.options().contains("ro") ? m : withOption(m, "ro"));
        }
        if (o.privileged()) {
            // Docker's default for WritableCgroups is the value of --privileged.
            mounts.replaceAll(m -> m.destination().equals("/sys") || m.type().equals("cgroup") ? withoutReadOnly(m) : m);
        }
        return new Plan(List.copyOf(mounts), rootfsPropagation);
    }

    /**
     * A shared bind needs a shared rootfs and a slave bind at least a slave one, or mounts would not propagate. The
     * engine checks that the source itself sits on a shared (or slave) mount, since that is host state.
     */
    private static String rootfsPropagationFor(Propagation p, String current) {
        boolean currentShared = "shared".equals(current) || "rshared".equals(current);
        boolean currentSlave = "slave".equals(current) || "rslave".equals(current);
        return switch (p) {
            case SHARED, RSHARED -> currentShared ? current : "shared";
            case SLAVE, RSLAVE -> currentShared || currentSlave ? current : "rslave";
            case PRIVATE, RPRIVATE -> current;
        };
    }

    /**
     * Docker's {@code noexec,nosuid,nodev} merged with the user's options, as moby's {@code MergeTmpfsOptions}:
     * the later of two opposite flags ({@code exec} and {@code noexec}) wins, as does the later value of a key.
     */
    static List<String> tmpfsOptions(String userOptions) {
        var merged = new java.util.LinkedHashMap<String, String>();
        var all = new ArrayList<>(List.of("noexec", "nosuid", "nodev"));
        if (userOptions != null && !userOptions.isBlank()) all.addAll(List.of(userOptions.split(",")));
        for (String opt : all) {
            opt = opt.strip();
            if (opt.isEmpty()) continue;
            int eq = opt.indexOf('=');
            String key = eq >= 0 ? opt.substring(0, eq) : FLAG_GROUPS.getOrDefault(opt, opt);
            merged.remove(key);
            merged.put(key, opt);
        }
        return List.copyOf(merged.values());
    }

    /** Flags that cancel each other share a key. */
    private static final java.util.Map<String, String> FLAG_GROUPS = java.util.Map.of(
            "exec", "exec", "noexec", "exec", "suid", "suid", "nosuid", "suid", "dev", "dev", "nodev", "dev",
            "rw", "rw", "ro", "rw", "atime", "atime", "noatime", "atime");

    private static Mount withOption(Mount m, String option) {
        var options = new ArrayList<>(m.options());
        options.add(option);
        return new Mount(m.destination(), m.type(), m.source(), List.copyOf(options));
    }

    private static Mount withoutReadOnly(Mount m) {
        return new Mount(m.destination(), m.type(), m.source(),
                m.options().stream().filter(opt -> !opt.equals("ro")).toList());
    }

    private static String clean(String destination) {
        var cleaned = java.nio.file.Path.of(destination).normalize().toString();
        return cleaned.isEmpty() ? "/" : cleaned;
    }

    private static int depth(String destination) {
        return clean(destination).split("/").length;
    }
}
