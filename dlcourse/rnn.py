"""Recurrent networks step by step: the basic RNN, the LSTM and the GRU (Course 5, week 1).

Layout (the notes' notation, examples as columns): the input sequence x is
(n_x, m, T_x), x[:, :, t] being x<t> for the m examples; hidden states a are
(n_a, m, T_x); predictions y_pred are (n_y, m, T_x).

A cell's forward step returns its outputs and a cache; its backward step takes
the gradients of the loss with respect to the cell's outputs and the cache and
returns a dict of gradients ("da_prev", "dxt", "dWax", ...). The sequence
backward functions take da (n_a, m, T_x), the gradient of the loss with respect
to every hidden state a<t> coming from above (the output layer), and add the
gradient that flows back from step t + 1. Nothing is averaged over the m
examples here: the gradients are those of a loss summed over examples and steps.

The gated cells act on the concatenation [a<t-1>; x<t>] of shape (n_a + n_x, m):
each gate's W is (n_a, n_a + n_x), i.e. W = [W_a : W_x], the hidden-state block
first.
"""

import numpy as np

from .activations import sigmoid, softmax
from .plot import progress_bar

# --- The basic RNN -----------------------------------------------------------------------------

def rnn_cell_forward(xt, a_prev, parameters):
    """One step of a basic RNN.

    a<t> = tanh(Waa a<t-1> + Wax x<t> + ba), y<t> = softmax(Wya a<t> + by).

    xt: (n_x, m) input at step t; a_prev: (n_a, m) hidden state of step t - 1
    parameters: {"Waa": (n_a, n_a), "Wax": (n_a, n_x), "Wya": (n_y, n_a), "ba": (n_a, 1),
    "by": (n_y, 1)}
    Returns a_next: (n_a, m), yt_pred: (n_y, m) and cache = (a_next, a_prev, xt, parameters)
    for rnn_cell_backward.
    """
    ### BEGIN SOLUTION
    Waa, Wax, Wya, ba, by = (parameters[k] for k in ("Waa", "Wax", "Wya", "ba", "by"))
    a_next = np.tanh(Waa @ a_prev + Wax @ xt + ba)
    yt_pred = softmax(Wya @ a_next + by)
    ### END SOLUTION
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    """The basic RNN over a whole sequence: rnn_cell_forward at t = 1, ..., T_x.

    x: (n_x, m, T_x) inputs; a0: (n_a, m) initial hidden state
    parameters: as for rnn_cell_forward
    Returns a: (n_a, m, T_x) hidden states, y_pred: (n_y, m, T_x) predictions and
    caches = (list of the T_x cell caches, x) for rnn_backward.
    """
    ### BEGIN SOLUTION
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    # The same parameters at every step: the network is one cell applied T_x times.
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    ### END SOLUTION
    return a, y_pred, (caches, x)


def rnn_cell_backward(da_next, cache):
    """Back-propagation through one basic RNN step (the tanh and the two products).

    da_next: (n_a, m) gradient of the loss with respect to a<t>
    cache: (a_next, a_prev, xt, parameters) from rnn_cell_forward
    Returns {"dxt": (n_x, m), "da_prev": (n_a, m), "dWax": (n_a, n_x), "dWaa": (n_a, n_a),
    "dba": (n_a, 1)}.
    """
    ### BEGIN SOLUTION
    a_next, a_prev, xt, parameters = cache
    Waa, Wax = parameters["Waa"], parameters["Wax"]
    # tanh'(z) = 1 - tanh(z)^2, and a_next already is tanh(z): no need to keep z.
    dz = (1 - a_next**2) * da_next
    gradients = {"dxt": Wax.T @ dz, "da_prev": Waa.T @ dz, "dWax": dz @ xt.T,
                 "dWaa": dz @ a_prev.T, "dba": np.sum(dz, axis=1, keepdims=True)}
    ### END SOLUTION
    return gradients


def rnn_backward(da, caches):
    """Back-propagation through time for the basic RNN.

    da: (n_a, m, T_x) gradient of the loss with respect to each a<t> from the output layer
    caches: (list of cell caches, x) from rnn_forward
    Returns {"dx": (n_x, m, T_x), "da0": (n_a, m), "dWax": (n_a, n_x), "dWaa": (n_a, n_a),
    "dba": (n_a, 1)}.
    """
    ### BEGIN SOLUTION
    cell_caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    parameters = cell_caches[0][3]
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros_like(parameters["Wax"])
    dWaa = np.zeros_like(parameters["Waa"])
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        # a<t> feeds the output at t and the cell at t + 1: its gradient is the sum of both.
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, cell_caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        # Shared parameters: their gradient is the sum over the steps that used them.
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    da0 = da_prevt
    ### END SOLUTION
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}


# --- The LSTM ----------------------------------------------------------------------------------

def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One LSTM step, with the gates acting on the concatenation [a<t-1>; x<t>].

    Gamma_f = sigma(Wf [a_prev; xt] + bf), Gamma_u = sigma(Wu [...] + bu),
    c~ = tanh(Wc [...] + bc), Gamma_o = sigma(Wo [...] + bo),
    c<t> = Gamma_f * c<t-1> + Gamma_u * c~, a<t> = Gamma_o * tanh(c<t>),
    y<t> = softmax(Wy a<t> + by).

    xt: (n_x, m); a_prev: (n_a, m); c_prev: (n_a, m) memory cell of step t - 1
    parameters: {"Wf", "Wu", "Wc", "Wo": (n_a, n_a + n_x), "bf", "bu", "bc", "bo": (n_a, 1),
    "Wy": (n_y, n_a), "by": (n_y, 1)}
    Returns a_next: (n_a, m), c_next: (n_a, m), yt_pred: (n_y, m) and
    cache = (a_next, c_next, a_prev, c_prev, ft, ut, cct, ot, xt, parameters), the gates
    ft, ut, ot and the candidate cct each (n_a, m).
    """
    ### BEGIN SOLUTION
    concat = np.concatenate([a_prev, xt], axis=0)  # (n_a + n_x, m)
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    ut = sigmoid(parameters["Wu"] @ concat + parameters["bu"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    # The memory is updated by gated addition, not by a matrix product: that is what lets
    # gradients travel back through many steps.
    c_next = ft * c_prev + ut * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    ### END SOLUTION
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, ut, cct, ot, xt,
                                     parameters)


def lstm_forward(x, a0, parameters):
    """The LSTM over a whole sequence; the memory cell starts at zero.

    x: (n_x, m, T_x); a0: (n_a, m); parameters: as for lstm_cell_forward
    Returns a: (n_a, m, T_x), y: (n_y, m, T_x), c: (n_a, m, T_x) and
    caches = (list of the T_x cell caches, x) for lstm_backward.
    """
    ### BEGIN SOLUTION
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    ### END SOLUTION
    return a, y, c, (caches, x)


def lstm_cell_backward(da_next, dc_next, cache):
    """Back-propagation through one LSTM step.

    da_next: (n_a, m) gradient of the loss with respect to a<t>
    dc_next: (n_a, m) gradient with respect to c<t> coming from step t + 1
    cache: from lstm_cell_forward
    Returns {"dxt": (n_x, m), "da_prev": (n_a, m), "dc_prev": (n_a, m),
    "dWf", "dWu", "dWc", "dWo": (n_a, n_a + n_x), "dbf", "dbu", "dbc", "dbo": (n_a, 1)}.
    """
    ### BEGIN SOLUTION
    a_next, c_next, a_prev, c_prev, ft, ut, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    # c<t> reaches the loss through a<t> = Gamma_o tanh(c<t>) and through c<t+1>.
    dc = dc_next + da_next * ot * (1 - tanh_c**2)
    # Gradients with respect to each gate's pre-activation (sigma' = s (1 - s), tanh' = 1 - t^2).
    dz = {"o": da_next * tanh_c * ot * (1 - ot),
          "c": dc * ut * (1 - cct**2),
          "u": dc * cct * ut * (1 - ut),
          "f": dc * c_prev * ft * (1 - ft)}
    concat = np.concatenate([a_prev, xt], axis=0)  # (n_a + n_x, m)
    gradients = {}
    dconcat = np.zeros_like(concat)
    for g in ("f", "u", "c", "o"):  # forget, update, candidate, output
        gradients[f"dW{g}"] = dz[g] @ concat.T
        gradients[f"db{g}"] = np.sum(dz[g], axis=1, keepdims=True)
        dconcat += parameters[f"W{g}"].T @ dz[g]
    gradients["da_prev"] = dconcat[:n_a]
    gradients["dxt"] = dconcat[n_a:]
    gradients["dc_prev"] = dc * ft
    ### END SOLUTION
    return gradients


def lstm_backward(da, caches):
    """Back-propagation through time for the LSTM.

    da: (n_a, m, T_x) gradient of the loss with respect to each a<t> from the output layer
    caches: (list of cell caches, x) from lstm_forward
    Returns {"dx": (n_x, m, T_x), "da0": (n_a, m), "dWf", "dWu", "dWc", "dWo":
    (n_a, n_a + n_x), "dbf", "dbu", "dbc", "dbo": (n_a, 1)}.
    """
    ### BEGIN SOLUTION
    cell_caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    gradients = {f"d{p}{g}": np.zeros((n_a, n_a + n_x) if p == "W" else (n_a, 1))
                 for g in ("f", "u", "c", "o") for p in ("W", "b")}
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, cell_caches[t])
        dx[:, :, t] = step["dxt"]
        da_prevt, dc_prevt = step["da_prev"], step["dc_prev"]
        for key in gradients:
            gradients[key] += step[key]
    gradients["dx"] = dx
    gradients["da0"] = da_prevt
    ### END SOLUTION
    return gradients


# --- The GRU -----------------------------------------------------------------------------------

def gru_cell_forward(xt, a_prev, parameters):
    """One step of the full GRU of the notes (memory cell c<t> = a<t>).

    Gamma_r = sigma(Wr [c<t-1>; x<t>] + br), Gamma_u = sigma(Wu [c<t-1>; x<t>] + bu),
    c~ = tanh(Wc [Gamma_r * c<t-1>; x<t>] + bc), c<t> = Gamma_u * c~ + (1 - Gamma_u) * c<t-1>.

    xt: (n_x, m); a_prev: (n_a, m), which is c<t-1>
    parameters: {"Wu", "Wr", "Wc": (n_a, n_a + n_x), "bu", "br", "bc": (n_a, 1)}
    Returns a_next: (n_a, m) and cache = (a_next, a_prev, xt, ut, rt, cct, parameters),
    the gates ut, rt and the candidate cct each (n_a, m).
    """
    ### BEGIN SOLUTION
    concat = np.concatenate([a_prev, xt], axis=0)  # (n_a + n_x, m)
    ut = sigmoid(parameters["Wu"] @ concat + parameters["bu"])
    rt = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    # The reset gate decides how much of the old memory the candidate may read.
    reset = np.concatenate([rt * a_prev, xt], axis=0)  # (n_a + n_x, m)
    cct = np.tanh(parameters["Wc"] @ reset + parameters["bc"])
    # Gamma_u near 0 copies the memory unchanged: the GRU's path for long-range gradients.
    a_next = ut * cct + (1 - ut) * a_prev
    ### END SOLUTION
    return a_next, (a_next, a_prev, xt, ut, rt, cct, parameters)


def gru_cell_backward(da_next, cache):
    """Back-propagation through one GRU step (ungraded; tested against finite differences).

    da_next: (n_a, m) gradient of the loss with respect to a<t> = c<t>
    cache: from gru_cell_forward
    Returns {"dxt": (n_x, m), "da_prev": (n_a, m), "dWu", "dWr", "dWc": (n_a, n_a + n_x),
    "dbu", "dbr", "dbc": (n_a, 1)}.
    """
    a_next, a_prev, xt, ut, rt, cct, parameters = cache
    n_a = a_prev.shape[0]
    dz_c = da_next * ut * (1 - cct**2)
    dz_u = da_next * (cct - a_prev) * ut * (1 - ut)
    reset = np.concatenate([rt * a_prev, xt], axis=0)  # (n_a + n_x, m)
    dreset = parameters["Wc"].T @ dz_c  # (n_a + n_x, m)
    dz_r = dreset[:n_a] * a_prev * rt * (1 - rt)
    concat = np.concatenate([a_prev, xt], axis=0)  # (n_a + n_x, m)
    dconcat = parameters["Wu"].T @ dz_u + parameters["Wr"].T @ dz_r
    # a<t-1> reaches a<t> four ways: directly (1 - Gamma_u), through the reset product and
    # through the two gates' inputs.
    da_prev = da_next * (1 - ut) + dreset[:n_a] * rt + dconcat[:n_a]
    return {"dxt": dreset[n_a:] + dconcat[n_a:], "da_prev": da_prev,
            "dWu": dz_u @ concat.T, "dbu": np.sum(dz_u, axis=1, keepdims=True),
            "dWr": dz_r @ concat.T, "dbr": np.sum(dz_r, axis=1, keepdims=True),
            "dWc": dz_c @ reset.T, "dbc": np.sum(dz_c, axis=1, keepdims=True)}



def gru_forward(x, a0, parameters):
    """The GRU of gru_cell_forward over a whole sequence (ungraded; used by C5W3A2).

    x: (n_x, m, T_x); a0: (n_a, m); parameters: as for gru_cell_forward
    Returns a: (n_a, m, T_x), the memory c<t> = a<t> at every step, and caches, the list
    of the T_x cell caches, for gru_backward.
    """
    n_x, m, T_x = x.shape
    a = np.zeros((a0.shape[0], m, T_x))
    a_next, caches = a0, []
    for t in range(T_x):
        a_next, cache = gru_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        caches.append(cache)
    return a, caches


def gru_backward(da, caches):
    """Back-propagation through time for the GRU (ungraded; used by C5W3A2).

    da: (n_a, m, T_x) gradient of the loss with respect to each a<t> from above
    caches: from gru_forward
    Returns {"dx": (n_x, m, T_x), "da0": (n_a, m), "dWu", "dWr", "dWc": (n_a, n_a + n_x),
    "dbu", "dbr", "dbc": (n_a, 1)}.
    """
    n_a, m, T_x = da.shape
    n_x = caches[0][2].shape[0]
    parameters = caches[0][6]
    dx = np.zeros((n_x, m, T_x))
    sums = {f"d{key}": np.zeros_like(parameters[key])
            for key in ("Wu", "bu", "Wr", "br", "Wc", "bc")}
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        # a<t> feeds the layer above at t and the cell at t + 1.
        gradients = gru_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        for key in sums:
            sums[key] += gradients[key]
    return {"dx": dx, "da0": da_prevt, **sums}

# --- Bidirectional and deep RNNs (shown, not graded) -------------------------------------------

def rnn_states(x, a0, Waa, Wax, ba):
    """Hidden states of one basic RNN layer without an output layer.

    x: (n_x, m, T_x); a0: (n_a, m); Waa: (n_a, n_a); Wax: (n_a, n_x); ba: (n_a, 1)
    Returns a: (n_a, m, T_x).
    """
    a = np.zeros((Waa.shape[0], x.shape[1], x.shape[2]))
    a_t = a0
    for t in range(x.shape[2]):
        a_t = np.tanh(Waa @ a_t + Wax @ x[:, :, t] + ba)
        a[:, :, t] = a_t
    return a


def brnn_forward(x, a0_forward, a0_backward, parameters):
    """A bidirectional RNN: y<t> = softmax(Wy [a->(t); a<-(t)] + by).

    The forward layer reads x<1>, ..., x<T_x>; the backward layer reads the sequence
    reversed, so a<-(t) summarises x<t>, ..., x<T_x>.

    x: (n_x, m, T_x); a0_forward, a0_backward: (n_a, m)
    parameters: {"Waa_f", "Waa_b": (n_a, n_a), "Wax_f", "Wax_b": (n_a, n_x),
    "ba_f", "ba_b": (n_a, 1), "Wy": (n_y, 2 n_a), "by": (n_y, 1)}
    Returns y_pred: (n_y, m, T_x) and the states a_forward, a_backward: (n_a, m, T_x).
    """
    p = parameters
    a_forward = rnn_states(x, a0_forward, p["Waa_f"], p["Wax_f"], p["ba_f"])
    # Run over x reversed in time, then flip the states back so index t means step t.
    a_backward = rnn_states(x[:, :, ::-1], a0_backward, p["Waa_b"], p["Wax_b"],
                            p["ba_b"])[:, :, ::-1]
    both = np.concatenate([a_forward, a_backward], axis=0)  # (2 n_a, m, T_x)
    z = np.einsum("ya,amt->ymt", p["Wy"], both) + p["by"][:, :, None]  # (n_y, m, T_x)
    y_pred = np.stack([softmax(z[:, :, t]) for t in range(x.shape[2])], axis=2)
    return y_pred, a_forward, a_backward


def deep_rnn_forward(x, a0s, layers, Wy, by):
    """A deep (stacked) RNN: layer l reads the states of layer l - 1 at the same step,
    a[l]<t> = tanh(Waa[l] a[l]<t-1> + Wax[l] a[l-1]<t> + ba[l]), a[0]<t> = x<t>,
    and y<t> = softmax(Wy a[L]<t> + by).

    x: (n_x, m, T_x); a0s: list of L initial states, (n_a[l], m) each
    layers: list of L dicts {"Waa": (n_a[l], n_a[l]), "Wax": (n_a[l], n_a[l-1]),
    "ba": (n_a[l], 1)}; Wy: (n_y, n_a[L]); by: (n_y, 1)
    Returns y_pred: (n_y, m, T_x) and the list of the L layers' states, (n_a[l], m, T_x) each.
    """
    states, inputs = [], x
    for a0, layer in zip(a0s, layers, strict=True):
        inputs = rnn_states(inputs, a0, layer["Waa"], layer["Wax"], layer["ba"])
        states.append(inputs)
    z = np.einsum("ya,amt->ymt", Wy, inputs) + by[:, :, None]  # (n_y, m, T_x)
    y_pred = np.stack([softmax(z[:, :, t]) for t in range(x.shape[2])], axis=2)
    return y_pred, states


# --- A character-level language model (c5w1a2) ---------------------------------------------------

def names_to_batch(names, char_to_ix):
    """One-hot inputs and target indices for a batch of names, each ending with "\\n".

    The model reads x<1> = 0 and then the name one character at a time; the target at
    step t is the next character, y<t> = x<t+1>, and "\\n" after the last letter.
    names: list of m strings; char_to_ix: dict character -> index in 0..n_x-1
    Returns X: (n_x, m, T_x) one-hot (zero columns at x<1> and after a name's end) and
    Y: (m, T_x) int target indices, -1 after a name's end; T_x = longest name + 1.
    """
    n_x, m = len(char_to_ix), len(names)
    T_x = max(len(name) for name in names) + 1
    X = np.zeros((n_x, m, T_x))
    Y = np.full((m, T_x), -1)
    for i, name in enumerate(names):
        indices = [char_to_ix[ch] for ch in name]
        X[indices, i, np.arange(1, len(indices) + 1)] = 1.0  # x<t+1> = y<t>
        Y[i, :len(indices) + 1] = indices + [char_to_ix["\n"]]
    return X, Y


def clip(gradients, maxValue):
    """Clip every gradient element-wise to [-maxValue, maxValue] (against exploding gradients).

    gradients: dict of arrays ("dWaa", "dWax", "dWya", "dba", "dby", ...); maxValue: float
    Returns a new dict with the same keys and shapes; the input is left unchanged.
    """
    ### BEGIN SOLUTION
    clipped = {key: np.clip(value, -maxValue, maxValue) for key, value in gradients.items()}
    ### END SOLUTION
    return clipped


def sample(parameters, char_to_ix, seed, max_length=50):
    """Generate one name from the model, a character at a time.

    Start from x<1> = 0 and a<0> = 0; at each step draw the next character's index from
    the distribution y<t> with np.random.default_rng(seed).choice, feed it back as the
    one-hot x<t+1>, and stop after drawing "\\n" or after max_length characters.
    parameters: {"Waa": (n_a, n_a), "Wax": (n_a, n_x), "Wya": (n_x, n_a), "ba": (n_a, 1),
    "by": (n_x, 1)} (the vocabulary is both input and output: n_y = n_x)
    char_to_ix: dict character -> index; seed: int
    Returns indices, the list of drawn indices (ending with that of "\\n" unless cut at
    max_length).
    """
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    n_a, n_x = parameters["Wax"].shape
    x = np.zeros((n_x, 1))
    a_prev = np.zeros((n_a, 1))
    newline = char_to_ix["\n"]
    indices = []
    while len(indices) < max_length:
        a_prev, y, _ = rnn_cell_forward(x, a_prev, parameters)
        # Draw from the distribution rather than take the argmax: the argmax would give
        # the same name every time.
        idx = int(rng.choice(n_x, p=y.ravel()))
        indices.append(idx)
        if idx == newline:
            break
        x = np.zeros((n_x, 1))
        x[idx] = 1.0
    ### END SOLUTION
    return indices


def optimize(X, Y, parameters, learning_rate=0.01, maxValue=5.0):
    """One step of training on a batch: forward, loss, backward, clip, gradient descent.

    The loss is the cross-entropy of the next character, summed over the steps of each
    name and averaged over the m names: -(1/m) sum over (i, t) with Y[i, t] >= 0 of
    log y_pred[Y[i, t], i, t]. Padding (Y = -1) adds nothing.
    X: (n_x, m, T_x) one-hot inputs; Y: (m, T_x) target indices, -1 for padding
    (as made by names_to_batch); parameters: as for sample
    Returns loss (float), gradients {"dWaa", "dWax", "dWya", "dba", "dby"} after clipping
    to [-maxValue, maxValue], and the updated parameters (a new dict).
    """
    ### BEGIN SOLUTION
    n_x, m, T_x = X.shape
    a0 = np.zeros((parameters["Waa"].shape[0], m))
    a, y_pred, caches = rnn_forward(X, a0, parameters)
    mask = Y >= 0  # (m, T_x)
    i, t = np.nonzero(mask)
    loss = float(-np.sum(np.log(y_pred[Y[i, t], i, t])) / m)
    # Softmax with cross-entropy: dz_y = y_pred - one-hot target, zero on padding.
    dz = y_pred.copy()
    dz[Y[i, t], i, t] -= 1.0
    dz *= mask[None, :, :] / m  # (n_x, m, T_x)
    dWya = np.einsum("ymt,amt->ya", dz, a)  # sum over examples and steps
    dby = dz.sum(axis=(1, 2))[:, None]  # (n_x, 1)
    da = np.einsum("ya,ymt->amt", parameters["Wya"], dz)  # (n_a, m, T_x)
    grads = rnn_backward(da, caches)
    gradients = clip({"dWaa": grads["dWaa"], "dWax": grads["dWax"], "dWya": dWya,
                      "dba": grads["dba"], "dby": dby}, maxValue)
    parameters = {key: value - learning_rate * gradients["d" + key]
                  for key, value in parameters.items()}
    ### END SOLUTION
    return loss, gradients, parameters


def model(names, char_to_ix, num_iterations=1000, n_a=50, mini_batch_size=32,
          learning_rate=0.1, seed=0, progress=False):
    """Train the character-level language model on a list of names.

    Initialise Waa, Wax, Wya with normal draws times 0.01 and the biases with zeros,
    drawing from np.random.default_rng(seed) in the order Wax, Waa, Wya; then, at each
    iteration, take the next mini_batch_size names of a list reshuffled by the same
    generator at each epoch (rng.permutation), make the batch with names_to_batch and
    take one optimize step.
    names: list of strings; char_to_ix: dict character -> index (n_x entries)
    Returns parameters {"Waa", "Wax", "Wya", "ba", "by"} and losses, the list of the
    num_iterations batch losses.
    """
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    n_x = len(char_to_ix)
    parameters = {"Wax": rng.normal(size=(n_a, n_x)) * 0.01,
                  "Waa": rng.normal(size=(n_a, n_a)) * 0.01,
                  "Wya": rng.normal(size=(n_x, n_a)) * 0.01,
                  "ba": np.zeros((n_a, 1)), "by": np.zeros((n_x, 1))}
    losses, order, start = [], [], 0
    for _ in progress_bar(range(num_iterations), show=progress):
        if start + mini_batch_size > len(order):
            order, start = list(rng.permutation(len(names))), 0  # a new epoch
        batch = [names[j] for j in order[start:start + mini_batch_size]]
        start += mini_batch_size
        X, Y = names_to_batch(batch, char_to_ix)
        loss, _, parameters = optimize(X, Y, parameters, learning_rate)
        losses.append(loss)
    ### END SOLUTION
    return parameters, losses
