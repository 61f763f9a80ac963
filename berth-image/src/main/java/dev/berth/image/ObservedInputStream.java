package dev.berth.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that shows every byte read through it to {@link #observe}, skipped ones included (skipping reads them),
 * so hashes and records cover the stream exactly as sent.
 */
abstract class ObservedInputStream extends FilterInputStream {

    ObservedInputStream(InputStream in) {
        super(in);
    }

    protected abstract void observe(byte[] b, int off, int len) throws IOException;

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) observe(new byte[] {(byte) b}, 0, 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) observe(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        return Math.max(read(scratch, 0, scratch.length), 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
