package dev.berth.sys;

import java.io.IOException;

/**
 * A failed libc call: the call, what it acted on, and the kernel's errno with its {@code strerror} text, so that the
 * message reads like the shell's ("mount /x: Operation not permitted").
 */
public final class SysException extends IOException {

    private final int errno;

    public SysException(String call, String subject, int errno) {
        super((subject == null || subject.isEmpty() ? call : call + " " + subject) + ": " + Libc.strerror(errno));
        this.errno = errno;
    }

    /** The raw errno value (see {@link Libc} for the constants the engine tests for). */
    public int errno() {
        return errno;
    }
}
