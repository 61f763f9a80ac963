package dev.berth.daemon.http;

import dev.berth.common.EngineException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code /v1.xx} path prefix, stripped in one place. Clients from API 1.24 (Docker 1.12) up to 1.50 are served;
 * old clients matter (Testcontainers sent 1.32 for years), so the minimum stays low.
 */
public final class ApiVersion {
    private ApiVersion() {}

    public static final String CURRENT = "1.50";
    public static final String MINIMUM = "1.24";
    private static final Pattern PREFIX = Pattern.compile("^/v(\\d+)\\.(\\d+)(/.*)?$");

    public record Versioned(String version, String path) {}

    /** Splits off the version; a path without one is served at the current version. */
    public static Versioned split(String path) {
        Matcher m = PREFIX.matcher(path);
        if (!m.matches()) return new Versioned(CURRENT, path);
        String v = m.group(1) + "." + m.group(2);
        if (compare(v, MINIMUM) < 0) {
            throw EngineException.invalid("client version %s is too old. Minimum supported API version is %s, please upgrade your client to a newer version", v, MINIMUM);
        }
        if (compare(v, CURRENT) > 0) {
            throw EngineException.invalid("client version %s is too new. Maximum supported API version is %s", v, CURRENT);
        }
        return new Versioned(v, m.group(3) == null ? "/" : m.group(3));
    }

    public static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? Integer.parseInt(x[i]) : 0;
            int yi = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (xi != yi) return Integer.compare(xi, yi);
        }
        return 0;
    }
}
