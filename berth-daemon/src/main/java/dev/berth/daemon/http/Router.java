package dev.berth.daemon.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The endpoint table. Routes are tried in registration order; paths are matched without the version prefix. */
public final class Router {
    private final List<Route> routes = new ArrayList<>();

    public Router get(String pattern, Route.Handler h) { return add("GET", pattern, h, false); }
    public Router head(String pattern, Route.Handler h) { return add("HEAD", pattern, h, false); }
    public Router post(String pattern, Route.Handler h) { return add("POST", pattern, h, false); }
    public Router put(String pattern, Route.Handler h) { return add("PUT", pattern, h, false); }
    public Router delete(String pattern, Route.Handler h) { return add("DELETE", pattern, h, false); }
    public Router hijack(String method, String pattern, Route.Handler h) { return add(method, pattern, h, true); }

    private Router add(String method, String pattern, Route.Handler h, boolean hijack) {
        routes.add(new Route(method, pattern, h, hijack));
        return this;
    }

    public record Match(Route route, Map<String, String> params) {}

    /** The route for this request; null if no route has the path (404), or a Match with a null route (405). */
    public Match match(String method, String path) {
        List<String> segs = Route.segments(path);
        boolean pathKnown = false;
        for (Route r : routes) {
            Map<String, String> params = r.match(segs);
            if (params == null) continue;
            pathKnown = true;
            if (r.method().equals(method)) return new Match(r, params);
        }
        return pathKnown ? new Match(null, Map.of()) : null;
    }
}
