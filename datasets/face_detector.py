"""Build datasets/face_detector.h5: a pretrained Tiny-YOLO face detector and a real photo.

Built by datasets/build.py, which also verifies it with --check.

C4W3A1 trains its own tiny detector on composed scenes; this file lets it also run the
student's yolo_eval on the raw output of a detector trained by others on real faces.

What is inside:

    <layer>.<tensor>   uint8      the quantised weights of face-api's TinyFaceDetector,
                                  exactly as shipped (conv0.filters (3, 3, 3, 16), ...,
                                  conv8.bias (25,); "/" of the manifest's names is "."
                                  here, so that no HDF5 group is made); each dataset
                                  has the attributes scale and min:
                                  value = min + scale * q
    anchors            (5, 2)     the detector's anchor boxes (width, height) in cells
    mean_rgb           (3,)       the channel means it subtracts from 0-255 pixels
    astronaut          (512, 512, 3) uint8, the scikit-image photo of Eileen Collins

The detector: the npm package @vladmandic/face-api 1.7.15 (MIT),
``model/tiny_face_detector_model.bin`` with its weights manifest (193,321 parameters,
one byte each). Its anchors and input mean are constants of the package's source
(``src/tinyFaceDetector/const.ts``), written here as numbers. The photo: NASA's portrait
of astronaut Eileen Collins (public domain), ``skimage/data/astronaut.png`` of the
scikit-image 0.26.0 wheel. Both archives are fetched into datasets/_cache/ (`npm pack`,
`pip download`), checked against pinned SHA-256 digests and read with tarfile / zipfile:
nothing is installed or run from them.
"""

import io
import json
import tarfile
import zipfile
from pathlib import Path

import h5py
import numpy as np
from common import BuildError, fetch_npm, fetch_wheel
from PIL import Image

OUTPUT_NAME = "face_detector.h5"
FACE_API = ("@vladmandic/face-api", "1.7.15",
            "0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031")
MODEL = "package/model/tiny_face_detector_model"
SKIMAGE = ("scikit-image", "0.26.0",
           "scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
           "74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af")
ASTRONAUT = "skimage/data/astronaut.png"
# From face-api's src/tinyFaceDetector/const.ts: anchor (width, height) in grid cells,
# and the mean pixel (0-255) subtracted before dividing by 255.
ANCHORS = ((1.603231, 2.094468), (6.041143, 7.080126), (2.882459, 3.518061),
           (4.266906, 5.178857), (9.041765, 10.66308))
MEAN_RGB = (117.001, 114.697, 97.404)

SOURCE_TEXT = (
    "Tiny-YOLO face detector weights (uint8, as shipped) from the npm package "
    "@vladmandic/face-api 1.7.15 (MIT); NASA's photo of Eileen Collins (public domain) "
    "from the scikit-image 0.26.0 wheel; built by datasets/face_detector.py"
)


def read_weights(tarball):
    """[(name, uint8 array shaped as in the manifest, scale, min)] in manifest order."""
    with tarfile.open(tarball, "r:gz") as archive:
        manifest = json.load(archive.extractfile(MODEL + "-weights_manifest.json"))
        blob = archive.extractfile(MODEL + ".bin").read()
    tensors, offset = [], 0
    for entry in manifest[0]["weights"]:
        quantization = entry["quantization"]
        if quantization["dtype"] != "uint8":
            raise BuildError(f"{entry['name']}: expected uint8 weights, got {quantization}")
        size = int(np.prod(entry["shape"]))
        q = np.frombuffer(blob, np.uint8, size, offset).reshape(entry["shape"])
        tensors.append((entry["name"], q, quantization["scale"], quantization["min"]))
        offset += size
    if offset != len(blob):
        raise BuildError(f"the manifest covers {offset} of {len(blob)} bytes of the weights")
    return tensors


def read_astronaut(wheel):
    """The 512x512 RGB photo as uint8."""
    with zipfile.ZipFile(wheel) as archive:
        image = np.asarray(Image.open(io.BytesIO(archive.read(ASTRONAUT))).convert("RGB"))
    if image.shape != (512, 512, 3):
        raise BuildError(f"{ASTRONAUT}: expected (512, 512, 3), got {image.shape}")
    return image


def build_into(out_dir):
    """Write out_dir/face_detector.h5 and return its path."""
    tensors = read_weights(fetch_npm(*FACE_API))
    astronaut = read_astronaut(fetch_wheel(*SKIMAGE))
    path = Path(out_dir) / OUTPUT_NAME
    with h5py.File(path, "w", track_order=True) as f:
        f.attrs["description"] = ("face-api TinyFaceDetector weights and a photo; "
                                  "see datasets/NOTICE")
        for name, q, scale, minimum in tensors:
            data = f.create_dataset(name.replace("/", "."), data=q, track_times=False)
            data.attrs["scale"], data.attrs["min"] = scale, minimum
        f.create_dataset("anchors", data=np.array(ANCHORS), track_times=False)
        f.create_dataset("mean_rgb", data=np.array(MEAN_RGB), track_times=False)
        f.create_dataset("astronaut", data=astronaut, chunks=(64, 64, 3), compression="gzip",
                         compression_opts=6, track_times=False)
    return path
