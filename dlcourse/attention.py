"""Attention and neural machine translation of dates (Course 5, week 3).

The translator reads a date as a person writes it ("jeudi 3 décembre 2026") one
character at a time and writes it in ISO 8601 ("2026-12-03"):

- an encoder, a bidirectional LSTM, turns the one-hot characters x (n_x, m, T_x) into
  annotations a (2 n_a, m, T_x), a<t'> = [a->(t'); a<-(t')];
- at each output step t, attention weighs the annotations: a small network scores
  e<t,t'> = Wa2 tanh(Wa1 [s<t-1>; a<t'>] + ba1), the weights alpha<t,t'> are the
  softmax of the scores over t', and the context is c<t> = sum_t' alpha<t,t'> a<t'>;
- a post-attention LSTM with state s<t> (n_s, m) reads [c<t>; y<t-1>] (the previous
  output character, one-hot, zero at t = 1) and writes y_hat<t> = softmax(Wy s<t> + by)
  over the n_y output characters (digits and "-").

Parameters live in one flat dict: the encoder's forward and backward LSTMs under the
prefixes "fwd_" and "bwd_" ("fwd_Wf", "fwd_bf", ... each W (n_a, n_a + n_x)), the
post-attention LSTM under "post_" ("post_Wf" (n_s, n_s + 2 n_a + n_y), ...), attention
"Wa1" (n_e, n_s + 2 n_a), "ba1" (n_e, 1), "Wa2" (1, n_e), output "Wy" (n_y, n_s),
"by" (n_y, 1). Gradients carry a "d" in front of the key ("dfwd_Wf", "dWa1").
The LSTM cells are those of dlcourse.rnn (gates on [a<t-1>; x<t>]).

Decoding: greedy (the most probable character each step), or beam search, which keeps
the beam_width best prefixes and ranks finished sequences by the length-normalised
log-probability (1 / T_y^alpha) sum_t log P(y<t> | x, y<1..t-1>). Errors are blamed
on the search or on the model by comparing P(y* | x) with P(y_hat | x), and translations
are scored with BLEU (Papineni et al., 2002).
"""

from collections import Counter

import numpy as np

from .activations import softmax
from .optim import initialize_adam, update_parameters_with_adam
from .plot import progress_bar
from .rnn import lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward

GATES = ("f", "u", "c", "o")
PAD = "\0"  # the padding character of the inputs (its own one-hot row, index 0)
OUTPUT_CHARS = "0123456789-"


# --- Data: characters to one-hot arrays --------------------------------------------------------

def input_vocabulary(chars):
    """char -> index for the inputs: padding first, then chars in the given order."""
    return {ch: i for i, ch in enumerate([PAD, *chars])}


def one_hot_inputs(texts, vocabulary, T_x=None):
    """One-hot encode strings, padded at the end to T_x characters (default: the longest).

    texts: list of m str; vocabulary: char -> index (from input_vocabulary)
    Returns X: (n_x, m, T_x) float64, n_x = len(vocabulary).
    """
    T_x = T_x or max(len(t) for t in texts)
    indices = np.zeros((len(texts), T_x), dtype=np.int64)  # (m, T_x), 0 = padding
    for i, text in enumerate(texts):
        unknown = set(text) - set(vocabulary)
        if unknown or len(text) > T_x:
            raise ValueError(f"cannot encode {text!r}: characters {sorted(unknown)} not in the "
                             f"vocabulary, or longer than T_x = {T_x}")
        indices[i, :len(text)] = [vocabulary[ch] for ch in text]
    return np.eye(len(vocabulary))[indices].transpose(2, 0, 1)  # (n_x, m, T_x)


def one_hot_outputs(texts):
    """One-hot encode ISO dates over OUTPUT_CHARS. Returns Y: (n_y, m, T_y) float64."""
    indices = np.array([[OUTPUT_CHARS.index(ch) for ch in text] for text in texts])  # (m, T_y)
    return np.eye(len(OUTPUT_CHARS))[indices].transpose(2, 0, 1)  # (n_y, m, T_y)


def decode_outputs(indices):
    """Strings from output indices (m, T_y)."""
    return ["".join(OUTPUT_CHARS[i] for i in row) for row in np.asarray(indices)]


# --- Parameters and the encoder (not graded) ---------------------------------------------------

def initialize_parameters(n_x, n_a, n_s, n_e, n_y, seed=0):
    """Random parameters of the translator (Xavier-scaled normal weights, zero biases,
    forget-gate biases 1 so that the memory is kept at first). Returns the flat dict
    described in the module docstring."""
    rng = np.random.default_rng(seed)

    def weights(rows, cols):
        return rng.normal(0, np.sqrt(1 / cols), (rows, cols))

    parameters = {}
    layers = (("fwd_", n_a, n_x), ("bwd_", n_a, n_x), ("post_", n_s, 2 * n_a + n_y))
    for prefix, n_h, n_in in layers:
        for g in GATES:
            parameters[f"{prefix}W{g}"] = weights(n_h, n_h + n_in)
            parameters[f"{prefix}b{g}"] = np.full((n_h, 1), 1.0 if g == "f" else 0.0)
    parameters["Wa1"] = weights(n_e, n_s + 2 * n_a)
    parameters["ba1"] = np.zeros((n_e, 1))
    parameters["Wa2"] = weights(1, n_e)
    parameters["Wy"] = weights(n_y, n_s)
    parameters["by"] = np.zeros((n_y, 1))
    return parameters


def lstm_parameters(parameters, prefix):
    """The LSTM weights under prefix as dlcourse.rnn wants them ({"Wf", "bf", ..., "Wy",
    "by"}). The post-attention LSTM's output layer is the translator's (Wy, by); the
    encoder's LSTMs have none, so they get a one-row zero layer whose output is unused."""
    lstm = {f"{p}{g}": parameters[f"{prefix}{p}{g}"] for g in GATES for p in ("W", "b")}
    if prefix == "post_":
        lstm["Wy"], lstm["by"] = parameters["Wy"], parameters["by"]
    else:
        n_a = lstm["Wf"].shape[0]
        lstm["Wy"], lstm["by"] = np.zeros((1, n_a)), np.zeros((1, 1))
    return lstm


def encoder_forward(X, parameters):
    """The bidirectional LSTM encoder.

    X: (n_x, m, T_x) one-hot characters
    Returns a: (2 n_a, m, T_x), a[:, :, t'] = [a->(t'); a<-(t')], and cache =
    (forward caches, backward caches) of dlcourse.rnn.lstm_forward.
    """
    n_a = parameters["fwd_Wf"].shape[0]
    m = X.shape[1]
    a_fwd, _, _, fwd_caches = lstm_forward(X, np.zeros((n_a, m)), lstm_parameters(parameters,
                                                                                  "fwd_"))
    # The backward LSTM reads the characters last to first; its states are flipped back
    # so that a<-(t') sits beside a->(t') at the same character.
    a_bwd, _, _, bwd_caches = lstm_forward(X[:, :, ::-1], np.zeros((n_a, m)),
                                           lstm_parameters(parameters, "bwd_"))
    a = np.concatenate([a_fwd, a_bwd[:, :, ::-1]], axis=0)  # (2 n_a, m, T_x)
    return a, (fwd_caches, bwd_caches)


def encoder_backward(da, cache):
    """Back-propagation through the encoder.

    da: (2 n_a, m, T_x) gradient of the loss with respect to the annotations a
    Returns {"dfwd_Wf", ..., "dbwd_bo"}: the gradients of both LSTMs' weights.
    """
    fwd_caches, bwd_caches = cache
    n_a = da.shape[0] // 2
    gradients = {}
    for prefix, d, caches in (("fwd_", da[:n_a], fwd_caches),
                              ("bwd_", da[n_a:, :, ::-1], bwd_caches)):
        step = lstm_backward(np.ascontiguousarray(d), caches)
        for g in GATES:
            for p in ("W", "b"):
                gradients[f"d{prefix}{p}{g}"] = step[f"d{p}{g}"]
    return gradients


# --- Graded: attention -------------------------------------------------------------------------

def one_step_attention(a, s_prev, parameters):
    """Attention for one output step: scores, weights and the context vector.

    e<t'> = Wa2 tanh(Wa1 [s_prev; a<t'>] + ba1), alpha = softmax of e over t' = 1..T_x,
    context = sum_t' alpha<t'> a<t'>.

    a: (2 n_a, m, T_x) the encoder's annotations; s_prev: (n_s, m) the decoder state s<t-1>
    parameters: holds "Wa1" (n_e, n_s + 2 n_a), "ba1" (n_e, 1), "Wa2" (1, n_e)
    Returns context: (2 n_a, m), alphas: (m, T_x) (each row sums to 1) and
    cache = (a, s_prev, concat, hidden, alphas, parameters) with concat (n_s + 2 n_a, m, T_x)
    the stacked [s_prev; a<t'>] and hidden (n_e, m, T_x) the tanh layer's output.
    """
    ### BEGIN SOLUTION
    n_2a, m, T_x = a.shape
    n_s = s_prev.shape[0]
    Wa1, ba1, Wa2 = parameters["Wa1"], parameters["ba1"], parameters["Wa2"]
    # The same s<t-1> sits beside every annotation: the scores depend on both.
    s_repeated = np.broadcast_to(s_prev[:, :, None], (n_s, m, T_x))
    concat = np.concatenate([s_repeated, a], axis=0)  # (n_s + 2 n_a, m, T_x)
    n_e = Wa1.shape[0]
    hidden = np.tanh((Wa1 @ concat.reshape(n_s + n_2a, m * T_x)).reshape(n_e, m, T_x)
                     + ba1[:, :, None])  # (n_e, m, T_x)
    energies = (Wa2 @ hidden.reshape(n_e, m * T_x)).reshape(m, T_x)
    # softmax normalises columns: transpose so that each example's T_x scores are a column.
    alphas = softmax(energies.T).T  # (m, T_x)
    context = np.sum(alphas[None] * a, axis=2)  # (2 n_a, m)
    ### END SOLUTION
    return context, alphas, (a, s_prev, concat, hidden, alphas, parameters)


def one_step_attention_backward(dcontext, cache):
    """Back-propagation through one_step_attention.

    dcontext: (2 n_a, m) gradient of the loss with respect to the context
    cache: from one_step_attention
    Returns {"da": (2 n_a, m, T_x), "ds_prev": (n_s, m), "dWa1": (n_e, n_s + 2 n_a),
    "dba1": (n_e, 1), "dWa2": (1, n_e)}.
    """
    ### BEGIN SOLUTION
    a, s_prev, concat, hidden, alphas, parameters = cache
    n_2a, m, T_x = a.shape
    n_s, n_e = s_prev.shape[0], hidden.shape[0]
    # The context is a weighted sum: each annotation gets alpha times dcontext, and
    # each weight gets the dot product of dcontext with its annotation.
    da = dcontext[:, :, None] * alphas[None]  # (2 n_a, m, T_x)
    dalphas = np.sum(dcontext[:, :, None] * a, axis=0)  # (m, T_x)
    # Softmax Jacobian: de = alpha (dalpha - sum_t' alpha dalpha).
    denergies = alphas * (dalphas - np.sum(alphas * dalphas, axis=1, keepdims=True))  # (m, T_x)
    dWa2 = (hidden.reshape(n_e, m * T_x) @ denergies.reshape(m * T_x))[None, :]  # (1, n_e)
    dz = parameters["Wa2"].T[:, :, None] * denergies[None] * (1 - hidden**2)  # (n_e, m, T_x)
    dz_flat = dz.reshape(n_e, m * T_x)
    dWa1 = dz_flat @ concat.reshape(n_s + n_2a, m * T_x).T
    dba1 = np.sum(dz_flat, axis=1, keepdims=True)
    dconcat = (parameters["Wa1"].T @ dz_flat).reshape(n_s + n_2a, m, T_x)
    # s_prev was copied to every t': its gradient is the sum over the copies.
    ds_prev = np.sum(dconcat[:n_s], axis=2)
    da += dconcat[n_s:]
    ### END SOLUTION
    return {"da": da, "ds_prev": ds_prev, "dWa1": dWa1, "dba1": dba1, "dWa2": dWa2}


# --- Graded: the whole translator --------------------------------------------------------------

def model_forward(X, Y, parameters):
    """The translator's forward pass with teacher forcing.

    The decoder state and memory start at zero; at step t the post-attention LSTM reads
    [context<t>; y<t-1>], y<t-1> being the true previous character Y[:, :, t-1] (zeros
    at t = 1). Calls encoder_forward, one_step_attention and rnn.lstm_cell_forward with
    lstm_parameters(parameters, "post_").

    X: (n_x, m, T_x) one-hot inputs; Y: (n_y, m, T_y) one-hot target outputs
    parameters: the flat dict of the module docstring
    Returns y_hat: (n_y, m, T_y) the predicted distributions, alphas: (m, T_y, T_x)
    the attention weights, and cache = (y_hat, a, encoder cache, steps), steps being the
    list of (attention cache, LSTM cell cache) of each output step.
    """
    ### BEGIN SOLUTION
    n_y, m, T_y = Y.shape
    n_s = parameters["Wy"].shape[1]
    a, encoder_cache = encoder_forward(X, parameters)
    post = lstm_parameters(parameters, "post_")
    y_hat = np.zeros((n_y, m, T_y))
    alphas = np.zeros((m, T_y, a.shape[2]))
    s, c, y_prev = np.zeros((n_s, m)), np.zeros((n_s, m)), np.zeros((n_y, m))
    steps = []
    for t in range(T_y):
        context, alphas[:, t], attention_cache = one_step_attention(a, s, parameters)
        inputs = np.concatenate([context, y_prev], axis=0)  # (2 n_a + n_y, m)
        s, c, y_hat[:, :, t], cell_cache = lstm_cell_forward(inputs, s, c, post)
        steps.append((attention_cache, cell_cache))
        y_prev = Y[:, :, t]
    ### END SOLUTION
    return y_hat, alphas, (y_hat, a, encoder_cache, steps)


def compute_cost(y_hat, Y):
    """Cross-entropy summed over the T_y steps, averaged over the m examples.

    y_hat, Y: (n_y, m, T_y). Returns a float.
    """
    return float(-np.sum(Y * np.log(y_hat)) / Y.shape[1])


def model_backward(Y, cache):
    """Gradients of compute_cost(y_hat, Y) with respect to every parameter.

    Back through the T_y output steps (softmax with cross-entropy: dz = (y_hat - Y) / m;
    rnn.lstm_cell_backward; one_step_attention_backward, whose da is summed over the
    steps and whose ds_prev joins the LSTM's da_prev), then encoder_backward.

    Y: (n_y, m, T_y) one-hot targets; cache: from model_forward
    Returns a dict with "d" + key for every key of parameters, each shaped like it.
    """
    ### BEGIN SOLUTION
    y_hat, a, encoder_cache, steps = cache
    n_y, m, T_y = Y.shape
    n_2a = a.shape[0]
    dz = (y_hat - Y) / m  # (n_y, m, T_y)
    post = steps[0][1][-1]
    gradients = {"dWy": np.zeros_like(post["Wy"]), "dby": np.zeros_like(post["by"])}
    for g in GATES:
        gradients[f"dpost_W{g}"] = np.zeros_like(post[f"W{g}"])
        gradients[f"dpost_b{g}"] = np.zeros_like(post[f"b{g}"])
    for key in ("Wa1", "ba1", "Wa2"):
        gradients["d" + key] = np.zeros_like(steps[0][0][-1][key])
    da = np.zeros_like(a)
    ds_next, dc_next = np.zeros_like(steps[0][1][0]), np.zeros_like(steps[0][1][1])
    for t in reversed(range(T_y)):
        attention_cache, cell_cache = steps[t]
        s = cell_cache[0]
        gradients["dWy"] += dz[:, :, t] @ s.T
        gradients["dby"] += np.sum(dz[:, :, t], axis=1, keepdims=True)
        # s<t> feeds the output layer and, through step t + 1, the LSTM and attention.
        ds = post["Wy"].T @ dz[:, :, t] + ds_next
        cell = lstm_cell_backward(ds, dc_next, cell_cache)
        for g in GATES:
            gradients[f"dpost_W{g}"] += cell[f"dW{g}"]
            gradients[f"dpost_b{g}"] += cell[f"db{g}"]
        attention = one_step_attention_backward(cell["dxt"][:n_2a], attention_cache)
        for key in ("Wa1", "ba1", "Wa2"):
            gradients["d" + key] += attention["d" + key]
        da += attention["da"]
        ds_next = cell["da_prev"] + attention["ds_prev"]
        dc_next = cell["dc_prev"]
    gradients.update(encoder_backward(da, encoder_cache))
    ### END SOLUTION
    return gradients


# --- Training and greedy decoding (not graded) --------------------------------------------------

def use_functions(**functions):
    """Make this module's helpers (train, decoder_step, greedy_decode, sequence_log_prob,
    next_log_probs_for) call the given versions of one_step_attention, model_forward and
    model_backward, e.g. the ones written in the notebook:

        attention.use_functions(one_step_attention=one_step_attention, ...)
    """
    allowed = {"one_step_attention", "model_forward", "model_backward"}
    unknown = set(functions) - allowed
    if unknown:
        raise ValueError(f"use_functions: {sorted(unknown)} cannot be replaced; "
                         f"only {sorted(allowed)}")
    globals().update(functions)


def train(X, Y, parameters, num_epochs=10, learning_rate=0.005, mini_batch_size=64, seed=0,
          progress=True, max_seconds=None, checkpoint_epochs=(), on_epoch=None):
    """Train with Adam on shuffled mini-batches (model_forward, model_backward).

    X: (n_x, m, T_x); Y: (n_y, m, T_y); parameters: updated copies are returned
    max_seconds: stop after the first mini-batch that ends later than this (None: no limit)
    checkpoint_epochs: epochs (1-based) after which a copy of the parameters is kept
    on_epoch: None, or a function called as on_epoch(epoch, parameters) after each epoch
    Returns (parameters, costs, checkpoints): costs the mean cost of each mini-batch,
    checkpoints {epoch: parameters}.
    """
    import time

    parameters = {k: v.copy() for k, v in parameters.items()}
    v, s = initialize_adam(parameters)
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    costs, checkpoints, t = [], {}, 0
    start = time.perf_counter()
    for epoch in progress_bar(range(1, num_epochs + 1), show=progress):
        order = rng.permutation(m)
        for k in range(0, m, mini_batch_size):
            batch = order[k:k + mini_batch_size]
            X_batch, Y_batch = X[:, batch], Y[:, batch]
            y_hat, _, cache = model_forward(X_batch, Y_batch, parameters)
            costs.append(compute_cost(y_hat, Y_batch) / Y.shape[2])
            gradients = model_backward(Y_batch, cache)
            t += 1
            parameters, v, s, _, _ = update_parameters_with_adam(parameters, gradients, v, s,
                                                                 t, learning_rate)
            if max_seconds is not None and time.perf_counter() - start > max_seconds:
                return parameters, costs, checkpoints
        if epoch in checkpoint_epochs:
            checkpoints[epoch] = {k: v.copy() for k, v in parameters.items()}
        if on_epoch is not None:
            on_epoch(epoch, parameters)
    return parameters, costs, checkpoints


def decoder_step(a, s_prev, c_prev, y_prev, parameters):
    """One output step at inference: attention, the LSTM cell, the output softmax.

    a: (2 n_a, m, T_x); s_prev, c_prev: (n_s, m); y_prev: (n_y, m) the previous output
    (one-hot, zeros at the first step). Returns s, c: (n_s, m), y_hat: (n_y, m),
    alphas: (m, T_x).
    """
    context, alphas, _ = one_step_attention(a, s_prev, parameters)
    inputs = np.concatenate([context, y_prev], axis=0)  # (2 n_a + n_y, m)
    s, c, y_hat, _ = lstm_cell_forward(inputs, s_prev, c_prev,
                                       lstm_parameters(parameters, "post_"))
    return s, c, y_hat, alphas


def greedy_decode(X, parameters, T_y=10):
    """Translate by taking the most probable character at each step.

    X: (n_x, m, T_x). Returns indices: (m, T_y) int and alphas: (m, T_y, T_x).
    """
    a, _ = encoder_forward(X, parameters)
    n_y, n_s = parameters["Wy"].shape
    m = X.shape[1]
    s, c, y_prev = np.zeros((n_s, m)), np.zeros((n_s, m)), np.zeros((n_y, m))
    indices = np.zeros((m, T_y), dtype=np.int64)
    alphas = np.zeros((m, T_y, a.shape[2]))
    for t in range(T_y):
        s, c, y_hat, alphas[:, t] = decoder_step(a, s, c, y_prev, parameters)
        indices[:, t] = np.argmax(y_hat, axis=0)
        y_prev = np.eye(n_y)[indices[:, t]].T  # (n_y, m)
    return indices, alphas


def sequence_log_prob(X, indices, parameters):
    """log P(y | x) of given output sequences, by teacher forcing.

    X: (n_x, m, T_x); indices: (m, T_y) output character indices. Returns (m,) floats.
    """
    n_y = parameters["Wy"].shape[0]
    Y = np.eye(n_y)[np.asarray(indices)].transpose(2, 0, 1)  # (n_y, m, T_y)
    y_hat, _, _ = model_forward(X, Y, parameters)
    return np.sum(Y * np.log(y_hat), axis=(0, 2))


def next_log_probs_for(x, parameters):
    """The function beam_search asks for, for one input: prefixes -> log-probabilities.

    x: (n_x, 1, T_x) one example. The returned function maps a list of k prefixes
    (tuples of output indices, all of the same length) to a (k, n_y) array of
    log P(next character | x, prefix). Decoder states are remembered per prefix, so
    each call runs one decoder step.
    """
    a, _ = encoder_forward(x, parameters)
    n_y, n_s = parameters["Wy"].shape
    states = {(): (np.zeros((n_s, 1)), np.zeros((n_s, 1)))}

    def next_log_probs(prefixes):
        k = len(prefixes)
        if prefixes[0]:
            s_prev = np.concatenate([states[p[:-1]][0] for p in prefixes], axis=1)  # (n_s, k)
            c_prev = np.concatenate([states[p[:-1]][1] for p in prefixes], axis=1)
        else:
            s_prev, c_prev = np.zeros((n_s, k)), np.zeros((n_s, k))
        y_prev = np.zeros((n_y, k))
        for i, p in enumerate(prefixes):
            if p:
                y_prev[p[-1], i] = 1
        a_k = np.broadcast_to(a, (a.shape[0], k, a.shape[2]))  # (2 n_a, k, T_x)
        s, c, y_hat, _ = decoder_step(a_k, s_prev, c_prev, y_prev, parameters)
        for i, p in enumerate(prefixes):
            states[p] = (s[:, i:i + 1], c[:, i:i + 1])
        return np.log(y_hat.T)  # (k, n_y)

    return next_log_probs


# --- Graded: beam search, error analysis, BLEU --------------------------------------------------

def beam_search(log_probs, beam_width, max_length, end_token=None, alpha=0.7):
    """Beam search for the output sequence with the best length-normalised log-probability.

    log_probs: either a function taking a list of k prefixes (tuples of token indices,
    all of one length) and returning a (k, V) array of log P(next token | x, prefix), or
    a table (max_length, V + 1, V): table[t, i, j] = log P(y<t+1> = j | y<t> = i), row
    i = V standing for "no previous token" at the first step.
    beam_width: B, how many prefixes are kept after each step
    max_length: T, the longest output; end_token: the index that ends a sequence (None:
    every sequence is max_length long); alpha: the length-normalisation exponent
    At each step every kept prefix is extended by every token and the B extensions with
    the highest total log-probability are kept (ties: the earlier prefix, then the
    smaller token). An extension ending with end_token is finished and leaves the beam;
    the search stops when the beam is empty or max_length tokens were written.
    Among the finished sequences and those still in the beam, the one with the best
    score (1 / T_y^alpha) sum_t log P(y<t> | x, y<1..t-1>) wins (T_y its length,
    end_token included; ties: the first found).
    Returns (sequence as a list of int, its log-probability, its score).
    """
    if not callable(log_probs):  # a table: look the rows up by the prefix's last token
        table = np.asarray(log_probs)  # (T, V + 1, V)

        def log_probs(prefixes):
            return np.stack([table[len(p), p[-1] if p else table.shape[2]] for p in prefixes])

    ### BEGIN SOLUTION
    beam, beam_totals = [()], np.zeros(1)
    candidates = []  # (sequence, log-probability), finished or cut at max_length
    for _ in range(max_length):
        totals = beam_totals[:, None] + log_probs(beam)  # (B, V)
        V = totals.shape[1]
        # A stable sort keeps the order of equal totals: earlier prefix, smaller token.
        best = np.argsort(-totals.ravel(), kind="stable")[:beam_width]
        kept, kept_totals = [], []
        for flat in best:
            row, token = divmod(int(flat), V)
            sequence = (*beam[row], token)
            if token == end_token:
                candidates.append((sequence, totals[row, token]))
            else:
                kept.append(sequence)
                kept_totals.append(totals[row, token])
        beam, beam_totals = kept, np.array(kept_totals)
        if not beam:
            break
    candidates += zip(beam, beam_totals, strict=True)
    # Without normalisation the sum of log-probabilities (all negative) favours short outputs.
    scores = [total / len(sequence) ** alpha for sequence, total in candidates]
    k = int(np.argmax(scores))
    best_sequence, best_log_p, best_score = list(candidates[k][0]), candidates[k][1], scores[k]
    ### END SOLUTION
    return best_sequence, float(best_log_p), float(best_score)


def blame_beam_or_model(log_p_true, log_p_beam):
    """Error analysis of beam search, one verdict per translation the search got wrong.

    log_p_true: (k,) the (length-normalised) log-probability the model gives to the
    correct translation y*; log_p_beam: (k,) the same for the beam's output y_hat
    Returns a list of k str: "beam" where P(y* | x) > P(y_hat | x) (the model preferred
    the right answer, the search missed it), "model" otherwise (the model ranks a wrong
    answer at least as high: more search would not help).
    """
    ### BEGIN SOLUTION
    blame = ["beam" if true > found else "model" for true, found in zip(log_p_true, log_p_beam,
                                                                     strict=True)]
    ### END SOLUTION
    return blame


def ngrams(tokens, n):
    """Counter of the n-grams (tuples) of a token sequence."""
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def bleu(candidates, references, max_n=4):
    """Corpus BLEU (Papineni et al., 2002): the geometric mean of the modified n-gram
    precisions for n = 1..max_n times the brevity penalty.

    candidates: list of token sequences (lists of str or int), the translations
    references: list, for each candidate, of one or more reference token sequences
    p_n = (sum over candidates of the n-grams' counts, each clipped to its largest count
    in one reference) / (sum of the candidates' n-gram counts);
    BP = 1 if c > r else exp(1 - r / c), c the candidates' total length, r the sum of the
    reference lengths closest to each candidate's (the shorter on a tie).
    Returns BLEU = BP exp((1 / max_n) sum_n log p_n), a float in [0, 1] (0 when some p_n is 0).
    """
    ### BEGIN SOLUTION
    log_precisions = []
    for n in range(1, max_n + 1):
        clipped, total = 0, 0
        for candidate, refs in zip(candidates, references, strict=True):
            counts = ngrams(candidate, n)
            most = Counter()
            for ref in refs:
                most |= ngrams(ref, n)  # | keeps the larger count of each n-gram
            clipped += sum(min(count, most[gram]) for gram, count in counts.items())
            total += sum(counts.values())
        if clipped == 0:
            return 0.0
        log_precisions.append(np.log(clipped / total))
    c = sum(len(candidate) for candidate in candidates)
    r = sum(min((abs(len(ref) - len(candidate)), len(ref)) for ref in refs)[1]
            for candidate, refs in zip(candidates, references, strict=True))
    brevity_penalty = 1.0 if c > r else np.exp(1 - r / c)
    score = brevity_penalty * np.exp(np.mean(log_precisions))
    ### END SOLUTION
    return float(score)
