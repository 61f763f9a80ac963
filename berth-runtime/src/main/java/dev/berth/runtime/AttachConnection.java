package dev.berth.runtime;

import java.io.Closeable;
import java.io.IOException;

/**
 * One connection to a task's live stdio through its monitor. Reads block on the calling thread; use a platform
 * thread per connection (blocking native reads pin a virtual thread's carrier).
 */
public interface AttachConnection extends Closeable {

    /** Which of the task's streams a chunk of output came from. */
    enum Stream { STDOUT, STDERR }

    record Chunk(Stream stream, byte[] data) {}

    /** The next chunk of output, or {@code null} once the task's output has ended and the monitor closed. */
    Chunk read() throws IOException;

    /** Writes to the task's stdin (the task must have been created with stdin open). */
    void write(byte[] data, int offset, int length) throws IOException;

    /** Closes the task's stdin, as an end of input. */
    void closeStdin() throws IOException;

    @Override
    void close();
}
