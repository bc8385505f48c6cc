"""Helpers shared by the dataset builders (build.py, digits6.py)."""

import hashlib
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
