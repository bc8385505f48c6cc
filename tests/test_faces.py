"""dlcourse.faces: distances, the triplet loss and its gradient, verification, recognition.

The triplet loss's gradient is checked against finite differences and against PyTorch
autograd in float64; the l2norm layer's backward too.
"""

import numpy as np
import pytest
import torch

from dlcourse.checks import numerical_gradient
from dlcourse.faces import (
    batch_triplets,
    best_threshold,
    embedding_distance,
    l2norm_backward,
    l2norm_forward,
    make_pairs,
    pair_probability,
    train_encoder,
    triplet_loss,
    triplet_loss_backward,
    verify,
    who_is_it,
)


def _unit_columns(rng, d, m):
    F = rng.normal(size=(d, m))
    return F / np.linalg.norm(F, axis=0, keepdims=True)


def _triplets(seed, d=5, m=7):
    rng = np.random.default_rng(seed)
    return _unit_columns(rng, d, m), _unit_columns(rng, d, m), _unit_columns(rng, d, m)


def _close(name, got, expected, inputs, rtol=1e-10, atol=1e-12):
    expected = np.asarray(expected)
    assert np.shape(got) == expected.shape, (
        f"{name}: expected shape {expected.shape} for {inputs}; got {np.shape(got)}")
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol,
                               err_msg=f"{name} for {inputs}")


# embedding_distance

def test_embedding_distance_hand_worked():
    F1 = np.array([[0.0, 1.0, 3.0], [0.0, 1.0, 4.0]])
    F2 = np.array([[3.0, 1.0, 0.0], [4.0, 1.0, 0.0]])
    _close("embedding_distance", embedding_distance(F1, F2), [5.0, 0.0, 5.0],
           "columns (0,0)-(3,4), (1,1)-(1,1), (3,4)-(0,0)")


def test_embedding_distance_broadcasts_one_column_and_matches_norm():
    rng = np.random.default_rng(0)
    F1, f = rng.normal(size=(4, 6)), rng.normal(size=(4, 1))
    _close("embedding_distance", embedding_distance(F1, f), np.linalg.norm(F1 - f, axis=0),
           "F1 (4, 6) against one column f (4, 1)")


def test_embedding_distance_is_symmetric_and_zero_on_itself():
    rng = np.random.default_rng(1)
    F1, F2 = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    _close("embedding_distance symmetry", embedding_distance(F1, F2), embedding_distance(F2, F1),
           "d(F1, F2) vs d(F2, F1)")
    _close("embedding_distance", embedding_distance(F1, F1), np.zeros(5), "d(F, F)")


# triplet_loss and its gradient

def test_triplet_loss_hand_worked():
    # Triplet 1: ||a-p||^2 = 1, ||a-n||^2 = 4: 1 - 4 + 0.5 < 0, no cost.
    # Triplet 2: ||a-p||^2 = 4, ||a-n||^2 = 1: 4 - 1 + 0.5 = 3.5.
    A = np.array([[0.0, 0.0]])
    P = np.array([[1.0, 2.0]])
    N = np.array([[2.0, 1.0]])
    got = triplet_loss(A, P, N, alpha=0.5)
    assert isinstance(got, float), f"triplet_loss: expected a Python float; got {type(got)}"
    assert got == pytest.approx(3.5 / 2), f"triplet_loss: expected mean 1.75 of [0, 3.5]; got {got}"


def test_triplet_loss_is_at_least_zero_and_alpha_when_all_points_coincide():
    A = np.ones((3, 4))
    assert triplet_loss(A, A, A, alpha=0.3) == pytest.approx(0.3), (
        "triplet_loss: with A = P = N every triplet should cost alpha")
    A, P, N = _triplets(2)
    assert triplet_loss(A, P, N, alpha=0.0) >= 0.0


def test_triplet_loss_backward_shapes_and_inactive_triplets_get_zero():
    A = np.array([[0.0, 0.0]])
    P = np.array([[1.0, 2.0]])
    N = np.array([[2.0, 1.0]])
    dA, dP, dN = triplet_loss_backward(A, P, N, alpha=0.5)
    for name, g in (("dA", dA), ("dP", dP), ("dN", dN)):
        assert g.shape == (1, 2), f"triplet_loss_backward {name}: expected (1, 2); got {g.shape}"
        assert g[0, 0] == 0.0, f"{name}: triplet 1 is past the margin, expected 0; got {g[0, 0]}"
    # Active triplet 2 with m = 2: dA = 2 (n - p) / 2 = -1, dP = p - a = 2, dN = a - n = -1.
    _close("triplet_loss_backward", np.array([dA[0, 1], dP[0, 1], dN[0, 1]]), [-1.0, 2.0, -1.0],
           "triplet 2: a = 0, p = 2, n = 1, alpha = 0.5")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_triplet_loss_backward_matches_finite_differences(seed):
    A, P, N = _triplets(seed)
    alpha = 0.4
    grads = triplet_loss_backward(A, P, N, alpha)
    for name, x, analytic in zip(("A", "P", "N"), (A, P, N), grads, strict=True):
        numeric = numerical_gradient(lambda: triplet_loss(A, P, N, alpha), x)
        error = np.linalg.norm(numeric - analytic) / (np.linalg.norm(numeric)
                                                      + np.linalg.norm(analytic) + 1e-300)
        assert error < 1e-7, (
            f"triplet_loss_backward d{name}, seed {seed}: relative error {error:.2e}")


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_triplet_loss_and_gradient_agree_with_torch_autograd(seed):
    A, P, N = _triplets(seed, d=6, m=9)
    alpha = 0.5
    At, Pt, Nt = (torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in (A, P, N))
    pos = ((At - Pt) ** 2).sum(dim=0)
    neg = ((At - Nt) ** 2).sum(dim=0)
    cost = torch.relu(pos - neg + alpha).mean()
    cost.backward()
    inputs = f"seed {seed}, d = 6, m = 9, alpha = 0.5"
    _close("triplet_loss", triplet_loss(A, P, N, alpha), cost.item(), inputs)
    for name, got, t in zip(("dA", "dP", "dN"), triplet_loss_backward(A, P, N, alpha),
                            (At, Pt, Nt), strict=True):
        _close(f"triplet_loss_backward {name}", got, t.grad.numpy(), inputs)


# verify, who_is_it, pair_probability

def test_verify_decides_by_threshold_inclusive():
    F1 = np.array([[0.0, 0.0, 0.0]])
    F2 = np.array([[0.5, 1.0, 2.0]])
    dist, same = verify(F1, F2, threshold=1.0)
    _close("verify dist", dist, [0.5, 1.0, 2.0], "distances 0.5, 1, 2, threshold 1")
    assert same.dtype == bool, f"verify: expected bool decisions; got {same.dtype}"
    assert same.tolist() == [True, True, False], (
        f"verify: expected [True, True, False] (d <= tau is the same identity); got {same}")


def test_who_is_it_nearest_or_unknown():
    database = {"x": np.array([[1.0], [0.0]]), "y": np.array([[0.0], [1.0]])}
    f = np.array([[0.1], [0.9]])
    min_dist, identity = who_is_it(f, database, threshold=0.5)
    assert identity == "y", f"who_is_it: expected 'y' (nearest); got {identity!r}"
    assert min_dist == pytest.approx(np.sqrt(0.02)), f"who_is_it: min_dist {min_dist}"
    assert isinstance(min_dist, float), f"who_is_it: expected a float; got {type(min_dist)}"
    assert who_is_it(f, database, threshold=0.1) == (pytest.approx(np.sqrt(0.02)), None), (
        "who_is_it: nearest further than the threshold should give None")


def test_pair_probability_is_logistic_regression_on_absolute_differences():
    rng = np.random.default_rng(3)
    F1, F2 = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    w, b = rng.normal(size=(4, 1)), 0.3
    expected = 1 / (1 + np.exp(-(w.T @ np.abs(F1 - F2) + b)))
    got = pair_probability(F1, F2, w, b)
    _close("pair_probability", got, expected, "F1, F2 (4, 5), w (4, 1), b = 0.3")
    _close("pair_probability symmetry", pair_probability(F2, F1, w, b), got, "swapped pair")


# the l2norm layer, mining, thresholds

def test_l2norm_columns_have_unit_length_and_backward_matches_torch():
    rng = np.random.default_rng(4)
    A_prev, dA = rng.normal(size=(5, 6)), rng.normal(size=(5, 6))
    A, cache = l2norm_forward(A_prev)
    _close("l2norm_forward norms", np.linalg.norm(A, axis=0), np.ones(6), "(5, 6)")
    t = torch.tensor(A_prev, requires_grad=True)
    (torch.nn.functional.normalize(t, dim=0, eps=0) * torch.tensor(dA)).sum().backward()
    _close("l2norm_backward", l2norm_backward(dA, cache), t.grad.numpy(), "(5, 6)", rtol=1e-9)


def test_l2norm_backward_matches_finite_differences():
    rng = np.random.default_rng(5)
    A_prev, dA = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    numeric = numerical_gradient(lambda: float(np.sum(l2norm_forward(A_prev)[0] * dA)), A_prev)
    analytic = l2norm_backward(dA, l2norm_forward(A_prev)[1])
    error = np.linalg.norm(numeric - analytic) / np.linalg.norm(numeric + analytic)
    assert error < 1e-7, f"l2norm_backward: relative error {error:.2e}"


def test_batch_triplets_are_all_valid_and_complete():
    labels = np.array([0, 0, 1, 1, 1, 2])
    a, p, n = batch_triplets(labels)
    assert np.all(labels[a] == labels[p]) and np.all(a != p) and np.all(labels[n] != labels[a])
    # Ordered (a, p) pairs: 2 in identity 0, 6 in identity 1; negatives 4 and 3 each.
    assert len(a) == 2 * 4 + 6 * 3, f"batch_triplets: expected 26 triplets; got {len(a)}"


def test_make_pairs_balanced_and_best_threshold_separates():
    labels = np.repeat(np.arange(5), 4)
    i, j, same = make_pairs(labels, 30, seed=0)
    assert same.sum() == 30 and (~same).sum() == 30
    assert np.all((labels[i] == labels[j]) == same) and np.all(i[same] != j[same])
    dist = np.where(same, 0.2, 0.9) + np.linspace(0, 0.1, 60)
    tau, accuracy = best_threshold(dist, same)
    assert accuracy == 1.0 and 0.3 < tau < 0.9, f"best_threshold: got tau {tau}, {accuracy}"


def test_train_encoder_lowers_the_triplet_cost_on_toy_identities():
    """Does a tiny encoder, trained a few steps on 6 blob identities, lower the cost?"""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(6, 6, 6, 1))
    labels = np.repeat(np.arange(6), 8)
    X = centres[labels] + 0.3 * rng.normal(size=(48, 6, 6, 1))
    spec = [("flatten", {}), ("dense", {"n": 16}), ("relu", {}), ("dense", {"n": 4}),
            ("l2norm", {})]
    _, costs = train_encoder(X, labels, spec, num_steps=60, n_identities=4, per_identity=3,
                             learning_rate=0.01, progress=False)
    assert np.mean(costs[-10:]) < 0.5 * np.mean(costs[:5]), (
        f"train_encoder: cost went from {np.mean(costs[:5]):.3f} to {np.mean(costs[-10:]):.3f}")
