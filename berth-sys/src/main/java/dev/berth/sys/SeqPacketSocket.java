package dev.berth.sys;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A blocking client of an {@code AF_UNIX SOCK_SEQPACKET} socket, the kind conmon's attach socket is. The JDK's
 * unix-domain channels are stream-only, so this goes through {@link Libc}. Each {@link #send} is one packet and each
 * {@link #recv} returns exactly one packet (a buffer shorter than the packet truncates it).
 *
 * <p>Threads: {@link #recv} and {@link #send} block in native code, which pins a virtual thread's carrier for the
 * whole wait; call them from a platform thread. One thread may read while another writes; {@link #close} from any
 * thread wakes a blocked reader (it returns 0) and a blocked writer (EPIPE) by shutting the socket down first, and
 * releases the descriptor only once no call is using it, so a descriptor number is never reused under a running
 * call.
 */
public final class SeqPacketSocket implements Closeable {

    private final int fd;
    private final Object lock = new Object();
    private int callsInFlight;
    private boolean closed;
    private boolean released;

    private SeqPacketSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Connects to the socket at {@code path}. A path longer than sun_path (108 bytes with its NUL) still works: the
     * parent directory is opened {@code O_PATH} and the socket is addressed as {@code /proc/self/fd/<dirfd>/<name>},
     * which the kernel resolves through the open directory (conmon binds the same way).
     */
    public static SeqPacketSocket connect(Path path) throws IOException {
        String absolute = path.toAbsolutePath().toString();
        int fd = Libc.socketSeqPacket();
        try {
            if (absolute.getBytes(StandardCharsets.UTF_8).length < Libc.SUN_PATH_MAX) {
                Libc.connectUnix(fd, absolute, absolute);
            } else {
                Path parent = path.toAbsolutePath().getParent();
                int dirFd = Libc.open(parent.toString(), Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
                try {
                    Libc.connectUnix(fd, "/proc/self/fd/" + dirFd + "/" + path.getFileName(), absolute);
                } finally {
                    Libc.close(dirFd);
                }
            }
            return new SeqPacketSocket(fd);
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Receives one packet into {@code buf}; returns its length, or 0 once the peer (or {@link #close}) shut down. */
    public int recv(byte[] buf, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        enter();
        try {
            return Libc.recv(fd, buf, off, len);
        } finally {
            exit();
        }
    }

    /** Sends {@code len} bytes as one packet. */
    public void send(byte[] buf, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        enter();
        try {
            long sent = Libc.send(fd, buf, off, len);
            if (sent != len) throw new IOException("short send on a SOCK_SEQPACKET socket: " + sent + " of " + len);
        } finally {
            exit();
        }
    }

    /** Tells the peer there is nothing more to send (it reads end of file); receiving goes on. */
    public void shutdownWrite() throws IOException {
        enter();
        try {
            Libc.shutdown(fd, Libc.SHUT_WR);
        } finally {
            exit();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            try {
                Libc.shutdown(fd, Libc.SHUT_RDWR); // wakes calls blocked in recv/send
            } catch (SysException ignored) {
                // ENOTCONN after the peer went away: nothing to wake
            }
            if (callsInFlight == 0) release();
        }
    }

    private void enter() throws SocketException {
        synchronized (lock) {
            if (closed) throw new SocketException("Socket is closed");
            callsInFlight++;
        }
    }

    private void exit() {
        synchronized (lock) {
            if (--callsInFlight == 0 && closed) release();
        }
    }

    private void release() {
        if (!released) {
            released = true;
            Libc.close(fd);
        }
    }
}
