package dev.berth.oci;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import dev.berth.oci.seccomp.SeccompProfiles;
import dev.berth.oci.spec.Linux;
import dev.berth.oci.spec.Linux.LinuxNamespace;
import dev.berth.oci.spec.Linux.LinuxSeccomp;
import dev.berth.oci.spec.Spec;
import dev.berth.oci.spec.Spec.Box;
import dev.berth.oci.spec.Spec.LinuxCapabilities;
import dev.berth.oci.spec.Spec.POSIXRlimit;
import dev.berth.oci.spec.Spec.Process;
import dev.berth.oci.spec.Spec.Root;
import dev.berth.oci.spec.Spec.User;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a container's OCI runtime spec ({@code <bundle>/config.json}) with Docker Engine's defaults, following
 * moby's {@code createSpec} (daemon/oci_linux.go) step by step: common options, cgroups, resources, sysctls,
 * devices, rlimits, namespaces, capabilities, seccomp (which depends on the capabilities), mounts, OOM score,
 * annotations and the user.
 *
 * <p>Reads the rootfs' {@code /etc/passwd} and {@code /etc/group} (inside the rootfs only), so call it when the
 * rootfs is mounted, just before creating the task. Apparmor and SELinux labels are not set.
 */
public final class OciSpecs {
    private OciSpecs() {}

    /** Docker users expect a high open-files limit; runc cannot raise it above our own hard limit. */
    static final long DEFAULT_NOFILE = 1_048_576;

    public static Spec build(SpecOptions o) {
        return build(o, HostInfo.current());
    }

    public static Spec build(SpecOptions o, HostInfo host) {
        if (o.args().isEmpty()) {
            throw EngineException.invalid("no command specified");
        }
        if (o.rootfs() == null || !o.rootfs().isAbsolute()) {
            throw EngineException.invalid("rootfs must be an absolute path: %s", o.rootfs());
        }
        var caps = Capabilities.effective(o.capAdd(), o.capDrop(), o.privileged(), host);
        var user = UserResolver.resolve(o.rootfs(), o.user(), o.groupAdd());
        var devices = SpecDevices.plan(o);
        var mounts = SpecMounts.plan(o, host);

        var process = new Process(
                o.terminal(),
                o.terminal() && o.consoleSize() != null && (o.consoleSize().height() > 0 || o.consoleSize().width() > 0)
                        ? new Box(o.consoleSize().height(), o.consoleSize().width()) : null,
                new User(user.uid(), user.gid(), user.additionalGids()),
                o.args(),
                ProcessEnv.build(o.env(), o.hostname(), o.terminal(), user.home()),
                o.cwd(),
                // Docker leaves inheritable and ambient empty (CVE-2022-24769).
                new LinuxCapabilities(caps, caps, null, caps, null),
                rlimits(o, host),
                o.noNewPrivileges(),
                null,
                o.oomScoreAdj(),
                null);

        var linux = new Linux(
                sysctls(o, host),
                SpecResources.of(o.resources(), devices.rules()),
                o.cgroupsPath(),
                namespaces(o),
                devices.devices(),
                seccomp(o, host, caps),
                mounts.rootfsPropagation(),
                o.privileged() ? null : o.maskedPaths() != null ? o.maskedPaths() : DockerDefaults.maskedPaths(host),
                o.privileged() ? null : o.readonlyPaths() != null ? o.readonlyPaths() : DockerDefaults.READONLY_PATHS,
                null);

        return new Spec(
                Spec.VERSION,
                process,
                new Root(o.rootfs().toString(), o.readonlyRootfs()),
                o.hostname().isEmpty() ? null : o.hostname(),
                null,
                mounts.mounts(),
                linux,
                o.annotations().isEmpty() ? null : new TreeMap<>(o.annotations()));
    }

    /** The spec as {@code config.json} bytes. */
    public static byte[] toJson(Spec spec) {
        return Json.write(spec);
    }

    /**
     * mount, network, uts, pid and ipc are always private in Berth for now; the network namespace follows
     * {@link NetworkMode} and the cgroup namespace {@link CgroupnsMode}. Docker's own time namespace needs runc 1.2.
     */
    private static List<LinuxNamespace> namespaces(SpecOptions o) {
        var namespaces = new ArrayList<LinuxNamespace>();
        namespaces.add(new LinuxNamespace("mount", null));
        switch (o.networkMode()) {
            case NetworkMode.Host h -> { }
            case NetworkMode.None n -> namespaces.add(new LinuxNamespace("network", null));
            case NetworkMode.Path p -> namespaces.add(new LinuxNamespace("network", p.nsPath()));
            case NetworkMode.Container c -> namespaces.add(new LinuxNamespace("network", c.nsPath()));
        }
        namespaces.add(new LinuxNamespace("uts", null));
        namespaces.add(new LinuxNamespace("pid", null));
        namespaces.add(new LinuxNamespace("ipc", null));
        if (o.cgroupns() == CgroupnsMode.PRIVATE) {
            namespaces.add(new LinuxNamespace("cgroup", null));
        }
        return namespaces;
    }

    /**
     * Docker sets the NIS domain name through its sysctl, and in a network namespace of the container's own allows
     * unprivileged ping and low ports; the user's {@code --sysctl} values win over all of these.
     */
    private static Map<String, String> sysctls(SpecOptions o, HostInfo host) {
        var sysctls = new LinkedHashMap<String, String>();
        if (!o.domainname().isEmpty()) {
            sysctls.put("kernel.domainname", o.domainname());
        }
        if (o.networkMode().ownNamespace()) {
            if (host.presentSysctls().contains(HostInfo.PING_GROUP_RANGE)) {
                sysctls.put(HostInfo.PING_GROUP_RANGE, "0 2147483647");
            }
            if (host.presentSysctls().contains(HostInfo.UNPRIVILEGED_PORT_START)) {
                sysctls.put(HostInfo.UNPRIVILEGED_PORT_START, "0");
            }
        }
        sysctls.putAll(new TreeMap<>(o.sysctls()));
        return sysctls.isEmpty() ? null : sysctls;
    }

    /** The user's {@code --ulimit}s, plus a nofile default of 1048576 capped at our own hard limit. */
    private static List<POSIXRlimit> rlimits(SpecOptions o, HostInfo host) {
        var rlimits = new ArrayList<POSIXRlimit>();
        for (var u : o.ulimits()) {
            rlimits.removeIf(r -> r.type().equals(u.rlimitType()));
            rlimits.add(new POSIXRlimit(u.rlimitType(), Ulimit.unsigned(u.hard()), Ulimit.unsigned(u.soft())));
        }
        if (rlimits.stream().noneMatch(r -> r.type().equals("RLIMIT_NOFILE"))) {
            var nofile = Ulimit.unsigned(Math.min(DEFAULT_NOFILE, host.openFilesHardLimit()));
            rlimits.add(new POSIXRlimit("RLIMIT_NOFILE", nofile, nofile));
        }
        return rlimits;
    }

    /**
     * moby's {@code WithSeccomp}: {@code unconfined} means none; a privileged container runs without the default
     * profile but keeps an explicit one; the rules are chosen for the container's bounding set.
     */
    private static LinuxSeccomp seccomp(SpecOptions o, HostInfo host, List<String> caps) {
        var profile = switch (o.seccomp()) {
            case SeccompMode.Unconfined u -> null;
            case SeccompMode.Default d -> o.privileged() ? null : SeccompProfiles.defaultProfile();
            case SeccompMode.Custom c -> SeccompProfiles.parse(c.profileJson());
        };
        return profile == null ? null
                : SeccompProfiles.convert(profile, host.seccompArch(), host.kernelVersion(), caps);
    }
}
