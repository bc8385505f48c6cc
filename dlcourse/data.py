"""Datasets for the course: the image sets of Courses 1, 2 and 4 and small 2-D toy sets.

Two kinds of data live here:

- `load_animals()` reads datasets/animals.h5, 64x64 RGB photos labelled animal (1)
  or not (0), built by `python datasets/build.py` from Debian packages. It returns
  arrays exactly as the classic cat-vs-non-cat `load_dataset()` did.
- `load_glyphs()` reads datasets/glyphs.h5, the identity set of the face-verification
  notebook (Course 4): 62 characters, each drawn in 181 typefaces, 28x28 grey. It
  stands in for face photos, which no package ships.
- `load_digits6()` (Course 2) and `load_photos6()` (Course 4) read six-class
  64x64 RGB sets in the same schema: handwritten digits 0-5, and photos of
  birds, hoofed mammals, other mammals, fruit, vegetables and flowers.
- `load_photos6_lenet()` reads the LeNet-style network pretrained on photos6
  (datasets/photos6_lenet.h5, written by studies/c4w2a2_pretrain.py), the
  starting point of transfer learning in C4W2A2.
- `load_glove()` and `load_plays()` read datasets/words.h5: GloVe word vectors and the
  text of Shakespeare's plays (Course 5).
- `load_style_images()` reads datasets/style.h5, a street photo and Van Gogh's
  The Starry Night, 64x64, for the style-transfer notebook of Course 4.
- `load_dinosaurs()` reads datasets/dinosaurs.h5, 1,318 dinosaur genus names for
  the character-level language model of Course 5; `load_first_names()` and
  `load_sonnets()` read its two other corpora, 5,163 US census first names
  (firstnames.h5) and the verse lines of Shakespeare's Sonnets (sonnets.h5).
- `load_chorales()` reads datasets/chorales.h5, the melodies (soprano lines) of 350
  Bach chorales as eighth-note tokens, for the music-generation notebook of Course 5.
- `load_emojify()` reads datasets/emojify.h5, 210 short sentences written for the
  course, labelled with five emoji classes, split into train and test (C5W2A2).
- `load_dates()` reads datasets/dates.h5, human-readable dates in eight locales paired
  with ISO 8601 (C5W3A1); `load_dates_attention()` the translator trained on them by
  studies/c5w3a1_train.py (datasets/dates_attention.h5).
- `load_face_detector()` reads datasets/face_detector.h5, the weights of face-api's
  pretrained Tiny-YOLO face detector and a real photo to run it on (C4W3A1).
- `load_trigger()` reads datasets/trigger.h5, the audio of the trigger-word notebook
  (C5W3A2): "activate" and other words spoken by espeak-ng, words recorded for
  KTuberling and CC0 background recordings, 8 kHz; `load_trigger_detector()` the
  detector trained on them (datasets/trigger_detector.h5, by studies/c5w3a2_train.py).
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
GLYPHS_FILE = "glyphs.h5"
PHOTOS6_FILE = "photos6.h5"
PHOTOS6_LENET_FILE = "photos6_lenet.h5"
WORDS_FILE = "words.h5"
STYLE_FILE = "style.h5"
DINOSAURS_FILE = "dinosaurs.h5"
FIRSTNAMES_FILE = "firstnames.h5"
SONNETS_FILE = "sonnets.h5"
SCENES_FILE = "scenes.h5"
CHORALES_FILE = "chorales.h5"
EMOJIFY_FILE = "emojify.h5"
DATES_FILE = "dates.h5"
DATES_ATTENTION_FILE = "dates_attention.h5"
FACE_DETECTOR_FILE = "face_detector.h5"
SEED_STUDY_FILE = "c1w4a2_seeds.json"
TRIGGER_FILE = "trigger.h5"
TRIGGER_DETECTOR_FILE = "trigger_detector.h5"
REBUILD = "python datasets/build.py (run from the repository root)"
# Files a study script writes (a trained network, a measured study), not datasets/build.py.
WRITTEN_BY = {
    SEED_STUDY_FILE: "python studies/c1w4a2_seeds.py",
    PHOTOS6_LENET_FILE: "python studies/c4w2a2_pretrain.py",
    DATES_ATTENTION_FILE: "python studies/c5w3a1_train.py",
    TRIGGER_DETECTOR_FILE: "python studies/c5w3a2_train.py",
}


def rebuild_command(name):
    """The command that writes data file `name`, run from the repository root."""
    return WRITTEN_BY.get(name, REBUILD)


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
        raise DatasetError(f"data file not found: {path}\nBuild it with: {rebuild_command(name)}, "
                           f"or point ${ENV_VAR} at a folder holding {name} and {MANIFEST}.")
    try:
        expected = json.loads(manifest_path.read_text())[name]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        raise DatasetError(f"no checksum for {path}: {manifest_path} is missing or has no "
                           f"entry for {name} (copy MANIFEST.json with the data file).\n"
                           f"Rebuild both with: {rebuild_command(name)}") from None
    if _sha256(path) != expected:
        raise DatasetError(f"data file corrupt or out of date: {path} does not match the "
                           f"SHA-256 in {manifest_path}.\nRebuild it with: {rebuild_command(name)}")
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


def _read_h5(name, keys):
    """The arrays `keys` of data file `name`, verified; a DatasetError names the fix."""
    path = verified_path(name)
    try:
        with h5py.File(path, "r") as f:
            return [f[key][:] for key in keys]
    except (OSError, KeyError) as error:
        raise DatasetError(f"cannot read {path}: {error}\n"
                           f"Rebuild it with: {rebuild_command(name)}") from None


def _read_all(name):
    """Every dataset of HDF5 file `name` as a dict of arrays, verified."""
    path = verified_path(name)
    try:
        with h5py.File(path, "r") as f:
            return {key: f[key][()] for key in f}
    except (OSError, KeyError) as error:
        raise DatasetError(f"cannot read {path}: {error}\n"
                           f"Rebuild it with: {rebuild_command(name)}") from None


def _load_image_set(name):
    """The five arrays of a file in the classic schema, labels as (1, m) rows."""
    train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes = _read_h5(
        name, ("train_set_x", "train_set_y", "test_set_x", "test_set_y", "list_classes"))
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
                           f"Rewrite it with: {rebuild_command(SEED_STUDY_FILE)}") from None


def load_digits6():
    """The six-class image set of Course 2: handwritten digits 0-5, 64x64 RGB.

    Same schema and sizes as the classic SIGNS set; see datasets/NOTICE for
    what the images are.
    Returns train_set_x_orig (1080, 64, 64, 3) uint8, train_set_y (1, 1080)
    int64 labels in 0-5, test_set_x_orig (120, 64, 64, 3), test_set_y (1, 120),
    classes (6,) bytes [b"0", ..., b"5"] indexed by label.
    """
    return _load_image_set(DIGITS6_FILE)


def load_glyphs():
    """The identity set of Course 4's face verification: characters in many typefaces.

    An identity is one of the 62 characters 0-9A-Za-z; its pictures are that
    character in 181 typefaces (one picture per typeface, mildly scaled and
    shifted), grey ink on black. They stand in for face photos, which no package
    ships (see datasets/NOTICE). The 20 test characters never appear in train.
    Returns a dict of arrays:
      "train_x" (7602, 28, 28, 1) uint8, "train_y" (7602,) int64 identity (index
      into "characters"), "train_typeface" (7602,) int64 (index into "typefaces");
      "test_x" (3620, 28, 28, 1), "test_y" (3620,), "test_typeface" (3620,);
      "characters" (62,) str, "typefaces" (181,) str font names.
    """
    path = verified_path(GLYPHS_FILE)
    try:
        with h5py.File(path, "r") as f:
            arrays = {name: f[name][:] for name in ("train_x", "train_y", "train_typeface",
                                                    "test_x", "test_y", "test_typeface")}
            for name in ("characters", "typefaces"):
                arrays[name] = np.array([b.decode() for b in f[name][:]])
    except (OSError, KeyError) as error:
        raise DatasetError(f"cannot read {path}: {error}\nRebuild it with: {REBUILD}") from None
    return arrays


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


def load_glove():
    """GloVe 6B 50-d word vectors of the 10,004 words kept in datasets/words.h5.

    Returns words, a list of V str in GloVe's frequency order, and E: (50, V) float64,
    the embedding matrix of the notes: column j is the vector e_w of words[j].
    """
    words, vectors = _read_h5(WORDS_FILE, ("glove_words", "glove_vectors"))
    return [w.decode() for w in words], vectors.T.astype(np.float64)  # (50, V)


def load_plays():
    """The spoken words of Shakespeare's 38 plays, for training word vectors.

    Returns vocabulary, a list of the W distinct lower-case words, most frequent
    first, and tokens: (N,) int64, the text as indices into vocabulary.
    """
    vocabulary, tokens = _read_h5(WORDS_FILE, ("corpus_words", "corpus_tokens"))
    return [w.decode() for w in vocabulary], tokens.astype(np.int64)
def load_style_images():
    """The two images of the style-transfer notebook (C4W4A2), read from datasets/style.h5.

    Returns content (1, 64, 64, 3) uint8, a photograph of a street (OpenCV's sample
    leuvenA.jpg), style (1, 64, 64, 3) uint8, Van Gogh's The Starry Night (public domain),
    and names, two strings saying what each image is (see datasets/NOTICE).
    """
    content, style, names = _read_h5(STYLE_FILE, ("content", "style", "names"))
    # One example each, in Course 4's layout (m, n_H, n_W, n_C) with m = 1.
    return content[None], style[None], [name.decode() for name in names]


def load_dinosaurs():
    """The dinosaur genus names of Course 5's character-level language model.

    Returns a list of 1,318 str, lowercase a-z only, in the order of the source
    list (see datasets/NOTICE).
    """
    (names,) = _read_h5(DINOSAURS_FILE, ("names",))
    return [name.decode("ascii") for name in names]


def load_first_names():
    """The second corpus of the character-level language model: US census first names.

    Returns a list of 5,163 str, lowercase a-z only, the most frequent first (the
    female list, then the male names not already in it; see datasets/NOTICE).
    """
    (names,) = _read_h5(FIRSTNAMES_FILE, ("names",))
    return [name.decode("ascii") for name in names]


def load_sonnets():
    """Shakespeare's Sonnets, one verse line per str (2,155 lines, in order, as printed:
    capitals and punctuation kept; see datasets/NOTICE)."""
    (lines,) = _read_h5(SONNETS_FILE, ("lines",))
    return [line.decode("utf-8") for line in lines]


def load_chorales():
    """The melodies of Course 5's music generation: the soprano lines of 350 Bach chorales.

    Each melody is transposed to C major or A minor and written as one token per
    eighth-note step: 0 = hold (the note before goes on), 1 = rest, 2 + k = a note of
    MIDI pitch pitches[k] begins (see datasets/NOTICE).
    Returns melodies, a list of 350 int64 arrays (T,) of tokens (T from 54 to 392 steps;
    a melody that opens with an upbeat starts with rests, so that step 0 is a downbeat);
    pitches, (P,) int64 MIDI pitches (the vocabulary has P + 2 tokens); and names, a list
    of 350 str, the corpus file of each melody ("bach/bwv269").
    """
    tokens, lengths, pitches, names = _read_h5(CHORALES_FILE,
                                               ("tokens", "lengths", "pitches", "names"))
    melodies = np.split(tokens.astype(np.int64), np.cumsum(lengths)[:-1])
    return melodies, pitches.astype(np.int64), [name.decode("ascii") for name in names]
def load_emojify():
    """The labelled sentences of the Emojify notebook (C5W2A2), written for the course.

    Returns X_train, a list of 155 str (lower-case words separated by single spaces),
    Y_train (155,) int64 labels in 0-4, X_test (55 str), Y_test (55,) int64 and classes,
    the 5 class names ["love", "sport", "happy", "sad", "food"] indexed by label. Each
    class has 31 training and 11 test sentences; every word is in the GloVe vocabulary
    of load_glove() (see datasets/emojify.py).
    """
    X_train, Y_train, X_test, Y_test, classes = _read_h5(
        EMOJIFY_FILE, ("train_sentences", "train_labels", "test_sentences", "test_labels",
                       "classes"))
    return ([s.decode("ascii") for s in X_train], Y_train, [s.decode("ascii") for s in X_test],
            Y_test, [c.decode("ascii") for c in classes])
def load_dates():
    """The date-translation pairs of C5W3A1 (see datasets/NOTICE and datasets/dates.py).

    Returns a dict: "train_inputs", "test_inputs" lists of str (12,000 and 1,000
    lower-cased human-readable dates, "jeudi 3 décembre 2026"), "train_outputs",
    "test_outputs" the same dates in ISO 8601 ("2026-12-03"), "train_formats",
    "test_formats" the locale and CLDR format of each input ("fr_FR/full"), and
    "input_chars" the sorted characters of all inputs (a list of str). No held-out
    date occurs among the training dates.
    """
    keys = [f"{split}_{what}" for split in ("train", "test")
            for what in ("inputs", "outputs", "formats")]
    arrays = _read_h5(DATES_FILE, [*keys, "input_chars"])
    return {key: [v.decode("utf-8") for v in array]
            for key, array in zip([*keys, "input_chars"], arrays, strict=True)}


def load_dates_attention():
    """The date translator of C5W3A1, trained by studies/c5w3a1_train.py.

    Returns (parameters, parameters_epoch1, costs): the parameters of
    dlcourse.attention's model after training and after its first epoch (for the
    error analysis of a weaker model), and the mean cost per character of each epoch.
    """
    arrays = _read_all(DATES_ATTENTION_FILE)
    final = {k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith("final.")}
    epoch1 = {k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith("epoch1.")}
    if not final or not epoch1 or "costs" not in arrays:
        raise DatasetError(f"{DATES_ATTENTION_FILE} lacks parameters or costs; rewrite it "
                           f"with: {rebuild_command(DATES_ATTENTION_FILE)}")
    return final, epoch1, arrays["costs"]


def load_face_detector():
    """A Tiny-YOLO face detector trained by others, and a photo to run it on (C4W3A1).

    Returns a dict: "weights", name -> float64 array, the dequantised weights of face-api's
    TinyFaceDetector ("conv0.filters" (3, 3, 3, 16), "conv0.bias" (16,), then for layers
    1-5 "depthwise_filter" (3, 3, n_C_prev, 1), "pointwise_filter" (1, 1, n_C_prev, n_C)
    and "bias", and "conv8.filters" (1, 1, 512, 25), "conv8.bias" (25,)); "anchors" (5, 2)
    (width, height) in grid cells; "mean_rgb" (3,) the pixel mean it subtracts;
    "astronaut" (512, 512, 3) uint8, NASA's portrait of Eileen Collins.
    """
    path = verified_path(FACE_DETECTOR_FILE)
    try:
        with h5py.File(path, "r") as f:
            weights = {name: f[name].attrs["min"] + f[name].attrs["scale"] * f[name][:]
                       for name in f if "." in name}  # q in 0..255 -> min + scale q
            return {"weights": weights, "anchors": f["anchors"][:],
                    "mean_rgb": f["mean_rgb"][:], "astronaut": f["astronaut"][:]}
    except (OSError, KeyError) as error:
        raise DatasetError(f"cannot read {path}: {error}\nRebuild it with: {REBUILD}") from None


def load_photos6_lenet():
    """The network C4W2A2 fine-tunes: dlcourse.transfer.LENET_SPEC trained on photos6.

    Returns (parameters, mean, std, costs): parameters {"W1", "b1", "W4", "b4", "W8",
    "b8", "W10", "b10"} for 32 x 32 x 3 inputs; mean and std (3,) the channel
    statistics its inputs were standardised with (pixels scaled to [0, 1], 2 x 2
    blocks averaged, then (X - mean) / std); costs its cost per training epoch.
    """
    arrays = _read_all(PHOTOS6_LENET_FILE)
    mean, std, costs = arrays.pop("mean"), arrays.pop("std"), arrays.pop("costs")
    return arrays, mean, std, costs
def load_scenes():
    """The detection scenes of Course 4: photo cut-outs pasted on real background
    photos, with exact boxes (see datasets/NOTICE and datasets/scenes.py).

    Returns a dict of arrays; for each split ("train", "test"):
      "<split>_x": (m, 48, 48, 3) uint8 images
      "<split>_boxes": (m, K, 4) float64 corners (x1, y1, x2, y2) in pixels
      "<split>_classes": (m, K) int64 class of each box, -1 in unused slots
    and "classes": the class names (bytes) indexed by class.
    """
    data = _read_all(SCENES_FILE)
    data["classes"] = data.pop("list_classes")
    for split in ("train", "test"):
        data[f"{split}_boxes"] = data[f"{split}_boxes"].astype(np.float64)
    return data


def load_trigger():
    """The sounds of the trigger-word notebook (C5W3A2), mono, 8 kHz, float64 in [-1, 1].

    Returns a dict: "sample_rate" (8000); for each split "train" and "dev" a dict with
    "activates" (list of (k,) arrays: "activate" spoken by espeak-ng in 7 accents and 10
    voices for train, 2 other voices for dev), "negatives" (other words: recorded by a
    person for KTuberling, and spoken by espeak-ng), "backgrounds" (list of (40000,)
    arrays, 5 s of CC0 recordings) and "<kind>_names" (list of str, what each sound is).
    Nothing in the dev split is in the train split: other voices, words and recordings.
    """
    arrays = _read_all(TRIGGER_FILE)
    data = {"sample_rate": int(arrays["sample_rate"]), "train": {}, "dev": {}}
    for kind in ("activates", "negatives", "backgrounds"):
        if kind == "backgrounds":
            clips = list(arrays[kind] / 32767)
        else:
            offsets = arrays[f"{kind}_offsets"]
            audio = arrays[f"{kind}_audio"] / 32767
            clips = [audio[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]
        names = [name.decode("ascii") for name in arrays[f"{kind}_names"]]
        for split, keep in (("train", False), ("dev", True)):
            chosen = [i for i, dev in enumerate(arrays[f"{kind}_dev"]) if dev == keep]
            data[split][kind] = [clips[i] for i in chosen]
            data[split][f"{kind}_names"] = [names[i] for i in chosen]
    return data


def load_trigger_detector():
    """The trigger-word detector trained by studies/c5w3a2_train.py (C5W3A2).

    Returns (parameters, mean, std, losses): parameters as dlcourse.trigger's
    initialize_detector makes them; mean and std (n_freq,) the statistics its input
    spectrograms are standardised with; losses its loss at each training step.
    """
    arrays = _read_all(TRIGGER_DETECTOR_FILE)
    mean, std, losses = arrays.pop("mean"), arrays.pop("std"), arrays.pop("losses")
    return arrays, mean, std, losses


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
