package dev.berth.engine.container;

import dev.berth.runtime.AttachConnection;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans one container's live output out to its attached clients, and their input in.
 *
 * <p>Clients may attach before the container starts (the Docker CLI attaches, then starts, so that no output is
 * missed); they wait here until {@link #connect} is called between the runtime's create and start. One platform
 * thread per running container reads the monitor's attach socket; when the output ends, every client of that run is
 * closed, which ends their attach streams.
 *
 * <p>Input can arrive before the run it is meant for: {@code echo hi | docker run -i} sends its stdin, and often its
 * end, right after attaching and before it starts the container. {@link #awaitConnection} holds such input until the
 * run connects, as the pipe Docker creates with the container holds it.
 */
public final class AttachHub {
    private static final Logger log = LoggerFactory.getLogger(AttachHub.class);

    /** One attached client. Callbacks run on the hub's reader thread and must not block for long. */
    public interface Client {
        /** Receives a chunk; returns false if the client is gone. */
        boolean output(AttachConnection.Stream stream, byte[] data);

        /** The container's output has ended (it exited), or the hub is shutting down. */
        void closed();
    }

    private final String containerId;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private volatile AttachConnection connection;
    /** Completed with the connection of the next run; replaced when a run ends. */
    private volatile CompletableFuture<AttachConnection> nextRun = new CompletableFuture<>();

    public AttachHub(String containerId) {
        this.containerId = containerId;
    }

    public void add(Client c) {
        clients.add(c);
    }

    public void remove(Client c) {
        clients.remove(c);
    }

    /** Stdin for the current run, or null when the container is not running. */
    public AttachConnection connection() {
        return connection;
    }

    /**
     * The current run's connection, waiting for the next run to connect when the container is not running. Blocks
     * until then; interrupt the caller to give up (when its client detaches).
     */
    public AttachConnection awaitConnection() throws InterruptedException {
        AttachConnection now = connection;
        if (now != null) return now;
        try {
            return nextRun.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Starts pumping output of a new run from {@code conn} to the clients. */
    public void connect(AttachConnection conn) {
        this.connection = conn;
        nextRun.complete(conn);
        Thread.ofPlatform().daemon().name("attach-" + containerId.substring(0, 12)).start(() -> pump(conn));
    }

    private void pump(AttachConnection conn) {
        try (conn) {
            AttachConnection.Chunk chunk;
            while ((chunk = conn.read()) != null) {
                for (Client c : clients) {
                    if (!c.output(chunk.stream(), chunk.data())) clients.remove(c);
                }
            }
        } catch (IOException e) {
            log.debug("attach stream of {} ended: {}", containerId, e.getMessage());
        } finally {
            if (connection == conn) {
                connection = null;
                nextRun = new CompletableFuture<>();
            }
            closeClients();
        }
    }

    /** Ends every client's stream (used when the run ends, or when a start fails before any output). */
    public void closeClients() {
        for (Client c : clients) {
            clients.remove(c);
            c.closed();
        }
    }
}
