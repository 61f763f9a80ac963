package dev.berth.format;

/** Sizes as Docker prints them (go-units): {@code 4.26MB} in tables, {@code 23.47GiB} for memory. */
public final class Units {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    private Units() {
    }

    /** HumanSizeWithPrecision: powers of 1000, {@code precision} significant digits ({@code docker images} uses 3). */
    public static String humanSize(double size, int precision) {
        return custom(size, 1000.0, DECIMAL, precision);
    }

    /** HumanSize: precision 4 ({@code Total reclaimed space}). */
    public static String humanSize(double size) {
        return humanSize(size, 4);
    }

    /** BytesSize: powers of 1024, 4 significant digits ({@code Total Memory}). */
    public static String bytesSize(double size) {
        return custom(size, 1024.0, BINARY, 4);
    }

    private static String custom(double size, double base, String[] units, int precision) {
        int i = 0;
        while (size >= base && i < units.length - 1) {
            size /= base;
            i++;
        }
        return FloatFormat.format(size, 'g', precision) + units[i];
    }
}
