package dev.berth.engine.health;

import dev.berth.common.EngineException;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.exec.ExecService;
import dev.berth.image.Healthcheck;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's health checks: while a container with a check runs, its probe is run in it as an exec every interval
 * (every start interval during the start period), and the results make its health {@code starting}, {@code healthy}
 * or {@code unhealthy}, with a {@code health_status} event at each change. The health lives in memory, as the
 * probes do: a container that starts, or that a restarted daemon adopts, begins again at {@code starting}.
 */
public final class HealthMonitor {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
    /** Docker keeps the last five results and the first 4 KiB of each probe's output. */
    static final int LOG_ENTRIES = 5;
    static final int OUTPUT_LIMIT = 4096;

    public static final String STARTING = "starting";
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";

    /** One probe: when it ran, its exit code (-1 when it could not finish) and the start of its output. */
    public record Result(Instant start, Instant end, int exitCode, String output) {}

    /** A container's health as inspect shows it ({@code State.Health}). */
    public record Health(String status, int failingStreak, List<Result> log) {}

    private final ContainerService containers;
    private final ExecService execs;
    private final EventBus events;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    /** The last health of containers that stopped: inspect still shows it, as dockerd does. */
    private final Map<String, Health> stopped = new ConcurrentHashMap<>();

    public HealthMonitor(ContainerService containers, ExecService execs, EventBus events) {
        this.containers = containers;
        this.execs = execs;
        this.events = events;
        events.subscribe(e -> {
            if (!e.type().equals("container")) return;
            switch (e.action()) {
                case "start" -> watch(e.id());
                case "die" -> unwatch(e.id());
                case "destroy" -> {
                    unwatch(e.id());
                    stopped.remove(e.id());
                }
                default -> { }
            }
        });
    }

    /** After the daemon's restore: watches the running containers it adopted. */
    public void watchRunning() {
        for (Container c : containers.list()) {
            if (c.state().isRunning()) watch(c.id());
        }
    }

    /** The container's health; empty for a container without a check. */
    public Optional<Health> health(String containerId) {
        Watch w = watches.get(containerId);
        if (w != null) return Optional.of(w.snapshot());
        return Optional.ofNullable(stopped.get(containerId));
    }

    private void watch(String id) {
        Container c;
        try {
            c = containers.get(id);
        } catch (EngineException.NotFound e) {
            return;
        }
        Healthcheck check = c.config().activeHealthcheck();
        if (check == null) return;
        var w = new Watch(id, check, Instant.now());
        Watch old = watches.put(id, w);
        if (old != null) old.stop();
        stopped.remove(id);
        w.thread = Thread.ofVirtual().name("health-" + id.substring(0, 12)).start(w::run);
    }

    private void unwatch(String id) {
        Watch w = watches.remove(id);
        if (w == null) return;
        w.stop();
        Health last = w.snapshot();
        // A stopped container is not healthy, whatever its last probe said.
        stopped.put(id, new Health(UNHEALTHY, last.failingStreak(), last.log()));
    }

    /** The probes of one run of one container. */
    private final class Watch {
        private final String id;
        private final Healthcheck check;
        private final Instant started;
        private volatile boolean stopping;
        private volatile Thread thread;
        private String status = STARTING;
        private int failingStreak;
        private final ArrayDeque<Result> results = new ArrayDeque<>();

        Watch(String id, Healthcheck check, Instant started) {
            this.id = id;
            this.check = check;
            this.started = started;
        }

        synchronized Health snapshot() {
            return new Health(status, failingStreak, List.copyOf(results));
        }

        void stop() {
            stopping = true;
            Thread t = thread;
            if (t != null) t.interrupt();
        }

        void run() {
            try {
                while (!stopping) {
                    Thread.sleep(nextWait());
                    if (stopping) return;
                    Container c = containers.get(id);
                    if (c.state().status() == ContainerState.Status.PAUSED) continue;
                    if (!c.state().isRunning()) return;
                    record(probe(c));
                }
            } catch (InterruptedException e) {
                // stopped
            } catch (EngineException.NotFound e) {
                // removed
            } catch (RuntimeException e) {
                log.error("health check of {}: {}", id, e.getMessage(), e);
            }
        }

        /** The start interval while the start period lasts (when there is one), the interval after it. */
        private Duration nextWait() {
            Duration startPeriod = Duration.ofNanos(check.startPeriod());
            synchronized (this) {
                if (status.equals(STARTING) && !startPeriod.isZero() && inStartPeriod()) {
                    return orDefault(check.startInterval(), Healthcheck.DEFAULT_START_INTERVAL);
                }
            }
            return orDefault(check.interval(), Healthcheck.DEFAULT_INTERVAL);
        }

        private boolean inStartPeriod() {
            return Instant.now().isBefore(started.plusNanos(check.startPeriod()));
        }

        private Result probe(Container c) throws InterruptedException {
            Instant start = Instant.now();
            Duration timeout = orDefault(check.timeout(), Healthcheck.DEFAULT_TIMEOUT);
            var out = new ByteArrayOutputStream();
            String execId;
            ExecService.Session session;
            try {
                execId = execs.create(id, new ExecService.ExecSpec(command(check.test()), List.of(), c.config().user(),
                        c.config().workingDir(), false, false, false, true, true, null, 0, 0));
                session = execs.start(execId, (stream, data) -> {
                    synchronized (out) {
                        out.write(data, 0, Math.max(0, Math.min(data.length, OUTPUT_LIMIT - out.size())));
                    }
                    return true;
                });
            } catch (EngineException e) {
                return new Result(start, Instant.now(), -1, e.getMessage());
            }
            try {
                int code = session.exited().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                String text;
                synchronized (out) {
                    text = out.toString(StandardCharsets.UTF_8);
                }
                return new Result(start, Instant.now(), code, text);
            } catch (TimeoutException e) {
                session.kill();
                return new Result(start, Instant.now(), -1, "Health check exceeded timeout (" + dev.berth.common.GoDuration.format(timeout) + ")");
            } catch (ExecutionException e) {
                return new Result(start, Instant.now(), -1, String.valueOf(e.getCause().getMessage()));
            } finally {
                execs.forget(execId);
            }
        }

        /** Docker's rules: a pass resets the streak; failures in the start period do not count. */
        private void record(Result r) {
            String before;
            String after;
            synchronized (this) {
                before = status;
                results.addLast(r);
                while (results.size() > LOG_ENTRIES) results.removeFirst();
                if (r.exitCode() == 0) {
                    failingStreak = 0;
                    status = HEALTHY;
                } else if (!(status.equals(STARTING) && inStartPeriod())) {
                    failingStreak++;
                    if (failingStreak >= (check.retries() > 0 ? check.retries() : Healthcheck.DEFAULT_RETRIES)) {
                        status = UNHEALTHY;
                    }
                }
                after = status;
            }
            if (!after.equals(before) && !stopping) publish(after);
        }

        private void publish(String status) {
            try {
                Container c = containers.get(id);
                var attributes = new java.util.HashMap<String, String>();
                if (c.config().labels() != null) attributes.putAll(c.config().labels());
                attributes.put("name", c.name());
                attributes.put("image", c.imageRef());
                events.publish("container", "health_status: " + status, id, attributes);
            } catch (EngineException.NotFound e) {
                // removed meanwhile
            }
        }
    }

    /** The probe's process: {@code CMD} runs its arguments, {@code CMD-SHELL} its string with /bin/sh -c. */
    static List<String> command(List<String> test) {
        if (test.isEmpty()) throw EngineException.invalid("empty health check test");
        return switch (test.getFirst()) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> throw EngineException.invalid("unknown health check type: %s", test.getFirst());
        };
    }

    private static Duration orDefault(long nanos, Duration fallback) {
        return nanos > 0 ? Duration.ofNanos(nanos) : fallback;
    }
}
