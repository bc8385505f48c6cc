"""Build the course's data files (every one listed in OUTPUTS) and their MANIFEST.json.

Run from the repository root:

    python datasets/build.py          # build every file and MANIFEST.json
    python datasets/build.py --check  # rebuild in a temp dir, compare with MANIFEST.json
    python datasets/build.py --only words.h5 [--check]   # one file (or several)

animals.h5 is made here. The others by modules of their own (see there):
digits6.h5 by digits6.py; photos6.h5 by photos6.py, from the same packages and
with the same stamp and background helpers as animals.h5; words.h5 by words.py;
style.h5 by style_images.py; dinosaurs.h5 by dinosaurs.py; firstnames.h5 and
sonnets.h5 by char_corpora.py; dates.h5 by dates.py; face_detector.h5 by face_detector.py;
glyphs.h5 by glyphs.py; scenes.h5, the detection scenes, by scenes.py with the
stamp and background helpers of animals.h5; chorales.h5, Bach's melodies, by
chorales.py; trigger.h5, the audio of the trigger-word notebook, by trigger.py
(espeak-ng and sox must be installed); emojify.h5, the sentences of the
Emojify notebook (written for the course), by emojify.py.

What the animals images are: photographic cut-outs (RGBA PNG stamps from the
Debian package tuxpaint-stamps-default) pasted onto random crops of real background
photographs (tuxpaint-data templates and mate-backgrounds nature wallpapers).
Label 1 = the cut-out is an animal, 0 = it is something else (fruit, flowers,
tools, vehicles, ...). It is not a cat dataset, but it keeps the HDF5 schema of
the classic cat files so those could drop in:

    train_set_x (209, 64, 64, 3) uint8    train_set_y (209,) int64
    test_set_x  (300, 64, 64, 3) uint8    test_set_y  (300,) int64
    list_classes (2,) bytes: [b"non-animal", b"animal"], index = label

What varies between train and test: the objects are the SAME in both splits,
20 animals and 20 non-animals drawn once (with the fixed seed) from the
photographic stamps; every image puts one of them on a new random crop of a
background photo, at a slightly different size (85-95 % of the frame) and
position (near the centre), mirrored or not. So the test measures recognising
known objects in new scenes, not recognising kinds of animal never seen. Both
classes are equally common (104 animals of 209 in train, 150 of 300 in test),
so always answering one class scores about 50 %.

Why that design: with new objects in the test split (the earlier version of
this file: 35 % animals, objects anywhere at 50-95 % of the frame, 50 test
images) none of the Course 1 models, logistic regression on raw pixels, a
two-layer or a four-layer dense network, scored clearly above always answering
"non-animal", even on 400 fresh test images. Models that weigh raw pixels at
fixed places need the object where they have seen it before. With the objects
shared, large and centred, all three score well above the baseline
(studies/c1w4a2_seeds.py measures by how much; Course 4 asks a convolutional
network to do better on the same images).

The classic set came as two files (train_catvnoncat.h5, test_catvnoncat.h5);
here train and test live in one file, animals.h5.

The packages are read where Debian installed them when they are installed at
the pinned versions (`apt-get install tuxpaint-stamps-default tuxpaint-data
mate-backgrounds`); otherwise they are fetched with `apt-get download` into
datasets/_cache/ (reused when already there) and unpacked with `dpkg -x` into a
temporary folder. Either way the files read are the same bytes. Every
random choice comes from one fixed seed and every file list is sorted, so the
output is byte-identical on each run for the same versions of NumPy, Pillow,
h5py/HDF5 and zlib (recorded in MANIFEST.json under "built_with").
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import char_corpora
import chorales
import common
import dates
import digits6
import dinosaurs
import emojify
import face_detector
import glyphs
import numpy as np
import photos6
import scenes
import style_images
import trigger
import words
from common import (
    BuildError,
    extract_debs,
    installed_version,
    manifest_entry,
    scaled_stamp,
    write_h5,
)
from PIL import Image, ImageFilter

DATASETS_DIR = Path(__file__).resolve().parent
CACHE_DIR = DATASETS_DIR / "_cache"
OUTPUT_NAME = "animals.h5"

SEED = 20261125
SIZE = 64  # images are SIZE x SIZE x 3
N_TRAIN, N_TRAIN_ANIMALS = 209, 104  # balanced classes: the baseline is about 50 %
N_TEST, N_TEST_ANIMALS = 300, 150
OBJECTS_PER_CLASS = 20  # the same 20 animals and 20 non-animals in both splits
CLASSES = [b"non-animal", b"animal"]
CROP_RANGE = (0.35, 0.8)  # background crop side, as a fraction of the photo's short side
SCALE_RANGE = (0.85, 0.95)  # object's longer side, as a fraction of SIZE
# How far from the centre the object may sit, as a fraction of the free margin
# on each side (0 = always centred, 1 = anywhere in the frame).
POSITION_JITTER = 0.15
BLUR_RANGE = (0.0, 0.0)  # Gaussian blur radius of the background, in output pixels

# (package, version, SHA-256 of the .deb as listed by `apt-cache show`)
PACKAGES = [
    ("tuxpaint-stamps-default", "2022.06.04-1",
     "6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34"),
    ("tuxpaint-data", "1:0.9.28-sdl2-1",
     "f5d0de8f9a70d2efc1241d19f26168cb8bf279f1b77abd3631e7a1a55c40e5e5"),
    ("mate-backgrounds", "1.26.0-1",
     "7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04"),
]

STAMPS = "usr/share/tuxpaint/stamps"
TEMPLATES = "usr/share/tuxpaint/templates"
MATE_NATURE = "usr/share/backgrounds/mate/nature"

# Backgrounds that show an animal (sheep, jellyfish, a ladybird) would leak the
# positive class into negatives; mossy_bark.jpg has black rows along its edges.
BACKGROUNDS_LEFT_OUT = {"sheep.jpg", "jellyfish.jpg", "mossy_bark.jpg", "LadyBird.jpg"}

# Everything under animals/ is a photo except these, found by looking at them.
ANIMALS_LEFT_OUT = {
    "animals/insects/bee.png",  # line drawing
    "animals/insects/fly.png",  # grey drawing
    "animals/mammals/echidna.png",  # black silhouette
    "animals/mammals/hedgehog.png",  # cartoon
    "animals/mammals/aquatic/whale.png",  # false-colour rendering
    "animals/mammals/bears/toys/edward_bear.png",  # a teddy bear is not an animal
    "animals/shellfish/abalone.png",  # empty shells: ambiguous label
    "animals/shellfish/murray-mussel.png",
}

# Folders whose stamps (outside cartoon/) are all photographs of non-animals.
NON_ANIMAL_FOLDERS = [
    "food/fruit", "food/nuts", "food/spices", "food/vegetables",
    "plants", "hobbies", "household/dishes/utensils", "household/tools",
]

# Photographs picked one by one from folders that also hold drawings.
NON_ANIMAL_FILES = [
    "clothes/clothespin_new.png", "clothes/clothespin_old.png",
    "household/Lightbulb.png", "household/cylinder.png", "household/garbagecan.png",
    "household/home_compost_bin.png", "household/kettle.png", "household/key.png",
    "household/toilet.png", "household/wheelie_bin.png",
    "household/arttools/pen_dryerase.png", "household/arttools/scissors_small_closed.png",
    "household/arttools/scissors_small_open.png",
    "household/dishes/pitcher_small.png", "household/dishes/teapot.png",
    "medical/bandage_adhesive.png", "medical/mercurythermometer.png",
    "medical/stethoscope.png", "medical/syringe.png",
    "sports/australian_rules_football.png", "sports/basketball.png",
    "sports/cricketball.png", "sports/football.png", "sports/soccer.png",
    "sports/tennis_ball.png", "sports/tennis_racket.png", "sports/trophy_cup.png",
    "town/uk_post_box.png", "town/usps_mailbox.png", "town/monuments/inukshuk-photo.png",
    "vehicles/auto/beetle.png", "vehicles/auto/sedan.png", "vehicles/auto/sportscar2.png",
    "vehicles/auto/truck.png", "vehicles/construction/dumper.png",
    "vehicles/cycle/pink_tricycle.png", "vehicles/emergency/firetruck.png",
    "vehicles/flight/planes/747.png", "vehicles/garbagetruck.png",
    "vehicles/masstransit/green_korean_bus.png", "vehicles/race/indycar.png",
    "vehicles/ship/walnutBoat.png", "vehicles/wheel_tractor.png",
    "seasonal/candle.png", "seasonal/christmas/Candy_cane_photo_1.png",
    "seasonal/christmas/Candy_cane_photo_2.png", "seasonal/christmas/Christmas_Tree_photo.png",
    "seasonal/christmas/Christmas_pudding.png", "seasonal/christmas/Mince_Pie.png",
]

# Stamp counts for the pinned package; a mismatch means the selection rules broke.
EXPECTED_STAMPS = {"animal": 120, "non-animal": 164}

SOURCE_TEXT = (
    "Photo cut-outs from Debian tuxpaint-stamps-default 2022.06.04-1 composited on crops "
    "of background photos from tuxpaint-data 1:0.9.28-sdl2-1 and mate-backgrounds 1.26.0-1; "
    "built by datasets/build.py"
)


def install_hint():
    """The command that installs every source package at its pinned version."""
    return "apt-get install " + " ".join(f"{name}={version}" for name, version, _ in PACKAGES)


def fetch_deb(package, version, sha256):
    """Return the cached .deb of package=version, downloading it first if needed."""
    return common.fetch_deb(package, version, sha256, CACHE_DIR, "source photos of animals.h5",
                            install_hint())


def photo_stamps(stamp_root):
    """Sorted relative paths of the usable stamps: PNG, not cartoon, not mirrored copies."""
    paths = []
    for path in stamp_root.rglob("*.png"):
        rel = path.relative_to(stamp_root).as_posix()
        if "/cartoon/" in f"/{rel}" or rel.endswith("_mirror.png"):
            continue
        paths.append(rel)
    return sorted(paths)


def select_stamps(stamp_root):
    """All usable stamps as (animals, non_animals), two sorted lists of relative paths."""
    stamps = photo_stamps(stamp_root)
    animals = [p for p in stamps if p.startswith("animals/") and p not in ANIMALS_LEFT_OUT]
    in_folder = [p for p in stamps if any(p.startswith(f + "/") for f in NON_ANIMAL_FOLDERS)]
    missing = [p for p in NON_ANIMAL_FILES if p not in stamps]
    if missing:
        raise BuildError(f"stamps not found in the package: {missing}")
    non_animals = sorted(set(in_folder) | set(NON_ANIMAL_FILES))
    counts = {"animal": len(animals), "non-animal": len(non_animals)}
    if counts != EXPECTED_STAMPS:
        raise BuildError(f"expected stamp counts {EXPECTED_STAMPS}, found {counts}")
    return animals, non_animals


def load_backgrounds(root):
    """Background photos as RGB PIL images, shrunk so the shorter side is 256-511 px.

    Shrinking once by an integer factor (a plain box average) keeps later crops
    cheap; the largest wallpapers are 2560 x 1920.
    """
    paths = sorted((root / TEMPLATES).glob("*.jpg")) + sorted((root / MATE_NATURE).glob("*.jpg"))
    images = []
    for path in paths:
        if path.name in BACKGROUNDS_LEFT_OUT:
            continue
        image = Image.open(path).convert("RGB")
        factor = max(1, min(image.size) // 256)
        images.append(image.reduce(factor))
    return images


def load_stamp(path):
    """A stamp as an RGBA PIL image cropped to the box of its opaque pixels."""
    image = Image.open(path).convert("RGBA")
    return image.crop(image.getchannel("A").getbbox())


def random_background(rng, backgrounds, size=SIZE):
    """A random square crop of a random background photo.

    Returns (size, size, 3) float64 in [0, 255].
    """
    image = backgrounds[rng.integers(len(backgrounds))]
    width, height = image.size
    # Crops of 35-80% of the short side: close enough to show texture, wide
    # enough to look like a scene.
    side = int(min(width, height) * rng.uniform(*CROP_RANGE))
    left = int(rng.integers(width - side + 1))
    top = int(rng.integers(height - side + 1))
    crop = image.resize((size, size), Image.Resampling.LANCZOS,
                        box=(left, top, left + side, top + side))
    if BLUR_RANGE[1] > 0:  # no draw when blur is off: the sequence of images stays put
        crop = crop.filter(ImageFilter.GaussianBlur(rng.uniform(*BLUR_RANGE)))
    return np.asarray(crop, dtype=np.float64)


def random_placement(rng, stamp):
    """Scale, maybe mirror, and position a stamp near the centre of the SIZE x SIZE frame.

    stamp: RGBA PIL image.
    Returns rgb (h, w, 3) float64, alpha (h, w, 1) float64 in [0, 1], and the
    top-left corner (top, left) where it goes.
    """
    # The object's longer side covers 75-95% of the frame and sits near the
    # centre: raw-pixel models compare pixels at fixed places, so an object
    # that may be anywhere is not learnable from 209 images.
    pixels = scaled_stamp(rng, stamp, rng.uniform(*SCALE_RANGE) * SIZE)  # (h, w, 4)
    h, w = pixels.shape[:2]
    top = _jittered_offset(rng, SIZE - h)
    left = _jittered_offset(rng, SIZE - w)
    return pixels[:, :, :3], pixels[:, :, 3:] / 255.0, top, left


def _jittered_offset(rng, free):
    """Offset in [0, free]: the centred one moved by up to POSITION_JITTER of each margin."""
    half = free / 2
    return int(round(half + POSITION_JITTER * rng.uniform(-half, half)))


def compose(rng, stamp, backgrounds):
    """One example: a stamp pasted on a background crop. Returns (SIZE, SIZE, 3) uint8."""
    image = random_background(rng, backgrounds)
    rgb, alpha, top, left = random_placement(rng, stamp)
    h, w = alpha.shape[:2]
    region = image[top:top + h, left:left + w]
    image[top:top + h, left:left + w] = alpha * rgb + (1.0 - alpha) * region
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def choose_objects(rng, stamps, count):
    """count stamps drawn at random without replacement, in sorted order."""
    if count > len(stamps):
        raise BuildError(f"asked for {count} objects, only {len(stamps)} stamps")
    return sorted(stamps[i] for i in rng.choice(len(stamps), size=count, replace=False))


def make_split(rng, stamp_root, pools, counts, backgrounds):
    """Images for one split, in shuffled order.

    pools: (non_animal_stamps, animal_stamps), indexed by label
    counts: (n_non_animal, n_animal) images to make
    Returns X (m, SIZE, SIZE, 3) uint8 and y (m,) int64, m = sum(counts).
    """
    images, labels = [], []
    for label, (pool, count) in enumerate(zip(pools, counts, strict=True)):
        for i in range(count):
            # Cycle through the pool: every stamp is used once before any is reused.
            stamp = load_stamp(stamp_root / pool[i % len(pool)])
            images.append(compose(rng, stamp, backgrounds))
            labels.append(label)
    order = rng.permutation(len(labels))
    X = np.stack(images)[order]  # (m, SIZE, SIZE, 3)
    y = np.array(labels, dtype=np.int64)[order]
    return X, y


def build_arrays(root):
    """All datasets of animals.h5 as a dict name -> array, from packages unpacked at root."""
    stamp_root = root / STAMPS
    animals, non_animals = select_stamps(stamp_root)
    backgrounds = load_backgrounds(root)
    choice_rng, train_rng, test_rng = (np.random.default_rng(s)
                                       for s in np.random.SeedSequence(SEED).spawn(3))
    # The same objects in both splits; each image is a new scene (background
    # crop, size, position, mirroring) drawn from its split's own generator.
    pools = (choose_objects(choice_rng, non_animals, OBJECTS_PER_CLASS),
             choose_objects(choice_rng, animals, OBJECTS_PER_CLASS))
    X_train, y_train = make_split(train_rng, stamp_root, pools,
                                  (N_TRAIN - N_TRAIN_ANIMALS, N_TRAIN_ANIMALS), backgrounds)
    X_test, y_test = make_split(test_rng, stamp_root, pools,
                                (N_TEST - N_TEST_ANIMALS, N_TEST_ANIMALS), backgrounds)
    return {
        "train_set_x": X_train, "train_set_y": y_train,
        "test_set_x": X_test, "test_set_y": y_test,
        "list_classes": np.array(CLASSES, dtype="S10"),
    }


def with_packages(make_arrays):
    """make_arrays(root) on the Debian packages unpacked at root: installed, or fetched.

    Returns what make_arrays returns.
    """
    if all(installed_version(name) == version for name, version, _ in PACKAGES):
        return make_arrays(Path("/"))
    debs = [fetch_deb(*package) for package in PACKAGES]
    with tempfile.TemporaryDirectory(prefix="dlcourse-debs-") as tmp:
        extract_debs(debs, Path(tmp))
        return make_arrays(Path(tmp))


def build(out_dir):
    """Read (or fetch and unpack) the packages, compose, write out_dir/animals.h5.

    Returns its path.
    """
    arrays = with_packages(build_arrays)
    path = Path(out_dir) / OUTPUT_NAME
    write_h5(path, arrays, "animal (1) vs non-animal (0), 64x64 RGB; see datasets/NOTICE")
    return path


def photos6_arrays(root):
    """The arrays of photos6.h5 from packages unpacked at root, with animals.h5's helpers."""
    stamp_root = root / STAMPS
    stamps = [p for p in photo_stamps(stamp_root) if p not in ANIMALS_LEFT_OUT]
    backgrounds = load_backgrounds(root)
    return photos6.build_arrays(stamps, lambda path: load_stamp(stamp_root / path),
                                lambda rng: random_background(rng, backgrounds))


def build_photos6(out_dir):
    """Write out_dir/photos6.h5 (see photos6.py). Returns its path."""
    path = Path(out_dir) / photos6.OUTPUT_NAME
    write_h5(path, with_packages(photos6_arrays),
             "6 classes of photo cut-outs on real backgrounds, 64x64 RGB, train and test split "
             "by object; see datasets/NOTICE")
    return path


def scenes_arrays(root):
    """The arrays of scenes.h5 from packages unpacked at root, with animals.h5's helpers."""
    stamp_root = root / STAMPS
    backgrounds = load_backgrounds(root)
    return scenes.build_arrays(photo_stamps(stamp_root),
                               lambda path: load_stamp(stamp_root / path),
                               lambda rng: random_background(rng, backgrounds, scenes.SIZE))


def build_scenes(out_dir):
    """Write out_dir/scenes.h5 (see scenes.py). Returns its path."""
    return scenes.write(Path(out_dir) / scenes.OUTPUT_NAME, with_packages(scenes_arrays))


# Every file this script makes: name -> (function writing it into a folder, source text).
OUTPUTS = {
    OUTPUT_NAME: (build, SOURCE_TEXT),
    digits6.OUTPUT_NAME: (digits6.build_into, digits6.SOURCE_TEXT),
    glyphs.OUTPUT_NAME: (glyphs.build_into, glyphs.SOURCE_TEXT),
    photos6.OUTPUT_NAME: (build_photos6, photos6.SOURCE_TEXT),
    words.OUTPUT_NAME: (words.build_into, words.SOURCE_TEXT),
    style_images.OUTPUT_NAME: (
        lambda out_dir: style_images.build_into(out_dir, fetch_deb, extract_debs),
        style_images.SOURCE_TEXT),
    dinosaurs.OUTPUT_NAME: (dinosaurs.build_into, dinosaurs.SOURCE_TEXT),
    char_corpora.NAMES_OUTPUT: (char_corpora.build_names_into, char_corpora.NAMES_SOURCE),
    face_detector.OUTPUT_NAME: (face_detector.build_into, face_detector.SOURCE_TEXT),
    char_corpora.SONNETS_OUTPUT: (char_corpora.build_sonnets_into, char_corpora.SONNETS_SOURCE),
    scenes.OUTPUT_NAME: (build_scenes, scenes.SOURCE_TEXT),
    chorales.OUTPUT_NAME: (chorales.build_into, chorales.SOURCE_TEXT),
    trigger.OUTPUT_NAME: (trigger.build_into, trigger.SOURCE_TEXT),
    emojify.OUTPUT_NAME: (emojify.build_into, emojify.SOURCE_TEXT),
    dates.OUTPUT_NAME: (dates.build_into, dates.SOURCE_TEXT),
}


def check(outputs):
    """Rebuild the given files in a temporary folder and compare with MANIFEST.json.

    outputs: dict name -> (make, source), a part of OUTPUTS. Returns an exit code.
    """
    manifest_path = DATASETS_DIR / "MANIFEST.json"
    if not manifest_path.exists():
        raise BuildError(f"{manifest_path} is missing: run `python datasets/build.py` first")
    manifest = json.loads(manifest_path.read_text())
    status = 0
    with tempfile.TemporaryDirectory(prefix="dlcourse-check-") as tmp:
        for name, (make, source) in outputs.items():
            got = manifest_entry(make(tmp), source)
            expected = manifest.get(name, {})
            if got["sha256"] != expected.get("sha256"):
                print(f"MISMATCH: rebuilt {name} has SHA-256 {got['sha256']}, {manifest_path} "
                      f"says {expected.get('sha256')}\nbuilt with {got['built_with']}, "
                      f"manifest built with {expected.get('built_with')}")
                status = 1
            else:
                print(f"OK: rebuilt {name} matches {manifest_path} (SHA-256 {got['sha256']})")
    return status


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild in a temp dir and verify the SHA-256 in MANIFEST.json")
    parser.add_argument("--only", nargs="+", choices=sorted(OUTPUTS), metavar="FILE",
                        help=f"build (or check) only these files: {', '.join(OUTPUTS)}")
    args = parser.parse_args(argv)
    outputs = {name: OUTPUTS[name] for name in args.only} if args.only else OUTPUTS
    start = time.perf_counter()
    try:
        if args.check:
            status = check(outputs)
        else:
            # Keep the entries of files this script does not make (the results
            # file of studies/c1w4a2_seeds.py).
            manifest_path = DATASETS_DIR / "MANIFEST.json"
            manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
            for name, (make, source) in outputs.items():
                path = make(DATASETS_DIR)
                manifest[name] = manifest_entry(path, source)
                print(f"wrote {path} ({manifest[name]['bytes']} bytes, "
                      f"SHA-256 {manifest[name]['sha256']})")
            manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
            status = 0
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        status = 1
    print(f"took {time.perf_counter() - start:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
