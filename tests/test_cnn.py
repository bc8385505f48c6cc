"""dlcourse.cnn: the layer list's shapes, its backward pass against finite differences,
and training that lowers the cost and can freeze layers."""

import numpy as np

from dlcourse.checks import numerical_gradient
from dlcourse.cnn import (
    count_parameters,
    initialize_network,
    network_backward,
    network_forward,
    one_hot,
    output_shapes,
    softmax_cost,
    train_network,
)

SPEC = [("conv", {"f": 3, "n_C": 3, "pad": 1}), ("relu", {}), ("pool", {"f": 2, "stride": 2}),
        ("conv", {"f": 2, "n_C": 4, "stride": 1}), ("relu", {}),
        ("pool", {"f": 2, "stride": 1, "mode": "average"}),
        ("flatten", {}), ("dense", {"n": 5}), ("relu", {}), ("dense", {"n": 3})]


def test_shapes_and_parameter_names():
    parameters = initialize_network((8, 8, 2), SPEC)
    assert sorted(parameters) == ["W1", "W10", "W4", "W8", "b1", "b10", "b4", "b8"]
    assert output_shapes((8, 8, 2), SPEC)[5] == (2, 2, 4)
    assert parameters["W8"].shape == (5, 16) and parameters["b10"].shape == (3, 1)
    # Two conv layers (f f n_C_prev n_C + n_C each), then two dense (n n_prev + n each).
    assert count_parameters(parameters) == (3 * 3 * 2 * 3 + 3) + (2 * 2 * 3 * 4 + 4) + \
        (16 * 5 + 5) + (5 * 3 + 3)
    ZL, _ = network_forward(np.zeros((7, 8, 8, 2)), parameters, SPEC)
    assert ZL.shape == (3, 7), ZL.shape


def test_network_backward_passes_a_gradient_check():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4, 8, 8, 2))
    Y = one_hot(rng.integers(0, 3, size=4), 3)
    parameters = initialize_network((8, 8, 2), SPEC, seed=1)
    # Non-zero biases, so that no ReLU input sits exactly at its kink.
    parameters = {k: v + 0.1 * rng.normal(size=v.shape) for k, v in parameters.items()}
    ZL, caches = network_forward(X, parameters, SPEC)
    grads = network_backward(softmax_cost(ZL, Y)[1], caches)
    assert sorted(grads) == sorted("d" + k for k in parameters)
    for key, value in parameters.items():
        numeric = numerical_gradient(
            lambda: softmax_cost(network_forward(X, parameters, SPEC)[0], Y)[0], value)
        got = grads["d" + key]
        error = np.linalg.norm(got - numeric) / (np.linalg.norm(got) + np.linalg.norm(numeric))
        assert error < 1e-6, f"d{key}: relative error {error:.2e}"


def test_training_lowers_the_cost_and_frozen_layers_stay_put():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 8, 8, 2))
    labels = (X[:, :4].mean(axis=(1, 2, 3)) > 0).astype(int)  # learnable: the top half's sign
    spec = SPEC[:-1] + [("dense", {"n": 2})]
    parameters, costs = train_network(X, labels, spec, num_epochs=15, mini_batch_size=10,
                                      learning_rate=0.01, progress=False)
    assert costs[-1] < 0.5 * costs[0], costs
    start = initialize_network((8, 8, 2), spec, seed=0)
    frozen, _ = train_network(X, labels, spec, parameters=start, num_epochs=2,
                              trainable={"W10", "b10"}, progress=False)
    assert np.array_equal(frozen["W1"], start["W1"]), "a frozen filter moved"
    assert not np.array_equal(frozen["W10"], start["W10"]), "a trainable weight did not move"


def test_use_convolution_swaps_the_conv_layers_functions():
    """A notebook trains with its own conv functions: are they the ones called?"""
    from dlcourse import cnn
    from dlcourse.conv import conv_backward_fast, conv_forward_fast

    calls = []

    def forward(*args):
        calls.append("forward")
        return conv_forward_fast(*args)

    def backward(*args):
        calls.append("backward")
        return conv_backward_fast(*args)

    parameters = initialize_network((8, 8, 2), SPEC)
    cnn.use_convolution(forward, backward)
    try:
        ZL, caches = network_forward(np.ones((1, 8, 8, 2)), parameters, SPEC)
        network_backward(np.ones_like(ZL), caches)
    finally:
        cnn.use_convolution(conv_forward_fast, conv_backward_fast)
    assert calls == ["forward", "forward", "backward", "backward"], calls
