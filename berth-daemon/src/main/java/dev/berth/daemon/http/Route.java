package dev.berth.daemon.http;

import java.util.List;
import java.util.Map;

/**
 * One API endpoint: method, path pattern and handler. Pattern segments are literals, {@code {name}} for one
 * segment, or {@code {name*}} for one or more segments (image names contain slashes: {@code /images/{name*}/json}).
 *
 * @param hijack the endpoint takes over the connection (attach, exec start): the HTTP codec is removed as soon as
 *               the request has been read, so that stdin bytes that follow are never parsed as HTTP
 */
public record Route(String method, String pattern, Handler handler, boolean hijack) {

    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    /** Path parameters of a match, or null if the path does not match. */
    Map<String, String> match(List<String> path) {
        List<String> pat = segments(pattern);
        var params = new java.util.HashMap<String, String>();
        return matchFrom(pat, 0, path, 0, params) ? params : null;
    }

    private static boolean matchFrom(List<String> pat, int pi, List<String> path, int si, Map<String, String> params) {
        if (pi == pat.size()) return si == path.size();
        String p = pat.get(pi);
        if (p.startsWith("{") && p.endsWith("*}")) {
            String name = p.substring(1, p.length() - 2);
            // Greedy from the longest: the fixed suffix decides where a slashed name ends.
            for (int end = path.size(); end > si; end--) {
                if (matchFrom(pat, pi + 1, path, end, params)) {
                    params.put(name, String.join("/", path.subList(si, end)));
                    return true;
                }
            }
            return false;
        }
        if (si == path.size()) return false;
        if (p.startsWith("{") && p.endsWith("}")) {
            if (!matchFrom(pat, pi + 1, path, si + 1, params)) return false;
            params.put(p.substring(1, p.length() - 1), path.get(si));
            return true;
        }
        return p.equals(path.get(si)) && matchFrom(pat, pi + 1, path, si + 1, params);
    }

    static List<String> segments(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }
}
