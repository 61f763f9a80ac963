package dev.berth.api;

import java.util.List;

/** {@code POST /containers/prune}'s answer. */
public record PruneResponse(List<String> containersDeleted, long spaceReclaimed) {}
