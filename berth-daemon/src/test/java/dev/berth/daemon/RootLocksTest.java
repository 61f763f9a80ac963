package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootLocksTest {
    @TempDir
    Path tmp;

    @Test
    void acquire_whenTheDataRootIsHeld_namesTheDataRoot() throws Exception {
        try (var first = RootLocks.acquire(tmp.resolve("data"), tmp.resolve("run"))) {
            assertThatThrownBy(() -> RootLocks.acquire(tmp.resolve("data"), tmp.resolve("run2")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another berthd is already running with data root " + tmp.resolve("data"));
        }
    }

    @Test
    void acquire_whenOnlyTheExecRootIsHeld_isRefusedAndHoldsNothing() throws Exception {
        try (var first = RootLocks.acquire(tmp.resolve("data"), tmp.resolve("run"))) {
            assertThatThrownBy(() -> RootLocks.acquire(tmp.resolve("data2"), tmp.resolve("run")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("with exec root " + tmp.resolve("run"));
            // the refused attempt let go of data2 again
            RootLocks.acquire(tmp.resolve("data2"), tmp.resolve("run3")).close();
        }
    }

    @Test
    void close_releasesBothRoots() throws Exception {
        RootLocks.acquire(tmp.resolve("data"), tmp.resolve("run")).close();
        try (var again = RootLocks.acquire(tmp.resolve("data"), tmp.resolve("run"))) {
            assertThat(tmp.resolve("run").resolve(RootLocks.LOCK_FILE)).exists();
        }
    }
}
