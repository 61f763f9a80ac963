package dev.berth.oci;

/** The initial terminal size a client sends with {@code -t} ({@code HostConfig.ConsoleSize}: height, width). */
public record ConsoleSize(int height, int width) {
    public ConsoleSize {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("console size must not be negative: " + height + "x" + width);
        }
    }
}
