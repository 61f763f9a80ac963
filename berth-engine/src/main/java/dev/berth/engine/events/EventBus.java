package dev.berth.engine.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Publishes events after the change they describe is durable, in the order they happened, to every subscriber.
 * Subscribers must not block: a streaming client copies into its own bounded queue.
 */
public final class EventBus {
    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();

    public Runnable subscribe(Consumer<Event> s) {
        subscribers.add(s);
        return () -> subscribers.remove(s);
    }

    public void publish(String type, String action, String id, Map<String, String> attributes) {
        var e = new Event(type, action, id, Map.copyOf(attributes), Instant.now());
        for (var s : subscribers) s.accept(e);
    }
}
