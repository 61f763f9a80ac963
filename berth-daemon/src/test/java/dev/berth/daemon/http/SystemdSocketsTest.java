package dev.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemdSocketsTest {
    @Test
    void passed_areTheFdsFrom3_onlyForThisPid() {
        assertThat(SystemdSockets.passed(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2"), 42)).containsExactly(3, 4);
        assertThat(SystemdSockets.passed(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "2"), 42)).isEmpty();
        assertThat(SystemdSockets.passed(Map.of(), 42)).isEmpty();
    }

    @Test
    void select_refusesWhenNothingOrNotTheNamedFdWasPassed() {
        assertThatThrownBy(() -> SystemdSockets.select("fd://", Map.of(), 42)).hasMessageContaining("no sockets found via socket activation");
        assertThatThrownBy(() -> SystemdSockets.select("fd://7", Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1"), 42))
                .hasMessageContaining("fd 7 not among [3]");
    }
}
