package dev.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class HttpDispatcherTest {
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(HttpDispatcher.class);

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    /** A request whose handler answers 400 without reading its body, with {@code sent} bytes of a 1 MB body in. */
    private static EmbeddedChannel refusedMidBody(int sent) throws Exception {
        var router = new Router().put("/containers/{id}/archive", ex -> ex.error(400, "not a directory"));
        var channel = new EmbeddedChannel(new HttpDispatcher(router, Executors.newVirtualThreadPerTaskExecutor()));
        var request = new io.netty.handler.codec.http.DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT,
                "/v1.50/containers/abc/archive?path=/etc/passwd");
        request.headers().set("Content-Length", 1 << 20).set("Connection", "close");
        channel.writeInbound(request);
        channel.writeInbound(new io.netty.handler.codec.http.DefaultHttpContent(io.netty.buffer.Unpooled.wrappedBuffer(new byte[sent])));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Object response = null;
        while (response == null && System.nanoTime() < deadline) {
            channel.runPendingTasks();
            response = channel.readOutbound();
            Thread.sleep(5);
        }
        assertThat(response).isInstanceOf(io.netty.handler.codec.http.HttpResponse.class);
        Thread.sleep(50);
        channel.runPendingTasks();
        return channel;
    }

    @Test
    void aResponseBeforeTheBodyIsIn_waitsForTheRestOfIt_thenCloses() throws Exception {
        var channel = refusedMidBody(64 * 1024);
        // Closing now would reset the connection under a client still sending, which would then miss the answer.
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(new io.netty.handler.codec.http.DefaultLastHttpContent(io.netty.buffer.Unpooled.wrappedBuffer(new byte[1000])));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void moreThan256KiBLeftAfterTheResponse_closesWithoutWaiting() throws Exception {
        var channel = refusedMidBody(1000);
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(new io.netty.handler.codec.http.DefaultHttpContent(io.netty.buffer.Unpooled.wrappedBuffer(new byte[300 * 1024])));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void streamEndedByTheClient_isNotLoggedAsAnError() throws Exception {
        var streaming = new CountDownLatch(1);
        var hungUp = new CountDownLatch(1);
        var failure = new CompletableFuture<Throwable>();
        var router = new Router().post("/containers/{id}/wait", ex -> {
            OutputStream out = ex.stream(200, "application/json");
            streaming.countDown();
            hungUp.await();
            try {
                out.write("{}".getBytes());
            } catch (IOException e) {
                failure.complete(e);
                throw e;
            }
        });
        var channel = new EmbeddedChannel(new HttpServerCodec(), new HttpDispatcher(router, Executors.newVirtualThreadPerTaskExecutor()));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1.50/containers/abc/wait"));
        assertThat(streaming.await(5, TimeUnit.SECONDS)).isTrue();
        channel.close().sync();
        hungUp.countDown();

        assertThat(failure.get(5, TimeUnit.SECONDS)).hasMessageContaining("client closed the connection");
        Thread.sleep(100); // the dispatcher logs after the handler threw
        assertThat(logged.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        channel.finishAndReleaseAll();
    }

    @Test
    void handlerInterruptedByShutdown_isNotLoggedAsAnError() throws Exception {
        var waiting = new CountDownLatch(1);
        var router = new Router().post("/containers/{id}/wait", ex -> {
            ex.stream(200, "application/json");
            waiting.countDown();
            new CountDownLatch(1).await(); // a wait for an exit that never comes
        });
        var workers = Executors.newVirtualThreadPerTaskExecutor();
        var channel = new EmbeddedChannel(new HttpServerCodec(), new HttpDispatcher(router, workers));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/containers/abc/wait"));
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
        workers.shutdownNow(); // as ApiServer.close does
        assertThat(workers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(logged.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        channel.finishAndReleaseAll();
    }

    @Test
    void handlerFailure_beforeAnyResponse_isLoggedAndAnswered500() throws Exception {
        var router = new Router().get("/info", ex -> { throw new IllegalStateException("boom"); });
        var channel = new EmbeddedChannel(new HttpServerCodec(), new HttpDispatcher(router, Executors.newVirtualThreadPerTaskExecutor()));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/info"));
        io.netty.buffer.ByteBuf out = null;
        for (int i = 0; i < 500 && out == null; i++) {
            Thread.sleep(10);
            out = channel.readOutbound();
        }
        assertThat(out).isNotNull();
        assertThat(out.toString(java.nio.charset.StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 500");
        out.release();
        assertThat(logged.list).anyMatch(e -> e.getLevel() == Level.ERROR);
        channel.finishAndReleaseAll();
    }
}
