package dev.berth.engine.volume;

import dev.berth.common.EngineException;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a create request's {@code HostConfig.Binds}, {@code HostConfig.Mounts} and {@code Config.Volumes} into
 * mount points, with dockerd's checks and error messages; {@code HostConfig.Tmpfs} destinations take part in the
 * duplicate check (the tmpfs mounts themselves stay in the container's limits). Nothing is created here: a request that fails leaves no
 * trace. Anonymous volumes get their name when the container is created ({@link ContainerMounts#attach}).
 */
public final class MountRequests {
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");

    private MountRequests() {
    }

    /** @param request the body of {@code POST /containers/create} as JSON */
    public static List<MountPoint> parse(JsonNode request, List<String> imageVolumes) {
        return parse(request, imageVolumes, List.of());
    }

    /**
     * @param inherited the mount points of {@code --volumes-from} containers, already adjusted for {@code :ro}; a
     *                  bind, volume or --mount at the same destination wins over them
     */
    public static List<MountPoint> parse(JsonNode request, List<String> imageVolumes, List<MountPoint> inherited) {
        var out = new ArrayList<MountPoint>();
        JsonNode host = request.path("HostConfig");
        for (JsonNode b : host.path("Binds")) out.add(bind(b.asString()));
        for (JsonNode m : host.path("Mounts")) out.add(mount(m));
        var tmpfs = new HashSet<String>();
        host.path("Tmpfs").propertyNames().forEach(d -> tmpfs.add(d.startsWith("/") ? clean(d) : d));
        var seen = new HashSet<String>();
        for (MountPoint p : out) {
            String dst = clean(p.destination());
            if (!seen.add(dst) || tmpfs.contains(dst)) throw EngineException.invalid("Duplicate mount point: %s", dst);
        }
        for (MountPoint p : inherited) {
            String dst = clean(p.destination());
            if (tmpfs.contains(dst)) throw EngineException.invalid("Duplicate mount point: %s", dst);
            if (seen.add(dst)) out.add(p);
        }
        seen.addAll(tmpfs); // an image VOLUME where --tmpfs mounts is skipped, as dockerd's HasMountFor does
        var anonymous = new ArrayList<String>();
        request.path("Volumes").propertyNames().forEach(anonymous::add);
        if (imageVolumes != null) anonymous.addAll(imageVolumes);
        for (String dest : anonymous) {
            checkDestination(dest, dest);
            if (!seen.add(clean(dest))) continue; // a bind or named volume there wins, as in dockerd
            out.add(new MountPoint("volume", null, null, dest, true, "", "", false, false, null, null,
                    Map.of(Volume.ANONYMOUS_LABEL, "")));
        }
        return out;
    }

    /** {@code -v name:/path[:opts]} or {@code -v /host:/path[:opts]} (Docker's Linux parser). */
    static MountPoint bind(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw EngineException.invalid("invalid volume specification: '%s'", spec);
        }
        String src = parts[0], dst = parts[1], mode = parts.length == 3 ? parts[2] : "";
        checkDestination(dst, spec);
        boolean rw = true, noCopy = false;
        String propagation = "";
        for (String o : mode.isEmpty() ? new String[0] : mode.split(",")) {
            switch (o) {
                case "ro" -> rw = false;
                case "rw" -> rw = true;
                case "z", "Z" -> { }
                case "nocopy" -> noCopy = true;
                default -> {
                    if (PROPAGATIONS.contains(o)) propagation = o;
                    else throw EngineException.invalid("invalid mode: %s", mode);
                }
            }
        }
        if (src.startsWith("/")) {
            if (noCopy) throw EngineException.invalid("invalid mode: %s", mode);
            return new MountPoint("bind", null, clean(src), dst, rw, mode, propagation.isEmpty() ? "rprivate" : propagation,
                    false, true, null, null, null);
        }
        if (!propagation.isEmpty()) throw EngineException.invalid("invalid mode: %s", mode);
        VolumeStore.checkName(src);
        return new MountPoint("volume", src, null, dst, rw, mode.isEmpty() ? "z" : mode, "", noCopy, false, null, null, null);
    }

    /** One {@code HostConfig.Mounts[]} entry (what {@code --mount} sends). */
    static MountPoint mount(JsonNode m) {
        String type = m.path("Type").asString("");
        String src = m.path("Source").asString("");
        String dst = m.path("Target").asString("");
        boolean ro = m.path("ReadOnly").asBoolean(false);
        if (dst.isEmpty()) throw EngineException.invalid("invalid mount config for type \"%s\": field Target must not be empty", type);
        checkDestination(dst, dst);
        switch (type) {
            case "bind" -> {
                if (src.isEmpty()) throw EngineException.invalid("invalid mount config for type \"bind\": field Source must not be empty");
                if (!src.startsWith("/")) throw EngineException.invalid("invalid mount config for type \"bind\": invalid mount path: '%s' mount path must be absolute", src);
                if (m.has("VolumeOptions") && !m.path("VolumeOptions").isNull()) throw EngineException.invalid("invalid mount config for type \"bind\": field VolumeOptions must not be specified");
                boolean create = m.path("BindOptions").path("CreateMountpoint").asBoolean(false);
                if (!create && !Files.exists(Path.of(src))) {
                    throw EngineException.invalid("invalid mount config for type \"bind\": bind source path does not exist: %s", src);
                }
                String prop = m.path("BindOptions").path("Propagation").asString("");
                if (!prop.isEmpty() && !PROPAGATIONS.contains(prop)) throw EngineException.invalid("invalid mount config for type \"bind\": invalid propagation mode: %s", prop);
                return new MountPoint("bind", null, clean(src), dst, !ro, "", prop.isEmpty() ? "rprivate" : prop, false,
                        create, null, null, null);
            }
            case "volume" -> {
                if (!src.isEmpty()) VolumeStore.checkName(src);
                JsonNode vo = m.path("VolumeOptions");
                var labels = strings(vo.path("Labels"));
                var options = strings(vo.path("DriverConfig").path("Options"));
                String driver = vo.path("DriverConfig").path("Name").asString("");
                if (!driver.isEmpty() && !driver.equals("local")) throw EngineException.notFound("error looking up volume plugin %s: plugin \"%s\" not found", driver, driver);
                if (src.isEmpty()) labels.put(Volume.ANONYMOUS_LABEL, "");
                return new MountPoint("volume", src.isEmpty() ? null : src, null, dst, !ro, "", "",
                        vo.path("NoCopy").asBoolean(false), false, null, options, labels);
            }
            case "tmpfs" -> {
                if (!src.isEmpty()) throw EngineException.invalid("invalid mount config for type \"tmpfs\": field Source must not be specified");
                JsonNode t = m.path("TmpfsOptions");
                var opts = new ArrayList<String>();
                if (t.has("SizeBytes") && t.path("SizeBytes").asLong(0) > 0) {
                    opts.add("size=" + (t.path("SizeBytes").asLong() / 1024) + "k");
                } else if (t.has("SizeBytes") && t.path("SizeBytes").asLong(0) < 0) {
                    throw EngineException.invalid("invalid mount config for type \"tmpfs\": invalid tmpfs size: %s", t.path("SizeBytes").asString());
                }
                if (t.has("Mode") && t.path("Mode").asInt(0) != 0) opts.add("mode=" + Integer.toOctalString(t.path("Mode").asInt()));
                if (ro) opts.add("ro");
                return new MountPoint("tmpfs", null, "", dst, !ro, "", "", false, false, String.join(",", opts), null, null);
            }
            default -> throw EngineException.invalid("mount type unknown: \"%s\"", type);
        }
    }

    private static Map<String, String> strings(JsonNode obj) {
        var out = new LinkedHashMap<String, String>();
        obj.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        return out;
    }

    private static void checkDestination(String dst, String spec) {
        if (!dst.startsWith("/")) throw EngineException.invalid("invalid mount config: invalid mount path: '%s' mount path must be absolute", dst);
        if (clean(dst).equals("/")) throw EngineException.invalid("invalid specification: destination can't be '/' in '%s'", spec);
    }

    /** {@code --volumes-from c:ro}: the mount made read-only ({@code rw} or nothing keeps each mount's own mode). */
    public static MountPoint inherit(MountPoint p, String mode) {
        return switch (mode) {
            case "", "rw" -> p;
            case "ro" -> new MountPoint(p.type(), p.name(), p.source(), p.destination(), false,
                    p.mode().isEmpty() || p.mode().equals("z") ? "ro" : p.mode(), p.propagation(), p.noCopy(),
                    p.createSource(), p.tmpfsOptions(), p.volumeOptions(), p.volumeLabels());
            default -> throw EngineException.invalid("invalid mode for volumes-from: %s", mode);
        };
    }

    static String clean(String p) {
        String c = Path.of(p).normalize().toString();
        return c.isEmpty() ? "/" : c;
    }
}
