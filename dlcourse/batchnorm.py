"""Batch normalization of a dense layer, and a softmax classifier built with it (C2W3).

Layout: Z is (n, m), n units of one layer and one column per example of the
mini-batch. Batch norm normalizes each unit (row) over the mini-batch, then
scales and shifts it by learned gamma and beta, each (n, 1):

    mu = mean of Z over the examples        var = mean of (Z - mu)^2 (biased)
    Z_norm = (Z - mu) / sqrt(var + epsilon)  Z_tilde = gamma * Z_norm + beta

A network with batch norm keeps, for each normalized layer, running averages
of mu and var (exponentially weighted over the mini-batches) to normalize with
at test time, when there is no mini-batch to take statistics from.
"""

import numpy as np

from .activations import relu, relu_derivative, softmax
from .losses import softmax_cross_entropy, softmax_cross_entropy_backward
from .optim import initialize_adam, random_mini_batches, update_parameters_with_adam
from .plot import CostLog, progress_bar


def batchnorm_forward(Z, gamma, beta, running_mean, running_var, mode="train", momentum=0.9,
                      epsilon=1e-5):
    """Batch normalization of one layer's pre-activations.

    Z: (n, m) pre-activations of a mini-batch of m examples (m >= 2 in "train" mode)
    gamma, beta: (n, 1) learned scale and shift
    running_mean, running_var: (n, 1) running averages of the batch mean and variance
    mode: "train" normalizes with the statistics of this mini-batch and updates the
    running averages; "test" normalizes with the running averages and leaves them as
    they are
    momentum: weight of the past in the running averages; epsilon: keeps the division finite

    In "train" mode, with mu and var the mean and the biased variance (divided by m) of
    each row of Z:
        Z_norm = (Z - mu) / sqrt(var + epsilon);  out = gamma * Z_norm + beta
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var * m / (m - 1)
    The running variance averages the unbiased variance (divided by m - 1), as
    torch.nn.BatchNorm1d does (whose momentum is 1 - ours).
    In "test" mode: out = gamma * (Z - running_mean) / sqrt(running_var + epsilon) + beta.

    Returns (out, running_mean, running_var, cache): out (n, m); the running averages
    (n, 1) as new arrays (the inputs are left unchanged); cache = (Z_norm, gamma, std)
    with Z_norm (n, m) and std = sqrt(var + epsilon) (n, 1) in "train" mode, None in
    "test" mode.
    """
    ### BEGIN SOLUTION
    if mode == "test":
        Z_norm = (Z - running_mean) / np.sqrt(running_var + epsilon)
        return gamma * Z_norm + beta, running_mean.copy(), running_var.copy(), None
    m = Z.shape[1]
    mu = np.mean(Z, axis=1, keepdims=True)  # (n, 1)
    var = np.mean((Z - mu) ** 2, axis=1, keepdims=True)  # (n, 1), biased
    std = np.sqrt(var + epsilon)  # (n, 1)
    Z_norm = (Z - mu) / std  # (n, m): each unit has mean 0 and variance ~1 over the batch
    out = gamma * Z_norm + beta
    running_mean = momentum * running_mean + (1 - momentum) * mu
    # m / (m - 1) turns the batch's biased variance into an unbiased estimate of the
    # variance of the whole data, which is what test time should normalize with.
    running_var = momentum * running_var + (1 - momentum) * var * m / (m - 1)
    cache = (Z_norm, gamma, std)
    ### END SOLUTION
    return out, running_mean, running_var, cache


def batchnorm_backward(dout, cache):
    """Gradients of batch normalization in "train" mode, in the notes' convention.

    dout: (n, m) dZ_tilde, the gradient with respect to out = gamma * Z_norm + beta in
        the convention of dZ in Course 1: m times dJ/d(out), one column per example
        (the per-example gradient when the cost is an average of per-example losses)
    cache: (Z_norm (n, m), gamma (n, 1), std (n, 1)) from batchnorm_forward
    With dZ_norm = gamma * dout and sums over the m examples (axis 1):
        dZ = (m dZ_norm - sum(dZ_norm) - Z_norm sum(dZ_norm * Z_norm)) / (m std)
        dgamma = (1/m) sum(dout * Z_norm);  dbeta = (1/m) sum(dout)
    dZ is in the same convention as dout (m times dJ/dZ); dgamma and dbeta, like db,
    take the 1/m and are the gradients of the cost J itself.
    Returns (dZ (n, m), dgamma (n, 1), dbeta (n, 1)).
    """
    ### BEGIN SOLUTION
    Z_norm, gamma, std = cache
    m = dout.shape[1]
    dbeta = np.sum(dout, axis=1, keepdims=True) / m  # (n, 1), like db
    dgamma = np.sum(dout * Z_norm, axis=1, keepdims=True) / m  # (n, 1)
    dZ_norm = gamma * dout  # (n, m)
    # Every example moves the batch mean and variance, so each dZ collects, besides
    # its own term, the two sums through mu and var that all examples share.
    dZ = (m * dZ_norm - np.sum(dZ_norm, axis=1, keepdims=True)
          - Z_norm * np.sum(dZ_norm * Z_norm, axis=1, keepdims=True)) / (m * std)
    ### END SOLUTION
    return dZ, dgamma, dbeta


def initialize_network(layer_dims, batchnorm=True):
    """Parameters of [LINEAR -> BATCHNORM -> RELU] * (L-1) -> LINEAR -> SOFTMAX.

    layer_dims: [n[0], n[1], ..., n[L]], with n[L] = C classes
    Weights are He-initialized with np.random.randn (np.random.seed fixes them).
    With batchnorm, hidden layer l has W{l} (n[l], n[l-1]), gamma{l} = 1 and beta{l} = 0,
    both (n[l], 1), and no bias: subtracting the batch mean would cancel it, and beta{l}
    takes its place. Without batchnorm it has W{l} and b{l} = 0 (n[l], 1). The output
    layer has W{L} and b{L}.
    Returns (parameters, running): running = {"mean1": zeros (n[1], 1), "var1": ones
    (n[1], 1), ...} for the hidden layers, empty without batchnorm.
    """
    parameters, running = {}, {}
    L = len(layer_dims) - 1
    for l in range(1, L + 1):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        parameters[f"W{l}"] = np.random.randn(n, n_prev) * np.sqrt(2 / n_prev)
        if batchnorm and l < L:
            parameters[f"gamma{l}"] = np.ones((n, 1))
            parameters[f"beta{l}"] = np.zeros((n, 1))
            running[f"mean{l}"], running[f"var{l}"] = np.zeros((n, 1)), np.ones((n, 1))
        else:
            parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters, running


def network_forward(X, parameters, running, mode="train", momentum=0.9):
    """Forward pass of the network made by initialize_network.

    X: (n[0], m) inputs; parameters, running: as initialize_network returns them
    mode: "train" (batch statistics; the running averages are updated) or "test"
    Returns AL (C, m) class probabilities, caches (for network_backward: layer l's at
    index l-1, a dict {"A_prev": (n[l-1], m), "W": (n[l], n[l-1]), "Z_tilde": (n[l], m),
    "bn_cache": batchnorm_forward's cache, or None for a layer without batch norm}) and
    the running averages (a new dict).
    """
    L = sum(key.startswith("W") for key in parameters)
    running = dict(running)
    caches = []
    A = X
    for l in range(1, L + 1):
        A_prev, W = A, parameters[f"W{l}"]
        if f"gamma{l}" in parameters:
            Z = W @ A_prev  # (n[l], m); no bias: beta{l} plays its part
            Z_tilde, running[f"mean{l}"], running[f"var{l}"], bn_cache = batchnorm_forward(
                Z, parameters[f"gamma{l}"], parameters[f"beta{l}"], running[f"mean{l}"],
                running[f"var{l}"], mode, momentum)
        else:
            Z_tilde, bn_cache = W @ A_prev + parameters[f"b{l}"], None
        A = softmax(Z_tilde) if l == L else relu(Z_tilde)
        caches.append({"A_prev": A_prev, "W": W, "Z_tilde": Z_tilde, "bn_cache": bn_cache})
    return A, caches, running


def network_backward(AL, Y, caches):
    """Gradients of the softmax cross-entropy cost for the network of network_forward.

    AL: (C, m) output of network_forward in "train" mode; Y: (C, m) one-hot labels
    caches: from network_forward
    Returns grads: "dW1", "dgamma1", "dbeta1" (or "db1" without batch norm), ..., "dWL",
    "dbL", each the shape of its parameter. dZ follows the notes: dZ[L] = AL - Y, one
    column per example, and the 1/m of the average enters in dW = (1/m) dZ A_prev^T and
    db = (1/m) sum(dZ) (and in dgamma, dbeta inside batchnorm_backward).
    """
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    dZ_tilde = softmax_cross_entropy_backward(AL, Y)  # (C, m): AL - Y
    for l in range(L, 0, -1):
        cache = caches[l - 1]
        if cache["bn_cache"] is not None:
            dZ, grads[f"dgamma{l}"], grads[f"dbeta{l}"] = batchnorm_backward(dZ_tilde,
                                                                            cache["bn_cache"])
        else:
            dZ, grads[f"db{l}"] = dZ_tilde, np.sum(dZ_tilde, axis=1, keepdims=True) / m
        grads[f"dW{l}"] = dZ @ cache["A_prev"].T / m  # (n[l], n[l-1])
        if l > 1:
            Z_tilde_prev = caches[l - 2]["Z_tilde"]  # what the ReLU of layer l - 1 took
            dZ_tilde = (cache["W"].T @ dZ) * relu_derivative(Z_tilde_prev)  # (n[l-1], m)
    return grads


def model(X, labels, layer_dims, batchnorm=True, learning_rate=0.001, num_epochs=20,
          mini_batch_size=64, beta1=0.9, beta2=0.999, momentum=0.9, progress=False):
    """Train the network of initialize_network with mini-batch Adam.

    X: (n[0], m) inputs; labels: (1, m) integer classes in 0..C-1, C = layer_dims[-1]
    The examples are reshuffled every epoch (seed = the epoch number, so runs repeat);
    beta1, beta2: Adam's; momentum: batch norm's running averages.
    Returns (parameters, running, costs), costs the average cost over the examples of
    each epoch.
    """
    parameters, running = initialize_network(layer_dims, batchnorm)
    C, m = layer_dims[-1], X.shape[1]
    # Adam updates every array of the dict, W{l}, gamma{l}, beta{l} and b{l} alike.
    v, s = initialize_adam(parameters)
    t = 0  # Adam's step counter, for the bias correction
    log = CostLog(every=1, unit="epoch")
    for epoch in progress_bar(range(num_epochs), show=progress):
        cost_total = 0.0
        for mini_batch_X, mini_batch_labels in random_mini_batches(X, labels, mini_batch_size,
                                                                   seed=epoch):
            if mini_batch_X.shape[1] < 2:
                continue  # batch statistics need at least two examples
            Y = np.eye(C)[:, mini_batch_labels[0].astype(int)]  # (C, size) one-hot
            AL, caches, running = network_forward(mini_batch_X, parameters, running, "train",
                                                  momentum)
            cost_total += softmax_cross_entropy(AL, Y) * mini_batch_X.shape[1]
            grads = network_backward(AL, Y, caches)
            t += 1
            parameters, v, s, _, _ = update_parameters_with_adam(parameters, grads, v, s, t,
                                                                 learning_rate, beta1, beta2)
        log.record(epoch, cost_total / m)
    return parameters, running, log.costs


def predict(X, parameters, running, mode="test"):
    """Class predictions of the trained network.

    X: (n[0], m); mode: "test" normalizes with the running averages (the usual way);
    "train" with the statistics of X itself, to show the difference
    Returns (1, m) integer labels, the most probable class of each example.
    """
    AL, _, _ = network_forward(X, parameters, running, mode)
    return np.argmax(AL, axis=0).reshape(1, -1)  # (1, m)
