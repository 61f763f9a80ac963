package dev.berth.sys;

import dev.berth.common.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignalsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "SIGTERM, 15", "TERM, 15", "15, 15", "term, 15", "sigkill, 9", "KILL, 9", "SIGHUP, 1",
            "SIGUSR1, 10", "USR2, 12", "SIGWINCH, 28", "SIGIOT, 6", "CLD, 17", "POLL, 29", "SIGSYS, 31",
            "RTMIN, 34", "SIGRTMIN+3, 37", "RTMAX-1, 63", "SIGRTMAX, 64", "64, 64", "+9, 9"})
    void parse_acceptsDockersThreeForms(String raw, int expected) {
        assertThat(Signals.parse(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"FOO", "SIG", "0", "SIGTERM2", "RTMIN+16", "' 15'", "9x"})
    void parse_whenUnknown_isRefusedWithDockersMessage(String raw) {
        assertThatThrownBy(() -> Signals.parse(raw))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("invalid signal: " + raw);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"32", "33", "65", "-1"})
    void parse_whenNumberOutsideLinuxTable_saysTheDaemonDoesNotSupportIt(String raw) {
        assertThatThrownBy(() -> Signals.parse(raw))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("the linux daemon does not support signal " + Integer.parseInt(raw));
    }

    @Test
    void name_givesTheConventionalName() {
        assertThat(Signals.name(15)).contains("SIGTERM");
        assertThat(Signals.name(6)).contains("SIGABRT");
        assertThat(Signals.name(35)).contains("SIGRTMIN+1");
        assertThat(Signals.name(32)).isEmpty();
    }
}
