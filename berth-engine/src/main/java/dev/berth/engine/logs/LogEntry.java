package dev.berth.engine.logs;

import java.time.Instant;

/** One message from a container's log: which stream, when, and the bytes (a full line keeps its newline). */
public record LogEntry(Stream stream, Instant time, byte[] data) {
    public enum Stream { STDOUT, STDERR }
}
