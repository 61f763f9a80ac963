package dev.berth.runtime.conmon;

import dev.berth.runtime.AttachConnection;
import dev.berth.sys.SeqPacketSocket;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One client of conmon's attach socket ({@code SOCK_SEQPACKET}, conmon {@code src/conn_sock.c}).
 *
 * <p>From conmon, each packet is one read of the container's stdout or stderr (at most 8192 bytes,
 * {@code STDIO_BUF_SIZE}) behind a one-byte prefix: 2 for stdout, 3 for stderr ({@code stdpipe_t} in
 * {@code src/utils.h}); with a terminal everything comes as stdout. To conmon, each packet is written as is to the
 * container's stdin; conmon reads packets into a 32 KiB buffer ({@code CONN_SOCK_BUF_SIZE}) and a longer packet
 * would be cut, so writes are split. A packet of length 0 reads as end of file to conmon, so none is ever sent.
 *
 * <p>End of input: when this client shuts down its writing side or disconnects, conmon closes the container's
 * stdin, unless the task was created with {@code keepStdinOpen} ({@code --leave-stdin-open}). When the task exits,
 * conmon drains its output to every client, then closes them: {@link #read} returns null.
 */
final class ConmonAttachConnection implements AttachConnection {

    /** Larger than any packet conmon sends (STDIO_BUF_SIZE + 1). */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /** Below conmon's CONN_SOCK_BUF_SIZE (32768), which truncates longer packets. */
    static final int MAX_PACKET = 16 * 1024;
    private static final byte STDOUT_PIPE = 2, STDERR_PIPE = 3;

    private final SeqPacketSocket socket;
    private final byte[] buffer = new byte[RECEIVE_BUFFER];
    private volatile boolean closed;

    private ConmonAttachConnection(SeqPacketSocket socket) {
        this.socket = socket;
    }

    static ConmonAttachConnection connect(Path attachSocket) throws IOException {
        return new ConmonAttachConnection(SeqPacketSocket.connect(attachSocket));
    }

    @Override
    public synchronized Chunk read() throws IOException {
        while (true) {
            int n;
            try {
                n = socket.recv(buffer, 0, buffer.length);
            } catch (IOException e) {
                if (closed) return null; // closed under us by close(): that is the end of output for this reader
                throw e;
            }
            if (n == 0) return null;
            Stream stream = switch (buffer[0]) {
                case STDOUT_PIPE -> Stream.STDOUT;
                case STDERR_PIPE -> Stream.STDERR;
                default -> null; // no other prefix is sent by conmon 2.1; skip rather than misattribute
            };
            if (stream != null && n > 1) return new Chunk(stream, Arrays.copyOfRange(buffer, 1, n));
        }
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.length);
        for (int done = 0; done < length; ) {
            int n = Math.min(MAX_PACKET, length - done);
            socket.send(data, offset + done, n);
            done += n;
        }
    }

    @Override
    public void closeStdin() throws IOException {
        socket.shutdownWrite();
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
