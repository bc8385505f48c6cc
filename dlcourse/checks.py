"""Checks called by the visible test cells of the notebooks.

Each check raises ``AssertionError`` naming the function, the input, what was
expected and what came back; on success it prints one line saying what it
verified. The autograder's hidden tests reuse :func:`compare`.
"""

import numpy as np

__all__ = ["compare", "expect", "expect_gradient", "expect_shape", "expect_value",
           "numerical_gradient"]


def _describe(value):
    """Short description of a value for failure messages."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}, dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"


def _fmt(value):
    """Values as a student would read them: a few significant digits."""
    if isinstance(value, np.ndarray) and value.size > 12:
        return np.array2string(value.ravel()[:6], precision=6) + f" ... ({value.size} values)"
    return np.array2string(np.asarray(value), precision=8) if np.ndim(value) else repr(value)


def compare(expected, got, where="output", rtol=1e-6, atol=1e-8):
    """Compare ``got`` with ``expected`` recursively; return a list of problems.

    Arrays must match in shape, in kind (float, integer, bool) and in value
    within the tolerance; dicts must have the same keys; tuples and lists the
    same length. ``where`` names the part being compared (``"grads['dw']"``).
    An empty list means everything matched.
    """
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{where}: expected a dict with keys {sorted(expected)}; got {_describe(got)}"]
        if set(expected) != set(got):
            return [f"{where}: expected keys {sorted(expected)}; got {sorted(got)}"]
        return [p for k in expected for p in compare(expected[k], got[k], f"{where}[{k!r}]",
                                                      rtol, atol)]
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return [f"{where}: expected a {type(expected).__name__} of {len(expected)} items; "
                    f"got {_describe(got)}"]
        return [p for i, (e, g) in enumerate(zip(expected, got, strict=True))
                for p in compare(e, g, f"{where}[{i}]", rtol, atol)]
    if expected is None:
        return [] if got is None else [f"{where}: expected None; got {_describe(got)}"]
    if isinstance(expected, str):
        return [] if got == expected else [f"{where}: expected {expected!r}; got {got!r}"]
    return _compare_numbers(expected, got, where, rtol, atol)


def _compare_numbers(expected, got, where, rtol, atol):
    """Compare a scalar or an array (the leaf case of :func:`compare`)."""
    kind = "a number" if np.ndim(expected) == 0 else f"an array of shape {np.shape(expected)}"
    if got is None or isinstance(got, (dict, str)) or (
            isinstance(got, (tuple, list)) and np.ndim(expected) == 0):
        return [f"{where}: expected {kind}; got {_describe(got)}"]
    e, g = np.asarray(expected), np.asarray(got)
    if e.shape != g.shape:
        return [f"{where}: expected shape {e.shape}; got {g.shape}"]
    if e.dtype.kind in "fc" and g.dtype.kind not in "fc":
        return [f"{where}: expected floats; got dtype {g.dtype}"]
    if e.dtype.kind == "b" and g.dtype.kind != "b" or e.dtype.kind in "iu" and g.dtype.kind == "f":
        return [f"{where}: expected dtype {e.dtype} (kind {e.dtype.kind!r}); got {g.dtype}"]
    if not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
        diff = np.abs(g.astype(float) - e.astype(float))
        # A nan where a number was due is the largest gap of all (nan gaps would be skipped).
        diff = np.where(np.isnan(diff) & ~(np.isnan(g) & np.isnan(e)), np.inf, diff)
        worst = np.unravel_index(np.nanargmax(diff), diff.shape) if diff.ndim else ()
        return [f"{where}: values differ (largest gap {float(np.nanmax(diff)):.3g} at index "
                f"{tuple(int(i) for i in worst)}); expected {_fmt(e)}, got {_fmt(g)}"]
    return []


def expect(fn, *args, expected, inputs=None, rtol=1e-6, atol=1e-8, **kwargs):
    """Call ``fn(*args, **kwargs)`` and assert that it returns ``expected``.

    ``inputs`` is a short human description of the arguments, used in the
    messages (``"z = [-1, 0, 2]"``).
    """
    inputs = inputs or ", ".join(_describe(a) for a in args)
    expect_value(getattr(fn, "__name__", str(fn)), fn(*args, **kwargs), expected, inputs,
                 rtol, atol)


def expect_value(name, got, expected, inputs, rtol=1e-6, atol=1e-8):
    """Assert that a value computed by ``name`` for ``inputs`` equals ``expected``."""
    problems = compare(expected, got, "output", rtol, atol)
    if problems:
        raise AssertionError(f"{name}({inputs}):\n  " + "\n  ".join(problems))
    print(f"{name}: correct output for {inputs}{_tolerance(expected, rtol, atol)}")


def _float_leaves(value):
    """The float scalars and float arrays inside a nest of dicts, tuples and lists."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _float_leaves(v)]
    if isinstance(value, (tuple, list)) and not all(np.isscalar(v) for v in value):
        return [leaf for v in value for leaf in _float_leaves(v)]
    if isinstance(value, str) or value is None:
        return []
    array = np.asarray(value)
    return [array] if array.dtype.kind in "fc" else []


def _tolerance(expected, rtol, atol):
    """How the values were compared, for the success line: nothing when all are exact."""
    floats = _float_leaves(expected)
    if not floats:
        return ""
    if all(not np.any(leaf) for leaf in floats):
        return f" (within {atol:g} of 0)"  # rtol times 0 is 0: atol alone decides
    return f" (rtol={rtol:g})"


def expect_shape(name, value, shape, inputs=""):
    """Assert that ``value`` is an array of the given shape."""
    got = getattr(value, "shape", None)
    if got != tuple(shape):
        raise AssertionError(f"{name}: expected shape {tuple(shape)} for {inputs}; got "
                             f"{got if got is not None else _describe(value)}")
    print(f"{name}: shape {tuple(shape)} as expected for {inputs}")


def numerical_gradient(f, x, eps=1e-6):
    """Centred finite differences of a scalar function ``f`` at array ``x``.

    x: float array of any shape (perturbed in place and restored)
    Returns an array of x's shape with d f / d x.
    """
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def expect_gradient(name, f, x, analytic, eps=1e-6, threshold=1e-7):
    """Assert that ``analytic`` matches the finite-difference gradient of ``f`` at ``x``.

    f: function of no arguments returning a scalar; it must read ``x``
    x: float array perturbed in place; analytic: array of x's shape
    The relative error ||a - n|| / (||a|| + ||n||) must be below ``threshold``.
    """
    numeric = numerical_gradient(f, x, eps)
    gap = np.linalg.norm(analytic - numeric)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    error = gap / scale if scale > 0 else gap
    if not error < threshold:
        raise AssertionError(f"{name}: gradient check failed, relative error {error:.3g} >= "
                             f"{threshold:g}; analytic {_fmt(analytic)}, numerical {_fmt(numeric)}")
    # The error itself is rounding noise (1e-11 on one CPU, 7e-11 on another): print the verdict.
    bound = f"{threshold:.0e}".replace("e-0", "e-")  # 1e-7, not 1e-07
    print(f"{name}: gradient matches finite differences (relative error < {bound})")
