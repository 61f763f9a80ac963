package dev.berth.engine.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Publishes events after the change they describe is durable, in the order they happened, to every subscriber, and
 * keeps the most recent ones for {@code GET /events?since=} (dockerd keeps 256, daemon/events/events.go; a few more
 * cost little). Subscribers must not block: a streaming client copies into its own queue.
 *
 * <p>An event is delivered on its publisher's thread, after {@link #publish} has kept it and outside the bus's lock,
 * as dockerd's publisher does: a slow subscriber (one that removes a file, say) holds up its own publisher only, not
 * every other one. The events of one publisher reach each subscriber in the order published; events of different
 * publishers at the same moment may reach a subscriber in either order. A subscriber gets each event published after
 * it subscribed, and none from before.
 */
public final class EventBus {
    static final int BUFFERED = 1024;

    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Event> recent = new ArrayDeque<>(); // guarded by this

    public synchronized Runnable subscribe(Consumer<Event> s) {
        subscribers.add(s);
        return () -> subscribers.remove(s);
    }

    /** A live subscription and the kept events it starts after; {@link #cancel} ends it. */
    public record Subscription(List<Event> past, Runnable cancel) {}

    /**
     * Subscribes {@code s} to what comes next and returns, in the same step (so that nothing is missed or seen
     * twice), the kept events from {@code since} to {@code until} (either may be null; with both null, none, as in
     * dockerd's loadBufferedEvents).
     */
    public synchronized Subscription subscribe(Instant since, Instant until, Consumer<Event> s) {
        var past = new ArrayList<Event>();
        if (since != null || until != null) {
            for (Event e : recent) {
                if (since != null && e.time().isBefore(since)) continue;
                if (until != null && e.time().isAfter(until)) continue;
                past.add(e);
            }
        }
        return new Subscription(past, subscribe(s));
    }

    public void publish(String type, String action, String id, Map<String, String> attributes) {
        var e = new Event(type, action, id, Map.copyOf(attributes), Instant.now());
        List<Consumer<Event>> to;
        synchronized (this) {
            recent.addLast(e);
            if (recent.size() > BUFFERED) recent.removeFirst();
            // Who is subscribed now, in the same step as keeping it: a subscription made after this point finds the
            // event among the kept ones instead, never twice.
            to = List.copyOf(subscribers);
        }
        for (var s : to) s.accept(e);
    }
}
