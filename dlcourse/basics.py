"""NumPy warm-up: reshaping, normalising and broadcasting arrays (Course 1, week 2)."""

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


def calorie_percentages(A):
    """Percentage of each food's calories coming from each source (the notes' example).

    A: (k, n) calories from k sources (carbs, protein, fat, ...) for n foods, one per column,
       no all-zero column
    Returns percentages: (k, n), each column summing to 100.
    """
    ### BEGIN SOLUTION
    totals = np.sum(A, axis=0, keepdims=True)  # (1, n): the calories of each food
    assert totals.shape == (1, A.shape[1])  # a (n,) rank-1 array would broadcast wrongly
    percentages = 100 * A / totals  # (k, n) / (1, n): the row of totals is broadcast
    ### END SOLUTION
    return percentages
