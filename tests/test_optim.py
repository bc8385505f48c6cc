"""dlcourse.optim: mini-batches, averages, momentum, RMSprop, Adam, learning-rate decay.

The three optimizers are run for 50 steps beside their PyTorch counterparts
(float64, the same gradient sequence fed through ``p.grad``) and must agree to
1e-10 at every step, both on a dense net's {"W1", "b1", ...} and on a dict whose keys
are not W/b pairs (a convolution filter, batch norm's gamma and beta, an odd count).
"""

import numpy as np
import pytest
import torch

from dlcourse.data import make_moons, train_test_split
from dlcourse.dense import predict
from dlcourse.optim import (
    exponentially_weighted_average,
    initialize_adam,
    initialize_rmsprop,
    initialize_velocity,
    model,
    random_mini_batches,
    schedule_lr_decay,
    update_lr,
    update_parameters_with_adam,
    update_parameters_with_momentum,
    update_parameters_with_rmsprop,
)

STEPS = 50


def _parameters(seed, layer_dims=(3, 4, 2, 1)):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.normal(size=(layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(size=(layer_dims[l], 1))
    return parameters


def _parameters_any_keys(seed):
    """Arrays under names that are not W{l}/b{l} pairs: a conv filter (f, f, n_C_prev, n_C),
    its bias (1, 1, 1, n_C), batch norm's gamma and beta, and a dense layer without bias;
    seven arrays, so len(parameters) // 2 would count the layers wrong."""
    rng = np.random.default_rng(seed)
    return {"Wconv1": rng.normal(size=(3, 3, 2, 4)), "bconv1": rng.normal(size=(1, 1, 1, 4)),
            "W2": rng.normal(size=(5, 36)), "gamma2": rng.normal(1, 0.3, size=(5, 1)),
            "beta2": rng.normal(size=(5, 1)), "W3": rng.normal(size=(1, 5)),
            "b3": rng.normal(size=(1, 1))}


PARAMETER_SETS = {"dense W/b": _parameters, "conv and batch-norm keys": _parameters_any_keys}


def _gradient_sequence(seed, parameters, steps=STEPS):
    """Random gradients, one dict per step, with scales varying across steps and arrays."""
    rng = np.random.default_rng(seed)
    return [{"d" + k: rng.normal(0, 10 ** rng.uniform(-2, 1), size=v.shape)
             for k, v in parameters.items()} for _ in range(steps)]


def _torch_run(parameters, grad_sequence, make_optimizer, prepare=None):
    """Parameters after each step of a torch optimizer fed ``grad_sequence``."""
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in parameters.items()}
    optimizer = make_optimizer(list(tensors.values()))
    if prepare:
        prepare(optimizer, tensors)
    history = []
    for grads in grad_sequence:
        for k, t in tensors.items():
            t.grad = torch.tensor(grads["d" + k])
        optimizer.step()
        history.append({k: t.detach().numpy().copy() for k, t in tensors.items()})
    return history


def _assert_same(ours, theirs, what):
    for step, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        assert sorted(a) == sorted(b), f"{what}: expected keys {sorted(b)}; got {sorted(a)}"
        for key in b:
            np.testing.assert_allclose(a[key], b[key], rtol=1e-10, atol=1e-12,
                                       err_msg=f"{what}: {key} after step {step}")


# random_mini_batches

@pytest.mark.parametrize("m, size", [(148, 64), (128, 64), (5, 1), (7, 10)])
def test_random_mini_batches_partition_the_examples(m, size):
    rng = np.random.default_rng(0)
    X = np.vstack([np.arange(m), rng.normal(size=m)])  # row 0 identifies each example
    Y = (np.arange(m)[None] % 2).astype(float)
    batches = random_mini_batches(X, Y, size, seed=3)
    sizes = [bx.shape[1] for bx, _ in batches]
    expected_sizes = [size] * (m // size) + ([m % size] if m % size else [])
    assert sizes == expected_sizes, (
        f"random_mini_batches: expected sizes {expected_sizes} for m={m}, size={size}; "
        f"got {sizes}")
    seen = np.concatenate([bx[0] for bx, _ in batches])
    assert sorted(seen) == list(range(m)), (
        f"random_mini_batches: every example exactly once for m={m}; got ids {seen}")
    for bx, by in batches:
        assert bx.shape[0] == 2 and by.shape == (1, bx.shape[1]), (bx.shape, by.shape)
        np.testing.assert_array_equal(by[0], bx[0] % 2,
                                      err_msg="random_mini_batches: labels must follow examples")


def test_random_mini_batches_shuffles_with_the_seeded_permutation():
    X = np.arange(12.0).reshape(2, 6)
    Y = np.arange(6.0).reshape(1, 6)
    np.random.seed(7)
    order = np.random.permutation(6)
    batches = random_mini_batches(X, Y, 4, seed=7)
    np.testing.assert_array_equal(np.concatenate([by for _, by in batches], axis=1)[0], order,
                                  err_msg="random_mini_batches: seed 7 then permutation(6)")
    again = random_mini_batches(X, Y, 4, seed=7)
    for (a, _), (b, _) in zip(batches, again, strict=True):
        np.testing.assert_array_equal(a, b, err_msg="random_mini_batches: same seed, same batches")


@pytest.mark.parametrize("m, size", [(148, 64), (7, 3)])
def test_random_mini_batches_examples_first_is_the_transpose_of_examples_as_columns(m, size):
    """axis=0, for (m, n_H, n_W, n_C) images: the same permutation and the same batches as
    the default layout, with the example axis first."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(m, 4, 4, 3))  # (m, n_H, n_W, n_C)
    Y = np.eye(6)[rng.integers(0, 6, size=m)]  # (m, C) one-hot
    batches = random_mini_batches(X, Y, size, seed=5, axis=0)
    flat = random_mini_batches(X.reshape(m, -1).T, Y.T, size, seed=5)  # (48, m), (6, m)
    assert len(batches) == len(flat), (
        f"random_mini_batches(axis=0): expected {len(flat)} batches for m={m}, size={size}; "
        f"got {len(batches)}")
    for k, ((bx, by), (fx, fy)) in enumerate(zip(batches, flat, strict=True)):
        n = fx.shape[1]
        assert bx.shape == (n, 4, 4, 3) and by.shape == (n, 6), (
            f"random_mini_batches(axis=0): batch {k}: expected shapes {(n, 4, 4, 3)} and "
            f"{(n, 6)}; got {bx.shape} and {by.shape}")
        np.testing.assert_array_equal(bx.reshape(n, -1).T, fx,
                                      err_msg=f"random_mini_batches(axis=0): X of batch {k}")
        np.testing.assert_array_equal(by.T, fy,
                                      err_msg=f"random_mini_batches(axis=0): Y of batch {k}")


# exponentially_weighted_average

def test_ewa_hand_values():
    values = np.array([1.0, 2.0, 3.0])
    # v = 0.5, 1.25, 2.125; corrected by 1 - 0.5^t = 0.5, 0.75, 0.875.
    np.testing.assert_allclose(exponentially_weighted_average(values, 0.5, False),
                               [0.5, 1.25, 2.125], err_msg="EWA beta=0.5 without correction")
    np.testing.assert_allclose(exponentially_weighted_average(values, 0.5),
                               [1.0, 1.25 / 0.75, 2.125 / 0.875],
                               err_msg="EWA beta=0.5 with bias correction")


def test_ewa_bias_correction_recovers_a_constant():
    """A constant sequence: the corrected average is the constant from t = 1; the raw one
    starts at (1 - beta) c and climbs."""
    values = np.full(40, 7.0)
    corrected = exponentially_weighted_average(values, 0.9)
    raw = exponentially_weighted_average(values, 0.9, bias_correction=False)
    assert corrected.shape == (40,) and corrected.dtype == np.float64, corrected.shape
    np.testing.assert_allclose(corrected, 7.0, rtol=1e-12,
                               err_msg="EWA with correction of a constant 7, beta=0.9")
    np.testing.assert_allclose(raw, 7.0 * (1 - 0.9 ** np.arange(1, 41)), rtol=1e-12,
                               err_msg="EWA without correction of a constant 7, beta=0.9")


# initializers

@pytest.mark.parametrize("make", PARAMETER_SETS.values(), ids=PARAMETER_SETS.keys())
def test_initializers_give_zeros_shaped_like_the_parameters(make):
    parameters = make(0)
    v = initialize_velocity(parameters)
    s = initialize_rmsprop(parameters)
    v_adam, s_adam = initialize_adam(parameters)
    for name, d in [("initialize_velocity", v), ("initialize_rmsprop", s),
                    ("initialize_adam v", v_adam), ("initialize_adam s", s_adam)]:
        assert sorted(d) == sorted("d" + k for k in parameters), (
            f"{name}: expected the keys 'd' + k for k in {sorted(parameters)}; got {sorted(d)}")
        for k, value in parameters.items():
            assert d["d" + k].shape == value.shape and not d["d" + k].any(), (
                f"{name}: expected zeros of shape {value.shape} for d{k}; got {d['d' + k]}")


# optimizers against torch

@pytest.mark.parametrize("make", PARAMETER_SETS.values(), ids=PARAMETER_SETS.keys())
def test_momentum_matches_torch_sgd_over_50_steps(make):
    parameters = make(1)
    grad_sequence = _gradient_sequence(2, parameters)
    beta, learning_rate = 0.9, 0.05

    def zero_buffers(optimizer, tensors):
        # torch starts the buffer at the first gradient; the course starts v at 0.
        for t in tensors.values():
            optimizer.state[t]["momentum_buffer"] = torch.zeros_like(t)

    theirs = _torch_run(parameters, grad_sequence, lambda p: torch.optim.SGD(
        p, lr=learning_rate, momentum=beta, dampening=beta), zero_buffers)
    ours, v = [], initialize_velocity(parameters)
    for grads in grad_sequence:
        parameters, v = update_parameters_with_momentum(parameters, grads, v, beta,
                                                        learning_rate)
        ours.append(parameters)
    _assert_same(ours, theirs, "update_parameters_with_momentum vs torch SGD(momentum=0.9, "
                               "dampening=0.9)")


@pytest.mark.parametrize("make", PARAMETER_SETS.values(), ids=PARAMETER_SETS.keys())
def test_rmsprop_matches_torch_over_50_steps(make):
    parameters = make(3)
    grad_sequence = _gradient_sequence(4, parameters)
    beta2, learning_rate, epsilon = 0.99, 0.01, 1e-8
    theirs = _torch_run(parameters, grad_sequence, lambda p: torch.optim.RMSprop(
        p, lr=learning_rate, alpha=beta2, eps=epsilon))
    ours, s = [], initialize_rmsprop(parameters)
    for grads in grad_sequence:
        parameters, s = update_parameters_with_rmsprop(parameters, grads, s, beta2,
                                                       learning_rate, epsilon)
        ours.append(parameters)
    _assert_same(ours, theirs, "update_parameters_with_rmsprop vs torch RMSprop(alpha=0.99)")


@pytest.mark.parametrize("make", PARAMETER_SETS.values(), ids=PARAMETER_SETS.keys())
@pytest.mark.parametrize("beta1, beta2, epsilon", [(0.9, 0.999, 1e-8), (0.8, 0.95, 1e-3)])
def test_adam_matches_torch_over_50_steps(beta1, beta2, epsilon, make):
    parameters = make(5)
    grad_sequence = _gradient_sequence(6, parameters)
    learning_rate = 0.02
    theirs = _torch_run(parameters, grad_sequence, lambda p: torch.optim.Adam(
        p, lr=learning_rate, betas=(beta1, beta2), eps=epsilon))
    ours, (v, s) = [], initialize_adam(parameters)
    for t, grads in enumerate(grad_sequence, start=1):
        parameters, v, s, _, _ = update_parameters_with_adam(parameters, grads, v, s, t,
                                                             learning_rate, beta1, beta2,
                                                             epsilon)
        ours.append(parameters)
    _assert_same(ours, theirs, f"update_parameters_with_adam vs torch Adam(betas=({beta1}, "
                               f"{beta2}), eps={epsilon})")


def test_adam_first_step_hand_values_and_bias_correction():
    """At t = 1 the corrected averages are the gradient and its square, so each
    parameter moves by learning_rate * g / (|g| + epsilon), about learning_rate * sign(g)."""
    parameters = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[0.5]])}
    grads = {"dW1": np.array([[0.3, -4.0]]), "db1": np.array([[0.0]])}
    v, s = initialize_adam(parameters)
    new, v, s, v_corrected, s_corrected = update_parameters_with_adam(
        parameters, grads, v, s, 1, learning_rate=0.1, beta1=0.9, beta2=0.999, epsilon=1e-8)
    np.testing.assert_allclose(v["dW1"], [[0.03, -0.4]], err_msg="Adam v after one step")
    np.testing.assert_allclose(s["dW1"], [[0.09e-3, 16e-3]], err_msg="Adam s after one step")
    np.testing.assert_allclose(v_corrected["dW1"], grads["dW1"], err_msg="Adam v_corrected, t=1")
    np.testing.assert_allclose(s_corrected["dW1"], grads["dW1"] ** 2,
                               err_msg="Adam s_corrected, t=1")
    np.testing.assert_allclose(new["W1"], [[0.9, -1.9]], rtol=1e-7,
                               err_msg="Adam W1 after one step of learning_rate 0.1")
    np.testing.assert_allclose(new["b1"], [[0.5]], err_msg="Adam b1 with a zero gradient")
    assert parameters["W1"][0, 0] == 1.0, "update_parameters_with_adam changed its input"


@pytest.mark.parametrize("make", PARAMETER_SETS.values(), ids=PARAMETER_SETS.keys())
def test_updates_leave_their_inputs_unchanged(make):
    parameters = make(7)
    grads = _gradient_sequence(8, parameters, steps=1)[0]
    before = {k: v.copy() for k, v in parameters.items()}
    v = initialize_velocity(parameters)
    update_parameters_with_momentum(parameters, grads, v, 0.9, 0.1)
    update_parameters_with_rmsprop(parameters, grads, initialize_rmsprop(parameters), 0.9, 0.1)
    update_parameters_with_adam(parameters, grads, *initialize_adam(parameters), 1)
    for k in parameters:
        np.testing.assert_array_equal(parameters[k], before[k],
                                      err_msg=f"an update changed the input parameters[{k!r}]")
    assert not any(x.any() for x in v.values()), "update_parameters_with_momentum changed v"


# learning-rate decay

def test_update_lr_hand_values():
    for epoch, expected in [(0, 0.5), (1, 0.25), (3, 0.125)]:
        got = update_lr(0.5, epoch, 1.0)
        assert isinstance(got, float) and np.isclose(got, expected), (
            f"update_lr(0.5, {epoch}, 1.0): expected {expected}; got {got!r}")


def test_schedule_lr_decay_is_a_staircase():
    got = [schedule_lr_decay(0.1, epoch, 0.5, time_interval=100)
           for epoch in (0, 99, 100, 199, 200, 1050)]
    expected = [0.1, 0.1, 0.1 / 1.5, 0.1 / 1.5, 0.1 / 2, 0.1 / 6]
    np.testing.assert_allclose(got, expected, rtol=1e-12,
                               err_msg="schedule_lr_decay(0.1, epoch, 0.5, 100) at epochs "
                                       "0, 99, 100, 199, 200, 1050")
    assert schedule_lr_decay(0.2, 2500, 1.0) == pytest.approx(0.2 / 3), (
        "schedule_lr_decay: the default time_interval is 1000")


# the training loop: the notebook's target

@pytest.mark.slow
def test_model_adam_beats_mini_batch_gd_on_the_moons():
    """C2W2A1's target: at the same budget Adam reaches >= 90% test accuracy, above plain
    mini-batch gradient descent (the notebook measures 96% against 89%)."""
    X, Y = make_moons(400, noise=0.2, seed=0)
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, test_fraction=0.25, seed=0)
    accuracy = {}
    for optimizer in ("gd", "adam"):
        np.random.seed(1)
        parameters, costs = model(X_train, Y_train, [2, 5, 2, 1], optimizer,
                                  learning_rate=0.0007, num_epochs=3000)
        assert len(costs) == 30, f"model: expected 30 costs for 3000 epochs; got {len(costs)}"
        accuracy[optimizer] = float(np.mean(predict(X_test, parameters) == Y_test))
    assert accuracy["adam"] >= 0.9 and accuracy["adam"] > accuracy["gd"], (
        f"model on the moons (3000 epochs, learning rate 0.0007): expected Adam >= 90% and above "
        f"mini-batch gradient descent on test; got {accuracy}")


def test_model_runs_every_optimizer_and_decay():
    X, Y = make_moons(100, noise=0.2, seed=1)
    for optimizer in ("gd", "momentum", "rmsprop", "adam"):
        np.random.seed(2)
        parameters, costs = model(X, Y, [2, 3, 1], optimizer, learning_rate=0.01, num_epochs=101,
                                  decay=schedule_lr_decay, decay_rate=1.0)
        assert len(costs) == 2 and all(np.isfinite(costs)), (
            f"model({optimizer!r}): expected two finite costs for 101 epochs; got {costs}")
        assert parameters["W1"].shape == (3, 2), parameters["W1"].shape
    with pytest.raises(ValueError, match="unknown optimizer"):
        model(X, Y, [2, 3, 1], "sgd", num_epochs=1)


# random search (C2W3)

def test_sample_log_uniform_shape_range_and_type():
    from dlcourse.optim import sample_log_uniform

    np.random.seed(0)
    values = sample_log_uniform(1e-4, 1.0, 1000)
    assert values.shape == (1000,) and values.dtype == np.float64, (values.shape, values.dtype)
    assert values.min() >= 1e-4 and values.max() < 1.0, (
        f"sample_log_uniform(1e-4, 1, 1000): expected values in [1e-4, 1); got "
        f"[{values.min()}, {values.max()}]")
    assert sample_log_uniform(0.9, 0.999, (2, 3)).shape == (2, 3)
    one = sample_log_uniform(0.001, 0.1)
    assert isinstance(one, float) and 0.001 <= one < 0.1, (
        f"sample_log_uniform(0.001, 0.1) with no size: expected a float in range; got {one!r}")


def test_sample_log_uniform_is_10_to_a_seeded_uniform():
    from dlcourse.optim import sample_log_uniform

    np.random.seed(42)
    expected = 10 ** np.random.uniform(-3, -1, 5)
    np.random.seed(42)
    np.testing.assert_allclose(sample_log_uniform(0.001, 0.1, 5), expected, rtol=1e-12,
                               err_msg="sample_log_uniform(0.001, 0.1, 5) after seed 42: "
                                       "expected 10 ** np.random.uniform(-3, -1, 5)")


def test_sample_log_uniform_gives_each_decade_the_same_share():
    from dlcourse.optim import sample_log_uniform

    np.random.seed(1)
    values = sample_log_uniform(1e-4, 1.0, 20000)
    shares = np.histogram(np.log10(values), bins=[-4, -3, -2, -1, 0])[0] / 20000
    np.testing.assert_allclose(shares, 0.25, atol=0.02,
                               err_msg="sample_log_uniform(1e-4, 1): share of each decade")
    # A plain uniform draw on [1e-4, 1) would put 90% of the values in the top decade.
    assert shares[-1] < 0.3, shares
