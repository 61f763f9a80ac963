package dev.berth.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The client's terminal, for {@code run -it}: whether a descriptor is a terminal, its size, and raw mode (no line
 * editing, no echo, no signal keys: every byte, ctrl-c included, goes to the container as Docker's CLI sends it).
 * A class of its own, apart from {@link Libc}, so the CLI binds only these few calls and only when it needs them.
 */
public final class Terminal {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle ISATTY = bind("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle TCGETATTR = bind("tcgetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle TCSETATTR = bind("tcsetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle CFMAKERAW = bind("cfmakeraw", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle IOCTL = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));

    /** sizeof(struct termios) is 60 on glibc; a little more is harmless. */
    private static final long TERMIOS_SIZE = 64;
    private static final int TCSANOW = 0;
    private static final long TIOCGWINSZ = 0x5413;

    private Terminal() {
    }

    public record Size(int rows, int columns) {
    }

    private static MethodHandle bind(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name)), d);
    }

    public static boolean isTerminal(int fd) {
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw new IllegalStateException("isatty failed: " + t, t);
        }
    }

    /** The window size of the terminal on {@code fd}, or null when it is not a terminal. */
    public static Size size(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(8);
            if ((int) IOCTL.invokeExact(fd, TIOCGWINSZ, ws) != 0) return null;
            return new Size(Short.toUnsignedInt(ws.get(JAVA_SHORT, 0)), Short.toUnsignedInt(ws.get(JAVA_SHORT, 2)));
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl(TIOCGWINSZ) failed: " + t, t);
        }
    }

    /**
     * Puts the terminal on {@code fd} in raw mode and returns what restores the previous settings (idempotent), or
     * null when {@code fd} is not a terminal.
     */
    public static Runnable makeRaw(int fd) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment saved = arena.allocate(TERMIOS_SIZE);
            if ((int) TCGETATTR.invokeExact(fd, saved) != 0) {
                arena.close();
                return null;
            }
            MemorySegment raw = arena.allocate(TERMIOS_SIZE);
            raw.copyFrom(saved);
            CFMAKERAW.invokeExact(raw);
            int ignored = (int) TCSETATTR.invokeExact(fd, TCSANOW, raw);
            return new Runnable() {
                private boolean restored;

                @Override
                public synchronized void run() {
                    if (restored) return;
                    restored = true;
                    try {
                        int ignored2 = (int) TCSETATTR.invokeExact(fd, TCSANOW, saved);
                    } catch (Throwable t) {
                        throw new IllegalStateException("tcsetattr failed: " + t, t);
                    } finally {
                        arena.close();
                    }
                }
            };
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException("cannot set raw mode: " + t, t);
        }
    }
}
