package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.EngineException;
import dev.berth.client.Query;
import dev.berth.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "cp", description = "Copy files/folders between a container and the local filesystem",
        customSynopsis = {"berth cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-", "       berth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH"})
final class CpCommand extends CliCommand {
    /** Go's os.ModeDir and os.ModeSymlink, as the daemon's path-stat header carries them. */
    private static final long GO_MODE_DIR = 1L << 31;
    private static final long GO_MODE_SYMLINK = 1L << 27;

    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)")
    boolean archive;

    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output during copy")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "SRC_PATH")
    String source;

    @Parameters(index = "1", paramLabel = "DEST_PATH")
    String destination;

    CpCommand(Session session) {
        super(session);
    }

    /** One side of the copy: a container path when written CONTAINER:PATH, else a local path ("-" is a tar stream). */
    record Endpoint(String container, String path) {
        static Endpoint parse(String arg) {
            // An explicit local path may contain ':' (./file:name); otherwise the part before ':' names a container.
            if (arg.startsWith("/") || arg.startsWith(".")) return new Endpoint(null, arg);
            int colon = arg.indexOf(':');
            if (colon <= 0) return new Endpoint(null, arg);
            String path = arg.substring(colon + 1);
            return new Endpoint(arg.substring(0, colon), path.startsWith("/") ? path : "/" + path);
        }

        boolean inContainer() {
            return container != null;
        }
    }

    /** What the daemon says about a container path (X-Docker-Container-Path-Stat), or null when it does not exist. */
    record PathStat(String name, long mode, String linkTarget) {
        boolean isDir() {
            return (mode & GO_MODE_DIR) != 0;
        }

        boolean isSymlink() {
            return (mode & GO_MODE_SYMLINK) != 0;
        }

        static PathStat parse(String header) {
            JsonNode n = EngineClient.json().readTree(new String(Base64.getDecoder().decode(header), StandardCharsets.UTF_8));
            return new PathStat(n.path("name").asString(), n.path("mode").asLong(), n.path("linkTarget").asString(""));
        }
    }

    @Override
    int run() throws Exception {
        Endpoint src = Endpoint.parse(source);
        Endpoint dst = Endpoint.parse(destination);
        if (src.inContainer() && dst.inContainer()) throw new UsageError("copying between containers is not supported");
        if (!src.inContainer() && !dst.inContainer()) throw new UsageError("must specify at least one container source");
        if (src.inContainer()) fromContainer(src, dst.path());
        else toContainer(src.path(), dst);
        return 0;
    }

    private PathStat stat(String container, String path) {
        try (Response r = client().head("/containers/" + container + "/archive" + Query.of().add("path", path))) {
            String header = r.header("X-Docker-Container-Path-Stat");
            return header == null ? null : PathStat.parse(header);
        } catch (EngineException e) {
            if (e.status() == 404) return null;
            throw e;
        }
    }

    private void fromContainer(Endpoint src, String dest) throws IOException {
        String path = src.path();
        String rebase = null;
        if (followLink) {
            PathStat s = stat(src.container(), path);
            if (s != null && s.isSymlink()) {
                String target = s.linkTarget();
                rebase = TarTree.base(path);
                path = target.startsWith("/") ? target : TarTree.parent(path) + "/" + target;
            }
        }
        try (Response r = client().stream("GET", "/containers/" + src.container() + "/archive" + Query.of().add("path", path))) {
            if (dest.equals("-")) {
                r.body().transferTo(session.out);
                session.out.flush();
                return;
            }
            String header = r.header("X-Docker-Container-Path-Stat");
            PathStat stat = header == null ? null : PathStat.parse(header);
            boolean srcIsDir = stat != null && stat.isDir();
            boolean contentsOnly = path.endsWith("/.");
            Path target = Path.of(dest);
            boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
            if (exists && Files.isDirectory(target)) {
                // Into the directory: under the source's own name, or its contents with "/.".
                TarTree.extract(r.body(), target, contentsOnly ? null : rebase, archive);
            } else if (exists) {
                if (srcIsDir) throw new Failure(1, "cannot copy a directory to a file: " + dest);
                TarTree.extract(r.body(), parentOf(target), target.getFileName().toString(), archive);
            } else {
                if (dest.endsWith("/") && !srcIsDir) throw new Failure(1, "destination directory " + dest + " must exist");
                if (!Files.isDirectory(parentOf(target))) throw new Failure(1, "no such directory: " + parentOf(target));
                TarTree.extract(r.body(), parentOf(target), target.getFileName().toString(), archive);
            }
        }
    }

    private void toContainer(String src, Endpoint dst) throws Exception {
        String container = dst.container();
        PathStat destStat = stat(container, dst.path());
        if (src.equals("-")) {
            if (destStat == null || !destStat.isDir()) throw new Failure(1, "destination \"" + dst.container() + ":" + dst.path() + "\" must be a directory");
            put(container, dst.path(), session.in);
            return;
        }
        Path local = Path.of(src);
        if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) throw new Failure(1, "lstat " + src + ": no such file or directory");
        if (followLink && Files.isSymbolicLink(local)) local = local.toRealPath();
        boolean srcIsDir = Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS);
        boolean contentsOnly = src.endsWith("/.");
        String dir;
        String rootName;
        if (destStat != null && destStat.isDir()) {
            dir = dst.path();
            rootName = contentsOnly ? "." : Path.of(src).normalize().getFileName().toString();
        } else if (destStat != null) {
            if (srcIsDir) throw new Failure(1, "cannot copy a directory to a file: " + dst.path());
            dir = TarTree.parent(dst.path());
            rootName = TarTree.base(dst.path());
        } else {
            if (dst.path().endsWith("/") && !srcIsDir) throw new Failure(1, "destination directory " + dst.path() + " must exist");
            dir = TarTree.parent(dst.path());
            rootName = TarTree.base(dst.path());
        }
        Path from = local;
        var pipeIn = new PipedInputStream(65536);
        var pipeOut = new PipedOutputStream(pipeIn);
        var failure = new AtomicReference<IOException>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (pipeOut) {
                TarTree.write(from, rootName, pipeOut);
            } catch (IOException e) {
                failure.set(e);
            }
        });
        put(container, dir, pipeIn);
        writer.join();
        if (failure.get() != null) throw failure.get();
    }

    private void put(String container, String dir, InputStream tar) {
        String path = "/containers/" + container + "/archive" + Query.of().add("path", dir).add("copyUIDGID", archive);
        try (Response r = client().upload("PUT", path, tar, "application/x-tar")) {
            r.bytes();
        }
    }

    private static Path parentOf(Path p) {
        Path parent = p.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }
}
