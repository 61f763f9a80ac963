package dev.berth.engine.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One record of Docker's {@code local} log driver: a 4-byte big-endian length, the protocol-buffer
 * {@code LogEntry} message ({@code source} = 1, {@code time_nano} = 2, {@code line} = 3, {@code partial} = 4), and
 * the length again (so the file can be read backwards). The line is kept without its newline; {@code partial} says
 * it had none.
 */
final class LocalLogRecord {
    private LocalLogRecord() {}

    static void write(LogEntry e, ByteArrayOutputStream out) {
        byte[] data = e.data();
        boolean partial = data.length == 0 || data[data.length - 1] != '\n';
        int lineLength = partial ? data.length : data.length - 1;
        var msg = new ByteArrayOutputStream(lineLength + 32);
        byte[] source = (e.stream() == LogEntry.Stream.STDERR ? "stderr" : "stdout").getBytes(StandardCharsets.US_ASCII);
        msg.write(0x0a);
        varint(msg, source.length);
        msg.writeBytes(source);
        msg.write(0x10);
        varint(msg, e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
        msg.write(0x1a);
        varint(msg, lineLength);
        msg.write(data, 0, lineLength);
        if (partial) {
            msg.write(0x20);
            msg.write(1);
        }
        int n = msg.size();
        length(out, n);
        out.write(msg.toByteArray(), 0, n);
        length(out, n);
    }

    private static void length(ByteArrayOutputStream out, int n) {
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** The entry of one message; null for one that does not decode. */
    static LogEntry decode(byte[] m) {
        String source = "stdout";
        long timeNano = 0;
        byte[] line = new byte[0];
        boolean partial = false;
        int[] pos = {0};
        while (pos[0] < m.length) {
            long tag = readVarint(m, pos);
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            switch (wire) {
                case 0 -> {
                    long v = readVarint(m, pos);
                    if (field == 2) timeNano = v;
                    if (field == 4) partial = v != 0;
                }
                case 2 -> {
                    int len = (int) readVarint(m, pos);
                    if (len < 0 || pos[0] + len > m.length) return null;
                    if (field == 1) source = new String(m, pos[0], len, StandardCharsets.UTF_8);
                    if (field == 3) line = java.util.Arrays.copyOfRange(m, pos[0], pos[0] + len);
                    pos[0] += len;
                }
                case 1 -> pos[0] += 8;
                case 5 -> pos[0] += 4;
                default -> { return null; }
            }
        }
        if (pos[0] != m.length) return null;
        byte[] data = partial ? line : java.util.Arrays.copyOf(line, line.length + 1);
        if (!partial) data[line.length] = '\n';
        var stream = "stderr".equals(source) ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT;
        return new LogEntry(stream, Instant.ofEpochSecond(0, timeNano), data);
    }

    private static long readVarint(byte[] m, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= m.length) throw new IllegalArgumentException("truncated varint");
            int b = m[pos[0]++];
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IllegalArgumentException("varint too long");
    }

    /** Whole records from a file that may still be growing; a record not yet whole is waited for. */
    static final class Reader implements LogFormat.Reader {
        private static final int MAX_RECORD = 16 << 20;
        private final InputStream in;
        private byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;

        Reader(InputStream in) {
            this.in = in;
        }

        @Override
        public LogEntry next() throws IOException {
            while (true) {
                if (limit - pos >= 4) {
                    int n = (buf[pos] & 0xff) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8 | (buf[pos + 3] & 0xff);
                    if (n < 0 || n > MAX_RECORD) throw new IOException("corrupt local log record (length " + n + ")");
                    if (limit - pos >= n + 8) {
                        byte[] msg = java.util.Arrays.copyOfRange(buf, pos + 4, pos + 4 + n);
                        pos += n + 8;
                        LogEntry e;
                        try {
                            e = decode(msg);
                        } catch (IllegalArgumentException bad) {
                            e = null;
                        }
                        if (e != null) return e;
                        continue;
                    }
                    if (buf.length < n + 8) buf = java.util.Arrays.copyOf(buf, n + 8);
                }
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, limit - pos);
                    limit -= pos;
                    pos = 0;
                }
                int r = in.read(buf, limit, buf.length - limit);
                if (r <= 0) return null;
                limit += r;
            }
        }
    }
}
