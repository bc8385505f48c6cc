"""Emojify: classify short sentences with word vectors (Course 5, week 2).

Two models read a sentence through frozen GloVe vectors (the embedding matrix E is
(n_e, V), one column per word, as in dlcourse.embeddings) and give one of C classes:

- the averaging model: the mean of the sentence's word vectors, then a softmax layer;
  it ignores word order;
- the LSTM classifier: the word vectors enter an LSTM (dlcourse.rnn) one per step, and
  a softmax layer reads the hidden state after the sentence's last word.

A sentence is a str of lower-case words separated by spaces. A batch of m sentences
becomes word indices X_indices (m, T_x), padded with -1 after each sentence's end (the
padding of dlcourse.rnn.names_to_batch); the LSTM's inputs are then x (n_e, m, T_x)
with zero columns on padding. Labels Y are (m,) integers in 0..C-1. Both models
minimise the mean cross-entropy -(1/m) sum_i log y_hat[Y_i, i].
"""

import numpy as np

from .activations import softmax
from .losses import one_hot
from .optim import initialize_adam, update_parameters_with_adam
from .plot import progress_bar
from .rnn import lstm_backward, lstm_forward

# The emoji of each class, in the order of load_emojify's classes: love, sport, happy, sad, food.
EMOJIS = ("\u2764\ufe0f", "\u26be", "\U0001f604", "\U0001f61e", "\U0001f374")


def cross_entropy(y_hat, Y):
    """Mean cross-entropy of predicted distributions against integer labels.

    y_hat: (C, m) columns summing to 1; Y: (m,) int labels in 0..C-1
    Returns -(1/m) sum_i log y_hat[Y_i, i], a float.
    """
    m = Y.shape[0]
    return float(-np.sum(np.log(y_hat[Y, np.arange(m)])) / m)


def sentence_to_avg(sentence, word_to_index, E):
    """The mean of the word vectors of a sentence.

    sentence: str of words separated by spaces (any case; looked up lower-cased); words
    missing from word_to_index are skipped
    word_to_index: {word: column of E}; E: (n_e, V) word vectors as columns
    Returns avg: (n_e,), the mean of the known words' vectors, zeros if none is known.
    """
    ### BEGIN SOLUTION
    indices = [word_to_index[w] for w in sentence.lower().split() if w in word_to_index]
    if not indices:
        return np.zeros(E.shape[0])
    avg = E[:, indices].mean(axis=1)  # (n_e,)
    ### END SOLUTION
    return avg


def softmax_model(X, Y, word_to_index, E, C=5, learning_rate=0.5, num_iterations=1000, seed=0):
    """Train the averaging model: y_hat = softmax(W avg + b), full-batch gradient descent.

    avg is (n_e, m), column i the sentence_to_avg of X[i]. W is initialised with
    np.random.default_rng(seed).normal(size=(C, n_e)) / sqrt(n_e) and b with zeros; each
    iteration computes the cost -(1/m) sum_i log y_hat[Y_i, i], its gradients
    dZ = (y_hat - one-hot(Y)) / m, dW = dZ avg^T, db = sum of dZ over examples, and takes
    the step W -= learning_rate dW, b -= learning_rate db.
    X: list of m sentences (str); Y: (m,) int labels in 0..C-1
    word_to_index, E: as for sentence_to_avg
    Returns parameters {"W": (C, n_e), "b": (C, 1)} and costs, the list of the
    num_iterations costs (each computed before its step).
    """
    ### BEGIN SOLUTION
    n_e, m = E.shape[0], len(X)
    avg = np.stack([sentence_to_avg(s, word_to_index, E) for s in X], axis=1)  # (n_e, m)
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(C, n_e)) / np.sqrt(n_e)
    b = np.zeros((C, 1))
    Y_onehot = one_hot(Y, C)  # (C, m)
    costs = []
    for _ in range(num_iterations):
        y_hat = softmax(W @ avg + b)  # (C, m)
        costs.append(float(-np.sum(Y_onehot * np.log(y_hat)) / m))
        dZ = (y_hat - Y_onehot) / m  # softmax and cross-entropy together
        W = W - learning_rate * (dZ @ avg.T)
        b = b - learning_rate * np.sum(dZ, axis=1, keepdims=True)
    parameters = {"W": W, "b": b}
    ### END SOLUTION
    return parameters, costs


def predict_avg(X, word_to_index, E, parameters):
    """Classes the averaging model gives: X list of m sentences -> (m,) int."""
    avg = np.stack([sentence_to_avg(s, word_to_index, E) for s in X], axis=1)  # (n_e, m)
    return np.argmax(parameters["W"] @ avg + parameters["b"], axis=0)


def sentences_to_indices(X, word_to_index, max_len):
    """Word indices of a batch of sentences, padded with -1 to a common length.

    X: list of m sentences (str, looked up lower-cased; every word must be in word_to_index)
    word_to_index: {word: index}; max_len: int, at least the longest sentence's word count
    Returns X_indices: (m, max_len) int64, X_indices[i, j] the index of the j-th word of
    sentence i, and -1 after its last word.
    """
    ### BEGIN SOLUTION
    X_indices = np.full((len(X), max_len), -1, dtype=np.int64)
    for i, sentence in enumerate(X):
        indices = [word_to_index[w] for w in sentence.lower().split()]
        X_indices[i, :len(indices)] = indices
    ### END SOLUTION
    return X_indices


def initialize_lstm_classifier(n_e, n_a, C, seed=0):
    """Parameters of the LSTM classifier, in dlcourse.rnn's layout.

    Each gate's W (n_a, n_a + n_e) is drawn from N(0, 1 / (n_a + n_e)) by
    np.random.default_rng(seed) in the order Wf, Wu, Wc, Wo, then Wy (C, n_a) from
    N(0, 1 / n_a); biases are zero except bf = 1 (the cell starts by keeping its memory).
    Returns {"Wf", "Wu", "Wc", "Wo": (n_a, n_a + n_e), "bf", "bu", "bc", "bo": (n_a, 1),
    "Wy": (C, n_a), "by": (C, 1)}.
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    for g in ("f", "u", "c", "o"):
        parameters[f"W{g}"] = rng.normal(size=(n_a, n_a + n_e)) / np.sqrt(n_a + n_e)
        parameters[f"b{g}"] = np.ones((n_a, 1)) if g == "f" else np.zeros((n_a, 1))
    parameters["Wy"] = rng.normal(size=(C, n_a)) / np.sqrt(n_a)
    parameters["by"] = np.zeros((C, 1))
    return parameters


def lstm_classifier_forward(X_indices, E, parameters):
    """The LSTM classifier: y_hat = softmax(Wy a<T_i> + by), a<T_i> the hidden state after
    sentence i's last word.

    Look the words up in E (zero vectors where X_indices is -1), run lstm_forward from
    a<0> = 0 over all max_len steps, and read each sentence's hidden state at its own last
    step T_i - 1 (0-based; T_i = its number of words, at least 1). The LSTM is causal, so
    the padded steps after T_i change nothing.
    X_indices: (m, T_x) int, -1 on padding; E: (n_e, V) frozen word vectors
    parameters: as made by initialize_lstm_classifier (C = Wy.shape[0])
    Returns y_hat: (C, m) and cache = (caches, a_last, last, parameters): lstm_forward's
    caches, a_last (n_a, m) the states read, last (m,) the steps read.
    """
    ### BEGIN SOLUTION
    m, T_x = X_indices.shape
    n_a = parameters["Wy"].shape[1]
    x = E[:, X_indices] * (X_indices >= 0)[None, :, :]  # (n_e, m, T_x), zero on padding
    a, _, _, caches = lstm_forward(x, np.zeros((n_a, m)), parameters)
    last = np.sum(X_indices >= 0, axis=1) - 1  # (m,)
    a_last = a[:, np.arange(m), last]  # (n_a, m)
    y_hat = softmax(parameters["Wy"] @ a_last + parameters["by"])  # (C, m)
    ### END SOLUTION
    return y_hat, (caches, a_last, last, parameters)


def lstm_classifier_backward(y_hat, Y, cache):
    """Gradients of the mean cross-entropy of the LSTM classifier.

    dz = (y_hat - one-hot(Y)) / m; dWy = dz a_last^T, dby = sum of dz over examples;
    da (n_a, m, T_x) is zero except da[:, i, last_i] = Wy^T dz[:, i], which lstm_backward
    takes back through time (the embeddings are frozen: dx is not used).
    y_hat: (C, m) from lstm_classifier_forward; Y: (m,) int labels; cache: from it too
    Returns {"dWf", "dWu", "dWc", "dWo": (n_a, n_a + n_e), "dbf", "dbu", "dbc", "dbo":
    (n_a, 1), "dWy": (C, n_a), "dby": (C, 1)}.
    """
    ### BEGIN SOLUTION
    caches, a_last, last, parameters = cache
    C, m = y_hat.shape
    n_a = a_last.shape[0]
    T_x = caches[1].shape[2]
    dz = (y_hat - one_hot(Y, C)) / m  # (C, m)
    da = np.zeros((n_a, m, T_x))
    da[:, np.arange(m), last] = parameters["Wy"].T @ dz
    lstm_grads = lstm_backward(da, caches)
    gradients = {key: lstm_grads[key] for key in
                 ("dWf", "dbf", "dWu", "dbu", "dWc", "dbc", "dWo", "dbo")}
    gradients["dWy"] = dz @ a_last.T
    gradients["dby"] = np.sum(dz, axis=1, keepdims=True)
    ### END SOLUTION
    return gradients


def lstm_classifier_model(X_indices, Y, E, C=5, n_a=32, num_epochs=50, mini_batch_size=32,
                          learning_rate=0.01, seed=0, progress=False):
    """Train the LSTM classifier with Adam on mini-batches; the embeddings stay frozen.

    Start from initialize_lstm_classifier(n_e, n_a, C, seed) and Adam's zero averages
    (initialize_adam). A generator np.random.default_rng(seed + 1) draws each epoch's
    order of the m sentences (rng.permutation(m)); the epoch goes through it in
    mini-batches of mini_batch_size (the last one smaller), each a forward pass, a
    backward pass and one update_parameters_with_adam step (t counting steps from 1).
    X_indices: (m, T_x) int, -1 on padding; Y: (m,) int labels; E: (n_e, V)
    Returns parameters (the dict of initialize_lstm_classifier) and costs, the
    num_epochs mean costs of each epoch's mini-batches (each before its step).
    """
    ### BEGIN SOLUTION
    m = X_indices.shape[0]
    parameters = initialize_lstm_classifier(E.shape[0], n_a, C, seed)
    v, s = initialize_adam(parameters)
    rng = np.random.default_rng(seed + 1)
    costs, t = [], 0
    for _ in progress_bar(range(num_epochs), show=progress):
        order = rng.permutation(m)
        batch_costs = []
        for start in range(0, m, mini_batch_size):
            batch = order[start:start + mini_batch_size]
            y_hat, cache = lstm_classifier_forward(X_indices[batch], E, parameters)
            batch_costs.append(cross_entropy(y_hat, Y[batch]))
            gradients = lstm_classifier_backward(y_hat, Y[batch], cache)
            t += 1
            parameters, v, s, _, _ = update_parameters_with_adam(parameters, gradients, v, s, t,
                                                                 learning_rate)
        costs.append(float(np.mean(batch_costs)))
    ### END SOLUTION
    return parameters, costs


def predict_lstm(X_indices, E, parameters):
    """Classes the LSTM classifier gives: X_indices (m, T_x) -> (m,) int."""
    y_hat, _ = lstm_classifier_forward(X_indices, E, parameters)
    return np.argmax(y_hat, axis=0)
