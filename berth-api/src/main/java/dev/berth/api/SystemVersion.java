package dev.berth.api;

import java.util.List;
import java.util.Map;

/** {@code GET /version}. The Docker CLI reads the server's fields from the Engine component's Details. */
public record SystemVersion(
        Map<String, String> platform,
        List<Component> components,
        String version,
        String apiVersion,
        String minAPIVersion,
        String gitCommit,
        String goVersion,
        String os,
        String arch,
        String kernelVersion,
        String buildTime) {

    public record Component(String name, String version, Map<String, String> details) {}
}
