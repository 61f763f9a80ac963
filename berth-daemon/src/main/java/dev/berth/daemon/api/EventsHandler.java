package dev.berth.daemon.api;

import dev.berth.api.ApiJson;
import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /events}, as dockerd's getEvents (api/server/router/system/system_routes.go): the kept events from
 * {@code since} to {@code until} first, then live ones until {@code until} passes or the client goes; an
 * {@code until} in the past gives only kept events. One JSON object per line, flushed as each happens.
 */
public final class EventsHandler {
    private static final Set<String> FILTERS = Set.of("type", "container", "image", "event", "label", "daemon",
            "network", "volume", "plugin", "scope", "service", "node", "secret", "config");
    /** Types named by a filter key whose value matches the actor's id or name (daemon/events/filter.go). */
    private static final Set<String> NAMED = Set.of("container", "daemon", "network", "volume", "plugin", "service",
            "node", "secret", "config");

    /** Events a client may fall behind by before its stream is ended. */
    private static final int BACKLOG = 10_000;

    private final EventBus events;

    public EventsHandler(EventBus events) {
        this.events = events;
    }

    public void register(Router r) {
        r.get("/events", this::events);
    }

    private void events(Exchange ex) throws Exception {
        Instant since = Timestamps.parseOrNull(ex.query("since"));
        Instant until = Timestamps.parseOrNull(ex.query("until"));
        if (until != null && since != null && until.isBefore(since)) {
            throw EngineException.invalid("`since` time (%s) cannot be after `until` time (%s)", ex.query("since"), ex.query("until"));
        }
        Filters filters = Filters.parse(ex.query("filters"), FILTERS);
        boolean onlyPast = until != null && until.isBefore(Instant.now());

        // Bounded: a client that stops reading is dropped rather than let its backlog fill the heap.
        var queue = new LinkedBlockingQueue<Event>(BACKLOG);
        var sub = events.subscribe(since, until, e -> {
            if (matches(filters, e) && !queue.offer(e)) {
                queue.clear();
                queue.offer(CLOSED);
            }
        });
        ex.onClose(() -> queue.offer(CLOSED));
        try (OutputStream out = ex.stream(200, "application/json")) {
            out.flush(); // the head goes out now: clients wait for it before they act
            for (Event e : sub.past()) {
                if (matches(filters, e)) write(out, e);
            }
            if (onlyPast) return;
            while (!ex.clientGone()) {
                long wait = until == null ? 1000 : Math.max(0, until.toEpochMilli() - System.currentTimeMillis());
                if (until != null && wait == 0) return;
                Event e = queue.poll(Math.min(wait, 1000), TimeUnit.MILLISECONDS);
                if (e == CLOSED) return;
                if (e != null && (until == null || !e.time().isAfter(until))) write(out, e);
            }
        } finally {
            sub.cancel().run();
        }
    }

    private static final Event CLOSED = new Event("", "", "", Map.of(), Instant.EPOCH);

    private static void write(OutputStream out, Event e) throws IOException {
        out.write(ApiJson.MAPPER.writeValueAsBytes(message(e)));
        out.write('\n');
        out.flush();
    }

    /** Docker's events.Message, with the legacy status/id/from that API 1.50 still fills for containers and images. */
    static Map<String, Object> message(Event e) {
        var m = new LinkedHashMap<String, Object>();
        if (e.type().equals("container") || e.type().equals("image")) {
            m.put("status", e.action());
            m.put("id", e.id());
            String from = e.type().equals("container") ? e.attributes().get("image") : null;
            if (from != null) m.put("from", from);
        }
        m.put("Type", e.type());
        m.put("Action", e.action());
        var actor = new LinkedHashMap<String, Object>();
        actor.put("ID", e.id());
        actor.put("Attributes", new java.util.TreeMap<>(e.attributes()));
        m.put("Actor", actor);
        m.put("scope", "local");
        m.put("time", e.time().getEpochSecond());
        m.put("timeNano", e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
        return m;
    }

    /** moby's daemon/events/filter.go Include: every filter key given must match. */
    static boolean matches(Filters f, Event e) {
        String name = e.attributes().getOrDefault("name", "");
        if (f.has("event") && !matchesEvent(f, e.action())) return false;
        if (f.has("type") && !f.get("type").contains(e.type())) return false;
        if (f.has("scope") && !f.get("scope").contains("local")) return false;
        for (String key : NAMED) {
            if (f.has(key) && !fuzzy(f, key, e.id()) && !fuzzy(f, key, name)) return false;
        }
        if (f.has("image")) {
            String image = e.type().equals("image") ? name : e.attributes().getOrDefault("image", "");
            var want = f.get("image");
            if (!want.contains(e.id()) && !want.contains(image) && !want.contains(stripTag(image))) return false;
        }
        return f.labelsMatch(e.attributes());
    }

    /** Actions like "exec_create: sh" match their bare name (moby #25798); others must be equal. */
    private static boolean matchesEvent(Filters f, String action) {
        for (String want : f.get("event")) {
            if (want.equals(action)) return true;
            boolean fuzzy = want.equals("exec_create") || want.equals("exec_start") || want.equals("health_status");
            if (fuzzy && action.startsWith(want)) return true;
        }
        return false;
    }

    private static boolean fuzzy(Filters f, String key, String value) {
        return f.get(key).stream().anyMatch(value::startsWith);
    }

    private static String stripTag(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(0, colon) : image;
    }
}
