package dev.berth.oci;

import dev.berth.common.EngineException;

/**
 * Docker's {@code --device /dev/x[:/dev/y[:rwm]]}: a host device node (or a directory of them) made available in the
 * container and allowed in its device cgroup.
 */
public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    public DeviceMapping {
        if (pathOnHost == null || pathOnHost.isEmpty()) {
            throw EngineException.invalid("invalid device mapping: empty host path");
        }
        if (pathInContainer == null || pathInContainer.isEmpty()) {
            pathInContainer = pathOnHost;
        }
        if (cgroupPermissions == null || cgroupPermissions.isEmpty()) {
            cgroupPermissions = "rwm";
        }
        if (!cgroupPermissions.matches("[rwm]{1,3}")) {
            throw EngineException.invalid("invalid device mode: %s", cgroupPermissions);
        }
    }
}
