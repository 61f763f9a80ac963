package dev.berth.daemon.http;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Native;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an epoll channel in its event loop's epoll set for its whole life, working around a Netty 4.2.18 bug that
 * broke large hijacked streams (attach, exec) once the client had half-closed: {@code docker run} without
 * {@code -i} shuts down its sending side right after attaching, and so does {@code -i} at the end of stdin.
 *
 * <p>The bug: Netty's epoll registration deletes the descriptor from the epoll set when the channel's interest set
 * becomes empty, but still believes it is added, so the next change is an {@code EPOLL_CTL_MOD} that fails with
 * ENOENT. The interest set does become empty on a half-closed connection: after the input is shut down, Netty
 * drops EPOLLRDHUP and EPOLLIN, and EPOLLOUT is only there while a write waits for socket space. The next write that
 * has to wait then fails, Netty shuts the output down, and the client gets a cut stream (or, with writes already
 * queued, a connection that never drains).
 *
 * <p>The guard adds EPOLLERR to the interest set once, at registration. The kernel reports EPOLLERR whether or not
 * it is asked for (epoll_ctl(2)), so nothing else changes, but the set is never empty again. Netty keeps the method
 * that adds an interest to itself; it is reached here by reflection, and if a later Netty has no such method the
 * guard does nothing and says so once.
 */
final class EpollRegistrationGuard {
    private static final Logger log = LoggerFactory.getLogger(EpollRegistrationGuard.class);
    private static final MethodHandle SET_FLAG = findSetFlag();

    private EpollRegistrationGuard() {}

    private static MethodHandle findSetFlag() {
        try {
            Class<?> type = Class.forName("io.netty.channel.epoll.AbstractEpollChannel");
            var lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            return lookup.findVirtual(type, "setFlag", MethodType.methodType(void.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot apply the epoll half-close workaround ({}); large attach streams may be cut", e.toString());
            return null;
        }
    }

    /** Call on the channel's event loop once it is registered (a ChannelInitializer runs there and then). */
    static void apply(Channel channel) {
        if (SET_FLAG == null || !SET_FLAG.type().parameterType(0).isInstance(channel)) return;
        try {
            SET_FLAG.invoke(channel, Native.EPOLLERR);
        } catch (Throwable t) {
            log.warn("epoll half-close workaround failed for {}: {}", channel, t.toString());
        }
    }

    /** Whether the workaround could be set up with this Netty. */
    static boolean available() {
        return SET_FLAG != null;
    }
}
