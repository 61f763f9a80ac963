package dev.berth.daemon.http;

import io.netty.channel.Channel;
import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Lets a producer on a virtual thread block while the channel's outbound buffer is above its high-water mark. */
final class Writability {
    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    Writability(Channel channel) {
        this.channel = channel;
    }

    void awaitWritable() throws IOException {
        if (channel.isWritable()) return;
        lock.lock();
        try {
            while (!channel.isWritable() && channel.isActive()) {
                changed.await(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        } finally {
            lock.unlock();
        }
        if (!channel.isActive()) throw new IOException("client closed the connection");
    }

    /** Event loop: writability or activity changed. */
    void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
