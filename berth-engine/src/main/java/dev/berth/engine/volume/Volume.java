package dev.berth.engine.volume;

import java.util.Map;

/**
 * A volume of the {@code local} driver as kept in {@code <data-root>/volumes/<name>/volume.json}; its data lives in
 * {@code _data} next to that file.
 *
 * @param createdAt RFC 3339, as Docker shows it
 * @param options   the DriverOpts it was created with ({@code type}, {@code device}, {@code o})
 */
public record Volume(String name, String driver, String mountpoint, String createdAt, Map<String, String> labels,
                     Map<String, String> options) {

    /** Docker marks volumes it creates for {@code -v /path} and image VOLUMEs with this label. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    public Volume {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public boolean anonymous() {
        return labels.containsKey(ANONYMOUS_LABEL);
    }
}
