package dev.berth.engine.volume;

import java.util.Map;

/**
 * One mount of a container as fixed at create: what inspect shows under {@code Mounts}, plus what start needs.
 *
 * @param type        {@code volume}, {@code bind} or {@code tmpfs}
 * @param name        the volume's name (volumes only)
 * @param source      the host path (binds only; a volume's path comes from the volume store)
 * @param mode        Docker's Mode string: the {@code -v} options as given ({@code ro}, {@code z}), empty for --mount
 * @param propagation {@code rprivate} and friends for binds, empty otherwise
 * @param noCopy      {@code volume-nocopy}: no copy-up of the image's content into an empty volume
 * @param createSource {@code -v /host:/p} creates a missing host directory; {@code --mount} refuses it
 * @param tmpfsOptions mount options of a tmpfs mount ({@code size=65536k,mode=1777})
 * @param volumeOptions DriverConfig.Options of a --mount volume created with it
 * @param volumeLabels  VolumeOptions.Labels for a volume created with it
 */
public record MountPoint(String type, String name, String source, String destination, boolean rw, String mode,
                         String propagation, boolean noCopy, boolean createSource, String tmpfsOptions,
                         Map<String, String> volumeOptions, Map<String, String> volumeLabels) {

    public MountPoint {
        volumeOptions = volumeOptions == null ? Map.of() : Map.copyOf(volumeOptions);
        volumeLabels = volumeLabels == null ? Map.of() : Map.copyOf(volumeLabels);
        mode = mode == null ? "" : mode;
        propagation = propagation == null ? "" : propagation;
    }

    MountPoint withName(String n) {
        return new MountPoint(type, n, source, destination, rw, mode, propagation, noCopy, createSource, tmpfsOptions,
                volumeOptions, volumeLabels);
    }
}
