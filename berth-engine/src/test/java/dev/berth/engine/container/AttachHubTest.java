package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.AttachConnection;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AttachHubTest {

    /** A run's connection: output is fed by the test, input is recorded. Ends when {@link #end} is called. */
    static final class FakeConnection implements AttachConnection {
        final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        volatile boolean stdinClosed;
        private final BlockingQueue<Chunk> output = new LinkedBlockingQueue<>();
        private static final Chunk END = new Chunk(Stream.STDOUT, new byte[0]);

        void end() {
            output.add(END);
        }

        @Override
        public Chunk read() throws java.io.InterruptedIOException {
            try {
                Chunk c = output.take();
                return c == END ? null : c;
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
        }

        @Override
        public synchronized void write(byte[] data, int offset, int length) {
            stdin.write(data, offset, length);
        }

        @Override
        public void closeStdin() {
            stdinClosed = true;
        }

        @Override
        public void close() {
            end();
        }
    }

    private static CompletableFuture<Void> writeAndClose(AttachHub hub, String text) {
        return CompletableFuture.runAsync(() -> {
            try {
                AttachConnection conn = hub.awaitConnection();
                conn.write(text.getBytes(), 0, text.length());
                hub.awaitConnection().closeStdin();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void stdin_sentBeforeStart_isDeliveredToTheRunOnceItConnects() throws Exception {
        var hub = new AttachHub("a".repeat(64));
        var written = writeAndClose(hub, "hi\n");
        Thread.sleep(50);
        assertThat(written).isNotDone();

        var run = new FakeConnection();
        hub.connect(run);
        written.get(5, TimeUnit.SECONDS);
        assertThat(run.stdin.toString()).isEqualTo("hi\n");
        assertThat(run.stdinClosed).isTrue();
        run.end();
    }

    @Test
    void awaitConnection_afterTheRunEnded_waitsForTheNextRun() throws Exception {
        var hub = new AttachHub("b".repeat(64));
        var first = new FakeConnection();
        hub.connect(first);
        assertThat(hub.awaitConnection()).isSameAs(first);
        first.end();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (hub.connection() != null && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(hub.connection()).isNull();

        var written = writeAndClose(hub, "again");
        Thread.sleep(50);
        assertThat(written).isNotDone();
        var second = new FakeConnection();
        hub.connect(second);
        written.get(5, TimeUnit.SECONDS);
        assertThat(second.stdin.toString()).isEqualTo("again");
        assertThat(first.stdin.size()).isZero();
        second.end();
    }

    @Test
    void awaitConnection_givesUp_whenInterrupted() throws Exception {
        var hub = new AttachHub("c".repeat(64));
        var gaveUp = new CompletableFuture<Boolean>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                hub.awaitConnection();
                gaveUp.complete(false);
            } catch (InterruptedException e) {
                gaveUp.complete(true);
            }
        });
        Thread.sleep(20);
        t.interrupt();
        assertThat(gaveUp.get(5, TimeUnit.SECONDS)).isTrue();
    }
}
