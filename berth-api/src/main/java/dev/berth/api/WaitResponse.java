package dev.berth.api;

/** {@code POST /containers/{id}/wait}'s answer. Error is null unless the wait itself failed. */
public record WaitResponse(long statusCode, WaitError error) {
    public record WaitError(String message) {}
}
