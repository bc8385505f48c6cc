"""NumPy warm-up: reshaping and normalising arrays (Course 1, week 2)."""

import numpy as np


def image_to_vector(image):
    """Unroll an image into a column vector.

    image: (height, width, channels)
    Returns v: (height * width * channels, 1)
    """
    ### BEGIN SOLUTION
    v = image.reshape(-1, 1)  # (height * width * channels, 1)
    ### END SOLUTION
    return v


def normalize_rows(x):
    """Divide each row of x by its Euclidean norm.

    x: (n, d) with no all-zero row
    Returns x_normalized: (n, d), every row of length 1.
    """
    ### BEGIN SOLUTION
    norms = np.linalg.norm(x, axis=1, keepdims=True)  # (n, 1)
    x_normalized = x / norms
    ### END SOLUTION
    return x_normalized
