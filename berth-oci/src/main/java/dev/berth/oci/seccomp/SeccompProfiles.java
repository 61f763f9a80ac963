package dev.berth.oci.seccomp;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import dev.berth.oci.spec.Linux.LinuxSeccomp;
import dev.berth.oci.spec.Linux.LinuxSeccompArg;
import dev.berth.oci.spec.Linux.LinuxSyscall;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Loads seccomp profiles in Docker's format and resolves them for one container on this host, as moby's
 * {@code setupSeccomp} (profiles/seccomp/seccomp_linux.go): the host's architecture picks the {@code archMap} entry;
 * a rule is kept only if the container has every capability its {@code includes.caps} names and none of its
 * {@code excludes.caps}, if the architecture matches, and if the kernel is new enough for {@code minKernel}.
 */
public final class SeccompProfiles {
    private SeccompProfiles() {}

    /** Go's encoding/json matches keys case-insensitively; profiles written by hand rely on it. */
    private static final JsonMapper MAPPER = Json.MAPPER.rebuild()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .build();

    /** libseccomp's native architecture name to the runtime-spec constant (moby {@code nativeToSeccomp}). */
    private static final Map<String, String> NATIVE_TO_SECCOMP = Map.ofEntries(
            Map.entry("x86", "SCMP_ARCH_X86"),
            Map.entry("amd64", "SCMP_ARCH_X86_64"),
            Map.entry("arm", "SCMP_ARCH_ARM"),
            Map.entry("arm64", "SCMP_ARCH_AARCH64"),
            Map.entry("mips64", "SCMP_ARCH_MIPS64"),
            Map.entry("mips64n32", "SCMP_ARCH_MIPS64N32"),
            Map.entry("mipsel64", "SCMP_ARCH_MIPSEL64"),
            Map.entry("mips3l64n32", "SCMP_ARCH_MIPSEL64N32"),
            Map.entry("mipsle", "SCMP_ARCH_MIPSEL"),
            Map.entry("ppc", "SCMP_ARCH_PPC"),
            Map.entry("ppc64", "SCMP_ARCH_PPC64"),
            Map.entry("ppc64le", "SCMP_ARCH_PPC64LE"),
            Map.entry("riscv64", "SCMP_ARCH_RISCV64"),
            Map.entry("s390", "SCMP_ARCH_S390"),
            Map.entry("s390x", "SCMP_ARCH_S390X"));

    private static volatile SeccompProfile defaultProfile;

    /** Docker's default profile (moby profiles/seccomp/default.json), shipped in this module's resources. */
    public static SeccompProfile defaultProfile() {
        var p = defaultProfile;
        if (p == null) {
            try (var in = SeccompProfiles.class.getResourceAsStream("default.json")) {
                if (in == null) {
                    throw new IllegalStateException("default.json missing from berth-oci resources");
                }
                p = parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            defaultProfile = p;
        }
        return p;
    }

    /** Parses a profile; the engine can call this at create time to refuse a broken {@code --security-opt}. */
    public static SeccompProfile parse(String json) {
        SeccompProfile profile;
        try {
            profile = MAPPER.readValue(json, SeccompProfile.class);
        } catch (JacksonException e) {
            throw new EngineException.InvalidArgument(
                    "Decoding seccomp profile failed: " + e.getOriginalMessage(), e);
        }
        if (profile == null) {
            throw EngineException.invalid("Decoding seccomp profile failed: empty profile");
        }
        for (var rule : nullToEmpty(profile.syscalls())) {
            for (var filter : new SeccompProfile.Filter[] {rule.includes(), rule.excludes()}) {
                if (filter != null && hasMinKernel(filter)) {
                    try {
                        KernelVersion.ofMinKernel(filter.minKernel());
                    } catch (EngineException.InvalidArgument e) {
                        // Go reports it from UnmarshalJSON, inside LoadProfile's wrapper.
                        throw EngineException.invalid("Decoding seccomp profile failed: %s", e.getMessage());
                    }
                }
            }
        }
        return profile;
    }

    /**
     * The runtime-spec seccomp section for a container, or null when the profile disables seccomp (no default action
     * and no rules).
     *
     * @param arch         libseccomp's native name of this host ({@code amd64})
     * @param capabilities the container's bounding set
     */
    public static LinuxSeccomp convert(SeccompProfile profile, String arch, KernelVersion kernel,
                                       Collection<String> capabilities) {
        boolean noDefault = profile.defaultAction() == null || profile.defaultAction().isEmpty();
        if (noDefault && nullToEmpty(profile.syscalls()).isEmpty()) {
            return null;
        }
        if (!nullToEmpty(profile.architectures()).isEmpty() && !nullToEmpty(profile.archMap()).isEmpty()) {
            throw EngineException.invalid("both 'architectures' and 'archMap' are specified in the seccomp profile, "
                    + "use either 'architectures' or 'archMap'");
        }
        var architectures = new ArrayList<>(nullToEmpty(profile.architectures()));
        var nativeArch = NATIVE_TO_SECCOMP.get(arch);
        for (var a : nullToEmpty(profile.archMap())) {
            if (a.architecture().equals(nativeArch)) {
                architectures.add(a.architecture());
                architectures.addAll(nullToEmpty(a.subArchitectures()));
                break;
            }
        }

        var syscalls = new ArrayList<LinuxSyscall>();
        for (var rule : nullToEmpty(profile.syscalls())) {
            var names = nullToEmpty(rule.names());
            if (rule.name() != null && !rule.name().isEmpty()) {
                if (!names.isEmpty()) {
                    throw EngineException.invalid("both 'name' and 'names' are specified in the seccomp profile, "
                            + "use either 'name' or 'names'");
                }
                names = List.of(rule.name());
            }
            if (excluded(rule.excludes(), arch, kernel, capabilities) || !included(rule.includes(), arch, kernel, capabilities)) {
                continue;
            }
            syscalls.add(new LinuxSyscall(names, rule.action(), rule.errnoRet(), args(rule.args())));
        }
        return new LinuxSeccomp(profile.defaultAction(), profile.defaultErrnoRet(),
                architectures.isEmpty() ? null : List.copyOf(architectures), profile.flags(),
                profile.listenerPath(), profile.listenerMetadata(), syscalls);
    }

    /** A rule is dropped when any exclusion matches: the arch, any one capability, or a kernel at least minKernel. */
    private static boolean excluded(SeccompProfile.Filter f, String arch, KernelVersion kernel, Collection<String> caps) {
        if (f == null) {
            return false;
        }
        if (nullToEmpty(f.arches()).contains(arch)) {
            return true;
        }
        if (nullToEmpty(f.caps()).stream().anyMatch(caps::contains)) {
            return true;
        }
        return hasMinKernel(f) && kernel.atLeast(KernelVersion.ofMinKernel(f.minKernel()));
    }

    /** A rule is kept only when every inclusion holds: the arch is listed, all capabilities held, kernel new enough. */
    private static boolean included(SeccompProfile.Filter f, String arch, KernelVersion kernel, Collection<String> caps) {
        if (f == null) {
            return true;
        }
        if (!nullToEmpty(f.arches()).isEmpty() && !f.arches().contains(arch)) {
            return false;
        }
        if (!caps.containsAll(nullToEmpty(f.caps()))) {
            return false;
        }
        return !hasMinKernel(f) || kernel.atLeast(KernelVersion.ofMinKernel(f.minKernel()));
    }

    private static boolean hasMinKernel(SeccompProfile.Filter f) {
        return f.minKernel() != null && !f.minKernel().isEmpty();
    }

    private static List<LinuxSeccompArg> args(List<SeccompProfile.Arg> args) {
        if (args == null) {
            return null;
        }
        return args.stream().map(a -> new LinuxSeccompArg(
                a.index() == null ? 0 : a.index(),
                a.value() == null ? BigInteger.ZERO : a.value(),
                a.valueTwo() == null || a.valueTwo().signum() == 0 ? null : a.valueTwo(),
                a.op())).toList();
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
