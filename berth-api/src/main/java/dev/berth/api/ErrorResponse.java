package dev.berth.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Every error body: {@code {"message": "..."}} (lowercase, unlike the rest of the API). */
public record ErrorResponse(@JsonProperty("message") String message) {}
