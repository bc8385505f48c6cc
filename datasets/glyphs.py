"""Build datasets/glyphs.h5, the identity set of Course 4's face-verification notebook (c4w4a1).

Built by datasets/build.py, which also verifies it with --check.

Why glyphs: face verification needs many identities with several pictures of
each, and no package in Debian or PyPI ships a face-identity photo set (checked:
scikit-learn, scikit-image, dlib, OpenCV, bob.db). So this is a stand-in with
the same structure: an identity is one of the 62 characters [0-9A-Za-z], and
its "photos" are that character drawn in 181 typefaces from 14 Debian font
packages (serif, sans, monospace, condensed, italic, bold, light ...), each
rendered with a mild random scale (0.9-1.1) and shift (up to 1.5 px each way),
grey on black, 28 x 28. One picture per (character, typeface): 62 x 181 images.

How a glyph is placed, so that case stays visible as it does in print: every
typeface is scaled so that the height of its capital H is CAP_HEIGHT pixels and
drawn on the same baseline (BASELINE pixels from the top), centred
horizontally; so "o" is smaller than "O" and "p" hangs below the line. Glyphs
are drawn at 4x the size and averaged down (4 x 4 boxes), which keeps
sub-pixel shifts.

The identities are split for the lesson of one-shot learning: the test
characters (TEST_CHARACTERS, drawn once with the fixed seed) appear only in
the test split, so the notebook verifies identities its encoder never saw.

    train_x (m_train, 28, 28, 1) uint8  train_y (m_train,) int64  train_typeface (m_train,) int64
    test_x  (m_test, 28, 28, 1) uint8   test_y  (m_test,) int64   test_typeface (m_test,) int64
    characters (62,) bytes, index = label; typefaces (181,) bytes font file names
    (without extension), index = typeface number

The .deb files are fetched with `apt-get download` into datasets/_cache/
(reused when there), checked against their pinned SHA-256 and unpacked with
`dpkg -x` into a temporary folder: nothing is installed, and the same bytes are
read on every machine. Every file list is sorted and every random draw comes
from one seed, so the output is byte-identical for the same versions of NumPy,
Pillow (with its FreeType), h5py/HDF5 and zlib.
"""

import string
import tempfile
from pathlib import Path

import numpy as np
from common import BuildError, extract_debs, fetch_deb, write_h5
from PIL import Image, ImageDraw, ImageFont

DATASETS_DIR = Path(__file__).resolve().parent
CACHE_DIR = DATASETS_DIR / "_cache"
OUTPUT_NAME = "glyphs.h5"

SEED = 20261202
CHARACTERS = string.digits + string.ascii_uppercase + string.ascii_lowercase
N_TEST_CHARACTERS = 20  # identities kept out of training
SIZE = 28  # images are SIZE x SIZE, one grey channel
OVERSAMPLE = 4  # drawn at 4x, then each 4 x 4 box averaged
CAP_HEIGHT = 13.0  # height of "H" in output pixels, before the random scale
BASELINE = 20.0  # baseline's distance from the top, output pixels
SCALE_RANGE = (0.9, 1.1)
SHIFT = 1.5  # largest shift in x and in y, output pixels

# (package, version, SHA-256 of the .deb as listed by `apt-cache show`, licence of the fonts)
PACKAGES = [
    ("fonts-cantarell", "0.303.1-1",
     "8fdf5687d9e2ce70456664519025a6b48fbaaadbc5b1cfbf8b09f72c2dc5f09b", "OFL-1.1"),
    ("fonts-croscore", "20201225-1",
     "64904820b729ff40038f85683004e3b94b328d969bc0fbba263c58d635452923", "OFL-1.1"),
    ("fonts-crosextra-caladea", "20200211-1",
     "dd51af7629df5a2f3799f889cdf63d5abdda32e94e5de59398f728d98604a240", "OFL-1.1"),
    ("fonts-crosextra-carlito", "20220224-1",
     "673689e3a887cd150ca5018c26e1a4162709add3a1bdc0a2527af6fd073980d7", "OFL-1.1"),
    ("fonts-dejavu-core", "2.37-6",
     "8892669e51aab4dc56682c8e39d8ddb7d70fad83c369344e1e240bf3ca22bb76", "bitstream-vera"),
    ("fonts-dejavu-extra", "2.37-6",
     "6cb7ed32de6df209c065e9e5cc5154a2f36d4c334d9a0af534fabb67d38ab75b", "bitstream-vera"),
    ("fonts-ebgaramond", "0.016+git20210310.42d4f9f2-1",
     "2780e32df19b909823425b3e21c2f2f2a1717bbdd96f33fc59a252a308903fa2", "OFL-1.1"),
    ("fonts-freefont-ttf", "20120503-10",
     "4ca1c21ebc479198a3a5879d236c8317d6f7b2f1c403f7890e24c02eead05615",
     "GPL-3+ with font exception"),
    ("fonts-lato", "2.0-2.1",
     "86f50af146a7df9eca4e69f0262e73e708908435ebfa833df797adfa08843bc5", "OFL-1.1"),
    ("fonts-liberation2", "2.1.5-1",
     "35ffaa54f117e633e89a5da89af235a073b34dbe582726fbf6989568f7fd9bda", "OFL-1.1"),
    ("fonts-linuxlibertine", "5.3.0-6",
     "5c77471e910189b3e4e2eda2b1c5f549ddcaf4de8f9640b97773643970d29087",
     "GPL-2+ with font exception, or OFL-1.1"),
    ("fonts-open-sans", "1.11-2",
     "ed8c4258af6c23e5105fa18940544f060f3c9664fbe881f25130fe0c65bc1485", "Apache-2.0"),
    ("fonts-texgyre", "20180621-6",
     "e7230e2dee0030c440ee841de04ef9254aa1fec73ccba93a3e1f637fa868a99a", "GUST Font License"),
    ("fonts-urw-base35", "20200910-7",
     "93e4997c99c4c31ea88c5d37e2259af0a0c826b9358931d5a69f794f7f0c73ac",
     "AGPL-3 with font exception"),
]

# Fonts whose letters are not letters (symbols, dingbats, keyboard keys, decorative
# initials without lower case), a math
# font that repeats DejaVu's letters, and hairlines too thin to survive 28 x 28.
LEFT_OUT = {"D050000L", "StandardSymbolsPS", "LinBiolinum_K", "LinLibertine_I", "DejaVuMathTeXGyre",
            "Lato-Hairline", "Lato-HairlineItalic"}
EXPECTED_TYPEFACES = 181  # for the pinned packages; a mismatch means the selection broke

SOURCE_TEXT = (
    "The 62 characters 0-9A-Za-z rendered 28x28 grey in 181 typefaces from 14 Debian font "
    "packages (fonts-dejavu, fonts-liberation2, fonts-urw-base35, fonts-texgyre, ...; see "
    "datasets/NOTICE), one identity per character; built by datasets/glyphs.py"
)


def install_hint():
    """The command that installs every font package at its pinned version."""
    return "apt-get install " + " ".join(f"{name}={version}" for name, version, *_ in PACKAGES)


def font_files(root):
    """Sorted paths of the usable .ttf/.otf files under the unpacked packages at root."""
    paths = [p for p in root.rglob("*") if p.suffix in (".ttf", ".otf") and p.is_file()
             and p.stem not in LEFT_OUT]
    paths = sorted(paths, key=lambda p: p.name)
    if len(paths) != EXPECTED_TYPEFACES:
        raise BuildError(f"expected {EXPECTED_TYPEFACES} font files, found {len(paths)}")
    return paths


def base_size(path):
    """Font size (in oversampled pixels) at which the typeface's "H" is CAP_HEIGHT tall."""
    probe = ImageFont.truetype(str(path), 200)
    left, top, right, bottom = probe.getbbox("H", anchor="ls")
    return 200 * CAP_HEIGHT * OVERSAMPLE / (bottom - top)


def check_coverage(path, font):
    """Raise BuildError if a character is drawn as the font's "missing glyph" box."""
    missing = np.asarray(font.getmask("\U000f0000"))  # a private-use code point: no glyph
    for c in CHARACTERS:
        if np.array_equal(np.asarray(font.getmask(c)), missing):
            raise BuildError(f"{path.name} has no glyph for {c!r}")


def render(font, character, dx, dy):
    """One glyph on its baseline, centred, shifted by (dx, dy) output pixels.

    Returns (SIZE, SIZE) uint8, ink bright on black.
    """
    big = SIZE * OVERSAMPLE
    canvas = Image.new("L", (big, big), 0)
    left, _, right, _ = font.getbbox(character, anchor="ls")
    # Centre the ink (not the advance width), so narrow and wide glyphs both sit mid-frame.
    x = round(big / 2 - (left + right) / 2 + dx * OVERSAMPLE)
    y = round(BASELINE * OVERSAMPLE + dy * OVERSAMPLE)
    ImageDraw.Draw(canvas).text((x, y), character, font=font, fill=255, anchor="ls")
    return np.asarray(canvas.reduce(OVERSAMPLE))  # (SIZE, SIZE)


def render_all(paths, rng):
    """Every character in every typeface.

    Returns images (n_fonts * 62, SIZE, SIZE) uint8, labels (character index) and
    typefaces (font index), both (n_fonts * 62,) int64, in font-major order.
    """
    images, labels, typefaces = [], [], []
    for t, path in enumerate(paths):
        size = base_size(path)
        check_coverage(path, ImageFont.truetype(str(path), round(size)))
        fonts = {}
        for k, character in enumerate(CHARACTERS):
            scale = rng.uniform(*SCALE_RANGE)
            dx, dy = rng.uniform(-SHIFT, SHIFT, size=2)
            points = round(size * scale)  # whole sizes: FreeType hints them the same everywhere
            if points not in fonts:
                fonts[points] = ImageFont.truetype(str(path), points)
            images.append(render(fonts[points], character, dx, dy))
            labels.append(k)
            typefaces.append(t)
    return np.stack(images), np.array(labels, np.int64), np.array(typefaces, np.int64)


def build_arrays(root):
    """The arrays of glyphs.h5 as a dict name -> array, from the packages unpacked at root."""
    paths = font_files(root)
    split_rng, render_rng, order_rng = (np.random.default_rng(s)
                                        for s in np.random.SeedSequence(SEED).spawn(3))
    test_ids = np.sort(split_rng.choice(len(CHARACTERS), N_TEST_CHARACTERS, replace=False))
    images, labels, typefaces = render_all(paths, render_rng)
    arrays = {}
    for split, keep in (("train", ~np.isin(labels, test_ids)), ("test", np.isin(labels, test_ids))):
        order = order_rng.permutation(np.flatnonzero(keep))
        arrays[f"{split}_x"] = images[order][..., None]  # (m, SIZE, SIZE, 1)
        arrays[f"{split}_y"] = labels[order]  # (m,)
        arrays[f"{split}_typeface"] = typefaces[order]  # (m,)
    arrays["characters"] = np.array([c.encode() for c in CHARACTERS], dtype="S1")
    arrays["typefaces"] = np.array([p.stem.encode() for p in paths])
    return arrays


def build_glyphs(out_path):
    """Fetch and unpack the font packages, render, write out_path. Returns its Path."""
    debs = [fetch_deb(name, version, sha256, CACHE_DIR, "fonts of glyphs.h5", install_hint())
            for name, version, sha256, _ in PACKAGES]
    with tempfile.TemporaryDirectory(prefix="dlcourse-fonts-") as tmp:
        extract_debs(debs, Path(tmp))
        arrays = build_arrays(Path(tmp))
    out_path = Path(out_path)
    write_h5(out_path, arrays, "characters 0-9A-Za-z in 181 typefaces, 28x28 grey, one "
             "identity per character; see datasets/NOTICE")
    return out_path


def build_into(out_dir):
    """Write glyphs.h5 into the folder out_dir. Returns its Path."""
    return build_glyphs(Path(out_dir) / OUTPUT_NAME)
