package dev.berth.engine.volume;

import dev.berth.common.EngineException;

import java.util.Locale;

/** Docker's RAMInBytes for {@code tmpfs-size} and {@code size=} options: 64m, 1g, 1024, 1.5k. */
final class TmpfsSize {
    private TmpfsSize() {
    }

    static long parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("b")) t = t.substring(0, t.length() - 1);
        if (t.endsWith("i")) t = t.substring(0, t.length() - 1);
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> unit = 1;
            }
            if (unit != 1) t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t);
            if (v < 0 || t.isEmpty()) throw new NumberFormatException();
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid size: '%s'", s);
        }
    }
}
