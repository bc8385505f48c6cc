# Generated from dlcourse/optim.py by `python -m grader build`; do not edit.
# Student copy for c2w3a1: functions of this and later assignments are yours to write.
"""Optimization methods: mini-batches, momentum, RMSprop, Adam and learning-rate decay (C2W2).

The optimizers work on a dict of parameters with any keys: {"W1", "b1", ..., "WL", "bL"}
for the dense nets of Course 1, but also {"W1", "gamma1", "beta1", ...} with batch norm or
the filters of a CNN. The gradient of parameters[k] is grads["d" + k], of the same shape,
and the running averages of the optimizers (v for momentum and Adam, s for RMSprop and
Adam) are keyed like the gradients: "dW1", "db1", "dgamma1", ...
"""

import numpy as np

from .dense import initialize_parameters_deep, model_backward, model_forward, update_parameters
from .losses import compute_cost
from .plot import CostLog, progress_bar


def random_mini_batches(X, Y, mini_batch_size=64, seed=0, axis=1):
    """Shuffle the examples, then cut them into mini-batches.

    X: (n_x, m) inputs; Y: (1, m) labels (examples as columns, the default axis=1)
    mini_batch_size: examples per mini-batch; seed: for np.random.seed(seed), called first
    axis: the axis of X and Y that runs over the examples; axis=0 for examples-first
    layouts such as the images of Course 4, X (m, n_H, n_W, n_C) and Y (m, C)
    The order is np.random.permutation(m) drawn right after np.random.seed(seed).
    Returns a list of (mini_batch_X, mini_batch_Y) tuples, with X's and Y's shapes except
    that their axis `axis` has size mini_batch_size ((n_x, size) and (1, size) for the
    default): every batch holds mini_batch_size examples, except the last, which holds the
    m % mini_batch_size left over when m is not a multiple of mini_batch_size.
    """
    np.random.seed(seed)
    m = X.shape[axis]
    permutation = np.random.permutation(m)
    # Index the examples' axis, whichever it is: X[:, batch] for axis=1, X[batch] for 0.
    before = (slice(None),) * axis
    mini_batches = []
    for start in range(0, m, mini_batch_size):
        batch = permutation[start:start + mini_batch_size]  # the last one may be shorter
        # The same indices for X and Y, so each example keeps its label.
        mini_batches.append((X[before + (batch,)], Y[before + (batch,)]))
    return mini_batches


def exponentially_weighted_average(values, beta, bias_correction=True):
    """Running average v_t = beta v_{t-1} + (1 - beta) theta_t, starting from v_0 = 0.

    values: (T,) the sequence theta_1, ..., theta_T
    beta: in [0, 1), the weight of the past (the average spans about 1 / (1 - beta) values)
    bias_correction: if True, return v_t / (1 - beta^t), which removes the pull towards
    the starting value 0
    Returns (T,) the averages v_1, ..., v_T (corrected or not).
    """
    averages = np.zeros(len(values))
    v = 0.0
    for t, theta in enumerate(values, start=1):
        v = beta * v + (1 - beta) * theta
        averages[t - 1] = v / (1 - beta**t) if bias_correction else v
    return averages


def initialize_velocity(parameters):
    """The velocity of momentum, zero for every parameter.

    parameters: a dict of arrays with any keys, e.g. {"W1": (n[1], n[0]), "b1": (n[1], 1),
    ..., "WL", "bL"}
    Returns v: for every key k of parameters, v["d" + k] = zeros shaped like parameters[k]
    ({"dW1", "db1", ..., "dWL", "dbL"} for the example).
    """
    v = {}
    for key, value in parameters.items():
        v["d" + key] = np.zeros_like(value)
    return v


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """One step of gradient descent with momentum.

    v = beta v + (1 - beta) dW;  W = W - learning_rate v  (the same for every parameter)

    parameters: a dict of arrays with any keys, e.g. {"W1", "b1", ..., "WL", "bL"}
    grads: the gradient of parameters[k] under "d" + k ({"dW1", "db1", ...}), same shapes
    v: the velocities, keyed like grads; beta: momentum, in [0, 1)
    Returns the updated (parameters, v), as new dicts (the inputs are left unchanged).
    """
    parameters, v = dict(parameters), dict(v)
    for key in parameters:
        dkey = "d" + key
        # An average of recent gradients: oscillating components cancel out,
        # the consistent direction adds up.
        v[dkey] = beta * v[dkey] + (1 - beta) * grads[dkey]
        parameters[key] = parameters[key] - learning_rate * v[dkey]
    return parameters, v


def initialize_rmsprop(parameters):
    """The running average of squared gradients of RMSprop, zero for every parameter.

    parameters: a dict of arrays with any keys, e.g. {"W1": (n[1], n[0]), "b1": (n[1], 1),
    ..., "WL", "bL"}
    Returns s: for every key k of parameters, s["d" + k] = zeros shaped like parameters[k].
    """
    s = {}
    for key, value in parameters.items():
        s["d" + key] = np.zeros_like(value)
    return s


def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    """One step of RMSprop.

    s = beta2 s + (1 - beta2) dW^2;  W = W - learning_rate dW / (sqrt(s) + epsilon)
    (squares and roots elementwise; the same for every parameter)

    parameters: a dict of arrays with any keys, e.g. {"W1", "b1", ..., "WL", "bL"}
    grads: the gradient of parameters[k] under "d" + k ({"dW1", "db1", ...}), same shapes
    s: the running averages of squared gradients, keyed like grads
    beta2: in [0, 1); epsilon: keeps the division finite where s is 0
    Returns the updated (parameters, s), as new dicts (the inputs are left unchanged).
    """
    parameters, s = dict(parameters), dict(s)
    for key in parameters:
        dkey = "d" + key
        s[dkey] = beta2 * s[dkey] + (1 - beta2) * grads[dkey] ** 2
        # Each parameter's step is scaled by the typical size of its own gradient:
        # steep directions slow down, flat ones speed up.
        parameters[key] = (parameters[key]
                           - learning_rate * grads[dkey] / (np.sqrt(s[dkey]) + epsilon))
    return parameters, s


def initialize_adam(parameters):
    """The two running averages of Adam, zero for every parameter.

    parameters: a dict of arrays with any keys, e.g. {"W1": (n[1], n[0]), "b1": (n[1], 1),
    ..., "WL", "bL"}
    Returns (v, s), each with v["d" + k] = s["d" + k] = zeros shaped like parameters[k]
    for every key k of parameters: v averages the gradients, s their squares.
    """
    v, s = {}, {}
    for key, value in parameters.items():
        v["d" + key] = np.zeros_like(value)
        s["d" + key] = np.zeros_like(value)
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9,
                                beta2=0.999, epsilon=1e-8):
    """One step of Adam: momentum and RMSprop combined, both bias-corrected.

    v = beta1 v + (1 - beta1) dW;        v_corrected = v / (1 - beta1^t)
    s = beta2 s + (1 - beta2) dW^2;      s_corrected = s / (1 - beta2^t)
    W = W - learning_rate v_corrected / (sqrt(s_corrected) + epsilon)
    (elementwise; the same for every parameter)

    parameters: a dict of arrays with any keys, e.g. {"W1", "b1", ..., "WL", "bL"}
    grads: the gradient of parameters[k] under "d" + k ({"dW1", "db1", ...}), same shapes
    v, s: the running averages, keyed like grads
    t: the number of this step, counting from 1
    Returns (parameters, v, s, v_corrected, s_corrected), all new dicts (the inputs are left
    unchanged); v_corrected and s_corrected are keyed like v and s.
    """
    parameters, v, s = dict(parameters), dict(v), dict(s)
    v_corrected, s_corrected = {}, {}
    for key in parameters:
        dkey = "d" + key
        v[dkey] = beta1 * v[dkey] + (1 - beta1) * grads[dkey]
        s[dkey] = beta2 * s[dkey] + (1 - beta2) * grads[dkey] ** 2
        # Both averages start at 0; dividing by 1 - beta^t undoes that pull during
        # the first steps and tends to 1 afterwards.
        v_corrected[dkey] = v[dkey] / (1 - beta1**t)
        s_corrected[dkey] = s[dkey] / (1 - beta2**t)
        parameters[key] = (parameters[key] - learning_rate * v_corrected[dkey]
                           / (np.sqrt(s_corrected[dkey]) + epsilon))
    return parameters, v, s, v_corrected, s_corrected


def update_lr(learning_rate0, epoch_num, decay_rate):
    """Learning rate decayed every epoch: learning_rate0 / (1 + decay_rate * epoch_num).

    learning_rate0: the initial learning rate; epoch_num: the epoch, counting from 0
    decay_rate: how fast it decays
    Returns the learning rate, a float.
    """
    learning_rate = learning_rate0 / (1 + decay_rate * epoch_num)
    return float(learning_rate)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """Learning rate decayed in steps, once every time_interval epochs.

    learning_rate = learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))

    learning_rate0: the initial learning rate; epoch_num: the epoch, counting from 0
    decay_rate: how fast it decays; time_interval: epochs between two decreases
    Returns the learning rate, a float.
    """
    learning_rate = learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
    return float(learning_rate)


def model(X, Y, layer_dims, optimizer, learning_rate=0.0007, mini_batch_size=64, beta=0.9,
          beta1=0.9, beta2=0.999, epsilon=1e-8, num_epochs=5000, decay=None, decay_rate=1.0,
          print_cost=False, progress=False):
    """Train [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID with mini-batches and an optimizer.

    X: (n_x, m) inputs; Y: (1, m) labels in {0, 1}
    layer_dims: [n_x, n[1], ..., n[L]]
    optimizer: "gd" (plain mini-batch gradient descent), "momentum", "rmsprop" or "adam";
    beta is the momentum of "momentum", beta2 (and epsilon) serve "rmsprop",
    beta1, beta2 and epsilon serve "adam"
    decay: None, or a function (learning_rate0, epoch_num, decay_rate) -> learning rate,
    such as update_lr or schedule_lr_decay, applied at the start of every epoch
    The examples are reshuffled every epoch (seed = the epoch number, so runs repeat).
    Returns the trained parameters and costs, the average cost over the examples of an
    epoch, recorded every 100 epochs.
    """
    parameters = initialize_parameters_deep(layer_dims)
    m = X.shape[1]
    t = 0  # Adam's step counter, for the bias correction
    learning_rate0 = learning_rate
    if optimizer == "momentum":
        v = initialize_velocity(parameters)
    elif optimizer == "rmsprop":
        s = initialize_rmsprop(parameters)
    elif optimizer == "adam":
        v, s = initialize_adam(parameters)
    elif optimizer != "gd":
        raise ValueError(f"unknown optimizer {optimizer!r}")
    log = CostLog(every=100, print_cost=print_cost, unit="epoch")
    for epoch in progress_bar(range(num_epochs), show=progress):
        if decay is not None:
            learning_rate = decay(learning_rate0, epoch, decay_rate)
        cost_total = 0.0
        for mini_batch_X, mini_batch_Y in random_mini_batches(X, Y, mini_batch_size, seed=epoch):
            AL, caches = model_forward(mini_batch_X, parameters)
            # compute_cost averages over the batch; weight by its size to average the epoch.
            cost_total += compute_cost(AL, mini_batch_Y) * mini_batch_X.shape[1]
            grads = model_backward(AL, mini_batch_Y, caches)
            if optimizer == "gd":
                parameters = update_parameters(parameters, grads, learning_rate)
            elif optimizer == "momentum":
                parameters, v = update_parameters_with_momentum(parameters, grads, v, beta,
                                                                learning_rate)
            elif optimizer == "rmsprop":
                parameters, s = update_parameters_with_rmsprop(parameters, grads, s, beta2,
                                                               learning_rate, epsilon)
            else:
                t += 1
                parameters, v, s, _, _ = update_parameters_with_adam(
                    parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)
        log.record(epoch, cost_total / m)
    return parameters, log.costs


def sample_log_uniform(low, high, size=None):
    """Random values spread evenly on a log scale between low and high, for random search.

    r = np.random.uniform(log10(low), log10(high), size);  returns 10 ** r
    so that each decade (0.0001 to 0.001, 0.001 to 0.01, ...) gets the same share.

    low, high: positive floats, low < high
    size: the number (or shape) of values, as for np.random.uniform; None for one value
    Draws from the global np.random: np.random.seed makes it repeat.
    Returns an array of shape size with values in [low, high), or a float if size is None.
    """
    raise NotImplementedError(
        "sample_log_uniform is yours to write: see notebooks/c2w3a1/c2w3a1_batchnorm_softmax_tuning.ipynb")
