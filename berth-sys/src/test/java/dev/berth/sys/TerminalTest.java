package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Under the test runner stdin is a pipe; a real terminal is exercised through script(1) in berth-it. */
class TerminalTest {
    @Test
    void aPipeOrAClosedDescriptorIsNotATerminal() {
        for (int fd : new int[] {0, 987}) {
            assertThat(Terminal.isTerminal(fd)).isFalse();
            assertThat(Terminal.size(fd)).isNull();
            assertThat(Terminal.makeRaw(fd)).isNull();
        }
    }
}
