"""Build datasets/photos6.h5, the 6-class colour photo set of Course 4.

Built by datasets/build.py, which also verifies it with --check.

What the images are: like animals.h5, photographic cut-outs (RGBA PNG stamps
from the Debian package tuxpaint-stamps-default) pasted with their alpha onto
random crops of real background photographs (tuxpaint-data templates and
mate-backgrounds nature wallpapers), 64x64 RGB. Six classes, each a set of
stamp folders:

    0 bird           animals/birds
    1 hoofed mammal  animals/mammals/{bovines,equines,deer,camel}, giraffe,
                     hippopotamus, pigs, rhino, wild boar
    2 other mammal   animals/mammals/{apes,aquatic,bears,cats,dogs,rodents},
                     animals/marsupials, badger, elephant, ferret, rabbit
    3 fruit          food/fruit
    4 vegetable      food/vegetables, plants/mushrooms
    5 flower         plants/flowers

Schema of the classic SIGNS file (six classes, one file here):

    train_set_x (480, 64, 64, 3) uint8    train_set_y (480,) int64
    test_set_x  (240, 64, 64, 3) uint8    test_set_y  (240,) int64
    list_classes (6,) bytes, index = label

Train and test are split BY OBJECT: a fixed random quarter of each class's
stamps (rounded) appears only in the test split, the rest only in training. So
the test measures recognising kinds of things in photos of objects never seen
in training (a new bird, a new fruit), not recognising known objects again as
in animals.h5. Every image is one object on a new background crop, scaled so
its longer side covers 75-95 % of the frame, near the centre, mirrored or not.
Each split is balanced (80 training and 40 test images per class): always
answering one class scores 1/6. More scenes of the same objects would not
help much (measured: a LeNet-style net scores the same on the test split
trained on 300, 600 or 1020 scenes) and would cost about 11 kB each.

How hard it is: the training objects are few (16 to 26 per class), so a small
CNN trained from scratch learns them almost perfectly but recognises new
objects far less often; hoofed and other mammals, and fruit and vegetables,
are the pairs it confuses most. Measured on this file: a LeNet-style network
(32x32 input, conv 5x5x8, pool, conv 5x5x16, pool, dense 64, dense 6; Adam,
learning rate 0.002, 15 epochs) reaches 99 % training accuracy but 34-40 % on
the test split (chance: 17 %). With the objects shared between the splits
instead, the same kind of network scored about 67 % in a trial build: the
limit is how few objects each class has, not the backgrounds (about 50 % on
plain grey backgrounds).

Every random choice comes from one fixed seed and every file list is sorted, so
the output is byte-identical on each run for the same versions of NumPy,
Pillow, h5py/HDF5 and zlib. The Debian packages are those of animals.h5, read
or fetched the same way (see build.py).
"""

import numpy as np
from common import BuildError, scaled_stamp

OUTPUT_NAME = "photos6.h5"
SEED = 20261202
SIZE = 64
CLASSES = [b"bird", b"hoofed mammal", b"other mammal", b"fruit", b"vegetable", b"flower"]
N_TRAIN_PER_CLASS, N_TEST_PER_CLASS = 80, 40  # 480 / 240 images, about 8 MB
TEST_OBJECT_FRACTION = 0.25  # of each class's stamps, seen only in the test split
SCALE_RANGE = (0.75, 0.95)  # object's longer side, as a fraction of SIZE
POSITION_JITTER = 0.3  # fraction of each free margin the object may move off centre

# Stamp folders of each class (every photo stamp below them), then single files.
CLASS_FOLDERS = {
    b"bird": ["animals/birds"],
    b"hoofed mammal": ["animals/mammals/bovines", "animals/mammals/equines",
                       "animals/mammals/deer", "animals/mammals/camel"],
    b"other mammal": ["animals/mammals/apes", "animals/mammals/aquatic", "animals/mammals/bears",
                      "animals/mammals/cats", "animals/mammals/dogs", "animals/mammals/rodents",
                      "animals/marsupials"],
    b"fruit": ["food/fruit"],
    b"vegetable": ["food/vegetables", "plants/mushrooms"],
    b"flower": ["plants/flowers"],
}
# Photos lying loose in animals/mammals/ (echidna and hedgehog are drawings).
CLASS_FILES = {
    b"hoofed mammal": ["animals/mammals/giraffe.png", "animals/mammals/hippopotamus.png",
                       "animals/mammals/pig.png", "animals/mammals/pig_golden.png",
                       "animals/mammals/pig_golden2.png", "animals/mammals/rhino_black.png",
                       "animals/mammals/wildboar.png"],
    b"other mammal": ["animals/mammals/badger.png", "animals/mammals/elephant.png",
                      "animals/mammals/ferret.png", "animals/mammals/rabbit_little.png"],
}
# Stamp counts for the pinned package; a mismatch means the selection rules broke.
EXPECTED_STAMPS = {b"bird": 35, b"hoofed mammal": 33, b"other mammal": 31, b"fruit": 26,
                   b"vegetable": 21, b"flower": 25}

SOURCE_TEXT = (
    "Photo cut-outs (6 classes: bird, hoofed mammal, other mammal, fruit, vegetable, flower) "
    "from Debian tuxpaint-stamps-default 2022.06.04-1 composited on crops of background "
    "photos from tuxpaint-data 1:0.9.28-sdl2-1 and mate-backgrounds 1.26.0-1, train and test "
    "split by object; built by datasets/photos6.py"
)


def class_stamps(stamps):
    """Each class's stamps: dict class -> sorted relative paths.

    stamps: every usable photo stamp, as relative paths (build.py selects them).
    """
    chosen = {}
    for name in CLASSES:
        in_folders = [p for p in stamps
                      if any(p.startswith(f + "/") for f in CLASS_FOLDERS[name])]
        files = CLASS_FILES.get(name, [])
        missing = [p for p in files if p not in stamps]
        if missing:
            raise BuildError(f"stamps not found in the package: {missing}")
        chosen[name] = sorted(set(in_folders) | set(files))
    counts = {name: len(paths) for name, paths in chosen.items()}
    if counts != EXPECTED_STAMPS:
        raise BuildError(f"expected stamp counts {EXPECTED_STAMPS}, found {counts}")
    return chosen


def split_objects(rng, pool):
    """Cut one class's stamps into (train, test) object lists, disjoint and sorted."""
    n_test = round(TEST_OBJECT_FRACTION * len(pool))
    order = rng.permutation(len(pool))
    return sorted(pool[i] for i in order[n_test:]), sorted(pool[i] for i in order[:n_test])


def place(rng, stamp):
    """Scale, maybe mirror and position a stamp in the SIZE x SIZE frame.

    stamp: RGBA PIL image cropped to its opaque pixels.
    Returns rgb (h, w, 3) float64, alpha (h, w, 1) in [0, 1] and the corner (top, left).
    """
    pixels = scaled_stamp(rng, stamp, rng.uniform(*SCALE_RANGE) * SIZE)  # (h, w, 4)
    h, w = pixels.shape[:2]
    # Centred, then moved by up to POSITION_JITTER of the free margin either way.
    top = int(round((SIZE - h) / 2 * (1 + POSITION_JITTER * rng.uniform(-1, 1))))
    left = int(round((SIZE - w) / 2 * (1 + POSITION_JITTER * rng.uniform(-1, 1))))
    return pixels[:, :, :3], pixels[:, :, 3:] / 255.0, top, left


def make_split(rng, stamp_pools, per_class, new_background):
    """One split, shuffled.

    stamp_pools: one list of RGBA PIL stamps per class, in label order
    new_background(rng): a random (SIZE, SIZE, 3) float64 background crop
    Returns X (m, SIZE, SIZE, 3) uint8 and y (m,) int64, m = per_class * number of classes.
    """
    images, labels = [], []
    for label, stamps in enumerate(stamp_pools):
        for i in range(per_class):
            # Cycle through the pool: every object is used once before any is reused.
            image = new_background(rng)  # (SIZE, SIZE, 3)
            rgb, alpha, top, left = place(rng, stamps[i % len(stamps)])
            h, w = alpha.shape[:2]
            region = image[top:top + h, left:left + w]
            image[top:top + h, left:left + w] = alpha * rgb + (1.0 - alpha) * region
            images.append(np.clip(np.rint(image), 0, 255).astype(np.uint8))
            labels.append(label)
    order = rng.permutation(len(labels))
    return np.stack(images)[order], np.array(labels, dtype=np.int64)[order]


def build_arrays(stamps, load_stamp, new_background):
    """All datasets of photos6.h5 as a dict name -> array.

    stamps: relative paths of every usable photo stamp; load_stamp(path): the
    RGBA PIL stamp cropped to its opaque pixels; new_background(rng): a random
    (SIZE, SIZE, 3) float64 background crop. build.py passes the helpers that
    animals.h5 is made with.
    """
    by_class = class_stamps(stamps)
    split_rng, train_rng, test_rng = (np.random.default_rng(s)
                                      for s in np.random.SeedSequence(SEED).spawn(3))
    train_paths, test_paths = zip(*(split_objects(split_rng, by_class[name])
                                    for name in CLASSES), strict=True)
    arrays = {}
    for split, paths, per_class, rng in (("train", train_paths, N_TRAIN_PER_CLASS, train_rng),
                                         ("test", test_paths, N_TEST_PER_CLASS, test_rng)):
        pools = [[load_stamp(path) for path in pool] for pool in paths]
        arrays[f"{split}_set_x"], arrays[f"{split}_set_y"] = make_split(
            rng, pools, per_class, new_background)
    arrays["list_classes"] = np.array(CLASSES, dtype="S13")
    return {name: arrays[name] for name in ("train_set_x", "train_set_y", "test_set_x",
                                            "test_set_y", "list_classes")}
