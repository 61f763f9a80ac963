package dev.berth.api;

import java.util.List;

/** {@code POST /containers/create}'s answer. */
public record IdResponse(String id, List<String> warnings) {}
