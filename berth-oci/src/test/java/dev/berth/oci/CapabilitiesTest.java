package dev.berth.oci;

import dev.berth.common.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.berth.oci.TestHosts.host;
import static dev.berth.oci.TestHosts.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapabilitiesTest {

    @TempDir
    Path rootfs;

    private List<String> bounding(SpecOptions.Builder b) {
        var caps = OciSpecs.build(b.build(), host()).process().capabilities();
        assertThat(caps.effective()).isEqualTo(caps.bounding()).isEqualTo(caps.permitted());
        return caps.bounding();
    }

    @Test
    void build_byDefault_givesDockersFourteenCapabilities() {
        var caps = OciSpecs.build(options(rootfs).build(), host()).process().capabilities();

        assertThat(caps.bounding()).containsExactly("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
                "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
        assertThat(caps.effective()).isEqualTo(caps.bounding());
        assertThat(caps.permitted()).isEqualTo(caps.bounding());
        assertThat(caps.inheritable()).isNull();
        assertThat(caps.ambient()).isNull();
        assertThat(Capabilities.mask(caps.effective())).isEqualTo(0xa80425fbL);
    }

    @Test
    void capAdd_acceptsShortLowerCaseAndPrefixedNames() {
        assertThat(bounding(options(rootfs).capAdd("net_admin", "CAP_SYS_PTRACE")))
                .contains("CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_CHOWN")
                .hasSize(16);
    }

    @Test
    void capDrop_removesFromTheDefaults() {
        assertThat(bounding(options(rootfs).capDrop("NET_RAW", "cap_mknod")))
                .doesNotContain("CAP_NET_RAW", "CAP_MKNOD")
                .hasSize(12);
    }

    @Test
    void capDropAll_keepsOnlyTheAddedOnes() {
        assertThat(bounding(options(rootfs).capDrop("ALL").capAdd("CHOWN", "NET_BIND_SERVICE")))
                .containsExactly("CAP_CHOWN", "CAP_NET_BIND_SERVICE");
    }

    @Test
    void capAddAll_givesEverythingExceptTheDropped() {
        assertThat(bounding(options(rootfs).capAdd("all").capDrop("SYS_ADMIN")))
                .hasSize(Capabilities.KNOWN.size() - 1)
                .doesNotContain("CAP_SYS_ADMIN")
                .contains("CAP_SYS_MODULE", "CAP_CHECKPOINT_RESTORE");
    }

    @Test
    void privileged_getsEveryCapabilityTheHostCanGive_andIgnoresDrops() {
        var hostWithoutSysResource = host().withCapabilities(
                Capabilities.KNOWN.stream().filter(c -> !c.equals("CAP_SYS_RESOURCE")).toList());
        var spec = OciSpecs.build(options(rootfs).privileged(true).capDrop("ALL").build(), hostWithoutSysResource);

        assertThat(spec.process().capabilities().bounding())
                .hasSize(Capabilities.KNOWN.size() - 1)
                .doesNotContain("CAP_SYS_RESOURCE");
    }

    @Test
    void capAdd_unknownName_isRefusedWithDockersMessage() {
        assertThatThrownBy(() -> OciSpecs.build(options(rootfs).capAdd("FOO").build(), host()))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("unknown capability: \"CAP_FOO\"");
    }

    @Test
    void capAdd_capabilityMissingOnThisHost_isRefusedWithDockersMessage() {
        var limited = host().withCapabilities(Capabilities.DEFAULT);

        assertThatThrownBy(() -> Capabilities.normalize(List.of("sys_admin"), limited))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("capability not supported by your kernel or not available in the current environment: "
                        + "\"CAP_SYS_ADMIN\"");
    }

    @Test
    void currentHost_offersExactlyTheCapabilitiesInOurBoundingSet() throws Exception {
        long capBnd = -1;
        for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapBnd:")) {
                capBnd = Long.parseUnsignedLong(line.substring(7).strip(), 16);
            }
        }
        int lastCap;
        try (var in = new FileInputStream("/proc/sys/kernel/cap_last_cap")) {
            lastCap = Integer.parseInt(new String(in.readAllBytes()).strip());
        }
        long known = lastCap >= 63 ? -1L : (1L << (lastCap + 1)) - 1;

        assertThat(Capabilities.mask(HostInfo.current().capabilities())).isEqualTo(capBnd & known);
    }
}
