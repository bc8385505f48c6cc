"""dlcourse.checks: do the visible-test helpers fail loudly and precisely?"""

import numpy as np
import pytest

from dlcourse import checks


def test_compare_accepts_equal_nested_values():
    value = ({"dw": np.ones((2, 1)), "db": 0.5}, 1.25)
    assert checks.compare(value, ({"dw": np.ones((2, 1)), "db": 0.5}, 1.25)) == []


@pytest.mark.parametrize("got, fragment", [
    (np.ones((1, 2)), "expected shape (2, 1); got (1, 2)"),
    (np.ones((2, 1), dtype=int), "expected floats"),
    (np.full((2, 1), 1.5), "values differ"),
    ("text", "expected an array of shape (2, 1); got str"),
])
def test_compare_names_the_problem(got, fragment):
    problems = checks.compare(np.ones((2, 1)), got, "dw")
    assert problems and fragment in problems[0], problems
    assert problems[0].startswith("dw:"), problems


def test_compare_dict_keys_and_tuple_length():
    assert "expected keys ['a', 'b']" in checks.compare({"a": 1, "b": 2}, {"a": 1})[0]
    assert "2 items" in checks.compare((1, 2), (1,))[0]


def test_expect_reports_function_input_expected_and_got(capsys):
    with pytest.raises(AssertionError) as failure:
        checks.expect(np.exp, np.array([0.0]), expected=np.array([2.0]), inputs="z = [0]")
    message = str(failure.value)
    assert "exp(z = [0])" in message and "expected [2.]" in message and "got [1.]" in message
    checks.expect(np.exp, np.array([0.0]), expected=np.array([1.0]), inputs="z = [0]")
    assert "exp: correct output for z = [0]" in capsys.readouterr().out


def test_expect_shape():
    with pytest.raises(AssertionError, match=r"expected shape \(3, 1\) for x; got \(1, 3\)"):
        checks.expect_shape("f", np.zeros((1, 3)), (3, 1), "x")


def test_numerical_gradient_restores_input_and_is_accurate():
    x = np.array([[0.5, -1.0], [2.0, 3.0]])
    before = x.copy()
    grad = checks.numerical_gradient(lambda: float(np.sum(x ** 3)), x)
    np.testing.assert_allclose(grad, 3 * before ** 2, rtol=1e-6)
    np.testing.assert_array_equal(x, before)


def test_expect_gradient_passes_right_and_fails_wrong_gradient():
    x = np.array([0.3, -0.7, 1.1])
    checks.expect_gradient("square", lambda: float(np.sum(x ** 2)), x, 2 * x)
    with pytest.raises(AssertionError, match="gradient check failed"):
        checks.expect_gradient("square", lambda: float(np.sum(x ** 2)), x, 2 * x + 1e-3)


@pytest.mark.parametrize("expected, rtol, atol, note", [
    (["W1", "b1"], 1e-6, 1e-8, ""),  # exact values: no tolerance to report
    (3, 1e-6, 1e-8, ""),
    (0.0, 1e-6, 1e-7, " (within 1e-07 of 0)"),  # against 0, only atol counts
    ((0.0, np.zeros(2)), 1e-6, 1e-8, " (within 1e-08 of 0)"),
    ({"a": np.zeros(3), "b": np.ones(2)}, 1e-5, 1e-8, " (rtol=1e-05)"),
])
def test_expect_value_reports_the_tolerance_that_decided(capsys, expected, rtol, atol, note):
    checks.expect_value("f", expected, expected, "x", rtol=rtol, atol=atol)
    line = capsys.readouterr().out.strip()
    assert line == f"f: correct output for x{note}", f"for expected {expected!r}: {line!r}"


def test_compare_reports_nan_where_numbers_were_due():
    """An all-nan answer is a failure message (largest gap inf), not a crash in nanargmax."""
    problems = checks.compare(np.array([1.0, 2.0]), np.array([np.nan, np.nan]))
    assert problems and "largest gap inf at index (0,)" in problems[0], problems
    assert checks.compare(np.array([1.0, np.nan]), np.array([1.0, np.nan])) == []
