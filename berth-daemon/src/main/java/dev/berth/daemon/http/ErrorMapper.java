package dev.berth.daemon.http;

import dev.berth.common.EngineException;
import tools.jackson.core.JacksonException;

/** The one place where engine error categories become HTTP status codes. */
public final class ErrorMapper {
    private ErrorMapper() {}

    public static int status(Throwable e) {
        return switch (e) {
            case EngineException.NotFound x -> 404;
            case EngineException.Conflict x -> 409;
            case EngineException.InvalidArgument x -> 400;
            case EngineException.NotModified x -> 304;
            case EngineException.Forbidden x -> 403;
            case EngineException.NotImplemented x -> 501;
            case EngineException.SystemFailure x -> 500;
            case JacksonException x -> 400;
            case IllegalArgumentException x -> 400;
            default -> 500;
        };
    }

    public static String message(Throwable e) {
        if (e instanceof JacksonException j) return "invalid JSON: " + j.getOriginalMessage();
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
