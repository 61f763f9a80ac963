package dev.berth.engine.volume;

import dev.berth.common.ByteSizes;
import dev.berth.common.EngineException;

/** Docker's RAMInBytes for {@code tmpfs-size} and {@code size=} options (64m, 1g, 1024, 1.5k), refused with a 400. */
final class TmpfsSize {
    private TmpfsSize() {
    }

    static long parse(String s) {
        try {
            return ByteSizes.ramInBytes(s.strip());
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("%s", e.getMessage());
        }
    }
}
