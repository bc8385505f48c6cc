"""dlcourse.logistic: logistic regression as a one-neuron network."""

import numpy as np
import pytest
import torch

from dlcourse.checks import numerical_gradient
from dlcourse.logistic import initialize_with_zeros, model, optimize, predict, propagate


def _problem(seed, n_x=4, m=7):
    """Random weights, bias, examples (n_x, m) and 0/1 labels (1, m)."""
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.5, size=(n_x, 1))
    b = float(rng.normal())
    X = rng.normal(size=(n_x, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    return w, b, X, Y


def _separable(seed, n_x=3, m=60):
    """Two Gaussian blobs far apart along the first feature: a linearly separable set."""
    rng = np.random.default_rng(seed)
    Y = (np.arange(m) % 2).reshape(1, m).astype(float)
    X = rng.normal(size=(n_x, m))
    X[0] += 4 * (2 * Y[0] - 1)
    return X, Y


# initialize_with_zeros

@pytest.mark.parametrize("dim", [1, 5, 12288])
def test_initialize_with_zeros_shapes_and_values(dim):
    w, b = initialize_with_zeros(dim)
    assert w.shape == (dim, 1), f"expected w.shape ({dim}, 1) for dim={dim}; got {w.shape}"
    assert w.dtype == np.float64, f"expected float64 weights for dim={dim}; got {w.dtype}"
    assert not w.any(), f"expected all-zero weights for dim={dim}; got {w.ravel()[:5]}"
    assert isinstance(b, float) and b == 0.0, f"expected b = 0.0 (a float); got {b!r}"


# propagate

def test_propagate_shapes_and_types():
    w, b, X, Y = _problem(0, n_x=4, m=7)
    grads, cost = propagate(w, b, X, Y)
    assert set(grads) == {"dw", "db"}, f"expected grads keys dw, db; got {sorted(grads)}"
    assert grads["dw"].shape == (4, 1), f"expected dw (4, 1) for X (4, 7); got {grads['dw'].shape}"
    assert grads["dw"].dtype == np.float64, f"expected float64 dw; got {grads['dw'].dtype}"
    assert isinstance(grads["db"], float), f"expected db a float; got {type(grads['db'])}"
    assert isinstance(cost, float), f"expected the cost a float; got {type(cost)}"


def test_propagate_at_zero_weights_by_hand():
    # With w = 0, b = 0 every probability is 1/2: the cost is log 2 whatever the
    # labels, dZ = 1/2 - Y, dw = X dZ^T / m and db = mean(dZ).
    X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.0]])
    Y = np.array([[1.0, 0.0, 1.0]])
    grads, cost = propagate(np.zeros((2, 1)), 0.0, X, Y)
    # dZ = [-1/2, 1/2, -1/2]: dw = ([-1/2 + 1 + 1/2], [-3/2 + 2 + 3/2]) / 3 = [1/3, 2/3]
    np.testing.assert_allclose(cost, np.log(2), rtol=1e-12,
                               err_msg="propagate cost at w = 0, b = 0")
    np.testing.assert_allclose(grads["dw"], [[1 / 3], [2 / 3]], rtol=1e-12,
                               err_msg="propagate dw at w = 0, b = 0")
    np.testing.assert_allclose(grads["db"], -1 / 6, rtol=1e-12,
                               err_msg="propagate db at w = 0, b = 0")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_propagate_matches_torch_bce(seed):
    """Cost and gradients against PyTorch's binary cross-entropy with autograd (float64)."""
    w, b, X, Y = _problem(seed, n_x=5, m=9)
    grads, cost = propagate(w, b, X, Y)

    w_t = torch.tensor(w, requires_grad=True)
    b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    A_t = torch.sigmoid(w_t.T @ torch.tensor(X) + b_t)
    cost_t = torch.nn.functional.binary_cross_entropy(A_t, torch.tensor(Y))
    cost_t.backward()

    np.testing.assert_allclose(cost, cost_t.item(), rtol=1e-12,
                               err_msg=f"propagate cost vs torch BCE, seed {seed}")
    np.testing.assert_allclose(grads["dw"], w_t.grad.numpy(), rtol=1e-10, atol=1e-14,
                               err_msg=f"propagate dw vs torch autograd, seed {seed}")
    np.testing.assert_allclose(grads["db"], b_t.grad.item(), rtol=1e-10, atol=1e-14,
                               err_msg=f"propagate db vs torch autograd, seed {seed}")


@pytest.mark.parametrize("seed", [3, 4])
def test_propagate_gradients_match_finite_differences(seed):
    w, b, X, Y = _problem(seed, n_x=4, m=6)
    grads, _ = propagate(w, b, X, Y)
    wb = np.array([b])  # b in an array so numerical_gradient can nudge it in place

    dw_num = numerical_gradient(lambda: propagate(w, wb[0], X, Y)[1], w)
    db_num = numerical_gradient(lambda: propagate(w, wb[0], X, Y)[1], wb)

    np.testing.assert_allclose(grads["dw"], dw_num, rtol=1e-6, atol=1e-9,
                               err_msg=f"propagate dw vs finite differences, seed {seed}")
    np.testing.assert_allclose(grads["db"], db_num[0], rtol=1e-6, atol=1e-9,
                               err_msg=f"propagate db vs finite differences, seed {seed}")


def test_propagate_cost_is_small_for_confident_right_answers():
    X, Y = _separable(5)
    w = np.array([[5.0], [0.0], [0.0]])  # points along the axis that separates the blobs
    _, cost = propagate(w, 0.0, X, Y)
    assert cost < 1e-3, f"expected a near-zero cost for a separating w; got {cost}"
    _, cost_flipped = propagate(-w, 0.0, X, Y)
    assert cost_flipped > 10, f"expected a large cost for the opposite w; got {cost_flipped}"


# optimize

def test_optimize_one_step_is_a_gradient_step():
    w, b, X, Y = _problem(6)
    grads, cost = propagate(w, b, X, Y)
    params, last_grads, costs = optimize(w, b, X, Y, num_iterations=1, learning_rate=0.1)
    np.testing.assert_allclose(params["w"], w - 0.1 * grads["dw"], rtol=1e-12,
                               err_msg="optimize: w after one step of alpha = 0.1")
    np.testing.assert_allclose(params["b"], b - 0.1 * grads["db"], rtol=1e-12,
                               err_msg="optimize: b after one step of alpha = 0.1")
    assert costs == [cost], f"expected costs [{cost}] after one step; got {costs}"
    np.testing.assert_allclose(last_grads["dw"], grads["dw"], rtol=1e-12)


@pytest.mark.parametrize("num_iterations, n_costs", [(1, 1), (100, 1), (101, 2), (350, 4)])
def test_optimize_records_cost_every_100_iterations(num_iterations, n_costs):
    w, b, X, Y = _problem(7)
    _, _, costs = optimize(w, b, X, Y, num_iterations=num_iterations, learning_rate=0.05)
    assert len(costs) == n_costs, (f"expected {n_costs} costs for num_iterations="
                                   f"{num_iterations}; got {len(costs)}")
    assert all(isinstance(c, float) for c in costs), f"expected floats; got {costs}"


def test_optimize_lowers_the_cost_and_leaves_inputs_alone():
    w, b, X, Y = _problem(8, n_x=3, m=20)
    w_before = w.copy()
    params, _, costs = optimize(w, b, X, Y, num_iterations=500, learning_rate=0.1)
    np.testing.assert_array_equal(w, w_before, err_msg="optimize changed the caller's w")
    assert all(c1 > c2 for c1, c2 in zip(costs, costs[1:], strict=False)), (
        f"expected the cost to fall at every record for a small learning rate; got {costs}")
    _, final_cost = propagate(params["w"], params["b"], X, Y)
    assert final_cost < costs[0], f"expected a final cost below {costs[0]}; got {final_cost}"


def test_optimize_matches_torch_sgd():
    """300 steps of plain gradient descent against torch.optim.SGD on the same BCE (float64)."""
    w, b, X, Y = _problem(9, n_x=4, m=15)
    params, _, _ = optimize(w, b, X, Y, num_iterations=300, learning_rate=0.2)

    w_t = torch.tensor(w, requires_grad=True)
    b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    sgd = torch.optim.SGD([w_t, b_t], lr=0.2)
    X_t, Y_t = torch.tensor(X), torch.tensor(Y)
    for _ in range(300):
        sgd.zero_grad()
        torch.nn.functional.binary_cross_entropy(torch.sigmoid(w_t.T @ X_t + b_t), Y_t).backward()
        sgd.step()

    np.testing.assert_allclose(params["w"], w_t.detach().numpy(), rtol=1e-9,
                               err_msg="optimize w vs torch SGD after 300 steps")
    np.testing.assert_allclose(params["b"], b_t.item(), rtol=1e-9,
                               err_msg="optimize b vs torch SGD after 300 steps")


# predict

def test_predict_by_hand():
    w = np.array([[1.0], [-1.0]])
    X = np.array([[2.0, 0.0, 1.0, -3.0], [1.0, 2.0, 1.0, 0.0]])
    # w^T X + b with b = 0.5: [1.5, -1.5, 0.5, -2.5] -> probabilities above 1/2 where positive
    got = predict(w, 0.5, X)
    np.testing.assert_array_equal(got, [[1, 0, 1, 0]],
                                  err_msg="predict for w = [1, -1], b = 0.5")
    assert got.dtype.kind == "i", (
        f"predict: expected integer 0/1 labels (e.g. int64) for w = [1, -1], b = 0.5; got "
        f"dtype {got.dtype}")


@pytest.mark.parametrize("seed", [10, 11])
def test_predict_shape_and_agreement_with_probabilities(seed):
    w, b, X, _ = _problem(seed, n_x=6, m=25)
    got = predict(w, b, X)
    assert got.shape == (1, 25), f"expected (1, 25) for X (6, 25); got {got.shape}"
    assert set(np.unique(got)) <= {0, 1}, f"expected only 0 and 1; got {np.unique(got)}"
    assert got.dtype.kind == "i", f"expected integer labels; got dtype {got.dtype}"
    # Probability above 1/2 is the same as a positive score.
    np.testing.assert_array_equal(got, (w.T @ X + b > 0).astype(int),
                                  err_msg=f"predict vs sign of the score, seed {seed}")


# model

def test_model_returns_everything_with_the_right_shapes():
    X_train, Y_train = _separable(12, n_x=3, m=40)
    X_test, Y_test = _separable(13, n_x=3, m=10)
    d = model(X_train, Y_train, X_test, Y_test, num_iterations=250, learning_rate=0.1)
    expected_keys = {"costs", "Y_prediction_test", "Y_prediction_train", "w", "b",
                     "learning_rate", "num_iterations"}
    assert set(d) == expected_keys, f"expected keys {sorted(expected_keys)}; got {sorted(d)}"
    assert d["w"].shape == (3, 1), f"expected w (3, 1); got {d['w'].shape}"
    assert d["Y_prediction_train"].shape == (1, 40), d["Y_prediction_train"].shape
    assert d["Y_prediction_test"].shape == (1, 10), d["Y_prediction_test"].shape
    assert len(d["costs"]) == 3, f"expected 3 costs for 250 iterations; got {len(d['costs'])}"
    assert (d["learning_rate"], d["num_iterations"]) == (0.1, 250)


def test_model_is_initialize_optimize_predict():
    X_train, Y_train = _separable(14)
    X_test, _ = _separable(15, m=12)
    d = model(X_train, Y_train, X_test, np.zeros((1, 12)), num_iterations=120,
              learning_rate=0.05)
    params, _, costs = optimize(*initialize_with_zeros(3), X_train, Y_train, 120, 0.05)
    np.testing.assert_allclose(d["w"], params["w"], rtol=1e-12, err_msg="model w")
    np.testing.assert_allclose(d["b"], params["b"], rtol=1e-12, err_msg="model b")
    assert d["costs"] == costs, f"expected costs {costs}; got {d['costs']}"
    np.testing.assert_array_equal(d["Y_prediction_test"], predict(params["w"], params["b"],
                                                                  X_test))


def test_model_separates_separable_blobs():
    X_train, Y_train = _separable(16)
    X_test, Y_test = _separable(17, m=30)
    d = model(X_train, Y_train, X_test, Y_test, num_iterations=300, learning_rate=0.1)
    for split, Y in (("train", Y_train), ("test", Y_test)):
        accuracy = np.mean(d[f"Y_prediction_{split}"] == Y)
        assert accuracy == 1.0, f"expected 100% {split} accuracy on separated blobs; got {accuracy}"


@pytest.mark.slow
def test_model_reaches_the_notebook_target_on_the_animal_images():
    """The c1w2a2 notebook's run: train accuracy >= 95%, test 10 points above the baseline."""
    from dlcourse.data import load_animals

    train_x, train_y, test_x, test_y, _ = load_animals()
    X_train = train_x.reshape(train_x.shape[0], -1).T / 255  # (12288, 209)
    X_test = test_x.reshape(test_x.shape[0], -1).T / 255  # (12288, 300)
    d = model(X_train, train_y, X_test, test_y, num_iterations=2000, learning_rate=0.005)
    train_accuracy = np.mean(d["Y_prediction_train"] == train_y)
    test_accuracy = np.mean(d["Y_prediction_test"] == test_y)
    assert train_accuracy >= 0.95, f"expected train accuracy >= 95%; got {train_accuracy:.1%}"
    baseline = np.mean(test_y == int(train_y.mean() > 0.5))
    assert test_accuracy >= baseline + 0.1, (
        f"expected test accuracy >= baseline {baseline:.1%} + 10 points; got {test_accuracy:.1%}")
    assert d["costs"][-1] < d["costs"][0] / 3, f"expected the cost to fall; got {d['costs']}"
