"""Setting up the optimization problem: normalized inputs and initial weights (Course 2, week 1).

Inputs are normalized with the training set's per-feature mean and variance, and
the dev/test examples with those same statistics. Then three ways to start a network
[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID: all zeros (every unit of a layer stays
identical), large random weights (the sigmoid saturates) and He initialization,
randn * sqrt(2 / n[l-1]), which keeps the spread of Z about constant from layer to
layer under ReLU.

Every initializer takes layer_dims = [n[0], n[1], ..., n[L]] and returns
{"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL": (n[L], n[L-1]), "bL": (n[L], 1)}
with zero biases; the random ones draw W1, then W2, ... from ``np.random.randn``
so that ``np.random.seed`` decides the result.
"""

import numpy as np

from .dense import linear_activation_backward, linear_backward, model_forward, update_parameters
from .plot import CostLog, progress_bar


def normalize_inputs(X_train, X_test):
    """Normalize every feature with the mean and variance of the training set.

    mu = (1/m) sum_i x(i);  sigma2 = (1/m) sum_i (x(i) - mu)^2  (per feature, over the
    m training examples); x_norm = (x - mu) / sqrt(sigma2), for the training examples
    and, with the same mu and sigma2, for the dev/test examples.

    X_train: (n_x, m) training examples as columns (no feature constant over them)
    X_test: (n_x, m_test) dev or test examples
    Returns X_train_norm (n_x, m), X_test_norm (n_x, m_test), mu (n_x, 1), sigma2 (n_x, 1).
    """
    ### BEGIN SOLUTION
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma2 = np.mean((X_train - mu) ** 2, axis=1, keepdims=True)
    sigma = np.sqrt(sigma2)
    # The test examples get the training set's statistics: the network learned on that
    # scale, and the test set's own statistics would move its points relative to it.
    X_train_norm = (X_train - mu) / sigma
    X_test_norm = (X_test - mu) / sigma
    ### END SOLUTION
    return X_train_norm, X_test_norm, mu, sigma2


def initialize_parameters_zeros(layer_dims):
    """All weights and biases zero.

    layer_dims: [n[0], n[1], ..., n[L]], the sizes of the input and of each layer
    Returns {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL": (n[L], n[L-1]),
    "bL": (n[L], 1)}, every array of zeros.
    """
    ### BEGIN SOLUTION
    parameters = {}
    L = len(layer_dims) - 1
    for l in range(1, L + 1):
        parameters[f"W{l}"] = np.zeros((layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    ### END SOLUTION
    return parameters


def initialize_parameters_random(layer_dims):
    """Large random weights, W{l} = 10 * randn(n[l], n[l-1]); zero biases.

    layer_dims: [n[0], n[1], ..., n[L]]
    Returns {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL", "bL"}. W1, W2, ...
    are drawn in that order, one ``np.random.randn`` call each.
    """
    ### BEGIN SOLUTION
    parameters = {}
    L = len(layer_dims) - 1
    for l in range(1, L + 1):
        parameters[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 10
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    ### END SOLUTION
    return parameters


def initialize_parameters_he(layer_dims):
    """He initialization, W{l} = randn(n[l], n[l-1]) * sqrt(2 / n[l-1]); zero biases.

    layer_dims: [n[0], n[1], ..., n[L]]
    Returns {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL", "bL"}. W1, W2, ...
    are drawn in that order, one ``np.random.randn`` call each.
    """
    ### BEGIN SOLUTION
    parameters = {}
    L = len(layer_dims) - 1
    for l in range(1, L + 1):
        # Variance 2 / n[l-1]: a unit sums n[l-1] inputs, and ReLU zeroes about half
        # of them, so the factor 2 keeps Var(Z) from shrinking layer after layer.
        parameters[f"W{l}"] = (np.random.randn(layer_dims[l], layer_dims[l - 1])
                               * np.sqrt(2 / layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    ### END SOLUTION
    return parameters


def cross_entropy_from_logits(ZL, Y):
    """Binary cross-entropy of sigmoid(ZL) against Y, computed from ZL.

    Equal to ``losses.compute_cost(sigmoid(ZL), Y)``, but finite when ZL is so large
    that sigmoid(ZL) rounds to exactly 0 or 1 (where log gives -inf):
    -[y log s(z) + (1 - y) log(1 - s(z))] = max(z, 0) - y z + log(1 + e^-|z|).

    ZL: (1, m) scores of the output layer; Y: (1, m) labels in {0, 1}
    Returns the cost averaged over the m examples, a Python float.
    """
    return float(np.mean(np.maximum(ZL, 0) - Y * ZL + np.log1p(np.exp(-np.abs(ZL)))))


def backward_from_logits(AL, Y, caches):
    """``dense.model_backward`` with the output layer's dZ[L] = AL - Y written out.

    model_backward goes through dA[L] = -(Y / AL - (1 - Y) / (1 - AL)), which is
    inf / 0 = nan once a large initialization saturates AL to exactly 0 or 1; the
    product dA[L] * sigmoid'(Z[L]) simplifies to AL - Y, which stays finite.

    AL: (1, m); Y: (1, m); caches: the list returned by ``dense.model_forward``
    Returns grads {"dW1": (n[1], n[0]), "db1": (n[1], 1), ..., "dWL", "dbL"}.
    """
    L = len(caches)
    linear_cache, _ = caches[L - 1]
    dA, dW, db = linear_backward(AL - Y, linear_cache)
    grads = {f"dW{L}": dW, f"db{L}": db}
    for l in reversed(range(1, L)):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1],
                                                                          "relu")
    return grads


def model(X, Y, initialize, layer_dims, learning_rate=0.01, num_iterations=15000,
          print_cost=False, progress=False):
    """Train [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID from a given initialization.

    X: (n[0], m) inputs; Y: (1, m) labels in {0, 1}
    initialize: a function layer_dims -> parameters (one of the three above)
    layer_dims: [n[0], n[1], ..., n[L]]
    Returns the trained parameters and costs, the cost recorded every 100 iterations.
    """
    parameters = initialize(layer_dims)
    log = CostLog(every=100, print_cost=print_cost)
    for i in progress_bar(range(num_iterations), show=progress):
        # Large weights push Z[L] to hundreds: exp(-Z) in the sigmoid overflows to inf and
        # sigmoid returns exactly 0 or 1, which is the right limit, so no warning is needed.
        with np.errstate(over="ignore"):
            AL, caches = model_forward(X, parameters)
        if log.due(i):
            log.record(i, cross_entropy_from_logits(caches[-1][1], Y))
        grads = backward_from_logits(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, log.costs


def predict(X, parameters):
    """Labels predicted by a trained network: 1 where AL > 0.5, else 0.

    ``dense.predict`` with the sigmoid's overflow warning silenced: after a large
    initialization Z[L] can stay in the hundreds, where sigmoid is exactly 0 or 1.
    X: (n[0], m); parameters: {"W1", "b1", ..., "WL", "bL"}
    Returns a (1, m) integer array of 0/1 labels.
    """
    with np.errstate(over="ignore"):
        AL, _ = model_forward(X, parameters)
    return (AL > 0.5).astype(int)
