"""Build datasets/scenes.h5, the detection scenes of Course 4 (c4w3a1, YOLO).

Built by datasets/build.py, which also verifies it with --check.

What the scenes are: 48x48 crops of real background photographs (the same
tuxpaint-data templates and mate-backgrounds nature photos as animals.h5) with
one or two photographic cut-outs (RGBA stamps from tuxpaint-stamps-default)
pasted on them with their alpha, each with its exact bounding box: the box of
its opaque pixels (alpha >= 128) as placed. Two classes:

    0 bird   6 stamps drawn once from animals/birds (35 photographs)
    1 fruit  6 stamps drawn once from food/fruit (26 photographs)

Simplifications that make the task learnable by a tiny NumPy network in
seconds (a first version with three classes (bird, mammal, fruit), ten stamps
each and up to three smaller objects per scene reached a test mAP of only
about 0.3 after longer training): two visually distinct classes, the same six
stamps per class in both splits, one or two objects per scene, each object's
longer side 24 to 40 pixels (half to most of the scene). Objects may overlap
(a later one is pasted over an earlier one), but a scene is redrawn until each
object keeps at least 80 % of its own pixels visible and no two objects have
their centres in the same cell of a 3x3 grid, so that a 3x3 detector with one
box per cell could in principle find every object. Each scene is new
(background crop, objects, sizes, positions, mirroring), so the test split
measures detecting known objects in new scenes.

Schema (K = 2 slots per scene; unused slots have class -1 and box 0):

    train_x (800, 48, 48, 3) uint8    train_boxes (800, K, 4) float32   train_classes (800, K) int64
    test_x  (200, 48, 48, 3) uint8    test_boxes  (200, K, 4) float32   test_classes  (200, K) int64
    list_classes (2,) bytes [b"bird", b"fruit"], index = class

Boxes are corners (x1, y1, x2, y2) in pixels of the 48x48 scene, x to the
right and y down, x2 and y2 one past the last pixel (a box covering the whole
scene is (0, 0, 48, 48)).

Every random choice comes from one fixed seed and every file list is sorted,
so the output is byte-identical on each run for the same versions of NumPy,
Pillow, h5py/HDF5 and zlib.
"""

import numpy as np
from common import BuildError, scaled_stamp, write_h5

OUTPUT_NAME = "scenes.h5"
SEED = 20261202
SIZE = 48
GRID = 3  # the grid whose cells may hold at most one object centre
K = 2  # at most K objects per scene
N_TRAIN, N_TEST = 800, 200
LONGER_SIDE = (24, 40)  # pixels
MIN_VISIBLE = 0.8  # share of its own pixels every object keeps after occlusion
OBJECTS_PER_CLASS = 6  # stamps drawn once per class, shared by both splits
CLASSES = [b"bird", b"fruit"]
CLASS_FOLDERS = [("animals/birds",), ("food/fruit",)]
EXPECTED_STAMPS = [35, 26]

SOURCE_TEXT = (
    "Detection scenes: photo cut-outs (bird, fruit) from Debian tuxpaint-stamps-default "
    "2022.06.04-1 pasted with exact boxes on crops of background photos from tuxpaint-data "
    "1:0.9.28-sdl2-1 and mate-backgrounds 1.26.0-1; built by datasets/scenes.py"
)


def class_stamps(stamp_paths):
    """The stamps of each class: a list of C sorted lists of relative paths.

    stamp_paths: sorted relative paths of the usable photo stamps (build.photo_stamps)
    """
    pools = []
    for folders in CLASS_FOLDERS:
        pools.append([p for p in stamp_paths if any(p.startswith(f + "/") for f in folders)])
    counts = [len(pool) for pool in pools]
    if counts != EXPECTED_STAMPS:
        raise BuildError(f"expected {EXPECTED_STAMPS} stamps per class, found {counts}")
    return pools


def place(rng, stamp):
    """Scale, maybe mirror and position one stamp anywhere inside the frame.

    stamp: RGBA PIL image cropped to its opaque pixels.
    Returns rgb (h, w, 3) float64, alpha (h, w, 1) in [0, 1], top, left and the
    exact box (x1, y1, x2, y2) of the pixels with alpha >= 128 in the scene.
    """
    pixels = scaled_stamp(rng, stamp, rng.uniform(*LONGER_SIDE))  # (h, w, 4)
    h, w = pixels.shape[:2]
    top = int(rng.integers(SIZE - h + 1))
    left = int(rng.integers(SIZE - w + 1))
    rows = np.flatnonzero((pixels[:, :, 3] >= 128).any(axis=1))
    cols = np.flatnonzero((pixels[:, :, 3] >= 128).any(axis=0))
    box = (left + cols[0], top + rows[0], left + cols[-1] + 1, top + rows[-1] + 1)
    return pixels[:, :, :3], pixels[:, :, 3:] / 255.0, top, left, box


def _cell(box):
    """(row, column) of the GRID x GRID cell holding the box's centre."""
    x = (box[0] + box[2]) / 2
    y = (box[1] + box[3]) / 2
    return int(y * GRID // SIZE), int(x * GRID // SIZE)


def draw_layout(rng, stamps):
    """Placements of the given stamps that satisfy the visibility and grid rules.

    stamps: list of RGBA PIL images, pasted in this order.
    Returns the list of placements of `place`, redrawing the whole layout until
    every object keeps MIN_VISIBLE of its pixels and the centres fall in
    different cells.
    """
    for _ in range(1000):
        placements = [place(rng, stamp) for stamp in stamps]
        cells = [_cell(p[4]) for p in placements]
        if len(set(cells)) < len(cells):
            continue
        # Opaque pixels of each object in scene coordinates, then what is left of
        # each once the later objects are pasted on top.
        masks = []
        for _rgb, alpha, top, left, _box in placements:
            mask = np.zeros((SIZE, SIZE), dtype=bool)
            h, w = alpha.shape[:2]
            mask[top:top + h, left:left + w] = alpha[:, :, 0] >= 0.5
            masks.append(mask)
        covered = np.zeros((SIZE, SIZE), dtype=bool)
        visible = []
        for mask in reversed(masks):
            visible.append((mask & ~covered).sum() / max(mask.sum(), 1))
            covered |= mask
        if min(visible) >= MIN_VISIBLE:
            return placements
    raise BuildError("could not lay out a scene in 1000 draws")


def compose(rng, background, stamps):
    """One scene. background: (SIZE, SIZE, 3) float64; stamps: RGBA PIL images.

    Returns the image (SIZE, SIZE, 3) uint8 and the boxes (n, 4) float32.
    """
    image = background.copy()
    boxes = []
    for rgb, alpha, top, left, box in draw_layout(rng, stamps):
        h, w = alpha.shape[:2]
        region = image[top:top + h, left:left + w]
        image[top:top + h, left:left + w] = alpha * rgb + (1.0 - alpha) * region
        boxes.append(box)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8), np.array(boxes, dtype=np.float32)


def make_split(rng, m, pools, load_stamp, random_background):
    """m scenes with their boxes and classes.

    pools: C lists of stamp paths; load_stamp(path) -> RGBA PIL image;
    random_background(rng) -> (SIZE, SIZE, 3) float64
    Returns X (m, SIZE, SIZE, 3) uint8, boxes (m, K, 4) float32, classes (m, K) int64.
    """
    X = np.zeros((m, SIZE, SIZE, 3), dtype=np.uint8)
    boxes = np.zeros((m, K, 4), dtype=np.float32)
    classes = np.full((m, K), -1, dtype=np.int64)
    cache = {}
    for i in range(m):
        n = int(rng.integers(1, K + 1))
        labels = rng.integers(len(pools), size=n)
        paths = [pools[c][rng.integers(len(pools[c]))] for c in labels]
        stamps = [cache.setdefault(p, load_stamp(p)) for p in paths]
        X[i], boxes[i, :n] = compose(rng, random_background(rng), stamps)
        classes[i, :n] = labels
    return X, boxes, classes


def build_arrays(stamp_paths, load_stamp, random_background):
    """All datasets of scenes.h5 as a dict name -> array.

    stamp_paths: sorted usable photo stamps (relative paths); load_stamp(path) ->
    RGBA PIL image cropped to its opaque pixels; random_background(rng) -> a
    (SIZE, SIZE, 3) float64 crop of a background photo.
    """
    choice_rng, train_rng, test_rng = (np.random.default_rng(s)
                                       for s in np.random.SeedSequence(SEED).spawn(3))
    pools = [sorted(pool[i] for i in choice_rng.choice(len(pool), OBJECTS_PER_CLASS,
                                                       replace=False))
             for pool in class_stamps(stamp_paths)]
    arrays = {}
    for split, rng, m in (("train", train_rng, N_TRAIN), ("test", test_rng, N_TEST)):
        X, boxes, classes = make_split(rng, m, pools, load_stamp, random_background)
        arrays.update({f"{split}_x": X, f"{split}_boxes": boxes, f"{split}_classes": classes})
    arrays["list_classes"] = np.array(CLASSES, dtype="S6")
    return arrays


def write(path, arrays):
    """Write the arrays of build_arrays to path (HDF5)."""
    write_h5(path, arrays, "detection scenes, 64x64 RGB, boxes (x1, y1, x2, y2) in pixels, "
                           "classes bird/mammal/fruit; see datasets/NOTICE")
    return path
