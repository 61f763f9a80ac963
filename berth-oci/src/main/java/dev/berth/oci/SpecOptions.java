package dev.berth.oci;

import dev.berth.common.EngineException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything about one container that shapes its OCI spec, already translated from Docker's {@code Config} and
 * {@code HostConfig} by the engine. Start from {@link #builder()} (Docker's defaults) and set what the user chose;
 * {@link OciSpecs#build(SpecOptions)} turns it into {@code config.json}.
 *
 * @param env               the merged image and user environment ({@code KEY=value}; a bare {@code KEY} unsets it)
 * @param user              Docker's {@code -u}: {@code name}, {@code uid}, {@code name:group}, {@code uid:gid}, or
 *                          empty for root; resolved against the rootfs' {@code /etc/passwd} and {@code /etc/group}
 * @param groupAdd          {@code --group-add} names or gids
 * @param stdinOpen         {@code -i}; the runtime spec has no field for it, the engine wires stdin itself
 * @param consoleSize       initial size when {@code terminal}, or null
 * @param rootfs            the mounted root filesystem (absolute)
 * @param extraMounts       binds to add: {@code /etc/hostname}, {@code /etc/hosts}, {@code /etc/resolv.conf}, volumes
 * @param capAdd            Docker forms: {@code NET_ADMIN}, {@code CAP_NET_ADMIN}, {@code ALL} (any case)
 * @param shmSize           bytes for {@code /dev/shm}; Docker's default is 64 MiB
 * @param maskedPaths       {@code HostConfig.MaskedPaths}: null keeps Docker's defaults
 * @param readonlyPaths     {@code HostConfig.ReadonlyPaths}: null keeps Docker's defaults
 * @param tmpfs             {@code HostConfig.Tmpfs}: mount point to options ({@code size=64m,exec}), on top of
 *                          Docker's {@code noexec,nosuid,nodev}
 */
public record SpecOptions(
        List<String> args,
        List<String> env,
        String cwd,
        String user,
        List<String> groupAdd,
        String hostname,
        String domainname,
        boolean terminal,
        boolean stdinOpen,
        ConsoleSize consoleSize,
        Path rootfs,
        boolean readonlyRootfs,
        List<BindMount> extraMounts,
        NetworkMode networkMode,
        CgroupnsMode cgroupns,
        String cgroupsPath,
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        SeccompMode seccomp,
        boolean noNewPrivileges,
        Map<String, String> sysctls,
        List<Ulimit> ulimits,
        long shmSize,
        int oomScoreAdj,
        Resources resources,
        List<DeviceMapping> devices,
        List<String> deviceCgroupRules,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        Map<String, String> annotations,
        Map<String, String> tmpfs) {

    /** Docker's default {@code --shm-size} (daemon {@code default-shm-size}). */
    public static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;

    public SpecOptions {
        args = List.copyOf(args);
        env = List.copyOf(env);
        cwd = cwd == null || cwd.isEmpty() ? "/" : cwd;
        user = user == null ? "" : user;
        groupAdd = List.copyOf(groupAdd);
        hostname = hostname == null ? "" : hostname;
        domainname = domainname == null ? "" : domainname;
        extraMounts = List.copyOf(extraMounts);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        sysctls = Map.copyOf(sysctls);
        ulimits = List.copyOf(ulimits);
        devices = List.copyOf(devices);
        deviceCgroupRules = List.copyOf(deviceCgroupRules);
        maskedPaths = maskedPaths == null ? null : List.copyOf(maskedPaths);
        readonlyPaths = readonlyPaths == null ? null : List.copyOf(readonlyPaths);
        annotations = Map.copyOf(annotations);
        tmpfs = tmpfs == null ? Map.of() : Map.copyOf(tmpfs);
        for (String destination : tmpfs.keySet()) {
            if (!destination.startsWith("/")) {
                throw EngineException.invalid("invalid tmpfs mount: mount path must be absolute: %s", destination);
            }
        }
        if (shmSize < 0) {
            throw EngineException.invalid("SHM size can not be less than 0");
        }
        if (shmSize == 0) {
            shmSize = DEFAULT_SHM_SIZE;
        }
        if (networkMode == null || cgroupns == null || seccomp == null || resources == null) {
            throw new IllegalArgumentException("networkMode, cgroupns, seccomp and resources are required");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable, starts from Docker's defaults; {@link #build()} validates through the record's constructor. */
    public static final class Builder {
        private List<String> args = List.of();
        private List<String> env = List.of();
        private String cwd = "/";
        private String user = "";
        private List<String> groupAdd = List.of();
        private String hostname = "";
        private String domainname = "";
        private boolean terminal;
        private boolean stdinOpen;
        private ConsoleSize consoleSize;
        private Path rootfs;
        private boolean readonlyRootfs;
        private List<BindMount> extraMounts = List.of();
        private NetworkMode networkMode = NetworkMode.NONE;
        private CgroupnsMode cgroupns = HostInfo.current().cgroupV2() ? CgroupnsMode.PRIVATE : CgroupnsMode.HOST;
        private String cgroupsPath;
        private List<String> capAdd = List.of();
        private List<String> capDrop = List.of();
        private boolean privileged;
        private SeccompMode seccomp = SeccompMode.DEFAULT;
        private boolean noNewPrivileges;
        private Map<String, String> sysctls = Map.of();
        private List<Ulimit> ulimits = List.of();
        private long shmSize = DEFAULT_SHM_SIZE;
        private int oomScoreAdj;
        private Resources resources = Resources.NONE;
        private List<DeviceMapping> devices = List.of();
        private List<String> deviceCgroupRules = List.of();
        private List<String> maskedPaths;
        private List<String> readonlyPaths;
        private Map<String, String> annotations = Map.of();
        private Map<String, String> tmpfs = Map.of();

        private Builder() {}

        private Builder(SpecOptions o) {
            args = o.args; env = o.env; cwd = o.cwd; user = o.user; groupAdd = o.groupAdd;
            hostname = o.hostname; domainname = o.domainname; terminal = o.terminal; stdinOpen = o.stdinOpen;
            consoleSize = o.consoleSize; rootfs = o.rootfs; readonlyRootfs = o.readonlyRootfs;
            extraMounts = o.extraMounts; networkMode = o.networkMode; cgroupns = o.cgroupns;
            cgroupsPath = o.cgroupsPath; capAdd = o.capAdd; capDrop = o.capDrop; privileged = o.privileged;
            seccomp = o.seccomp; noNewPrivileges = o.noNewPrivileges; sysctls = o.sysctls; ulimits = o.ulimits;
            shmSize = o.shmSize; oomScoreAdj = o.oomScoreAdj; resources = o.resources; devices = o.devices;
            deviceCgroupRules = o.deviceCgroupRules; maskedPaths = o.maskedPaths; readonlyPaths = o.readonlyPaths;
            annotations = o.annotations; tmpfs = o.tmpfs;
        }

        public Builder args(List<String> v) { args = v; return this; }
        public Builder args(String... v) { args = List.of(v); return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder groupAdd(List<String> v) { groupAdd = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder domainname(String v) { domainname = v; return this; }
        public Builder terminal(boolean v) { terminal = v; return this; }
        public Builder stdinOpen(boolean v) { stdinOpen = v; return this; }
        public Builder consoleSize(ConsoleSize v) { consoleSize = v; return this; }
        public Builder rootfs(Path v) { rootfs = v; return this; }
        public Builder readonlyRootfs(boolean v) { readonlyRootfs = v; return this; }
        public Builder extraMounts(List<BindMount> v) { extraMounts = v; return this; }

        public Builder addMount(BindMount v) {
            var all = new ArrayList<>(extraMounts);
            all.add(v);
            extraMounts = all;
            return this;
        }

        public Builder networkMode(NetworkMode v) { networkMode = v; return this; }
        public Builder cgroupns(CgroupnsMode v) { cgroupns = v; return this; }
        public Builder cgroupsPath(String v) { cgroupsPath = v; return this; }
        public Builder capAdd(List<String> v) { capAdd = v; return this; }
        public Builder capAdd(String... v) { capAdd = List.of(v); return this; }
        public Builder capDrop(List<String> v) { capDrop = v; return this; }
        public Builder capDrop(String... v) { capDrop = List.of(v); return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder seccomp(SeccompMode v) { seccomp = v; return this; }
        public Builder noNewPrivileges(boolean v) { noNewPrivileges = v; return this; }
        public Builder sysctls(Map<String, String> v) { sysctls = new LinkedHashMap<>(v); return this; }
        public Builder ulimits(List<Ulimit> v) { ulimits = v; return this; }
        public Builder shmSize(long v) { shmSize = v; return this; }
        public Builder oomScoreAdj(int v) { oomScoreAdj = v; return this; }
        public Builder resources(Resources v) { resources = v; return this; }
        public Builder devices(List<DeviceMapping> v) { devices = v; return this; }
        public Builder deviceCgroupRules(List<String> v) { deviceCgroupRules = v; return this; }
        public Builder maskedPaths(List<String> v) { maskedPaths = v; return this; }
        public Builder readonlyPaths(List<String> v) { readonlyPaths = v; return this; }
        public Builder annotations(Map<String, String> v) { annotations = v; return this; }
        public Builder tmpfs(Map<String, String> v) { tmpfs = v; return this; }

        public SpecOptions build() {
            return new SpecOptions(args, env, cwd, user, groupAdd, hostname, domainname, terminal, stdinOpen,
                    consoleSize, rootfs, readonlyRootfs, extraMounts, networkMode, cgroupns, cgroupsPath, capAdd,
                    capDrop, privileged, seccomp, noNewPrivileges, sysctls, ulimits, shmSize, oomScoreAdj, resources,
                    devices, deviceCgroupRules, maskedPaths, readonlyPaths, annotations, tmpfs);
        }
    }
}
