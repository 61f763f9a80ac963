package dev.berth.oci.seccomp;

import java.math.BigInteger;
import java.util.List;

/**
 * A seccomp profile in Docker's format (moby profiles/seccomp {@code Seccomp}): the runtime-spec fields plus
 * {@code archMap} and rules that apply only {@code includes}/{@code excludes} given capabilities, architectures or a
 * minimum kernel. {@link SeccompProfiles#convert} resolves those conditions into the runtime-spec section.
 * Any component may be null, as in the JSON.
 */
public record SeccompProfile(
        String defaultAction,
        Long defaultErrnoRet,
        List<String> architectures,
        List<ArchMap> archMap,
        List<String> flags,
        String listenerPath,
        String listenerMetadata,
        List<Rule> syscalls) {

    /** An architecture and the sub-architectures whose syscall tables the filter must also cover. */
    public record ArchMap(String architecture, List<String> subArchitectures) {}

    /** @param name the pre-{@code names} single-syscall form, still accepted as Docker does */
    public record Rule(
            String name,
            List<String> names,
            String action,
            Long errnoRet,
            List<Arg> args,
            String comment,
            Filter includes,
            Filter excludes) {}

    public record Arg(Long index, BigInteger value, BigInteger valueTwo, String op) {}

    /**
     * @param caps      capability names such as {@code CAP_SYS_ADMIN}
     * @param arches    libseccomp native names: {@code amd64}, {@code x86}, {@code arm64}...
     * @param minKernel {@code <kernel>.<major>}, e.g. {@code 4.8}
     */
    public record Filter(List<String> caps, List<String> arches, String minKernel) {}
}
