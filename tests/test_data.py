"""Tests for dlcourse.data: the animal photo set and the 2-D toy datasets."""

import datetime
import importlib
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from dlcourse import data
from dlcourse.data import (
    DatasetError,
    load_animals,
    load_photos6,
    load_planar_dataset,
    make_circles,
    make_moons,
    train_test_split,
)

REBUILD = "python datasets/build.py"

ROOT = Path(__file__).resolve().parents[1]


def datasets_module(name):
    """A module of datasets/ (the build scripts), imported as build.py does."""
    sys.path.insert(0, str(ROOT / "datasets"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "datasets"))


@pytest.fixture
def repo_data(monkeypatch):
    """The repository's datasets/ folder, found the way a student's notebook finds it."""
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    folder = data.data_dir()
    assert (folder / "animals.h5").is_file(), f"expected {folder / 'animals.h5'}; run {REBUILD}"
    return folder


@pytest.fixture
def relocated(tmp_path, monkeypatch, repo_data):
    """A copy of animals.h5 and MANIFEST.json in tmp_path, with $DLCOURSE_DATA pointing there."""
    for name in ("animals.h5", "MANIFEST.json"):
        shutil.copy(repo_data / name, tmp_path / name)
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    return tmp_path


def test_load_animals_shapes_and_dtypes(repo_data):
    """Does load_animals return the classic load_dataset() shapes and dtypes?"""
    train_x, train_y, test_x, test_y, classes = load_animals()
    expected = [(train_x, (209, 64, 64, 3), np.uint8), (train_y, (1, 209), np.integer),
                (test_x, (300, 64, 64, 3), np.uint8), (test_y, (1, 300), np.integer)]
    for i, (array, shape, dtype) in enumerate(expected):
        assert array.shape == shape, f"load_animals output {i}: expected {shape}, got {array.shape}"
        assert np.issubdtype(array.dtype, dtype), (
            f"load_animals output {i}: expected dtype {dtype}, got {array.dtype}")
    assert list(classes) == [b"non-animal", b"animal"], f"classes: got {list(classes)}"


def test_load_animals_labels(repo_data):
    """Are labels 0/1 and the classes balanced: 104 of 209 train, 150 of 300 test animals?"""
    _, train_y, _, test_y, _ = load_animals()
    for name, y in (("train", train_y), ("test", test_y)):
        assert set(np.unique(y)) == {0, 1}, f"{name} labels: expected {{0, 1}}, got {np.unique(y)}"
    counts = (int(train_y.sum()), int(test_y.sum()))
    assert counts == (104, 150), f"animals in (train, test): expected (104, 150), got {counts}"


def test_test_images_are_new_scenes(repo_data):
    """Is no test image a copy of a training image (same objects, new scenes)?"""
    train_x, _, test_x, _, _ = load_animals()
    train = {image.tobytes() for image in train_x}
    copies = sum(image.tobytes() in train for image in test_x)
    assert copies == 0, f"{copies} test images are copies of training images"


def test_load_photos6_shapes_classes_and_balance(repo_data):
    """Does load_photos6 return 480 + 240 balanced 64x64x3 images of the six classes?"""
    X_train, y_train, X_test, y_test, classes = load_photos6()
    expected = [(X_train, (480, 64, 64, 3), np.uint8), (y_train, (480,), np.integer),
                (X_test, (240, 64, 64, 3), np.uint8), (y_test, (240,), np.integer)]
    for i, (array, shape, dtype) in enumerate(expected):
        assert array.shape == shape, f"load_photos6 output {i}: expected {shape}, got {array.shape}"
        assert np.issubdtype(array.dtype, dtype), (
            f"load_photos6 output {i}: expected dtype {dtype}, got {array.dtype}")
    assert list(classes) == [b"bird", b"hoofed mammal", b"other mammal", b"fruit",
                             b"vegetable", b"flower"], f"classes: got {list(classes)}"
    for name, y, per_class in (("train", y_train, 80), ("test", y_test, 40)):
        counts = np.bincount(y, minlength=6).tolist()
        assert counts == [per_class] * 6, (
            f"{name} images per class: expected {per_class}, got {counts}")


def test_photos6_test_images_are_new(repo_data):
    """Is no photos6 test image a copy of a training image, and is every image a real picture?"""
    X_train, _, X_test, _, _ = load_photos6()
    train = {image.tobytes() for image in X_train}
    copies = sum(image.tobytes() in train for image in X_test)
    assert copies == 0, f"{copies} photos6 test images are copies of training images"
    images = np.concatenate([X_train, X_test])  # (720, 64, 64, 3)
    spread = images.reshape(len(images), -1).std(axis=1)  # (720,)
    assert spread.min() > 10, f"expected pixel std > 10 in every image, got min {spread.min():.1f}"


def test_photos6_splits_hold_different_objects():
    """Does photos6.py put each stamp in exactly one split, a quarter of each class in test?"""
    photos6 = datasets_module("photos6")
    rng = np.random.default_rng(0)
    pool = [f"stamp{i}.png" for i in range(26)]
    train, test = photos6.split_objects(rng, pool)
    assert not set(train) & set(test), f"objects in both splits: {set(train) & set(test)}"
    assert sorted(train + test) == sorted(pool), "split_objects lost or duplicated stamps"
    assert len(test) == round(photos6.TEST_OBJECT_FRACTION * 26), f"test objects: {len(test)}"


def test_seed_study_loads_and_matches_the_file(repo_data):
    """Does the seed study load, with one accuracy per seed for each model and the baseline?"""
    study = data.load_seed_study()
    _, _, _, test_y, _ = load_animals()
    assert study["m_test"] == test_y.shape[1], f"study m_test {study['m_test']}"
    for name in ("majority baseline", "logistic regression", "two-layer network",
                 "four-layer network"):
        values = study["test_accuracy"][name]
        assert len(values) == len(study["seeds"]), f"{name}: {len(values)} values"
        assert abs(np.mean(values) - study["summary"][name]["mean"]) < 1e-3, name


def test_images_are_not_blank(repo_data):
    """Is every image a real picture (pixel spread), not a constant fill?"""
    train_x, _, test_x, _, _ = load_animals()
    images = np.concatenate([train_x, test_x])  # (m_train + m_test, 64, 64, 3)
    spread = images.reshape(len(images), -1).std(axis=1)  # (m_train + m_test,)
    assert spread.min() > 10, f"expected pixel std > 10 in every image, got min {spread.min():.1f}"


def test_relocated_copy_loads(relocated):
    """Does a copy of animals.h5 + MANIFEST.json elsewhere load through $DLCOURSE_DATA?"""
    train_x, *_ = load_animals()
    assert train_x.shape == (209, 64, 64, 3), f"got {train_x.shape} from {relocated}"


def test_missing_file_names_path_and_command(tmp_path, monkeypatch):
    """Does a missing animals.h5 raise DatasetError naming its path and the rebuild command?"""
    (tmp_path / "MANIFEST.json").write_text(json.dumps({"animals.h5": {"sha256": "0" * 64}}))
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(DatasetError) as error:
        load_animals()
    message = str(error.value)
    assert str(tmp_path / "animals.h5") in message, f"path not named in: {message}"
    assert REBUILD in message, f"rebuild command not named in: {message}"


def test_corrupt_copy_raises(relocated):
    """Does one flipped byte in animals.h5 raise DatasetError naming the file?"""
    path = relocated / "animals.h5"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(DatasetError) as error:
        load_animals()
    message = str(error.value)
    assert str(path) in message and REBUILD in message, f"got: {message}"


def test_missing_manifest_raises(relocated):
    """Is a data file without its MANIFEST.json refused rather than trusted?"""
    (relocated / "MANIFEST.json").unlink()
    with pytest.raises(DatasetError, match="MANIFEST.json"):
        load_animals()


def test_unreadable_hdf5_raises(tmp_path, monkeypatch):
    """Does a file that matches its checksum but is not HDF5 raise DatasetError?"""
    path = tmp_path / "animals.h5"
    path.write_bytes(b"not an HDF5 file")
    digest = data._sha256(path)
    (tmp_path / "MANIFEST.json").write_text(json.dumps({"animals.h5": {"sha256": digest}}))
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(DatasetError) as error:
        load_animals()
    assert str(path) in str(error.value), f"path not named in: {error.value}"


def test_data_dir_walks_up_from_cwd(tmp_path, monkeypatch):
    """From notebooks/<assignment>/sub/, is <assignment>/datasets/ found?"""
    folder = tmp_path / "c1w2a2" / "datasets"
    folder.mkdir(parents=True)
    (folder / "MANIFEST.json").write_text("{}")
    deeper = tmp_path / "c1w2a2" / "sub"
    deeper.mkdir()
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    monkeypatch.chdir(deeper)
    assert data.data_dir() == folder.resolve(), f"expected {folder}, got {data.data_dir()}"


def check_two_class(name, X, Y, m):
    """Shared checks for a generated 2-D set: shapes, dtypes, labels, balance."""
    assert X.shape == (2, m), f"{name}: expected X.shape (2, {m}), got {X.shape}"
    assert Y.shape == (1, m), f"{name}: expected Y.shape (1, {m}), got {Y.shape}"
    assert np.issubdtype(X.dtype, np.floating), f"{name}: X dtype {X.dtype}"
    assert np.issubdtype(Y.dtype, np.integer), f"{name}: Y dtype {Y.dtype}"
    assert set(np.unique(Y)) == {0, 1}, f"{name}: labels {np.unique(Y)}, expected {{0, 1}}"
    n_ones = int(Y.sum())
    assert abs(n_ones - m / 2) <= 1, f"{name}: expected about {m / 2} ones, got {n_ones}"


@pytest.mark.parametrize("make, kwargs", [
    (load_planar_dataset, {"m": 400}),
    (load_planar_dataset, {"m": 51}),
    (make_moons, {"m": 301, "noise": 0.1}),
    (make_circles, {"m": 300, "noise": 0.05, "factor": 0.4}),
])
def test_toy_sets_shapes_and_labels(make, kwargs):
    """Are the 2-D sets (2, m) float / (1, m) int with balanced 0/1 labels?"""
    X, Y = make(seed=3, **kwargs)
    check_two_class(make.__name__, X, Y, kwargs["m"])


@pytest.mark.parametrize("make", [load_planar_dataset, make_moons, make_circles])
def test_toy_sets_deterministic_by_seed(make):
    """Does the same seed give the same data, and another seed different data?"""
    X1, Y1 = make(m=200, seed=7)
    X2, Y2 = make(m=200, seed=7)
    X3, _ = make(m=200, seed=8)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2), f"{make.__name__}: seed 7 twice"
    assert not np.array_equal(X1, X3), f"{make.__name__}: seeds 7 and 8 gave the same X"


def test_planar_petals_follow_the_flower_layout():
    """Do petals 0, 2, 5, 7 belong to class 0 and 1, 3, 4, 6 to class 1 (no line separates them)?"""
    X, Y = load_planar_dataset(m=4000, seed=0)
    angle = np.mod(np.arctan2(X[1], X[0]), 2 * np.pi)  # (m,)
    petal = (angle // (np.pi / 4)).astype(int)  # petal k spans [kπ/4, (k+1)π/4)
    share_ones = np.array([Y[0, petal == k].mean() for k in range(8)])  # (8,)
    zeros, ones = [0, 2, 5, 7], [1, 3, 4, 6]
    assert np.all(share_ones[zeros] < 0.2) and np.all(share_ones[ones] > 0.8), (
        f"expected petals {zeros} mostly 0 and {ones} mostly 1, got shares "
        f"{share_ones.round(2)}")


def test_circles_inner_class_is_inner():
    """Is class 1 the inner circle, at radius about `factor`?"""
    X, Y = make_circles(m=1000, noise=0.0, factor=0.3, seed=0)
    radius = np.linalg.norm(X, axis=0)  # (m,)
    assert np.allclose(radius[Y[0] == 1], 0.3), "class 1 points should lie at radius 0.3"
    assert np.allclose(radius[Y[0] == 0], 1.0), "class 0 points should lie at radius 1"


def test_train_test_split_partitions_columns():
    """Does the split keep every column exactly once, with X and Y still paired?"""
    X = np.arange(20.0).reshape(2, 10)  # column j is (j, 10 + j)
    Y = np.arange(10).reshape(1, 10)
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, test_fraction=0.3, seed=0)
    assert X_train.shape == (2, 7) and X_test.shape == (2, 3), (
        f"expected (2, 7) and (2, 3), got {X_train.shape} and {X_test.shape}")
    assert sorted(np.concatenate([Y_train, Y_test], axis=1)[0]) == list(range(10))
    assert np.array_equal(X_train[0], Y_train[0]) and np.array_equal(X_test[0], Y_test[0]), (
        "X and Y columns were shuffled differently")
    again = train_test_split(X, Y, test_fraction=0.3, seed=0)
    assert np.array_equal(again[0], X_train), "same seed gave a different split"


def test_load_dinosaurs_names(repo_data):
    names = data.load_dinosaurs()
    assert len(names) == 1318 == len(set(names)), len(names)
    assert all(isinstance(n, str) and n.isalpha() and n.islower() and n.isascii() for n in names)
    assert names[0] == "aachenosaurus" and names[-1] == "zupaysaurus", (names[0], names[-1])


def test_load_dates_pairs(repo_data):
    """dates.h5: 12,000 + 1,000 pairs, ISO outputs that parse, held-out dates never trained on,
    each input the date in its locale's format (a few checked by hand)."""
    dates = data.load_dates()
    assert len(dates["train_inputs"]) == len(dates["train_outputs"]) == 12000
    assert len(dates["test_inputs"]) == len(dates["test_formats"]) == 1000
    for iso in dates["train_outputs"] + dates["test_outputs"]:
        day = datetime.date.fromisoformat(iso)
        assert datetime.date(1950, 1, 1) <= day <= datetime.date(2049, 12, 31), iso
    assert not set(dates["train_outputs"]) & set(dates["test_outputs"]), "held-out date in train"
    assert len({f.split("/")[0] for f in dates["train_formats"]}) == 8
    assert set("".join(dates["train_inputs"] + dates["test_inputs"])) == set(dates["input_chars"])
    pairs = dict(zip(dates["train_inputs"], dates["train_outputs"], strict=True))
    assert pairs["30.01.18"] == "2018-01-30", "de_DE short"
    assert pairs["wednesday, 20 august 2003"] == "2003-08-20", "en_GB full"
    assert pairs["26 de enero de 1963"] == "1963-01-26", "es_ES long"


def test_load_dates_attention_is_a_translator_for_dates(repo_data):
    """dates_attention.h5: final and first-epoch parameters of the same shapes, costs falling."""
    final, epoch1, costs = data.load_dates_attention()
    assert sorted(final) == sorted(epoch1) and "Wa1" in final and "post_Wf" in final
    assert all(final[k].shape == epoch1[k].shape for k in final)
    assert final["Wy"].shape == (11, 64) and final["fwd_Wf"].shape == (32, 32 + 48)
    assert len(costs) == 12 and costs[-1] < costs[0] / 10, costs


def test_load_first_names(repo_data):
    """firstnames.h5: 5,163 unique lowercase a-z census names, most frequent first."""
    names = data.load_first_names()
    assert len(names) == 5163 == len(set(names)), len(names)
    assert all(n.isalpha() and n.islower() and n.isascii() for n in names)
    assert names[:2] == ["mary", "patricia"] and "james" in names, names[:2]


def test_load_chorales_tokens(repo_data):
    """chorales.h5: 350 melodies of eighth-note tokens over 28 pitches (A3 to C6), hold 0,
    rest 1; step 0 of the Passion chorale's last setting is a downbeat, before its upbeat."""
    melodies, pitches, names = data.load_chorales()
    assert len(melodies) == len(names) == 350 == len(set(names)), len(melodies)
    assert names == sorted(names) and names[0] == "bach/bwv10.7", names[0]
    assert pitches.tolist() == list(range(57, 85)), pitches
    every = np.concatenate(melodies)
    assert every.dtype == np.int64 and every.min() == 0 and every.max() == len(pitches) + 1
    assert sum(len(m) for m in melodies) == 39458 and min(len(m) for m in melodies) == 54
    assert all(m[0] != 0 for m in melodies), "a melody starts with a hold"
    passion = melodies[names.index("bach/bwv244.62")]
    # A quarter-note upbeat in 4/4: six eighths of rest, then E4 (MIDI 64 = token 9).
    assert passion[:8].tolist() == [1, 1, 1, 1, 1, 1, 9, 0], passion[:8]


def test_load_face_detector_weights_and_photo(repo_data):
    """face_detector.h5: face-api's 193,321 weights, dequantised, shaped as the network needs."""
    detector = data.load_face_detector()
    weights = detector["weights"]
    assert sum(w.size for w in weights.values()) == 193321
    assert weights["conv0.filters"].shape == (3, 3, 3, 16), weights["conv0.filters"].shape
    assert weights["conv8.filters"].shape == (1, 1, 512, 25), weights["conv8.filters"].shape
    assert detector["anchors"].shape == (5, 2) and detector["mean_rgb"].shape == (3,)
    assert detector["astronaut"].shape == (512, 512, 3) and detector["astronaut"].dtype == np.uint8


def test_load_sonnets_lines(repo_data):
    """sonnets.h5: 2,155 verse lines, the first and last lines of the sonnets as printed."""
    lines = data.load_sonnets()
    assert len(lines) == 2155, len(lines)
    assert lines[0] == "FROM fairest creatures we desire increase,", lines[0]
    assert all(line and line == line.rstrip() for line in lines), "blank or padded line"


def test_load_glyphs_shapes_and_unseen_test_identities(repo_data):
    """glyphs.h5: 62 identities in 181 typefaces, one picture each; are the 20 test
    identities absent from train?"""
    glyphs = data.load_glyphs()
    for split, m in (("train", 42 * 181), ("test", 20 * 181)):
        x, y, t = glyphs[f"{split}_x"], glyphs[f"{split}_y"], glyphs[f"{split}_typeface"]
        assert x.shape == (m, 28, 28, 1) and x.dtype == np.uint8, f"{split}_x: {x.shape} {x.dtype}"
        assert y.shape == t.shape == (m,), f"{split}: labels {y.shape}, typefaces {t.shape}"
        pairs = set(zip(y.tolist(), t.tolist(), strict=True))
        assert len(pairs) == m, f"{split}: expected one picture per (identity, typeface)"
    assert not set(glyphs["train_y"]) & set(glyphs["test_y"]), "test identities seen in train"
    assert len(glyphs["characters"]) == 62 and len(glyphs["typefaces"]) == 181
    assert "".join(glyphs["characters"][:3]) == "012", glyphs["characters"][:3]


def test_load_trigger_sounds_and_disjoint_splits(repo_data):
    """trigger.h5: 8 kHz sounds in [-1, 1]; does the dev split share no voice, recorded word
    or background with the train split?"""
    sounds = data.load_trigger()
    assert sounds["sample_rate"] == 8000
    train, dev = sounds["train"], sounds["dev"]
    counts = {split: [len(s[kind]) for kind in ("activates", "negatives", "backgrounds")]
              for split, s in (("train", train), ("dev", dev))}
    assert counts == {"train": [70, 174, 14], "dev": [14, 38, 4]}, counts
    for split in (train, dev):
        assert all(b.shape == (40000,) for b in split["backgrounds"])
        for kind in ("activates", "negatives", "backgrounds"):
            assert all(np.abs(s).max() <= 1 and np.abs(s).max() > 0.1 for s in split[kind]), kind
            assert len(split[f"{kind}_names"]) == len(split[kind])
    for kind in ("activates_names", "backgrounds_names"):
        assert not set(train[kind]) & set(dev[kind]), kind
    train_voices = {name.split()[0].split("+")[1] for name in train["activates_names"]}
    dev_voices = {name.split()[0].split("+")[1] for name in dev["activates_names"]}
    assert not train_voices & dev_voices, (train_voices, dev_voices)
    recorded = [{n for n in s["negatives_names"] if n.startswith("ktuberling:")}
                for s in (train, dev)]
    assert len(recorded[0]) + len(recorded[1]) == 72 and not recorded[0] & recorded[1]


def test_trigger_detector_loads_with_its_statistics(repo_data):
    """trigger_detector.h5 (studies/c5w3a2_train.py): parameters for 101 frequencies."""
    parameters, mean, std, losses = data.load_trigger_detector()
    assert parameters["Wconv"].shape == (15, 101, 32) and parameters["Wy"].shape == (1, 32)
    assert mean.shape == std.shape == (101,) and np.all(std > 0)
    assert len(losses) == 1500 and np.mean(losses[-50:]) < 0.5 * np.mean(losses[:50])


def test_emojify_build_names_words_outside_the_vocabulary(tmp_path):
    """Does datasets/emojify.py refuse a sentence with a word GloVe does not know, naming it?"""
    emojify = datasets_module("emojify")
    BuildError = datasets_module("common").BuildError
    csv_path = tmp_path / "sentences.csv"
    csv_path.write_text("sentence,label,split\ni love you,love,train\nzxqv pizza,food,test\n")
    with pytest.raises(BuildError, match="zxqv"):
        emojify.read_sentences(csv_path, {"i", "love", "you", "pizza"})


def test_every_data_file_names_the_command_that_writes_it(tmp_path, monkeypatch):
    """A missing file names its writer: a study script for the files studies/ write,
    datasets/build.py for the others (and build.py lists each of those)."""
    build = datasets_module("build")
    (tmp_path / "MANIFEST.json").write_text("{}")
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    for name in json.loads((ROOT / "datasets" / "MANIFEST.json").read_text()):
        command = data.WRITTEN_BY.get(name)
        if command is None:
            assert name in build.OUTPUTS, f"{name}: neither a study's nor built by build.py"
            command = "datasets/build.py"
        else:
            assert (ROOT / command.split()[-1]).is_file(), command
        with pytest.raises(DatasetError, match=re.escape(command)):
            data.verified_path(name)
