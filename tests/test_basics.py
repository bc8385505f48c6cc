"""dlcourse.basics: reshaping and row normalisation."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlcourse.basics import calorie_percentages, image_to_vector, normalize_rows


def test_image_to_vector_shape_and_order():
    image = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)
    v = image_to_vector(image)
    assert v.shape == (24, 1), f"expected (24, 1) for a (2, 3, 4) image; got {v.shape}"
    # Row-major unrolling: channel index changes fastest.
    np.testing.assert_array_equal(v[:5, 0], [0, 1, 2, 3, 4])


def test_normalize_rows_hand_values():
    got = normalize_rows(np.array([[0.0, 3.0, 4.0], [2.0, 0.0, 0.0]]))
    np.testing.assert_allclose(got, [[0, 0.6, 0.8], [1, 0, 0]])


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)),
              elements=st.floats(0.1, 100)))
def test_normalize_rows_gives_unit_rows(x):
    lengths = np.linalg.norm(normalize_rows(x), axis=1)
    np.testing.assert_allclose(lengths, 1.0, rtol=1e-12,
                               err_msg=f"row lengths after normalize_rows of {x}")


def test_calorie_percentages_on_the_notes_table():
    """The notes' example: 3 sources x 4 foods; apples get 94.9 % of their calories from
    carbohydrates, and every column sums to 100."""
    A = np.array([[56.0, 0.0, 4.4, 68.0], [1.2, 104.0, 52.0, 8.0], [1.8, 135.0, 99.0, 0.9]])
    got = calorie_percentages(A)
    assert got.shape == (3, 4)
    np.testing.assert_allclose(got[:, 0], [94.915254, 2.0338983, 3.0508475], rtol=1e-6)
    np.testing.assert_allclose(got.sum(axis=0), 100.0)


def test_calorie_percentages_of_a_square_table_divide_by_columns():
    """On a square table, dividing by the row totals raises no error but is wrong."""
    A = np.array([[1.0, 3.0], [3.0, 1.0]]) * np.array([[1.0], [2.0]])
    np.testing.assert_allclose(calorie_percentages(A), 100 * A / A.sum(axis=0))
