package dev.berth.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Talking to a live socket is covered by berth-runtime's ConmonRuntimeIT against conmon's attach socket. */
class SeqPacketSocketTest {

    @Test
    void connect_toMissingSocket_namesThePath(@TempDir Path dir) {
        Path missing = dir.resolve("attach");

        assertThatThrownBy(() -> SeqPacketSocket.connect(missing))
                .isInstanceOf(SysException.class)
                .hasMessage("connect " + missing + ": No such file or directory");
    }

    @Test
    void connect_toNonSocket_isRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("attach"), "not a socket");

        assertThatThrownBy(() -> SeqPacketSocket.connect(file))
                .isInstanceOf(SysException.class)
                .hasMessage("connect " + file + ": Connection refused");
    }

    @Test
    void connect_withPathLongerThanSunPath_goesThroughTheDirectory(@TempDir Path dir) throws Exception {
        Path deep = Files.createDirectories(dir.resolve("a".repeat(60)).resolve("b".repeat(60)));
        Path missing = deep.resolve("attach");
        assertThat(missing.toString().length()).isGreaterThan(Libc.SUN_PATH_MAX);

        // ENOENT rather than ENAMETOOLONG: the long path was resolved, only the socket is absent.
        assertThatThrownBy(() -> SeqPacketSocket.connect(missing))
                .isInstanceOf(SysException.class)
                .hasMessage("connect " + missing + ": No such file or directory");
    }
}
