package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.oci.SeccompMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityOptionsTest {

    @Test
    void defaults_applyDockersSeccompProfile_withoutNoNewPrivileges() {
        var s = BundleBuilder.SecurityOptions.parse(List.of());
        assertThat(s.seccomp()).isEqualTo(SeccompMode.DEFAULT);
        assertThat(s.noNewPrivileges()).isFalse();
    }

    @Test
    void acceptsDockersSpellings() {
        assertThat(BundleBuilder.SecurityOptions.parse(List.of("seccomp=unconfined")).seccomp()).isEqualTo(SeccompMode.UNCONFINED);
        assertThat(BundleBuilder.SecurityOptions.parse(List.of("seccomp:unconfined")).seccomp()).isEqualTo(SeccompMode.UNCONFINED);
        assertThat(BundleBuilder.SecurityOptions.parse(List.of("no-new-privileges")).noNewPrivileges()).isTrue();
        assertThat(BundleBuilder.SecurityOptions.parse(List.of("no-new-privileges=true")).noNewPrivileges()).isTrue();
        assertThat(BundleBuilder.SecurityOptions.parse(List.of("no-new-privileges:false")).noNewPrivileges()).isFalse();
        assertThat(BundleBuilder.SecurityOptions.parse(List.of("label=disable", "apparmor=unconfined")).seccomp())
                .isEqualTo(SeccompMode.DEFAULT);
    }

    @Test
    void unknownOptions_areRefusedWithDockersMessage() {
        assertThatThrownBy(() -> BundleBuilder.SecurityOptions.parse(List.of("bogus")))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("invalid --security-opt 2: \"bogus\"");
        assertThatThrownBy(() -> BundleBuilder.SecurityOptions.parse(List.of("no-new-privileges=maybe")))
                .isInstanceOf(EngineException.InvalidArgument.class);
    }

    @Test
    void mountinfoEscapes_areUndone() {
        assertThat(OverlayMounter.unescape("/run/berth/with\\040space")).isEqualTo("/run/berth/with space");
        assertThat(OverlayMounter.unescape("/plain")).isEqualTo("/plain");
    }
}
