package dev.berth.image;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A health check as images and containers carry it (Docker's {@code HealthConfig}): {@code test} is
 * {@code ["NONE"]}, {@code ["CMD", args...]} or {@code ["CMD-SHELL", command]}; durations in nanoseconds and
 * {@code retries}, where 0 means "not set" (the image's value, else Docker's default, applies).
 */
public record Healthcheck(List<String> test, long interval, long timeout, long startPeriod, long startInterval, int retries) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_START_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_RETRIES = 3;

    public Healthcheck {
        test = test == null ? List.of() : List.copyOf(test);
    }

    /** dockerd's create-time checks: durations of at least a millisecond when set, no negative retries. */
    public void validate() {
        long min = 1_000_000;
        for (var part : List.of(Map.entry("Interval", interval), Map.entry("Timeout", timeout),
                Map.entry("StartPeriod", startPeriod), Map.entry("StartInterval", startInterval))) {
            if (part.getValue() != 0 && part.getValue() < min) {
                throw dev.berth.common.EngineException.invalid("%s in Healthcheck cannot be less than 1ms", part.getKey());
            }
        }
        if (retries < 0) throw dev.berth.common.EngineException.invalid("Retries in Healthcheck cannot be negative");
    }

    /** {@code --no-healthcheck} or {@code HEALTHCHECK NONE}: the image's check is off. */
    public boolean disabled() {
        return !test.isEmpty() && test.getFirst().equals("NONE");
    }

    /** Docker's merge of a container's check over its image's: each unset part of the container's comes from the image. */
    public static Healthcheck merge(Healthcheck container, Healthcheck image) {
        if (container == null) return image;
        if (image == null) return container;
        return new Healthcheck(container.test.isEmpty() ? image.test : container.test,
                container.interval == 0 ? image.interval : container.interval,
                container.timeout == 0 ? image.timeout : container.timeout,
                container.startPeriod == 0 ? image.startPeriod : container.startPeriod,
                container.startInterval == 0 ? image.startInterval : container.startInterval,
                container.retries == 0 ? image.retries : container.retries);
    }

    /** The JSON object of the image config and the API, with its zero parts left out as Docker writes it. */
    public Map<String, Object> toJson() {
        var m = new LinkedHashMap<String, Object>();
        m.put("Test", test);
        if (interval != 0) m.put("Interval", interval);
        if (timeout != 0) m.put("Timeout", timeout);
        if (startPeriod != 0) m.put("StartPeriod", startPeriod);
        if (startInterval != 0) m.put("StartInterval", startInterval);
        if (retries != 0) m.put("Retries", retries);
        return m;
    }

    /** From the JSON object; null for anything that is not one. */
    public static Healthcheck fromJson(Object o) {
        if (!(o instanceof Map<?, ?> m)) return null;
        List<String> test = m.get("Test") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        return new Healthcheck(test, number(m.get("Interval")), number(m.get("Timeout")), number(m.get("StartPeriod")),
                number(m.get("StartInterval")), (int) number(m.get("Retries")));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
