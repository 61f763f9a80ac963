package dev.berth.engine.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventBusTest {
    @Test
    void aSlowSubscriber_doesNotHoldUpAnotherPublisher() throws Exception {
        var bus = new EventBus();
        var blocking = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        bus.subscribe(e -> {
            if (e.action().equals("slow")) {
                blocking.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Thread slow = Thread.ofVirtual().start(() -> bus.publish("container", "slow", "a", Map.of()));
        assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();
        var other = Thread.ofVirtual().start(() -> bus.publish("container", "fast", "b", Map.of()));
        try {
            assertThat(other.join(java.time.Duration.ofSeconds(5))).as("publish while a subscriber is busy").isTrue();
        } finally {
            release.countDown();
            slow.join();
        }
    }

    @Test
    void oneThreadsEvents_arriveInOrder_andASubscriptionSeesEachEventOnce() throws Exception {
        var bus = new EventBus();
        var live = new CopyOnWriteArrayList<String>();
        var start = Instant.now().minusSeconds(1);
        Thread publisher = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 500; i++) bus.publish("container", "e" + i, "a", Map.of());
        });
        Thread.sleep(1);
        var sub = bus.subscribe(start, null, e -> live.add(e.action()));
        publisher.join();
        List<String> seen = new java.util.ArrayList<>(sub.past().stream().map(Event::action).toList());
        seen.addAll(live);
        var expected = java.util.stream.IntStream.range(0, 500).mapToObj(i -> "e" + i).toList();
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void aCancelledSubscriber_getsNothingPublishedAfter() {
        var bus = new EventBus();
        var got = new CopyOnWriteArrayList<String>();
        Runnable cancel = bus.subscribe(e -> got.add(e.action()));
        bus.publish("container", "one", "a", Map.of());
        cancel.run();
        bus.publish("container", "two", "a", Map.of());
        assertThat(got).containsExactly("one");
    }
}
