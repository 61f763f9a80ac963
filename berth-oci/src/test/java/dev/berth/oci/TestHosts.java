package dev.berth.oci;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** A fixed host so spec tests do not depend on the machine: kernel 6.18, amd64, every capability, nofile 20000. */
final class TestHosts {
    private TestHosts() {}

    static HostInfo host() {
        return new HostInfo("6.18.44-test", "amd64", Capabilities.KNOWN, 20_000, List.of(),
                Set.of(HostInfo.PING_GROUP_RANGE, HostInfo.UNPRIVILEGED_PORT_START), false);
    }

    /** Docker's defaults for {@code docker run busybox true}, on an empty rootfs. */
    static SpecOptions.Builder options(Path rootfs) {
        return SpecOptions.builder()
                .args("true")
                .rootfs(rootfs)
                .hostname("c0ffee")
                .cgroupns(CgroupnsMode.HOST);
    }
}
