"""Build datasets/style.h5, the two images of the style-transfer notebook (C4W4A2).

Built by datasets/build.py, which also verifies it with --check.

What the images are, both from the Debian package opencv-doc 4.6.0+dfsg-12, whose
``/usr/share/doc/opencv-doc/examples/data/`` holds OpenCV's sample images:

- content: ``leuvenA.jpg``, a photograph (751 x 563) of a cobbled street between old
  brick houses (in Leuven, Belgium, by its name) under a grey sky; the centre square,
  shrunk to SIZE x SIZE.
- style: ``starry_night.jpg``, a 752 x 600 reproduction of Vincent van Gogh's painting
  The Starry Night (1889, public domain); the black frame and the pale strip along its
  bottom edge are cut off, then the right-hand square of the painting (the moon and the
  swirls of the sky, the cypress at its left edge) is shrunk to SIZE x SIZE.

Layout (one image each, stored uncompressed: 12 kB each at 64 x 64):

    content (SIZE, SIZE, 3) uint8    style (SIZE, SIZE, 3) uint8
    names (2,) bytes: what the content and the style image are

The .deb is fetched with `apt-get download` into datasets/_cache/ (reused when already
there), checked against its pinned SHA-256 and unpacked with `dpkg -x` into a temporary
folder: nothing is installed. Pillow's Lanczos filter does the shrinking; the output is
byte-identical on every run for the same versions of NumPy, Pillow, h5py/HDF5 and zlib.
"""

import tempfile
from pathlib import Path

import numpy as np
from common import BuildError, write_h5
from PIL import Image

OUTPUT_NAME = "style.h5"
SIZE = 64

PACKAGE = ("opencv-doc", "4.6.0+dfsg-12",
           "4b12681df35878207ac7097dc66184b2ae552e4bf4ddd2af04a0f03ed0b8682a")
DATA = "usr/share/doc/opencv-doc/examples/data"
# (file, crop box (left, top, right, bottom) in its pixels, description)
CONTENT = ("leuvenA.jpg", (94, 0, 657, 563),
           b"content: leuvenA.jpg, a photograph of a street from OpenCV's sample images")
# The reproduction has a black frame (about 8 px) and a pale strip under the canvas
# (rows 581-590): the painting itself spans columns 16-735 and rows 14-574.
STYLE = ("starry_night.jpg", (175, 14, 736, 575),
         b"style: The Starry Night, Vincent van Gogh, 1889 (public domain), right-hand square")

SOURCE_TEXT = (
    "leuvenA.jpg (a photograph) and starry_night.jpg (Van Gogh, The Starry Night, 1889, public "
    "domain) from OpenCV's sample images in the Debian package opencv-doc 4.6.0+dfsg-12 "
    f"(Apache-2.0 AND BSD-3-Clause), cropped square and shrunk to {SIZE}x{SIZE}; "
    "built by datasets/style_images.py"
)


def square_image(path, box):
    """The crop box of the image at path, shrunk to (SIZE, SIZE, 3) uint8."""
    left, top, right, bottom = box
    if right - left != bottom - top:
        raise BuildError(f"{path.name}: crop box {box} is not square")
    image = Image.open(path).convert("RGB")
    small = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS, box=box)
    return np.asarray(small, dtype=np.uint8)  # (SIZE, SIZE, 3)


def build_arrays(data_dir):
    """All datasets of style.h5 as a dict name -> array, from OpenCV's sample folder."""
    for name, _, _ in (CONTENT, STYLE):
        if not (data_dir / name).is_file():
            raise BuildError(f"{name} not found in {data_dir}")
    return {
        "content": square_image(data_dir / CONTENT[0], CONTENT[1]),
        "style": square_image(data_dir / STYLE[0], STYLE[1]),
        "names": np.array([CONTENT[2], STYLE[2]]),
    }


def build_into(out_dir, fetch_deb, extract_debs):
    """Fetch and unpack opencv-doc, write out_dir/style.h5; return its path.

    fetch_deb(package, version, sha256) -> path of the .deb and extract_debs(debs, dest)
    are build.py's, passed in so both scripts fetch packages the same way.
    """
    deb = fetch_deb(*PACKAGE)
    with tempfile.TemporaryDirectory(prefix="dlcourse-debs-") as tmp:
        extract_debs([deb], Path(tmp))
        arrays = build_arrays(Path(tmp) / DATA)
    path = Path(out_dir) / OUTPUT_NAME
    write_h5(path, arrays, "style transfer: one content photo and one painting, "
             f"{SIZE}x{SIZE} RGB; see datasets/NOTICE")
    return path
