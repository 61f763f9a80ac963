package dev.berth.daemon.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's front door: one Netty server per {@code -H} address ({@code unix://path} or {@code tcp://host:port}),
 * all sharing one pipeline shape and one router. Handlers run on virtual threads.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    public static final String SERVER_HEADER = "Berth/" + dev.berth.daemon.BuildInfo.VERSION + " (linux)";

    private final Router router;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Path> sockets = new ArrayList<>();

    public ApiServer(Router router) {
        this.router = router;
    }

    /** Starts listening on {@code host}; a unix socket gets mode 0660, as dockerd's. */
    public void listen(String host) throws IOException, InterruptedException {
        URI uri = URI.create(host);
        var b = new ServerBootstrap().group(group)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        EpollRegistrationGuard.apply(ch);
                        ch.pipeline().addLast(new HttpServerCodec());
                        ch.pipeline().addLast(new HttpDispatcher(router, workers));
                    }
                });
        switch (uri.getScheme()) {
            case "unix" -> {
                Path path = Path.of(uri.getPath());
                Files.createDirectories(path.getParent());
                if (inUse(path)) {
                    throw new IllegalStateException("another process is listening on " + host
                            + "; stop it or give this daemon its own -H");
                }
                Files.deleteIfExists(path); // a socket a dead daemon left behind
                Channel ch = b.channel(EpollServerDomainSocketChannel.class).bind(new DomainSocketAddress(path.toString())).sync().channel();
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
                listeners.add(ch);
                sockets.add(path);
            }
            case "tcp" -> {
                String h = uri.getHost() == null ? "0.0.0.0" : uri.getHost();
                int port = uri.getPort() < 0 ? 2375 : uri.getPort();
                Channel ch = b.channel(EpollServerSocketChannel.class).bind(new InetSocketAddress(h, port)).sync().channel();
                listeners.add(ch);
                log.warn("API listening on tcp://{}:{} WITHOUT TLS: anyone who can reach this port has root on this host", h, port);
            }
            default -> throw new IllegalArgumentException("unsupported host " + host + ": use unix:// or tcp://");
        }
        log.info("API listening on {}", host);
    }

    /** Whether something accepts connections on the unix socket at {@code path} (a live daemon, not a stale file). */
    static boolean inUse(Path path) {
        if (!Files.exists(path)) return false;
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false; // refused: nobody listens, the file is stale
        }
    }

    @Override
    public void close() {
        for (Channel ch : listeners) ch.close().syncUninterruptibly();
        for (Path p : sockets) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the next start replaces it
            }
        }
        // Handlers first: interrupted ones (waits, follows) still end their responses on the event loops, which
        // must be running for that; a loop shut down first logs each such write as a failed notification.
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
