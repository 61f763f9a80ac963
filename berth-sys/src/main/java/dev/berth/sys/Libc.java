package dev.berth.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The libc calls the engine needs, bound once through FFM (JDK 25, no JNI). Every call that can fail captures
 * {@code errno} at the call site ({@link Linker.Option#captureCallState}), because the JVM may run other native code
 * on the same thread before a later {@code errno} read, and fails with a {@link SysException} carrying strerror's
 * text.
 *
 * <p>Threads: these are plain downcalls. One that blocks (a socket {@code recv}, a {@code mount} of a slow
 * filesystem) holds its carrier thread for the duration when made from a virtual thread, so blocking calls belong on
 * platform threads; short calls ({@code kill}, {@code getuid}) are fine anywhere.
 *
 * <p>Constants are the x86_64/aarch64 Linux values (asm-generic), the only platforms the engine supports.
 * The JVM must run with {@code --enable-native-access=ALL-UNNAMED}.
 */
public final class Libc {
    private Libc() {}

    // errno values the engine tests for.
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EBADF = 9, EAGAIN = 11, EBUSY = 16,
            EINVAL = 22, ENXIO = 6, EPIPE = 32, ENAMETOOLONG = 36, ENOTCONN = 107, ECONNREFUSED = 111;

    // mount(2) flags.
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32,
            MS_BIND = 4096, MS_REC = 16384, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20;

    // umount2(2) flags.
    public static final int MNT_FORCE = 1, MNT_DETACH = 2;

    // open(2) flags and socket constants (package-private: only the socket class uses them).
    static final int O_WRONLY = 1, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000,
            O_PATH = 0x200000;
    static final int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000, MSG_NOSIGNAL = 0x4000;
    static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    /** sizeof(sun_path) in struct sockaddr_un; a path needs one byte more than its length for the NUL. */
    static final int SUN_PATH_MAX = 108;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option SAVE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MOUNT = bind("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = bind("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle KILL = bind("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle WRITE = bind("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SOCKET = bind("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = bind("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = bind("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = bind("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SHUTDOWN = bind("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETUID = LINKER.downcallHandle(symbol("getuid"),
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(symbol("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    /** A downcall whose first parameter is the errno capture segment. */
    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        System.arraycopy(extra, 0, options, 0, extra.length);
        options[extra.length] = SAVE_ERRNO;
        return LINKER.downcallHandle(symbol(name), descriptor, options);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static MemorySegment cstr(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s, StandardCharsets.UTF_8);
    }

    /** Downcalls do not throw; anything that does is a linkage bug, not a runtime condition. */
    private static IllegalStateException broken(Throwable t) {
        return new IllegalStateException("native call failed: " + t, t);
    }

    // ---- public calls -----------------------------------------------------------------------------------------

    /** mount(2). {@code source}, {@code fstype} and {@code data} may be null. */
    public static void mount(String source, String target, String fstype, long flags, String data)
            throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc;
            try {
                rc = (int) MOUNT.invokeExact(state, cstr(arena, source), cstr(arena, target), cstr(arena, fstype),
                        flags, cstr(arena, data));
            } catch (Throwable t) {
                throw broken(t);
            }
            if (rc != 0) throw new SysException("mount", target, errno(state));
        }
    }

    /** umount2(2); pass {@link #MNT_DETACH} for a lazy unmount of a busy mount. */
    public static void umount2(String target, int flags) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc;
            try {
                rc = (int) UMOUNT2.invokeExact(state, cstr(arena, target), flags);
            } catch (Throwable t) {
                throw broken(t);
            }
            if (rc != 0) throw new SysException("umount", target, errno(state));
        }
    }

    /** kill(2): sends {@code signal} to {@code pid}; signal 0 only checks that the process exists. */
    public static void kill(int pid, int signal) throws SysException {
        int err = killErrno(pid, signal);
        if (err != 0) throw new SysException("kill", Integer.toString(pid), err);
    }

    private static int killErrno(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc;
            try {
                rc = (int) KILL.invokeExact(state, pid, signal);
            } catch (Throwable t) {
                throw broken(t);
            }
            return rc == 0 ? 0 : errno(state);
        }
    }

    /**
     * Whether {@code pid} names a live process. A zombie counts as dead: an orphaned monitor whose reaper is slow
     * (or absent, under a minimal init) stays a zombie after it has finished its work.
     */
    public static boolean isAlive(int pid) {
        if (pid <= 0) return false;
        int err = killErrno(pid, 0);
        if (err != 0 && err != EPERM) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            // Format: "pid (comm) S ..."; comm may contain spaces and parentheses, so find the last ')'.
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true; // kill(0) said it exists; /proc being unreadable does not prove otherwise
        }
    }

    public static int getuid() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    /** strerror(3): "No such file or directory" for ENOENT. */
    public static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            return p.equals(MemorySegment.NULL) ? "errno " + errno : p.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    /**
     * Writes {@code data} to a FIFO without waiting for a reader: opening a FIFO for writing blocks until someone
     * reads it, so a dead reader would hang the caller forever. Fails with ENXIO when nobody has it open.
     */
    public static void writeFifo(Path fifo, byte[] data) throws SysException {
        int fd = open(fifo.toString(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        try {
            write(fd, data, fifo.toString());
        } finally {
            close(fd);
        }
    }

    // ---- package-private calls for SeqPacketSocket -----------------------------------------------------------

    static int open(String path, int flags) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd;
            do {
                try {
                    fd = (int) OPEN.invokeExact(state, cstr(arena, path), flags, 0);
                } catch (Throwable t) {
                    throw broken(t);
                }
            } while (fd < 0 && errno(state) == EINTR);
            if (fd < 0) throw new SysException("open", path, errno(state));
            return fd;
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            try {
                int ignored = (int) CLOSE.invokeExact(state, fd); // close(2) must not be retried, even on EINTR
            } catch (Throwable t) {
                throw broken(t);
            }
        }
    }

    private static void write(int fd, byte[] data, String subject) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, data.length);
            long done = 0;
            while (done < data.length) {
                long n;
                try {
                    n = (long) WRITE.invokeExact(state, fd, buf.asSlice(done), data.length - done);
                } catch (Throwable t) {
                    throw broken(t);
                }
                if (n < 0) {
                    if (errno(state) == EINTR) continue;
                    throw new SysException("write", subject, errno(state));
                }
                done += n;
            }
        }
    }

    static int socketSeqPacket() throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd;
            try {
                fd = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
            } catch (Throwable t) {
                throw broken(t);
            }
            if (fd < 0) throw new SysException("socket", "AF_UNIX SOCK_SEQPACKET", errno(state));
            return fd;
        }
    }

    /** connect(2) to a unix socket address; {@code sunPath} must fit sun_path with its NUL. */
    static void connectUnix(int fd, String sunPath, String subject) throws SysException {
        byte[] path = sunPath.getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH_MAX) throw new SysException("connect", subject, ENAMETOOLONG);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment addr = arena.allocate(2 + SUN_PATH_MAX); // struct sockaddr_un, zeroed
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(path, 0, addr, JAVA_BYTE, 2, path.length);
            int rc;
            do {
                try {
                    rc = (int) CONNECT.invokeExact(state, fd, addr, 2 + path.length + 1);
                } catch (Throwable t) {
                    throw broken(t);
                }
            } while (rc != 0 && errno(state) == EINTR);
            if (rc != 0) throw new SysException("connect", subject, errno(state));
        }
    }

    /** send(2) of one packet; returns the bytes sent. */
    static long send(int fd, byte[] data, int off, int len) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(Math.max(1, len));
            MemorySegment.copy(data, off, buf, JAVA_BYTE, 0, len);
            while (true) {
                long n;
                try {
                    n = (long) SEND.invokeExact(state, fd, buf, (long) len, MSG_NOSIGNAL);
                } catch (Throwable t) {
                    throw broken(t);
                }
                if (n >= 0) return n;
                if (errno(state) != EINTR) throw new SysException("send", null, errno(state));
            }
        }
    }

    /** recv(2) of one packet into {@code data}; 0 means the peer has shut down. */
    static int recv(int fd, byte[] data, int off, int len) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(Math.max(1, len));
            while (true) {
                long n;
                try {
                    n = (long) RECV.invokeExact(state, fd, buf, (long) len, 0);
                } catch (Throwable t) {
                    throw broken(t);
                }
                if (n >= 0) {
                    MemorySegment.copy(buf, JAVA_BYTE, 0, data, off, (int) n);
                    return (int) n;
                }
                if (errno(state) != EINTR) throw new SysException("recv", null, errno(state));
            }
        }
    }

    static void shutdown(int fd, int how) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc;
            try {
                rc = (int) SHUTDOWN.invokeExact(state, fd, how);
            } catch (Throwable t) {
                throw broken(t);
            }
            if (rc != 0) throw new SysException("shutdown", null, errno(state));
        }
    }
}
