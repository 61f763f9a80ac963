package dev.berth.engine.events;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to an object, as Docker's {@code /events} reports it: {@code type} container, image, ...;
 * {@code action} create, start, die, ...; {@code attributes} include name and image for containers, exitCode for die.
 */
public record Event(String type, String action, String id, Map<String, String> attributes, Instant time) {}
