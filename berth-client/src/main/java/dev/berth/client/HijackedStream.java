package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection the daemon has handed over to a raw stream (attach, exec start): what the container writes arrives on
 * {@link #input()}, and what is written to {@link #output()} reaches its stdin. {@link #closeInput()} half-closes the
 * connection, which the daemon passes on as end of stdin.
 */
public final class HijackedStream implements AutoCloseable {
    private final Connection connection;
    private final InputStream input;

    HijackedStream(Connection connection, InputStream input) {
        this.connection = connection;
        this.input = input;
    }

    public InputStream input() {
        return input;
    }

    public OutputStream output() {
        return connection.out;
    }

    public void closeInput() throws IOException {
        connection.shutdownOutput();
    }

    @Override
    public void close() {
        connection.close();
    }
}
