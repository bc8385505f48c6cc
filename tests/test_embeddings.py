"""dlcourse.embeddings: similarity, analogies and debiasing on known vectors; the skip-gram
and GloVe gradients against PyTorch autograd (float64) and finite differences."""

import numpy as np
import pytest
import torch

from dlcourse.checks import numerical_gradient
from dlcourse.embeddings import (
    complete_analogy,
    cooccurrence,
    cosine_similarity,
    equalize,
    glove_cost,
    glove_weight,
    neutralize,
    noise_distribution,
    skipgram_loss,
)


def _relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


def test_cosine_similarity_values_and_zero_vector():
    assert cosine_similarity(np.array([1.0, 0]), np.array([3.0, 0])) == pytest.approx(1.0)
    assert cosine_similarity(np.array([1.0, 0]), np.array([0, -2.0])) == pytest.approx(0.0)
    assert cosine_similarity(np.array([1.0, 1]), np.array([-1.0, -1])) == pytest.approx(-1.0)
    assert cosine_similarity(np.zeros(3), np.ones(3)) == 0.0


def test_complete_analogy_finds_the_planted_word_and_skips_the_question():
    """Vectors built so that d = b - a + c exactly; c itself is closest to the target
    after d but must not be answered."""
    rng = np.random.default_rng(0)
    E = rng.normal(size=(8, 6))
    E[:, 3] = E[:, 1] - E[:, 0] + E[:, 2]
    word_to_index = {w: i for i, w in enumerate(["a", "b", "c", "d", "e", "f"])}
    assert complete_analogy("a", "B", "c", word_to_index, E) == "d"
    E[:, 3] = -E[:, 3]
    assert complete_analogy("a", "b", "c", word_to_index, E) in {"e", "f"}


def test_neutralize_leaves_nothing_along_g_and_keeps_the_rest():
    rng = np.random.default_rng(1)
    e, g = rng.normal(size=50), rng.normal(size=50)
    e_debiased = neutralize(e, g)
    assert abs(np.dot(e_debiased, g)) < 1e-10
    np.testing.assert_allclose(e - e_debiased, (e @ g / (g @ g)) * g, rtol=1e-10, atol=1e-14)


def test_equalize_gives_unit_vectors_symmetric_about_g():
    rng = np.random.default_rng(2)
    g = rng.normal(size=20)
    e_w1, e_w2 = (v / np.linalg.norm(v) for v in rng.normal(size=(2, 20)))
    e_1, e_2 = equalize(e_w1, e_w2, g)
    np.testing.assert_allclose([np.linalg.norm(e_1), np.linalg.norm(e_2)], [1, 1], rtol=1e-12)
    # Same part orthogonal to g, opposite parts along g.
    np.testing.assert_allclose(neutralize(e_1, g), neutralize(e_2, g), atol=1e-12)
    assert np.dot(e_1, g) == pytest.approx(-np.dot(e_2, g), rel=1e-10)
    # So any neutralized word is equally far from both.
    w = neutralize(rng.normal(size=20), g)
    assert np.linalg.norm(w - e_1) == pytest.approx(np.linalg.norm(w - e_2), rel=1e-10)


def test_noise_distribution_is_counts_to_the_three_quarters():
    P = noise_distribution(np.array([16.0, 1.0, 0.0]))
    np.testing.assert_allclose(P, np.array([8.0, 1.0, 0.0]) / 9.0)


def _skipgram_case(seed, n_e=4, V=7, B=6, K=3):
    rng = np.random.default_rng(seed)
    # Repeated indices on purpose: gradients of a word used twice must add up.
    return (rng.normal(size=(n_e, V)), rng.normal(size=(n_e, V)), rng.integers(0, V, B),
            rng.integers(0, V, B), rng.integers(0, V, (B, K)))


def test_skipgram_loss_matches_pytorch_autograd():
    E, Theta, centers, contexts, negatives = _skipgram_case(3)
    E_t = torch.tensor(E, requires_grad=True)
    Theta_t = torch.tensor(Theta, requires_grad=True)
    e_c = E_t[:, centers]
    positive = torch.nn.functional.logsigmoid((Theta_t[:, contexts] * e_c).sum(0))
    negative = torch.nn.functional.logsigmoid(
        -torch.einsum("nbk,nb->bk", Theta_t[:, negatives], e_c)).sum(1)
    loss_t = -(positive + negative).mean()
    loss_t.backward()
    loss, dE, dTheta = skipgram_loss(E, Theta, centers, contexts, negatives)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    np.testing.assert_allclose(dE, E_t.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dTheta, Theta_t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_skipgram_loss_passes_a_gradient_check():
    E, Theta, centers, contexts, negatives = _skipgram_case(4)
    _, dE, dTheta = skipgram_loss(E, Theta, centers, contexts, negatives)
    for name, x, analytic in (("dE", E, dE), ("dTheta", Theta, dTheta)):
        numeric = numerical_gradient(
            lambda: skipgram_loss(E, Theta, centers, contexts, negatives)[0], x)
        assert _relative_error(analytic, numeric) < 1e-7, name


def test_glove_weight():
    np.testing.assert_allclose(glove_weight(np.array([0.0, 50.0, 100.0, 400.0])),
                               [0.0, 0.5**0.75, 1.0, 1.0])


def _glove_case(seed, n_e=3, V=6):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 200, size=(V, V)) * (rng.random((V, V)) < 0.6)
    return (X.astype(float), rng.normal(size=(n_e, V)), rng.normal(size=(n_e, V)),
            rng.normal(size=V), rng.normal(size=V))


def test_glove_cost_matches_pytorch_autograd():
    X, Theta, E, b, b_prime = _glove_case(5)
    tensors = [torch.tensor(a, requires_grad=True) for a in (Theta, E, b, b_prime)]
    Theta_t, E_t, b_t, bp_t = tensors
    X_t = torch.tensor(X)
    f = torch.clamp((X_t / 100.0) ** 0.75, max=1.0)
    log_X = torch.log(torch.where(X_t > 0, X_t, torch.ones_like(X_t)))
    J_t = (f * (Theta_t.T @ E_t + b_t[:, None] + bp_t[None, :] - log_X) ** 2).sum()
    J_t.backward()
    J, grads = glove_cost(X, Theta, E, b, b_prime)
    assert J == pytest.approx(J_t.item(), rel=1e-12)
    for key, tensor in zip(("dTheta", "dE", "db", "db_prime"), tensors, strict=True):
        np.testing.assert_allclose(grads[key], tensor.grad.numpy(), rtol=1e-10, atol=1e-12,
                                   err_msg=key)


def test_glove_cost_passes_a_gradient_check_and_ignores_unseen_pairs():
    X, Theta, E, b, b_prime = _glove_case(6)
    J, grads = glove_cost(X, Theta, E, b, b_prime)
    for key, x in (("dTheta", Theta), ("dE", E), ("db", b), ("db_prime", b_prime)):
        numeric = numerical_gradient(lambda: glove_cost(X, Theta, E, b, b_prime)[0], x)
        assert _relative_error(grads[key], numeric) < 1e-7, key
    X_more = X.copy()
    X_more[X == 0] = 0.0  # unchanged zeros: the cost does not look at them
    assert glove_cost(X_more, Theta, E, b, b_prime)[0] == J


def test_cooccurrence_counts_by_inverse_distance():
    tokens = np.array([0, 1, 2, 0, 5])  # word 5 is outside the V = 3 kept
    X = cooccurrence(tokens, V=3, window=2)
    expected = np.zeros((3, 3))
    for i, j, w in ((0, 1, 1), (1, 2, 1), (2, 0, 1), (0, 2, 0.5), (1, 0, 0.5)):
        expected[i, j] += w
        expected[j, i] += w
    np.testing.assert_allclose(X, expected)
