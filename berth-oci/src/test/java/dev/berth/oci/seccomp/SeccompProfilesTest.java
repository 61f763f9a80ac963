package dev.berth.oci.seccomp;

import dev.berth.common.EngineException;
import dev.berth.oci.Capabilities;
import dev.berth.oci.spec.Linux.LinuxSeccomp;
import dev.berth.oci.spec.Linux.LinuxSeccompArg;
import dev.berth.oci.spec.Linux.LinuxSyscall;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeccompProfilesTest {

    private static final KernelVersion KERNEL = KernelVersion.ofRelease("6.18.44-fc-v769");

    private static LinuxSeccomp defaultFor(List<String> caps) {
        return SeccompProfiles.convert(SeccompProfiles.defaultProfile(), "amd64", KERNEL, caps);
    }

    private static LinuxSeccomp defaultWith(String... extraCaps) {
        var caps = new ArrayList<>(Capabilities.DEFAULT);
        caps.addAll(List.of(extraCaps));
        return defaultFor(caps);
    }

    private static List<LinuxSyscall> rulesFor(LinuxSeccomp s, String syscall) {
        return s.syscalls().stream().filter(r -> r.names().contains(syscall)).toList();
    }

    private static boolean allows(LinuxSeccomp s, String syscall) {
        return rulesFor(s, syscall).stream().anyMatch(r -> r.action().equals("SCMP_ACT_ALLOW") && r.args() == null);
    }

    @Test
    void default_deniesWithEpermAndCoversX86SubArchitectures() {
        var s = defaultWith();

        assertThat(s.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(s.defaultErrnoRet()).isEqualTo(1L);
        assertThat(s.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        assertThat(allows(s, "read")).isTrue();
    }

    @Test
    void default_keepsPersonalityArgumentRules() {
        assertThat(rulesFor(defaultWith(), "personality")).extracting(LinuxSyscall::args).containsExactly(
                List.of(new LinuxSeccompArg(0, BigInteger.ZERO, null, "SCMP_CMP_EQ")),
                List.of(new LinuxSeccompArg(0, BigInteger.valueOf(8), null, "SCMP_CMP_EQ")),
                List.of(new LinuxSeccompArg(0, BigInteger.valueOf(131072), null, "SCMP_CMP_EQ")),
                List.of(new LinuxSeccompArg(0, BigInteger.valueOf(131080), null, "SCMP_CMP_EQ")),
                List.of(new LinuxSeccompArg(0, BigInteger.valueOf(4294967295L), null, "SCMP_CMP_EQ")));
    }

    @Test
    void mount_isAllowedOnlyWithSysAdmin() {
        assertThat(allows(defaultWith(), "mount")).isFalse();
        assertThat(allows(defaultWith("CAP_SYS_ADMIN"), "mount")).isTrue();
    }

    @Test
    void clone_withoutSysAdmin_isLimitedToNonNamespaceFlags_andClone3ReturnsEnosys() {
        var s = defaultWith();

        assertThat(rulesFor(s, "clone")).singleElement().satisfies(r -> assertThat(r.args())
                .containsExactly(new LinuxSeccompArg(0, BigInteger.valueOf(2114060288), null, "SCMP_CMP_MASKED_EQ")));
        assertThat(rulesFor(s, "clone3")).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("SCMP_ACT_ERRNO");
            assertThat(r.errnoRet()).isEqualTo(38L);
        });
        assertThat(allows(defaultWith("CAP_SYS_ADMIN"), "clone")).isTrue();
        assertThat(rulesFor(defaultWith("CAP_SYS_ADMIN"), "clone3"))
                .allMatch(r -> r.action().equals("SCMP_ACT_ALLOW"));
    }

    @Test
    void ptrace_isAllowedOnNewKernels_butOnOldOnesOnlyWithSysPtrace() {
        var oldKernel = new KernelVersion(4, 4);
        var defaults = SeccompProfiles.convert(SeccompProfiles.defaultProfile(), "amd64", oldKernel, Capabilities.DEFAULT);
        var withPtrace = new ArrayList<>(Capabilities.DEFAULT);
        withPtrace.add("CAP_SYS_PTRACE");

        assertThat(allows(defaultWith(), "ptrace")).isTrue();
        assertThat(allows(defaults, "ptrace")).isFalse();
        assertThat(allows(SeccompProfiles.convert(SeccompProfiles.defaultProfile(), "amd64", oldKernel, withPtrace),
                "ptrace")).isTrue();
    }

    @Test
    void archRules_areKeptOnlyForThisArchitecture() {
        var amd64 = defaultWith();
        var arm64 = SeccompProfiles.convert(SeccompProfiles.defaultProfile(), "arm64", KERNEL, Capabilities.DEFAULT);

        assertThat(allows(amd64, "arch_prctl")).isTrue();
        assertThat(allows(amd64, "s390_runtime_instr")).isFalse();
        assertThat(allows(amd64, "set_tls")).isFalse();
        assertThat(allows(arm64, "set_tls")).isTrue();
        assertThat(arm64.architectures()).containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
    }

    @Test
    void capabilityRules_followTheBoundingSet() {
        assertThat(allows(defaultWith(), "reboot")).isFalse();
        assertThat(allows(defaultWith("CAP_SYS_BOOT"), "reboot")).isTrue();
        assertThat(allows(defaultWith(), "chroot")).as("CAP_SYS_CHROOT is a default").isTrue();
        assertThat(allows(defaultFor(List.of("CAP_CHOWN")), "chroot")).isFalse();
    }

    @Test
    void custom_profileGoesThroughTheSameFilters() {
        var profile = SeccompProfiles.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [
                   {"name": "mkdir", "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                   {"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_FOWNER"]}},
                   {"names": ["kexec_load"], "action": "SCMP_ACT_ERRNO", "includes": {"minKernel": "99.0"}},
                   {"names": ["x"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 18446744073709551615, "valueTwo": 3, "op": "SCMP_CMP_EQ"}]}
                 ]}""");

        var s = SeccompProfiles.convert(profile, "amd64", KERNEL, Capabilities.DEFAULT);

        assertThat(s.defaultAction()).isEqualTo("SCMP_ACT_ALLOW");
        assertThat(s.architectures()).containsExactly("SCMP_ARCH_X86_64");
        assertThat(s.syscalls()).extracting(r -> r.names().getFirst()).containsExactly("mkdir", "x");
        assertThat(s.syscalls().getFirst().errnoRet()).isEqualTo(13L);
        assertThat(s.syscalls().getLast().args()).containsExactly(new LinuxSeccompArg(1,
                new BigInteger("18446744073709551615"), BigInteger.valueOf(3), "SCMP_CMP_EQ"));
    }

    @Test
    void profileWithoutDefaultActionOrRules_disablesSeccomp() {
        assertThat(SeccompProfiles.convert(SeccompProfiles.parse("{}"), "amd64", KERNEL, List.of())).isNull();
    }

    @Test
    void brokenProfiles_areRefused() {
        assertThatThrownBy(() -> SeccompProfiles.parse("{not json"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageStartingWith("Decoding seccomp profile failed: ");
        assertThatThrownBy(() -> SeccompProfiles.parse("""
                {"syscalls": [{"names": ["x"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4"}}]}"""))
                .hasMessage("Decoding seccomp profile failed: invalid kernel version: \"4\", expected \"<kernel>.<major>\"");
        var both = SeccompProfiles.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_ALLOW"}]}""");
        assertThatThrownBy(() -> SeccompProfiles.convert(both, "amd64", KERNEL, List.of()))
                .hasMessageContaining("both 'name' and 'names'");
    }

    @Test
    void kernelVersion_comparesOnlyKernelAndMajor() {
        assertThat(KernelVersion.ofRelease("3.12.25-gentoo")).isEqualTo(new KernelVersion(3, 12));
        assertThat(new KernelVersion(4, 8).atLeast(new KernelVersion(4, 8))).isTrue();
        assertThat(new KernelVersion(4, 7).atLeast(new KernelVersion(4, 8))).isFalse();
        assertThat(new KernelVersion(5, 0).atLeast(new KernelVersion(4, 8))).isTrue();
    }
}
