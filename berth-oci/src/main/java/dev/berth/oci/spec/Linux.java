package dev.berth.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** The {@code linux} section of {@link Spec} (runtime-spec {@code config-linux.md}), with its nested wire records. */
@JsonInclude(Include.NON_NULL)
public record Linux(
        Map<String, String> sysctl,
        LinuxResources resources,
        String cgroupsPath,
        List<LinuxNamespace> namespaces,
        List<LinuxDevice> devices,
        LinuxSeccomp seccomp,
        String rootfsPropagation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel) {

    /** {@code path} null means "create a new namespace"; a path means "join this one". */
    @JsonInclude(Include.NON_NULL)
    public record LinuxNamespace(String type, String path) {}

    @JsonInclude(Include.NON_NULL)
    public record LinuxDevice(String path, String type, long major, long minor, Integer fileMode, Long uid, Long gid) {}

    @JsonInclude(Include.NON_NULL)
    public record LinuxResources(
            List<LinuxDeviceCgroup> devices,
            LinuxMemory memory,
            LinuxCPU cpu,
            LinuxPids pids,
            LinuxBlockIO blockIO) {}

    /** {@code major}/{@code minor} null (or -1) mean "any", like {@code *} in a cgroup v1 devices rule. */
    @JsonInclude(Include.NON_NULL)
    public record LinuxDeviceCgroup(boolean allow, String type, Long major, Long minor, String access) {}

    @JsonInclude(Include.NON_NULL)
    public record LinuxMemory(
            Long limit,
            Long reservation,
            Long swap,
            Long kernelTCP,
            Long swappiness,
            Boolean disableOOMKiller) {}

    @JsonInclude(Include.NON_NULL)
    public record LinuxCPU(
            Long shares,
            Long quota,
            Long period,
            Long realtimeRuntime,
            Long realtimePeriod,
            String cpus,
            String mems) {}

    @JsonInclude(Include.NON_NULL)
    public record LinuxPids(long limit) {}

    @JsonInclude(Include.NON_NULL)
    public record LinuxBlockIO(Integer weight) {}

    @JsonInclude(Include.NON_NULL)
    public record LinuxSeccomp(
            String defaultAction,
            Long defaultErrnoRet,
            List<String> architectures,
            List<String> flags,
            String listenerPath,
            String listenerMetadata,
            List<LinuxSyscall> syscalls) {}

    @JsonInclude(Include.NON_NULL)
    public record LinuxSyscall(List<String> names, String action, Long errnoRet, List<LinuxSeccompArg> args) {}

    /** {@code value}/{@code valueTwo} are uint64 in Go, so they may exceed a Java long. */
    @JsonInclude(Include.NON_NULL)
    public record LinuxSeccompArg(long index, BigInteger value, BigInteger valueTwo, String op) {}
}
