"""dlcourse.strategy: metrics, model choice, error diagnosis, error analysis, multi-task cost."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcourse.checks import numerical_gradient
from dlcourse.losses import compute_cost
from dlcourse.strategy import (
    ADVICE,
    diagnose,
    error_analysis_table,
    multitask_loss,
    multitask_loss_backward,
    pick_model,
    precision_recall_f1,
    weighted_error,
)

# ---------------------------------------------------------------- precision_recall_f1


def _hand_counts(y_true, y_pred):
    """TP, FP, FN counted one example at a time."""
    tp = fp = fn = 0
    for t, p in zip(np.ravel(y_true), np.ravel(y_pred), strict=True):
        tp += t == 1 and p == 1
        fp += t == 0 and p == 1
        fn += t == 1 and p == 0
    return tp, fp, fn


def test_precision_recall_f1_hand_values():
    y_true = np.array([[1, 0, 1, 1, 0, 1, 0, 0]])
    y_pred = np.array([[1, 1, 0, 1, 0, 1, 0, 1]])
    # TP = 3, FP = 2, FN = 1: P = 3/5, R = 3/4, F1 = 2 * .45 / 1.35 = 2/3
    got = precision_recall_f1(y_true, y_pred)
    assert isinstance(got, tuple) and len(got) == 3, f"expected a 3-tuple; got {got!r}"
    assert all(type(v) is float for v in got), f"expected Python floats; got {got!r}"
    np.testing.assert_allclose(got, (0.6, 0.75, 2 / 3), rtol=1e-12,
                               err_msg=f"precision_recall_f1({y_true}, {y_pred})")


@pytest.mark.parametrize("seed", range(5))
def test_precision_recall_f1_matches_hand_counts_for_both_layouts(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(5, 60))
    y_true = rng.integers(0, 2, size=m).astype(float)
    y_pred = rng.integers(0, 2, size=m).astype(float)
    tp, fp, fn = _hand_counts(y_true, y_pred)
    expected = (tp / (tp + fp), tp / (tp + fn), 2 * tp / (2 * tp + fp + fn))
    for layout in (y_true.shape, (1, m)):
        got = precision_recall_f1(y_true.reshape(layout), y_pred.reshape(layout))
        np.testing.assert_allclose(got, expected, rtol=1e-12,
                                   err_msg=f"precision_recall_f1 for shape {layout}, "
                                           f"TP={tp} FP={fp} FN={fn}")


@pytest.mark.parametrize("y_true, y_pred, expected", [
    ([1, 0, 1], [0, 0, 0], (0.0, 0.0, 0.0)),  # nothing flagged: TP + FP = 0
    ([0, 0, 0], [1, 0, 0], (0.0, 0.0, 0.0)),  # no positives: TP + FN = 0
    ([0, 0, 0], [0, 0, 0], (0.0, 0.0, 0.0)),  # both
    ([1, 0, 0], [0, 1, 0], (0.0, 0.0, 0.0)),  # P = R = 0: F1's denominator is zero
    ([1, 1, 0], [1, 1, 0], (1.0, 1.0, 1.0)),
])
def test_precision_recall_f1_zero_divisions(y_true, y_pred, expected):
    got = precision_recall_f1(np.array(y_true), np.array(y_pred))
    assert got == expected, f"precision_recall_f1({y_true}, {y_pred}): expected {expected}; " \
                            f"got {got}"


_binary = st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(_binary)
def test_f1_lies_between_precision_and_recall(pairs):
    y_true, y_pred = np.array(pairs).T
    p, r, f1 = precision_recall_f1(y_true, y_pred)
    assert 0.0 <= p <= 1.0 and 0.0 <= r <= 1.0, f"P, R = {p}, {r} outside [0, 1] for {pairs}"
    if p > 0 and r > 0:
        assert min(p, r) - 1e-12 <= f1 <= max(p, r) + 1e-12, (
            f"F1 {f1} not between P {p} and R {r} for {pairs}")
    else:
        assert f1 == 0.0, f"expected F1 0 when P or R is 0; got {f1} for {pairs}"


@settings(max_examples=100, deadline=None)
@given(_binary)
def test_swapping_labels_and_predictions_swaps_precision_and_recall(pairs):
    y_true, y_pred = np.array(pairs).T
    p, r, f1 = precision_recall_f1(y_true, y_pred)
    p2, r2, f12 = precision_recall_f1(y_pred, y_true)
    assert (p2, r2) == pytest.approx((r, p)) and f12 == pytest.approx(f1), (
        f"swapping y_true and y_pred: expected (P, R, F1) = ({r}, {p}, {f1}); "
        f"got ({p2}, {r2}, {f12}) for {pairs}")


# ---------------------------------------------------------------- pick_model

TABLE = {"mobile": {"accuracy": 0.90, "latency_ms": 25.0, "size_mb": 9.0},
         "resnet": {"accuracy": 0.94, "latency_ms": 95.0, "size_mb": 98.0},
         "ensemble": {"accuracy": 0.96, "latency_ms": 1500.0, "size_mb": 640.0},
         "tiny": {"accuracy": 0.86, "latency_ms": 8.0, "size_mb": 1.5},
         "effnet": {"accuracy": 0.93, "latency_ms": 60.0, "size_mb": 29.0}}


@pytest.mark.parametrize("optimizing, satisficing, expected", [
    (("accuracy", "max"), {}, "ensemble"),
    (("accuracy", "max"), {"latency_ms": ("<=", 100)}, "resnet"),
    (("accuracy", "max"), {"latency_ms": ("<=", 95.0)}, "resnet"),  # boundary is inclusive
    (("accuracy", "max"), {"latency_ms": ("<", 95.0)}, "effnet"),  # and here it is not
    (("accuracy", "max"), {"latency_ms": ("<=", 100), "size_mb": ("<=", 50)}, "effnet"),
    (("latency_ms", "min"), {"accuracy": (">=", 0.9)}, "mobile"),
    (("size_mb", "min"), {"accuracy": (">", 0.93)}, "resnet"),
    (("accuracy", "max"), {"accuracy": (">", 0.99)}, None),
    (("accuracy", "min"), {}, "tiny"),
])
def test_pick_model_hand_cases(optimizing, satisficing, expected):
    got = pick_model(TABLE, optimizing, satisficing)
    assert got == expected, f"pick_model(optimizing={optimizing}, satisficing={satisficing}): " \
                            f"expected {expected!r}; got {got!r}"


def test_pick_model_breaks_ties_by_name():
    tied = {"zeta": {"acc": 0.9, "ms": 5.0}, "alpha": {"acc": 0.9, "ms": 5.0},
            "mu": {"acc": 0.8, "ms": 1.0}}
    for optimizing in (("acc", "max"), ("ms", "max")):
        got = pick_model(tied, optimizing, {})
        assert got == "alpha", f"pick_model with a tie on {optimizing}: expected 'alpha' " \
                               f"(first in sorted order); got {got!r}"
    got = pick_model(tied, ("acc", "max"), {"ms": ("<", 5.0)})
    assert got == "mu", f"expected 'mu', the only model faster than 5 ms; got {got!r}"


_models = st.dictionaries(
    st.text("abcdef", min_size=1, max_size=3),
    st.fixed_dictionaries({"acc": st.sampled_from([0.8, 0.85, 0.9, 0.95]),
                           "ms": st.sampled_from([10.0, 50.0, 100.0, 200.0])}),
    min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(_models, st.sampled_from(["max", "min"]), st.sampled_from(["<=", "<", ">=", ">"]),
       st.sampled_from([10.0, 50.0, 100.0, 200.0]))
def test_pick_model_is_feasible_and_unbeaten(models, direction, op, threshold):
    ok = {"<=": lambda v: v <= threshold, "<": lambda v: v < threshold,
          ">=": lambda v: v >= threshold, ">": lambda v: v > threshold}[op]
    got = pick_model(models, ("acc", direction), {"ms": (op, threshold)})
    feasible = sorted(name for name, row in models.items() if ok(row["ms"]))
    if not feasible:
        assert got is None, f"expected None (no model has ms {op} {threshold}); got {got!r}"
        return
    sign = 1 if direction == "max" else -1
    best = max(sign * models[name]["acc"] for name in feasible)
    winners = [name for name in feasible if sign * models[name]["acc"] == best]
    assert got == winners[0], (
        f"pick_model({models}, ('acc', {direction!r}), ms {op} {threshold}): expected "
        f"{winners[0]!r} (best among feasible {feasible}); got {got!r}")


# ---------------------------------------------------------------- diagnose


@pytest.mark.parametrize("errors, gaps, focus", [
    ((0.01, 0.08, 0.10, 0.10), (0.07, 0.02, 0.0), "avoidable_bias"),
    ((0.075, 0.08, 0.10, 0.10), (0.005, 0.02, 0.0), "variance"),
    ((0.01, 0.015, 0.09, 0.10), (0.005, 0.075, 0.01), "variance"),
    ((0.0, 0.01, 0.015, 0.10), (0.01, 0.005, 0.085), "data_mismatch"),
    # ties (exact in binary floating point) go to the first gap in the order above
    ((0.0, 0.25, 0.5, 0.75), (0.25, 0.25, 0.25), "avoidable_bias"),
    ((0.0, 0.0, 0.25, 0.5), (0.0, 0.25, 0.25), "variance"),
])
def test_diagnose_lecture_scenarios(errors, gaps, focus):
    got = diagnose(*errors)
    assert set(got) == {"avoidable_bias", "variance", "data_mismatch", "focus", "advice"}, (
        f"diagnose{errors}: unexpected keys {sorted(got)}")
    got_gaps = (got["avoidable_bias"], got["variance"], got["data_mismatch"])
    assert all(isinstance(g, float) for g in got_gaps), f"gaps should be floats: {got_gaps}"
    np.testing.assert_allclose(got_gaps, gaps, atol=1e-12, err_msg=f"diagnose{errors} gaps")
    assert got["focus"] == focus, f"diagnose{errors}: expected focus {focus}; got {got['focus']}"
    assert got["advice"] == ADVICE[focus], f"diagnose{errors}: advice is not ADVICE[{focus!r}]"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 0.5), min_size=4, max_size=4))
def test_diagnose_gaps_add_up_to_dev_minus_human(errors):
    got = diagnose(*errors)
    total = got["avoidable_bias"] + got["variance"] + got["data_mismatch"]
    assert total == pytest.approx(errors[3] - errors[0], abs=1e-12), (
        f"diagnose{tuple(errors)}: gaps sum to {total}, expected dev - human")
    assert got[got["focus"]] == max(got["avoidable_bias"], got["variance"],
                                    got["data_mismatch"]), f"focus is not the largest gap: {got}"


# ---------------------------------------------------------------- error_analysis_table


def test_error_analysis_table_hand_values():
    tags = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 0],
                     [1, 0, 1]])
    is_error = np.array([1, 1, 0, 1, 0, 1, 1])
    # errors: rows 0, 1, 3, 5, 6 -> tag 0 on 0, 1, 6; tag 1 on 1, 3; tag 2 on 6
    fractions, counts = error_analysis_table(tags, is_error)
    assert fractions.shape == (3,) and counts.shape == (3,), (
        f"expected shapes (3,), (3,); got {fractions.shape}, {counts.shape}")
    assert fractions.dtype.kind == "f" and counts.dtype.kind in "iu", (
        f"expected float fractions and integer counts; got {fractions.dtype}, {counts.dtype}")
    np.testing.assert_array_equal(counts, [3, 2, 1])
    np.testing.assert_allclose(fractions, [0.6, 0.4, 0.2], rtol=1e-12)


def test_error_analysis_table_without_errors_is_zero():
    tags = np.ones((4, 2), dtype=int)
    fractions, counts = error_analysis_table(tags, np.zeros(4, dtype=int))
    np.testing.assert_array_equal(counts, [0, 0], err_msg="counts with no error")
    np.testing.assert_array_equal(fractions, [0.0, 0.0], err_msg="fractions with no error")
    assert fractions.dtype.kind == "f", f"expected float fractions; got {fractions.dtype}"


@pytest.mark.parametrize("seed", range(5))
def test_error_analysis_table_matches_a_loop(seed):
    rng = np.random.default_rng(seed)
    m, k = int(rng.integers(5, 50)), int(rng.integers(1, 6))
    tags = (rng.random((m, k)) < 0.3).astype(int)
    is_error = (rng.random(m) < 0.4).astype(int)
    is_error[0] = 1
    expected = np.zeros(k, dtype=int)
    for i in range(m):
        if is_error[i]:
            expected += tags[i]
    fractions, counts = error_analysis_table(tags, is_error)
    np.testing.assert_array_equal(counts, expected, err_msg=f"counts for m={m}, k={k}")
    np.testing.assert_allclose(fractions, expected / is_error.sum(), rtol=1e-12)
    assert np.all((0 <= fractions) & (fractions <= 1)), f"fractions outside [0, 1]: {fractions}"


# ---------------------------------------------------------------- multitask_loss


def _partially_labelled(rng, C, m, missing=0.3):
    AL = rng.uniform(0.02, 0.98, size=(C, m))
    Y = rng.integers(0, 2, size=(C, m)).astype(float)
    Y[rng.random((C, m)) < missing] = np.nan
    Y[0, 0] = 1.0  # at least one label
    return AL, Y


def test_multitask_loss_hand_value():
    AL = np.array([[0.9, 0.2, 0.6], [0.3, 0.8, 0.5]])
    Y = np.array([[1.0, 0.0, np.nan], [np.nan, 1.0, 0.0]])
    expected = -(np.log(0.9) + 2 * np.log(0.8) + np.log(0.5)) / 4
    got = multitask_loss(AL, Y)
    assert isinstance(got, float), f"multitask_loss: expected a Python float; got {type(got)}"
    assert got == pytest.approx(expected, rel=1e-12), (
        f"multitask_loss: expected {expected} (mean over the 4 labelled entries); got {got}")


@pytest.mark.parametrize("C, m, missing", [(1, 5, 0.0), (3, 8, 0.3), (4, 20, 0.6)])
def test_multitask_loss_agrees_with_torch_on_labelled_entries(C, m, missing):
    rng = np.random.default_rng(C * 100 + m)
    AL, Y = _partially_labelled(rng, C, m, missing)
    labelled = ~np.isnan(Y)
    expected = torch.nn.functional.binary_cross_entropy(
        torch.tensor(AL[labelled], dtype=torch.float64),
        torch.tensor(Y[labelled], dtype=torch.float64), reduction="mean").item()
    got = multitask_loss(AL, Y)
    assert got == pytest.approx(expected, rel=1e-12), (
        f"multitask_loss: expected {expected} (torch BCE on the {labelled.sum()} labelled "
        f"entries of a ({C}, {m}) Y); got {got}")


def test_multitask_loss_without_nan_is_the_binary_cross_entropy_cost():
    rng = np.random.default_rng(3)
    AL, Y = _partially_labelled(rng, 1, 12, missing=0.0)
    assert multitask_loss(AL, Y) == pytest.approx(compute_cost(AL, Y), rel=1e-12), (
        "multitask_loss with C = 1 and no nan should equal losses.compute_cost")


def test_multitask_loss_ignores_predictions_on_unlabelled_entries():
    rng = np.random.default_rng(4)
    AL, Y = _partially_labelled(rng, 3, 10)
    other = AL.copy()
    other[np.isnan(Y)] = rng.uniform(0.01, 0.99, size=int(np.isnan(Y).sum()))
    assert multitask_loss(other, Y) == multitask_loss(AL, Y), (
        "multitask_loss changed when only the predictions of unlabelled entries changed")


def test_multitask_loss_with_nothing_labelled_is_zero():
    got = multitask_loss(np.full((2, 3), 0.5), np.full((2, 3), np.nan))
    assert got == 0.0, f"multitask_loss with every label nan: expected 0.0; got {got}"


@pytest.mark.parametrize("seed", range(3))
def test_multitask_loss_backward_matches_finite_differences(seed):
    rng = np.random.default_rng(seed)
    AL, Y = _partially_labelled(rng, 3, 6)
    # dAL is per label (the notes' convention); the cost's gradient is dAL / n_labelled.
    analytic = multitask_loss_backward(AL, Y) / np.sum(~np.isnan(Y))
    numeric = numerical_gradient(lambda: multitask_loss(AL, Y), AL)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9,
                               err_msg=f"multitask_loss_backward vs finite differences, "
                                       f"seed {seed}")
    assert np.all(analytic[np.isnan(Y)] == 0), "gradient should be 0 on unlabelled entries"


def test_multitask_loss_backward_agrees_with_torch_autograd():
    rng = np.random.default_rng(7)
    AL, Y = _partially_labelled(rng, 4, 9)
    labelled = torch.tensor(~np.isnan(Y))
    t_hat = torch.tensor(AL, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy(
        t_hat[labelled], torch.tensor(Y, dtype=torch.float64)[labelled], reduction="mean")
    loss.backward()
    n_labelled = int(labelled.sum())
    np.testing.assert_allclose(multitask_loss_backward(AL, Y) / n_labelled, t_hat.grad.numpy(),
                               rtol=1e-12, atol=1e-15,
                               err_msg="multitask_loss_backward vs torch autograd")


# ---------------------------------------------------------------- weighted_error


def test_weighted_error_hand_value():
    y_true = np.array([[1, 0, 1, 0, 0]])
    y_pred = np.array([[1, 1, 0, 0, 0]])
    weights = np.array([[1.0, 10.0, 1.0, 10.0, 1.0]])
    # wrong on examples 1 (weight 10) and 2 (weight 1): 11 / 23
    got = weighted_error(y_true, y_pred, weights)
    assert type(got) is float, f"weighted_error: expected a Python float; got {type(got)}"
    assert got == pytest.approx(11 / 23, rel=1e-12), (
        f"weighted_error: expected 11/23 for the hand example; got {got}")


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 30), st.integers(0, 2**31 - 1))
def test_weighted_error_with_equal_weights_is_the_error_rate(m, seed):
    rng = np.random.default_rng(seed)
    y_true, y_pred = rng.integers(0, 2, size=m), rng.integers(0, 2, size=m)
    got = weighted_error(y_true, y_pred, np.full(m, 3.0))
    assert got == pytest.approx(np.mean(y_true != y_pred), abs=1e-12), (
        f"weighted_error with equal weights: expected the error rate; got {got}")


def test_weighted_error_counts_a_heavy_mistake_ten_times():
    y_true = np.zeros(10)
    weights = np.ones(10)
    weights[0] = 10.0
    heavy = np.zeros(10)
    heavy[0] = 1  # wrong on the weight-10 example only
    light = np.zeros(10)
    light[1] = 1  # wrong on one weight-1 example only
    assert weighted_error(y_true, heavy, weights) == pytest.approx(
        10 * weighted_error(y_true, light, weights)), (
        "weighted_error: a mistake on a weight-10 example should count 10 times one on a "
        "weight-1 example")
