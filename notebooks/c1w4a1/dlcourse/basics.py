# Generated from dlcourse/basics.py by `python -m grader build`; do not edit.
# Student copy for c1w4a1: functions of this and later assignments are yours to write.
"""NumPy warm-up: reshaping and normalising arrays (Course 1, week 2)."""

import numpy as np


def image_to_vector(image):
    """Unroll an image into a column vector.

    image: (height, width, channels)
    Returns v: (height * width * channels, 1)
    """
    v = image.reshape(-1, 1)  # (height * width * channels, 1)
    return v


def normalize_rows(x):
    """Divide each row of x by its Euclidean norm.

    x: (n, d) with no all-zero row
    Returns x_normalized: (n, d), every row of length 1.
    """
    norms = np.linalg.norm(x, axis=1, keepdims=True)  # (n, 1)
    x_normalized = x / norms
    return x_normalized
