package dev.berth.daemon;

/** What {@code /version} reports about this build. */
public final class BuildInfo {
    private BuildInfo() {}

    public static final String VERSION = "0.1.0";
    /** The Docker release whose API and behaviour this build matches. */
    public static final String DOCKER_COMPAT = "28.2.2";
}
