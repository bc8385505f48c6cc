"""Regularizing a 3-layer network: L2 weight decay, inverted dropout and L1 (Course 2, week 1).

The network is LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID:

    Z1 = W1 X + b1,   A1 = relu(Z1)        n[1] units
    Z2 = W2 A1 + b2,  A2 = relu(Z2)        n[2] units
    Z3 = W3 A2 + b3,  A3 = sigmoid(Z3)     1 unit, the probability of class 1

with W1: (n[1], n[0]), b1: (n[1], 1), W2: (n[2], n[1]), b2: (n[2], 1), W3: (1, n[2]),
b3: (1, 1) and examples as columns (X: (n[0], m), Y: (1, m)). Gradients are returned
as grads = {"dW1", "db1", "dW2", "db2", "dW3", "db3"}, each shaped like its parameter.

Caches are dicts, read by name by the matching backward function:

- forward_propagation: {"Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3", "W3",
  "b3"}
- forward_propagation_with_dropout: the same and "D1": (n[1], m), "D2": (n[2], m), boolean
  masks (True = unit kept); there "A1" and "A2" are the activations after dropout, as the
  next layer saw them.
"""

import numpy as np

from .activations import relu, relu_derivative, sigmoid
from .dense import update_parameters
from .init import initialize_parameters_he
from .losses import compute_cost
from .plot import CostLog, progress_bar


def forward_propagation(X, parameters):
    """Forward pass of the 3-layer network, without dropout.

    X: (n[0], m); parameters: {"W1": (n[1], n[0]), "b1": (n[1], 1), "W2": (n[2], n[1]),
    "b2": (n[2], 1), "W3": (1, n[2]), "b3": (1, 1)}
    Returns A3: (1, m) probabilities and cache = {"Z1", "A1", "W1", "b1", "Z2", "A2", "W2",
    "b2", "Z3", "A3", "W3", "b3"}, the arrays of those names.
    """
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    cache = {"Z1": Z1, "A1": A1, "W1": W1, "b1": b1, "Z2": Z2, "A2": A2, "W2": W2, "b2": b2,
             "Z3": Z3, "A3": A3, "W3": W3, "b3": b3}
    return A3, cache


def backward_propagation(X, Y, cache):
    """Gradients of the cross-entropy cost of the 3-layer network, without regularization.

    X: (n[0], m); Y: (1, m) labels in {0, 1}; cache from forward_propagation
    Returns grads {"dW1": (n[1], n[0]), "db1": (n[1], 1), "dW2": (n[2], n[1]),
    "db2": (n[2], 1), "dW3": (1, n[2]), "db3": (1, 1)}.
    """
    m = X.shape[1]
    A1, A2, A3 = cache["A1"], cache["A2"], cache["A3"]
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dZ2 = (cache["W3"].T @ dZ3) * relu_derivative(cache["Z2"])
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = (cache["W2"].T @ dZ2) * relu_derivative(cache["Z1"])
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """Cross-entropy plus the L2 penalty (lambd / (2 m)) * sum of the squared weights.

    J = -(1/m) sum_i [y_i log a_i + (1 - y_i) log(1 - a_i)]
        + (lambd / (2 m)) (||W1||^2 + ||W2||^2 + ||W3||^2)   (squared Frobenius norms)

    A3: (1, m) predicted probabilities; Y: (1, m) labels in {0, 1}
    parameters: {"W1", "b1", "W2", "b2", "W3", "b3"} (the biases are not penalized)
    lambd: the regularization strength lambda >= 0
    Returns J as a Python float.
    """
    ### BEGIN SOLUTION
    m = Y.shape[1]
    cross_entropy_cost = compute_cost(A3, Y)
    squared_weights = sum(np.sum(np.square(parameters[f"W{l}"])) for l in (1, 2, 3))
    L2_regularization_cost = lambd / (2 * m) * squared_weights
    cost = float(cross_entropy_cost + L2_regularization_cost)
    ### END SOLUTION
    return cost


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """Gradients of the L2-regularized cost (compute_cost_with_regularization).

    The penalty adds (lambd / m) W{l} to each dW{l}; the biases' gradients are
    unchanged.

    X: (n[0], m); Y: (1, m); cache from forward_propagation: a dict holding, among
    others, the weights "W1", "W2", "W3"
    lambd: the regularization strength lambda >= 0
    Returns grads with exactly the keys {"dW1": (n[1], n[0]), "db1": (n[1], 1),
    "dW2": (n[2], n[1]), "db2": (n[2], 1), "dW3": (1, n[2]), "db3": (1, 1)}.
    """
    ### BEGIN SOLUTION
    m = X.shape[1]
    W1, W2, W3 = cache["W1"], cache["W2"], cache["W3"]
    grads = backward_propagation(X, Y, cache)
    # d/dW of (lambd / (2m)) ||W||^2 is (lambd / m) W: every step also shrinks the
    # weights towards 0 ("weight decay").
    grads["dW1"] = grads["dW1"] + lambd / m * W1
    grads["dW2"] = grads["dW2"] + lambd / m * W2
    grads["dW3"] = grads["dW3"] + lambd / m * W3
    ### END SOLUTION
    return grads


def compute_cost_with_l1(A3, Y, parameters, lambd):
    """Cross-entropy plus the L1 penalty (lambd / (2 m)) * sum of |weights| (not graded).

    A3: (1, m); Y: (1, m); parameters: {"W1", ..., "b3"} (the biases are not penalized)
    Returns J as a Python float.
    """
    m = Y.shape[1]
    absolute_weights = sum(np.sum(np.abs(parameters[f"W{l}"])) for l in (1, 2, 3))
    return float(compute_cost(A3, Y) + lambd / (2 * m) * absolute_weights)


def backward_propagation_with_l1(X, Y, cache, lambd):
    """Gradients of compute_cost_with_l1 (not graded): (lambd / (2 m)) sign(W{l}) is
    added to each dW{l}, the same pull towards 0 for every nonzero weight, however small.

    X: (n[0], m); Y: (1, m); cache from forward_propagation
    Returns grads {"dW1", "db1", "dW2", "db2", "dW3", "db3"}.
    """
    m = X.shape[1]
    grads = backward_propagation(X, Y, cache)
    for l in (1, 2, 3):
        grads[f"dW{l}"] = grads[f"dW{l}"] + lambd / (2 * m) * np.sign(cache[f"W{l}"])
    return grads


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    """Forward pass with inverted dropout on both hidden layers.

    Each hidden unit is kept with probability keep_prob: draw a uniform number per
    unit and example with ``np.random.rand`` (D1 for layer 1 first, then D2), keep the
    unit where it is below keep_prob, and divide the kept activations by keep_prob
    so that their expected value is unchanged.

    X: (n[0], m); parameters: {"W1": (n[1], n[0]), "b1": (n[1], 1), "W2": (n[2], n[1]),
    "b2": (n[2], 1), "W3": (1, n[2]), "b3": (1, 1)}; keep_prob: probability of keeping a
    hidden unit
    Returns A3: (1, m) and cache = {"Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2",
    "b2", "Z3", "A3", "W3", "b3"}, with D1: (n[1], m) and D2: (n[2], m) boolean masks and
    A1, A2 after dropout.
    """
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    ### BEGIN SOLUTION
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    D1 = np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob
    # Dividing by keep_prob keeps E[A1] as without dropout, so at test time the
    # network runs unchanged, with every unit on.
    A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    D2 = np.random.rand(A2.shape[0], A2.shape[1]) < keep_prob
    A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    ### END SOLUTION
    cache = {"Z1": Z1, "D1": D1, "A1": A1, "W1": W1, "b1": b1, "Z2": Z2, "D2": D2, "A2": A2,
             "W2": W2, "b2": b2, "Z3": Z3, "A3": A3, "W3": W3, "b3": b3}
    return A3, cache


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """Gradients of the cross-entropy cost through the network with the dropout masks of cache.

    The units dropped in the forward pass get no gradient: dA1 and dA2 are multiplied
    by the same masks and divided by the same keep_prob as A1 and A2 were.

    X: (n[0], m); Y: (1, m); keep_prob as in the forward pass
    cache = {"Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2", "Z3", "A3", "W3",
    "b3"} from forward_propagation_with_dropout
    Returns grads with exactly the keys {"dW1": (n[1], n[0]), "db1": (n[1], 1),
    "dW2": (n[2], n[1]), "db2": (n[2], 1), "dW3": (1, n[2]), "db3": (1, 1)}.
    """
    ### BEGIN SOLUTION
    m = X.shape[1]
    A1, A2, A3 = cache["A1"], cache["A2"], cache["A3"]
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = (cache["W3"].T @ dZ3) * cache["D2"] / keep_prob
    dZ2 = dA2 * relu_derivative(cache["Z2"])
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = (cache["W2"].T @ dZ2) * cache["D1"] / keep_prob
    dZ1 = dA1 * relu_derivative(cache["Z1"])
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    ### END SOLUTION
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


def model(X, Y, learning_rate=0.3, num_iterations=15000, lambd=0, keep_prob=1,
          layer_dims=(2, 40, 20, 1), penalty="L2", print_cost=False, progress=False):
    """Train the 3-layer network by batch gradient descent, with a penalty or dropout.

    X: (n[0], m) inputs; Y: (1, m) labels in {0, 1}
    lambd: penalty strength (0 for none); penalty: "L2" or "L1"
    keep_prob: dropout keep probability (1 for none)
    layer_dims: (n[0], n[1], n[2], 1); He initialization
    Returns the trained parameters and costs, the cost recorded every 100 iterations
    (with the penalty when lambd > 0; on the thinned network when keep_prob < 1).
    """
    assert lambd == 0 or keep_prob == 1, "this model uses a penalty or dropout, one at a time"
    if penalty == "L1":
        cost_function, backward_with_penalty = compute_cost_with_l1, backward_propagation_with_l1
    else:
        cost_function = compute_cost_with_regularization
        backward_with_penalty = backward_propagation_with_regularization
    parameters = initialize_parameters_he(list(layer_dims))
    log = CostLog(every=100, print_cost=print_cost)
    for i in progress_bar(range(num_iterations), show=progress):
        if keep_prob < 1:
            A3, cache = forward_propagation_with_dropout(X, parameters, keep_prob)
            grads = backward_propagation_with_dropout(X, Y, cache, keep_prob)
        else:
            A3, cache = forward_propagation(X, parameters)
            if lambd > 0:
                grads = backward_with_penalty(X, Y, cache, lambd)
            else:
                grads = backward_propagation(X, Y, cache)
        if log.due(i):
            # An overfit network can be so sure of a training point that A3 rounds to
            # exactly 0 or 1, where 0 * log(0) gives nan; clipping changes only such points.
            A3_clipped = np.clip(A3, 1e-12, 1 - 1e-12)
            log.record(i, cost_function(A3_clipped, Y, parameters, lambd))
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, log.costs


def predict(X, parameters):
    """Labels of the trained network, every unit on (no dropout at test time).

    X: (n[0], m); parameters as returned by model
    Returns a (1, m) integer array of 0/1 labels.
    """
    A3, _ = forward_propagation(X, parameters)
    return (A3 > 0.5).astype(int)
