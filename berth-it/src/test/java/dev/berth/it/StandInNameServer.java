package dev.berth.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream name server for tests, on a loopback address of the host and port 53: it answers every A query with
 * one address, and counts the queries it got. Just enough DNS for a stub resolver's question (RFC 1035 4.1).
 */
final class StandInNameServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final byte[] answer;
    private final AtomicInteger queries = new AtomicInteger();

    StandInNameServer(String address, String answerIp) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 53));
        this.answer = InetAddress.getByName(answerIp).getAddress();
        Thread.ofVirtual().start(this::serve);
    }

    int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            try {
                var p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                int end = 12;
                while (end < p.getLength() && buf[end] != 0) end += (buf[end] & 0xff) + 1;
                end += 5; // the root label, type and class
                if (end > p.getLength()) continue;
                queries.incrementAndGet();
                boolean a = buf[end - 4] == 0 && buf[end - 3] == 1;
                var out = ByteBuffer.allocate(end + 16);
                out.put(Arrays.copyOf(buf, end));
                out.putShort(2, (short) 0x8180); // a response, recursion desired and available, no error
                out.putShort(6, (short) (a ? 1 : 0));
                out.putShort(8, (short) 0).putShort(10, (short) 0);
                if (a) out.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4).put(answer);
                socket.send(new DatagramPacket(out.array(), out.position(), p.getSocketAddress()));
            } catch (IOException e) {
                // closed, or one bad packet: the loop decides
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
