"""Input files made once per run, identical for both engines: an import tar and a multi-layer image archive."""

import hashlib
import io
import json
import os
import tarfile
import time

MB = 1_000_000
CHUNK = 4 << 20


def _random_file(path, size):
    """Incompressible bytes, so neither engine gains from compression somewhere on the way."""
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(CHUNK, left)
            f.write(os.urandom(n))
            left -= n


def import_tar(busybox_tar, out, payload_bytes):
    """The busybox root filesystem plus one random file: a realistic rootfs for `import`, of a chosen size."""
    blob = out + ".blob"
    _random_file(blob, payload_bytes)
    try:
        with tarfile.open(busybox_tar) as src, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as dst:
            for member in src:
                dst.addfile(member, src.extractfile(member) if member.isfile() else None)
            info = tarfile.TarInfo("data/payload.bin")
            info.size = payload_bytes
            info.mode = 0o644
            info.mtime = int(time.time())
            with open(blob, "rb") as f:
                dst.addfile(info, f)
    finally:
        os.unlink(blob)
    return out


def _sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = 0
    tar.addfile(info, io.BytesIO(data))


def image_archive(out, reference, total_bytes, layers):
    """An image archive as `docker save` writes it since Docker 25: an OCI layout (oci-layout, index.json,
    blobs/sha256) with Docker's manifest.json beside it, which older loaders read. Layers are uncompressed tars,
    each holding one random file, so the archive is about `total_bytes` long."""
    work = out + ".d"
    os.makedirs(work, exist_ok=True)
    layer_files = []
    try:
        per_layer = total_bytes // layers
        for i in range(layers):
            blob = os.path.join(work, f"blob{i}")
            _random_file(blob, per_layer)
            layer = os.path.join(work, f"layer{i}.tar")
            with tarfile.open(layer, "w", format=tarfile.PAX_FORMAT) as t:
                d = tarfile.TarInfo(f"layer{i}")
                d.type = tarfile.DIRTYPE
                d.mode = 0o755
                t.addfile(d)
                info = tarfile.TarInfo(f"layer{i}/data.bin")
                info.size = per_layer
                info.mode = 0o644
                with open(blob, "rb") as f:
                    t.addfile(info, f)
            os.unlink(blob)
            layer_files.append((layer, _sha256_file(layer), os.path.getsize(layer)))

        diff_ids = [f"sha256:{digest}" for _, digest, _ in layer_files]
        config = json.dumps({
            "architecture": "amd64",
            "os": "linux",
            "created": "2025-01-01T00:00:00Z",
            "config": {"Cmd": ["sh"], "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created": "2025-01-01T00:00:00Z", "created_by": f"bench layer {i}"} for i in range(layers)],
        }, separators=(",", ":")).encode()
        config_digest = hashlib.sha256(config).hexdigest()
        manifest = json.dumps({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": f"sha256:{config_digest}", "size": len(config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": f"sha256:{d}", "size": s}
                       for _, d, s in layer_files],
        }, separators=(",", ":")).encode()
        manifest_digest = hashlib.sha256(manifest).hexdigest()
        repo, _, tag = reference.rpartition(":")
        index = json.dumps({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [{
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": f"sha256:{manifest_digest}", "size": len(manifest),
                "annotations": {"io.containerd.image.name": f"docker.io/library/{reference}",
                                "org.opencontainers.image.ref.name": tag},
            }],
        }).encode()
        docker_manifest = json.dumps([{
            "Config": f"blobs/sha256/{config_digest}",
            "RepoTags": [reference],
            "Layers": [f"blobs/sha256/{d}" for _, d, _ in layer_files],
        }]).encode()

        with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
            for dirname in ("blobs", "blobs/sha256"):
                d = tarfile.TarInfo(dirname)
                d.type = tarfile.DIRTYPE
                d.mode = 0o755
                t.addfile(d)
            for path, digest, size in layer_files:
                info = tarfile.TarInfo(f"blobs/sha256/{digest}")
                info.size = size
                info.mode = 0o644
                with open(path, "rb") as f:
                    t.addfile(info, f)
            _add_bytes(t, f"blobs/sha256/{config_digest}", config)
            _add_bytes(t, f"blobs/sha256/{manifest_digest}", manifest)
            _add_bytes(t, "index.json", index)
            _add_bytes(t, "manifest.json", docker_manifest)
            _add_bytes(t, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
    finally:
        for path, _, _ in layer_files:
            if os.path.exists(path):
                os.unlink(path)
        for name in os.listdir(work):
            os.unlink(os.path.join(work, name))
        os.rmdir(work)
    return out


def disk_write_speed(directory, size_bytes):
    """Raw sequential write speed of the disk under `directory` in MB/s: buffered writes then fsync, as a loader
    that makes its data durable would do. The file is removed afterwards."""
    path = os.path.join(directory, "disk-speed.bin")
    block = os.urandom(CHUNK)
    t0 = time.perf_counter()
    with open(path, "wb") as f:
        left = size_bytes
        while left > 0:
            n = min(CHUNK, left)
            f.write(block[:n])
            left -= n
        f.flush()
        os.fsync(f.fileno())
    elapsed = time.perf_counter() - t0
    os.unlink(path)
    return size_bytes / MB / elapsed
