"""Datasets for the course: the image sets of Courses 1, 2 and 4 and small 2-D toy sets.

Two kinds of data live here:

- `load_animals()` reads datasets/animals.h5, 64x64 RGB photos labelled animal (1)
  or not (0), built by `python datasets/build.py` from Debian packages. It returns
  arrays exactly as the classic cat-vs-non-cat `load_dataset()` did.
- `load_digits6()` (Course 2) and `load_photos6()` (Course 4) read six-class
  64x64 RGB sets in the same schema: handwritten digits 0-5, and photos of
  birds, hoofed mammals, other mammals, fruit, vegetables and flowers.
- `load_seed_study()` reads datasets/c1w4a2_seeds.json, the test accuracies of
  the C1W4A2 models over several seeds (written by studies/c1w4a2_seeds.py).
- `load_planar_dataset`, `make_moons` and `make_circles` draw 2-D points with
  NumPy, for dense nets whose decision boundaries fit on a plot. They follow
  the course's layout: one example per column, X (2, m) and Y (1, m).

Nothing here downloads anything or plots anything.
"""

import hashlib
import json
import os
from pathlib import Path

import h5py
import numpy as np

ENV_VAR = "DLCOURSE_DATA"
MANIFEST = "MANIFEST.json"
ANIMALS_FILE = "animals.h5"
DIGITS6_FILE = "digits6.h5"
PHOTOS6_FILE = "photos6.h5"
SCENES_FILE = "scenes.h5"
SEED_STUDY_FILE = "c1w4a2_seeds.json"
REBUILD = "python datasets/build.py (run from the repository root)"


class DatasetError(RuntimeError):
    """A data file is missing, unreadable or not the file MANIFEST.json describes."""


def _datasets_dir_above(start):
    """First `datasets/` folder holding MANIFEST.json in start or one of its parents, or None."""
    for folder in (start, *start.parents):
        candidate = folder / "datasets"
        if (candidate / MANIFEST).is_file():
            return candidate
    return None


def data_dir():
    """The folder holding the data files and their MANIFEST.json.

    $DLCOURSE_DATA if set; otherwise the first datasets/ folder with a
    MANIFEST.json walking up from the working directory, then walking up from
    this file. Both walks matter: a notebook runs in notebooks/<assignment>/
    with its datasets/ copied beside it, and its package copy sits in
    notebooks/<assignment>/dlcourse/.
    """
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).resolve()
    for start in (Path.cwd().resolve(), Path(__file__).resolve().parent):
        found = _datasets_dir_above(start)
        if found is not None:
            return found
    # Nothing found: name the place a repository checkout would have it.
    return Path.cwd().resolve() / "datasets"


def _sha256(path):
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_path(name):
    """Path of data file `name`, after checking it against MANIFEST.json.

    Raises DatasetError, naming the file and the command that rebuilds it, when
    the file or its manifest entry is missing or the checksum differs.
    """
    folder = data_dir()
    path, manifest_path = folder / name, folder / MANIFEST
    if not path.is_file():
        raise DatasetError(f"data file not found: {path}\nBuild it with: {REBUILD}, "
                           f"or point ${ENV_VAR} at a folder holding {name} and {MANIFEST}.")
    try:
        expected = json.loads(manifest_path.read_text())[name]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        raise DatasetError(f"no checksum for {path}: {manifest_path} is missing or has no "
                           f"entry for {name} (copy MANIFEST.json with the data file).\n"
                           f"Rebuild both with: {REBUILD}") from None
    if _sha256(path) != expected:
        raise DatasetError(f"data file corrupt or out of date: {path} does not match the "
                           f"SHA-256 in {manifest_path}.\nRebuild it with: {REBUILD}")
    return path


def load_animals():
    """The Course 1 photos: is there an animal in the picture?

    Returns, in the layout of the classic cat-vs-non-cat load_dataset():
      train_set_x_orig: (209, 64, 64, 3) uint8 images
      train_set_y: (1, 209) int64 labels, 1 = animal, 0 = non-animal
      test_set_x_orig: (300, 64, 64, 3) uint8
      test_set_y: (1, 300) int64
      classes: (2,) bytes strings [b"non-animal", b"animal"], indexed by label
    The same 20 animals and 20 other objects appear in both splits, each test
    image a new scene (see datasets/NOTICE); half of each split are animals.
    """
    return _load_image_set(ANIMALS_FILE)


def _load_image_set(name):
    """The five arrays of a file in the classic schema, labels as (1, m) rows."""
    path = verified_path(name)
    try:
        with h5py.File(path, "r") as f:
            train_set_x_orig = f["train_set_x"][:]
            train_set_y = f["train_set_y"][:]
            test_set_x_orig = f["test_set_x"][:]
            test_set_y = f["test_set_y"][:]
            classes = f["list_classes"][:]
    except (OSError, KeyError) as error:
        raise DatasetError(f"cannot read {path}: {error}\nRebuild it with: {REBUILD}") from None
    # Labels become row vectors so they line up with examples stored as columns.
    train_set_y = train_set_y.reshape(1, -1)  # (1, m_train)
    test_set_y = test_set_y.reshape(1, -1)  # (1, m_test)
    return train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes


def load_seed_study():
    """The seed study of C1W4A2 as a dict (read from datasets/c1w4a2_seeds.json).

    Keys: "seeds", "m_train", "m_test", "settings", "test_accuracy" (model name ->
    one accuracy per seed) and "summary" (model name -> mean, std, min, max); the
    model names are "majority baseline", "logistic regression", "two-layer network"
    and "four-layer network".
    """
    path = verified_path(SEED_STUDY_FILE)
    try:
        return json.loads(path.read_text())
    except ValueError as error:
        raise DatasetError(f"cannot read {path}: {error}\n"
                           "Rewrite it with: python studies/c1w4a2_seeds.py") from None


def load_digits6():
    """The six-class image set of Course 2: handwritten digits 0-5, 64x64 RGB.

    Same schema and sizes as the classic SIGNS set; see datasets/NOTICE for
    what the images are.
    Returns train_set_x_orig (1080, 64, 64, 3) uint8, train_set_y (1, 1080)
    int64 labels in 0-5, test_set_x_orig (120, 64, 64, 3), test_set_y (1, 120),
    classes (6,) bytes [b"0", ..., b"5"] indexed by label.
    """
    return _load_image_set(DIGITS6_FILE)


def load_photos6():
    """The six-class colour photo set of Course 4, 64x64 RGB, split by object.

    Photo cut-outs of birds, hoofed mammals, other mammals, fruit, vegetables and
    flowers pasted on real background photos (see datasets/NOTICE). No object of
    the test split appears in the training split: the test measures recognising
    new objects of a class, not known objects in new scenes.
    Returns X_train (480, 64, 64, 3) uint8, y_train (480,) int64 labels in 0-5,
    X_test (240, 64, 64, 3) uint8, y_test (240,) int64 and classes (6,) bytes
    [b"bird", b"hoofed mammal", b"other mammal", b"fruit", b"vegetable", b"flower"]
    indexed by label. Labels are flat (m,), as dlcourse.cnn.train_network takes them.
    """
    X_train, y_train, X_test, y_test, classes = _load_image_set(PHOTOS6_FILE)
    return X_train, y_train.ravel(), X_test, y_test.ravel(), classes  # (m,) labels


def load_scenes():
    """The detection scenes of Course 4: photo cut-outs pasted on real background
    photos, with exact boxes (see datasets/NOTICE and datasets/scenes.py).

    Returns a dict of arrays; for each split ("train", "test"):
      "<split>_x": (m, 48, 48, 3) uint8 images
      "<split>_boxes": (m, K, 4) float64 corners (x1, y1, x2, y2) in pixels
      "<split>_classes": (m, K) int64 class of each box, -1 in unused slots
    and "classes": the class names (bytes) indexed by class.
    """
    path = verified_path(SCENES_FILE)
    try:
        with h5py.File(path, "r") as f:
            data = {name: f[name][:] for name in f}
    except (OSError, KeyError) as error:
        raise DatasetError(f"cannot read {path}: {error}\nRebuild it with: {REBUILD}") from None
    data["classes"] = data.pop("list_classes")
    for split in ("train", "test"):
        data[f"{split}_boxes"] = data[f"{split}_boxes"].astype(np.float64)
    return data


def _two_class_columns(rng, points_0, points_1):
    """Stack two classes' points into shuffled columns.

    points_0: (m0, 2), points_1: (m1, 2)
    Returns X (2, m0 + m1) float64 and Y (1, m0 + m1) int64.
    """
    points = np.concatenate([points_0, points_1])  # (m, 2)
    labels = np.concatenate([np.zeros(len(points_0)), np.ones(len(points_1))]).astype(np.int64)
    order = rng.permutation(len(labels))
    return points[order].T, labels[order].reshape(1, -1)  # (2, m), (1, m)


def load_planar_dataset(m=400, seed=1):
    """A two-colour "flower": points along the rose curve r = 4 sin(4θ).

    The curve has 8 petals; class 0 owns petals 0, 2, 5, 7 and class 1 petals
    1, 3, 4, 6 (counting anticlockwise from θ = π/8), the layout of the classic
    flower set: no straight line separates the classes, but 3 or 4 tanh units do.
    (With all 8 petals alternating, 4 units cannot: the labels would be a parity.)
    Returns X (2, m) float64 coordinates and Y (1, m) int64 labels in {0, 1}.
    """
    rng = np.random.default_rng(seed)
    labels = np.arange(m) % 2
    # Petal k points along θ = π/8 + kπ/4, where |sin 4θ| peaks. Each class deals its
    # points out to its four petals in turn, so the petals are equal, as in the classic
    # set; petals of random sizes let a straight line gain a few points on the bigger ones.
    turn = (np.arange(m) // 2) % 4
    petal = np.where(labels == 0, np.array([0, 2, 5, 7])[turn], np.array([1, 3, 4, 6])[turn])
    theta = np.pi / 8 + petal * np.pi / 4 + rng.uniform(-np.pi / 8, np.pi / 8, size=m)
    r = 4 * np.abs(np.sin(4 * theta)) + rng.normal(0, 0.2, size=m)
    theta = theta + rng.normal(0, 0.1, size=m)  # blur the petals' edges
    points = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1)  # (m, 2)
    return _two_class_columns(rng, points[labels == 0], points[labels == 1])


def make_moons(m=300, noise=0.2, seed=0):
    """Two interleaving half circles.

    Class 0 lies on the upper arc of the unit circle, class 1 on a lower arc
    shifted right by 1 and down by 0.5; Gaussian noise of std `noise` is added.
    Returns X (2, m) float64 and Y (1, m) int64 labels in {0, 1}.
    """
    rng = np.random.default_rng(seed)
    m_0 = m // 2
    t_0, t_1 = rng.uniform(0, np.pi, size=m_0), rng.uniform(0, np.pi, size=m - m_0)
    upper = np.stack([np.cos(t_0), np.sin(t_0)], axis=1)  # (m_0, 2)
    lower = np.stack([1 - np.cos(t_1), 0.5 - np.sin(t_1)], axis=1)  # (m - m_0, 2)
    upper += rng.normal(0, noise, size=upper.shape)
    lower += rng.normal(0, noise, size=lower.shape)
    return _two_class_columns(rng, upper, lower)


def make_circles(m=300, noise=0.05, factor=0.5, seed=0):
    """Two concentric circles: class 0 of radius 1, class 1 of radius `factor` (< 1).

    Gaussian noise of std `noise` is added to each coordinate.
    Returns X (2, m) float64 and Y (1, m) int64 labels in {0, 1}.
    """
    rng = np.random.default_rng(seed)
    m_0 = m // 2
    t_0, t_1 = rng.uniform(0, 2 * np.pi, size=m_0), rng.uniform(0, 2 * np.pi, size=m - m_0)
    outer = np.stack([np.cos(t_0), np.sin(t_0)], axis=1)  # (m_0, 2)
    inner = factor * np.stack([np.cos(t_1), np.sin(t_1)], axis=1)  # (m - m_0, 2)
    outer += rng.normal(0, noise, size=outer.shape)
    inner += rng.normal(0, noise, size=inner.shape)
    return _two_class_columns(rng, outer, inner)


def train_test_split(X, Y, test_fraction=0.2, seed=0):
    """Shuffle the columns (examples) of X and Y and cut off a test set.

    X: (n, m), Y: (k, m)
    Returns X_train (n, m - m_test), Y_train (k, m - m_test), X_test (n, m_test),
    Y_test (k, m_test), with m_test = round(test_fraction * m).
    """
    m = X.shape[1]
    m_test = round(test_fraction * m)
    order = np.random.default_rng(seed).permutation(m)
    test, train = order[:m_test], order[m_test:]
    return X[:, train], Y[:, train], X[:, test], Y[:, test]
