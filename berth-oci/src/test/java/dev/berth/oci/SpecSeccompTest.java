package dev.berth.oci;

import dev.berth.oci.spec.Linux.LinuxSeccomp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.berth.oci.TestHosts.host;
import static dev.berth.oci.TestHosts.options;
import static org.assertj.core.api.Assertions.assertThat;

class SpecSeccompTest {

    @TempDir
    Path rootfs;

    private LinuxSeccomp seccomp(SpecOptions.Builder b) {
        return OciSpecs.build(b.build(), host()).linux().seccomp();
    }

    private static boolean allows(LinuxSeccomp s, String syscall) {
        return s.syscalls().stream().anyMatch(r -> r.names().contains(syscall)
                && r.action().equals("SCMP_ACT_ALLOW") && r.args() == null);
    }

    @Test
    void default_appliesDockersProfileForTheContainersCapabilities() {
        assertThat(allows(seccomp(options(rootfs)), "mount")).isFalse();
        assertThat(allows(seccomp(options(rootfs).capAdd("SYS_ADMIN")), "mount")).isTrue();
        assertThat(allows(seccomp(options(rootfs).capDrop("SYS_CHROOT")), "chroot")).isFalse();
    }

    @Test
    void unconfined_hasNoSeccompSection() {
        assertThat(seccomp(options(rootfs).seccomp(SeccompMode.UNCONFINED))).isNull();
    }

    @Test
    void privileged_runsWithoutTheDefaultProfile_butKeepsAnExplicitOne() {
        assertThat(seccomp(options(rootfs).privileged(true))).isNull();
        var custom = seccomp(options(rootfs).privileged(true).seccomp(SeccompMode.custom("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["reboot"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_SYS_BOOT"]}},
                  {"names": ["keyctl"], "action": "SCMP_ACT_ERRNO"}]}""")));

        assertThat(custom.defaultAction()).isEqualTo("SCMP_ACT_ALLOW");
        assertThat(custom.syscalls()).singleElement().satisfies(r -> assertThat(r.names()).containsExactly("keyctl"));
    }
}
