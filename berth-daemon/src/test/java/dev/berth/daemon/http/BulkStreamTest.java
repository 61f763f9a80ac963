package dev.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bulk bodies (save, export, cp) go out in large chunks, not one per small write. */
class BulkStreamTest {
    private static final int TOTAL = 300 * 1024 + 7;

    /** The response's messages, as the handler left them on the channel. */
    private static List<Object> respond(Router router) throws Exception {
        var channel = new EmbeddedChannel(new HttpDispatcher(router, Executors.newVirtualThreadPerTaskExecutor()));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1.50/images/get"));
        var out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            channel.runPendingTasks();
            Object m;
            while ((m = channel.readOutbound()) != null) out.add(m);
            if (!out.isEmpty() && (out.getLast() instanceof LastHttpContent || !channel.isOpen())) break;
            Thread.sleep(10);
        }
        channel.finishAndReleaseAll();
        return out;
    }

    private static byte[] pattern() {
        byte[] b = new byte[TOTAL];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 31);
        return b;
    }

    @Test
    void smallWrites_goOutIn128KiBChunks_andTheBodyIsIntact() throws Exception {
        byte[] body = pattern();
        var router = new Router().get("/images/get", ex -> {
            try (OutputStream out = ex.bulkStream(200, "application/x-tar")) {
                for (int off = 0; off < body.length; off += 512) out.write(body, off, Math.min(512, body.length - off));
            }
        });
        var messages = respond(router);
        assertThat(messages.getFirst()).isInstanceOf(HttpResponse.class);
        var sizes = new ArrayList<Integer>();
        var received = new ByteArrayOutputStream();
        for (Object m : messages.subList(1, messages.size())) {
            ByteBuf content = ((HttpContent) m).content();
            if (content.readableBytes() > 0) sizes.add(content.readableBytes());
            byte[] bytes = new byte[content.readableBytes()];
            content.readBytes(bytes);
            received.write(bytes);
        }
        assertThat(messages.getLast()).isInstanceOf(LastHttpContent.class);
        assertThat(sizes).containsExactly(Exchange.BULK_CHUNK, Exchange.BULK_CHUNK, TOTAL - 2 * Exchange.BULK_CHUNK);
        assertThat(received.toByteArray()).isEqualTo(body);
    }

    @Test
    void aFailureHalfWay_neverEndsTheResponseAsComplete() throws Exception {
        var router = new Router().get("/images/get", ex -> {
            OutputStream out = ex.bulkStream(200, "application/x-tar");
            out.write(new byte[Exchange.BULK_CHUNK + 100]);
            throw new IOException("a layer changed under the save");
        });
        var messages = respond(router);
        assertThat(messages).noneMatch(m -> m instanceof LastHttpContent);
    }

    @Test
    void bulkOutput_passesWholePiecesThrough_andKeepsBytesInOrder() throws IOException {
        var sink = new ByteArrayOutputStream();
        var writes = new ArrayList<Integer>();
        var target = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("single bytes must not reach the channel");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                sink.write(b, off, len);
            }
        };
        var bulk = new Exchange.BulkOutput(target, 8);
        bulk.write('a');
        bulk.write("bcdefghijk".getBytes());          // fills the piece (8), keeps 3
        bulk.write("0123456789abcdefXY".getBytes());  // tops up to 8, then one whole piece of 8 passes, keeps 5
        bulk.close();
        assertThat(sink.toString()).isEqualTo("abcdefghijk0123456789abcdefXY");
        assertThat(writes).containsExactly(8, 8, 8, 5);
    }
}
