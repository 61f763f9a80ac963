package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PsOutputTest {
    private static final String PS_EF = """
            UID          PID    PPID  C STIME TTY          TIME CMD
            root           1       0  0 04:00 ?        00:00:01 /sbin/init
            root         500       1  0 04:01 ?        00:00:00 sh -c while true; do sleep 1; done
            root         501     500  0 04:01 ?        00:00:00 sleep 1
            """;

    @Test
    void keepsTheContainersRows_withTheCommandAsOneCell() {
        var t = PsOutput.parse(PS_EF, Set.of(500, 501));
        assertThat(t.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(t.processes()).containsExactly(
                List.of("root", "500", "1", "0", "04:01", "?", "00:00:00", "sh -c while true; do sleep 1; done"),
                List.of("root", "501", "500", "0", "04:01", "?", "00:00:00", "sleep 1"));
    }

    @Test
    void withoutAPidColumn_fails() {
        assertThatThrownBy(() -> PsOutput.parse("COMMAND\nsh\n", Set.of(1)))
                .hasMessage("Couldn't find PID field in ps output");
    }

    @Test
    void refusesRenamingAnotherColumnToPid() {
        PsOutput.validateArgs("-o pid,comm");
        PsOutput.validateArgs("-o pid=PID");
        assertThatThrownBy(() -> PsOutput.validateArgs("-o user=PID"))
                .hasMessage("specifying \"user=PID\" is not allowed");
    }
}
