package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.events.Event;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsHandlerTest {
    private static final String ID = "a363490d8087fc78fe480d7e6afef8ab21063868f91ccacccde5fdde2c40ce01";
    private static final Event EXEC = new Event("container", "exec_create: sh -c true", ID,
            Map.of("name", "web", "image", "busybox:latest", "execID", "e1", "app", "x"), Instant.ofEpochSecond(1700000000, 5));
    private static final Event TAG = new Event("image", "tag", "sha256:abc", Map.of("name", "foo:1"), Instant.ofEpochSecond(1700000001));

    private static Filters f(String json) {
        return Filters.parse(json, java.util.Set.of("type", "container", "image", "event", "label"));
    }

    @Test
    void message_hasDockersShape() {
        var m = EventsHandler.message(EXEC);
        assertThat(m.keySet()).containsExactly("status", "id", "from", "Type", "Action", "Actor", "scope", "time", "timeNano");
        assertThat(m.get("from")).isEqualTo("busybox:latest");
        assertThat(m.get("timeNano")).isEqualTo(1700000000_000000005L);
        assertThat(EventsHandler.message(TAG)).doesNotContainKey("from").containsEntry("status", "tag");
    }

    @Test
    void filters_matchAsDockerDoes() {
        assertThat(EventsHandler.matches(f("{\"event\":[\"exec_create\"]}"), EXEC)).isTrue();
        assertThat(EventsHandler.matches(f("{\"event\":[\"create\"]}"), EXEC)).isFalse();
        assertThat(EventsHandler.matches(f("{\"container\":[\"web\"]}"), EXEC)).isTrue();
        assertThat(EventsHandler.matches(f("{\"container\":[\"a36349\"]}"), EXEC)).isTrue();
        assertThat(EventsHandler.matches(f("{\"container\":[\"web\"]}"), TAG)).isFalse();
        assertThat(EventsHandler.matches(f("{\"image\":[\"busybox\"]}"), EXEC)).isTrue();
        assertThat(EventsHandler.matches(f("{\"image\":[\"foo:1\"]}"), TAG)).isTrue();
        assertThat(EventsHandler.matches(f("{\"type\":[\"image\"]}"), EXEC)).isFalse();
        assertThat(EventsHandler.matches(f("{\"label\":[\"app=x\"]}"), EXEC)).isTrue();
        assertThat(EventsHandler.matches(f("{\"label\":[\"app=y\"]}"), EXEC)).isFalse();
    }
}
