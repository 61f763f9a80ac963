package dev.berth.common;

/**
 * The error categories every engine module throws. The daemon maps each category to one HTTP status in one place
 * (its ErrorMapper), so a service never thinks in status codes and a handler never inspects messages.
 *
 * <p>Where Docker has a well-known message ("No such container: x"), use it exactly: scripts match on it.
 */
public sealed abstract class EngineException extends RuntimeException {

    EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** 404: the named object does not exist. */
    public static final class NotFound extends EngineException {
        public NotFound(String message) { super(message, null); }
    }

    /** 409: the object exists but is in a state or use that forbids the operation. */
    public static final class Conflict extends EngineException {
        public Conflict(String message) { super(message, null); }
    }

    /** 400: the request itself is wrong; nothing was changed. */
    public static final class InvalidArgument extends EngineException {
        public InvalidArgument(String message) { super(message, null); }
        public InvalidArgument(String message, Throwable cause) { super(message, cause); }
    }

    /** 304: the operation had nothing to do (starting a running container, stopping a stopped one). */
    public static final class NotModified extends EngineException {
        public NotModified(String message) { super(message, null); }
    }

    /** 403: the operation is refused by policy. */
    public static final class Forbidden extends EngineException {
        public Forbidden(String message) { super(message, null); }
    }

    /** 501: the object cannot do this at all (the logs of a container whose driver keeps none). */
    public static final class NotImplemented extends EngineException {
        public NotImplemented(String message) { super(message, null); }
    }

    /** 500: the system below us failed (runtime, filesystem, kernel); the message says which part and why. */
    public static final class SystemFailure extends EngineException {
        public SystemFailure(String message) { super(message, null); }
        public SystemFailure(String message, Throwable cause) { super(message, cause); }
    }

    public static NotFound notFound(String format, Object... args) { return new NotFound(format.formatted(args)); }
    public static Conflict conflict(String format, Object... args) { return new Conflict(format.formatted(args)); }
    public static InvalidArgument invalid(String format, Object... args) { return new InvalidArgument(format.formatted(args)); }
    public static SystemFailure failure(String format, Object... args) { return new SystemFailure(format.formatted(args)); }
    public static NotImplemented notImplemented(String format, Object... args) { return new NotImplemented(format.formatted(args)); }
    public static Forbidden forbidden(String format, Object... args) { return new Forbidden(format.formatted(args)); }
}
