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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's front door: one Netty server per {@code -H} address ({@code unix://path}, {@code tcp://host:port},
 * {@code fd://}), all sharing one pipeline shape and one router; tcp listeners put TLS in front when configured.
 * Handlers run on virtual threads.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    public static final String SERVER_HEADER = "Berth/" + dev.berth.daemon.BuildInfo.VERSION + " (linux)";

    private final Router router;
    private final SslContext tls;
    private final String socketGroup;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Path> sockets = new ArrayList<>();

    public ApiServer(Router router) {
        this(router, null, null);
    }

    /**
     * @param tls served on every tcp listener when not null (unix sockets are guarded by their mode and group)
     * @param socketGroup the unix sockets' group (dockerd's {@code -G}); null means {@code docker} where that group
     *     exists, else root's
     */
    public ApiServer(Router router, SslContext tls, String socketGroup) {
        this.router = router;
        this.tls = tls;
        this.socketGroup = socketGroup;
    }

    /**
     * Starts listening on {@code host}: {@code unix:///path} (mode 0660, owned by the socket group, as dockerd's),
     * {@code tcp://host:port}, or {@code fd://}/{@code fd://N} for sockets systemd passed in.
     */
    public void listen(String host) throws IOException, InterruptedException {
        if (host.startsWith("fd://")) {
            listenInherited(host);
            return;
        }
        URI uri = URI.create(host);
        switch (uri.getScheme()) {
            case "unix" -> {
                Path path = Path.of(uri.getPath());
                var owner = groupFor(path);
                Files.createDirectories(path.getParent());
                if (inUse(path)) {
                    throw new IllegalStateException("another process is listening on " + host
                            + "; stop it or give this daemon its own -H");
                }
                Files.deleteIfExists(path); // a socket a dead daemon left behind
                Channel ch = bootstrap(false).channel(EpollServerDomainSocketChannel.class)
                        .bind(new DomainSocketAddress(path.toString())).sync().channel();
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
                if (owner != null) Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(owner);
                listeners.add(ch);
                sockets.add(path);
            }
            case "tcp" -> {
                String h = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
                int port = uri.getPort() < 0 ? (tls != null ? 2376 : 2375) : uri.getPort();
                Channel ch = bootstrap(tls != null).channel(EpollServerSocketChannel.class)
                        .bind(new InetSocketAddress(h, port)).sync().channel();
                listeners.add(ch);
                warnIfOpen("tcp://" + h + ":" + port);
            }
            default -> throw new IllegalArgumentException("unsupported host " + host + ": use unix://, tcp:// or fd://");
        }
        log.info("API listening on {}", host);
    }

    /**
     * Serves the sockets systemd passed in; they are bound and listening, so registering one starts its accepts. A
     * domain socket made from a bare fd must be declared active (Netty's fd-only constructor marks it inactive, and
     * an inactive server channel never reads).
     */
    private void listenInherited(String host) throws IOException, InterruptedException {
        for (var s : SystemdSockets.select(host, System.getenv(), ProcessHandle.current().pid())) {
            Channel ch = s.unix()
                    ? bootstrap(false).channelFactory(() -> new EpollServerDomainSocketChannel(s.fd(), true)).register().sync().channel()
                    : bootstrap(tls != null).channelFactory(() -> new EpollServerSocketChannel(s.fd())).register().sync().channel();
            listeners.add(ch);
            log.info("API listening on fd {} from systemd ({})", s.fd(), s.unix() ? "a unix socket" : ch.localAddress());
            if (!s.unix()) warnIfOpen("fd://" + s.fd());
        }
    }

    private ServerBootstrap bootstrap(boolean withTls) {
        return new ServerBootstrap().group(group)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        EpollRegistrationGuard.apply(ch);
                        if (withTls) {
                            ch.pipeline().addLast(new PlainHttpRefusal());
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                            ch.pipeline().addLast(new TlsCloseAsHalfClose());
                        }
                        ch.pipeline().addLast(new HttpServerCodec());
                        ch.pipeline().addLast(new HttpDispatcher(router, workers));
                    }
                });
    }

    private void warnIfOpen(String address) {
        if (tls == null) {
            log.warn("API listening on {} WITHOUT TLS: anyone who can reach this port has root on this host;"
                    + " use --tlsverify with --tlscacert, --tlscert and --tlskey", address);
        }
    }

    /**
     * The group a unix socket gets: the one given (which must exist), else {@code docker} where that group exists;
     * null leaves root's.
     */
    private GroupPrincipal groupFor(Path path) throws IOException {
        var lookup = path.getFileSystem().getUserPrincipalLookupService();
        String name = socketGroup != null ? socketGroup : "docker";
        try {
            return lookup.lookupPrincipalByGroupName(name);
        } catch (UserPrincipalNotFoundException e) {
            if (socketGroup == null) return null;
            throw new IllegalStateException("can't create unix socket " + path + ": group " + socketGroup + " not found");
        }
    }

    /**
     * A plain HTTP request on a TLS port gets Go's answer (a 400 saying so, which the Docker CLI shows) rather than a
     * dropped connection that looks like no daemon at all. Looks at the first bytes only, then steps aside.
     */
    private static final class PlainHttpRefusal extends io.netty.handler.codec.ByteToMessageDecoder {
        private static final byte[] ANSWER = ("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Connection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        @Override
        protected void decode(ChannelHandlerContext ctx, io.netty.buffer.ByteBuf in, List<Object> out) {
            if (in.readableBytes() < 5) return; // a TLS record header is 5 bytes
            if (io.netty.handler.ssl.SslHandler.isEncrypted(in, false)) {
                ctx.pipeline().remove(this); // the buffered bytes go on to the SslHandler
                return;
            }
            in.skipBytes(in.readableBytes());
            ctx.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(ANSWER)).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
    }

    /**
     * A TLS client ends its sending side with close_notify (Go's CloseWrite on a TLS connection), not a TCP half
     * close: passed on as the input shutdown the hijacked streams take for end of stdin.
     */
    private static final class TlsCloseAsHalfClose extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslCloseCompletionEvent && ctx.channel().isActive()) {
                ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
            super.userEventTriggered(ctx, evt);
        }
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
