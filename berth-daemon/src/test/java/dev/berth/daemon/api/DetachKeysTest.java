package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class DetachKeysTest {

    @Test
    void parse_readsDockersNotation() {
        assertThat(DetachKeys.parse(null)).containsExactly(16, 17);
        assertThat(DetachKeys.parse("")).containsExactly(16, 17);
        assertThat(DetachKeys.parse("ctrl-p,ctrl-q")).containsExactly(16, 17);
        assertThat(DetachKeys.parse("ctrl-@,ctrl-a,ctrl-z,ctrl-[,ctrl-_")).containsExactly(0, 1, 26, 27, 31);
        assertThat(DetachKeys.parse("a,DEL,ctrl-x")).containsExactly('a', 127, 24);
    }

    @Test
    void parse_refusesUnknownKeys() {
        assertThat(DetachKeys.parse("ctrl-1")).isNull();
        assertThat(DetachKeys.parse("ab")).isNull();
        assertThat(DetachKeys.parse("ctrl-p,")).isNull();
    }

    @Test
    void watcher_swallowsTheSequence_andPassesEverythingBefore() {
        var w = new DetachKeys.Watcher(new byte[] {16, 17});
        var out = new ByteArrayOutputStream();
        byte[] in = {'a', 'b', 16, 17, 'c'};
        assertThat(w.feed(in, 0, in.length, out)).isTrue();
        assertThat(out.toByteArray()).containsExactly('a', 'b');
    }

    @Test
    void watcher_holdsAPrefix_acrossReads_andReleasesItOnMismatch() {
        var w = new DetachKeys.Watcher(new byte[] {16, 17});
        var out = new ByteArrayOutputStream();
        assertThat(w.feed(new byte[] {'a', 16}, 0, 2, out)).isFalse();
        assertThat(out.toByteArray()).containsExactly('a');
        out.reset();
        assertThat(w.feed(new byte[] {'b'}, 0, 1, out)).isFalse();
        assertThat(out.toByteArray()).containsExactly(16, 'b');
        out.reset();
        assertThat(w.feed(new byte[] {16, 16, 17}, 0, 3, out)).isTrue();
        assertThat(out.toByteArray()).containsExactly(16);
    }
}
