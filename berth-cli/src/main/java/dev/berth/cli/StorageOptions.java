package dev.berth.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Volumes and mounts for {@code run}/{@code create}: -v, --mount, --volumes-from. */
final class StorageOptions {
    @Option(names = {"-v", "--volume"}, paramLabel = "list", description = "Bind mount a volume")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "mount", description = "Attach a filesystem mount to the container")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--volumes-from", paramLabel = "list", description = "Mount volumes from the specified container(s)")
    List<String> volumesFrom = new ArrayList<>();

    void addTo(Map<String, Object> config, Map<String, Object> host) {
        var binds = new ArrayList<String>();
        var anonymous = new LinkedHashMap<String, Object>();
        for (String v : volumes) {
            String[] parts = v.split(":");
            if (parts.length == 1) {
                // -v /data: an anonymous volume at that path.
                if (!parts[0].startsWith("/")) throw new UsageError("invalid argument \"" + v + "\" for \"-v, --volume\" flag: invalid mount path: '" + v + "' mount path must be absolute");
                anonymous.put(parts[0], Map.of());
            } else if (parts.length <= 3) {
                if (parts[0].isEmpty() || !parts[1].startsWith("/")) {
                    throw new UsageError("invalid argument \"" + v + "\" for \"-v, --volume\" flag: invalid volume specification: '" + v + "'");
                }
                binds.add(v);
            } else {
                throw new UsageError("invalid argument \"" + v + "\" for \"-v, --volume\" flag: invalid volume specification: '" + v + "'");
            }
        }
        if (!anonymous.isEmpty()) config.put("Volumes", anonymous);
        if (!binds.isEmpty()) host.put("Binds", binds);
        if (!mounts.isEmpty()) host.put("Mounts", mounts.stream().map(StorageOptions::mount).toList());
        if (!volumesFrom.isEmpty()) host.put("VolumesFrom", volumesFrom);
    }

    /** {@code --mount type=volume,source=data,target=/data,readonly,volume-opt=k=v,tmpfs-size=64m}, as Docker's CSV. */
    static Map<String, Object> mount(String spec) {
        var m = new LinkedHashMap<String, Object>();
        var volumeOptions = new LinkedHashMap<String, Object>();
        var driverOptions = new LinkedHashMap<String, String>();
        var labels = new LinkedHashMap<String, String>();
        var tmpfs = new LinkedHashMap<String, Object>();
        var bind = new LinkedHashMap<String, Object>();
        String type = "volume";
        for (String field : spec.split(",")) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(java.util.Locale.ROOT);
            String value = eq < 0 ? null : field.substring(eq + 1);
            if (value == null && !List.of("readonly", "ro", "volume-nocopy").contains(key)) {
                throw new UsageError("invalid argument \"" + spec + "\" for \"--mount\" flag: invalid field '" + field + "' must be a key=value pair");
            }
            switch (key) {
                case "type" -> type = value;
                case "source", "src" -> m.put("Source", value);
                case "target", "destination", "dst" -> m.put("Target", value);
                case "readonly", "ro" -> m.put("ReadOnly", value == null || value.equals("true") || value.equals("1"));
                case "volume-nocopy" -> volumeOptions.put("NoCopy", value == null || value.equals("true"));
                case "volume-driver" -> volumeOptions.put("DriverConfig", Map.of("Name", value));
                case "volume-opt" -> {
                    int e2 = value == null ? -1 : value.indexOf('=');
                    if (e2 <= 0) throw new UsageError("invalid argument \"" + spec + "\" for \"--mount\" flag: invalid volume-opt: " + value);
                    driverOptions.put(value.substring(0, e2), value.substring(e2 + 1));
                }
                case "volume-label" -> {
                    int e2 = value == null ? -1 : value.indexOf('=');
                    labels.put(e2 < 0 ? value : value.substring(0, e2), e2 < 0 ? "" : value.substring(e2 + 1));
                }
                case "bind-propagation" -> bind.put("Propagation", value);
                case "tmpfs-size" -> tmpfs.put("SizeBytes", Sizes.ramInBytes(value, "--mount"));
                case "tmpfs-mode" -> {
                    try {
                        tmpfs.put("Mode", Integer.parseInt(value, 8));
                    } catch (NumberFormatException e) {
                        throw new UsageError("invalid argument \"" + spec + "\" for \"--mount\" flag: invalid value for tmpfs-mode: " + value);
                    }
                }
                default -> throw new UsageError("invalid argument \"" + spec + "\" for \"--mount\" flag: unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (!List.of("bind", "volume", "tmpfs").contains(type)) {
            throw new UsageError("invalid argument \"" + spec + "\" for \"--mount\" flag: invalid mount type: " + type);
        }
        if (!m.containsKey("Target")) throw new UsageError("invalid argument \"" + spec + "\" for \"--mount\" flag: target is required");
        m.put("Type", type);
        if (!driverOptions.isEmpty()) {
            var dc = new LinkedHashMap<String, Object>();
            Object existing = volumeOptions.get("DriverConfig");
            if (existing instanceof Map<?, ?> e) e.forEach((k, v) -> dc.put(String.valueOf(k), v));
            dc.put("Options", driverOptions);
            volumeOptions.put("DriverConfig", dc);
        }
        if (!labels.isEmpty()) volumeOptions.put("Labels", labels);
        if (!volumeOptions.isEmpty()) m.put("VolumeOptions", volumeOptions);
        if (!tmpfs.isEmpty()) m.put("TmpfsOptions", tmpfs);
        if (!bind.isEmpty()) m.put("BindOptions", bind);
        return m;
    }
}
