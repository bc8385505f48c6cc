"""Music generation with an LSTM (Course 5, week 1): a language model of melodies.

A melody is a sequence of tokens, one per eighth-note step: HOLD (0, the note before
goes on), REST (1) or "a note of pitch pitches[k] begins" (2 + k), as in
datasets/chorales.h5. The LSTM of dlcourse.rnn reads the tokens one-hot, x<t> of
shape (n_values, m), and predicts the next one, y<t> = softmax(Wy a<t> + by).

Layout (the notes' notation, examples as columns): X and Y are (n_values, m, T_x),
hidden states a are (n_a, m, T_x). Parameters {"Wf", "Wu", "Wc", "Wo": (n_a, n_a +
n_values), "bf", "bu", "bc", "bo": (n_a, 1), "Wy": (n_values, n_a), "by": (n_values, 1)},
as lstm_cell_forward takes them.

Graded: melodies_to_one_hot, music_cost, music_gradients, train_music,
predict_and_sample. Not graded: melody_windows (cut melodies into training windows),
melody_notes, piano_roll and tokens_to_midi (the last imports music21 only when called).
"""

from pathlib import Path

import numpy as np

from .optim import initialize_adam, update_parameters_with_adam
from .plot import progress_bar
from .rnn import lstm_backward, lstm_cell_forward, lstm_forward

HOLD, REST = 0, 1


def melody_windows(melodies, length, stride):
    """Every window of `length` consecutive tokens that starts at a multiple of `stride`.

    melodies: list of (T,) int arrays of tokens; a melody shorter than length gives none
    Returns windows, an int64 array (m, length), in the order of the melodies.
    """
    windows = [melody[start:start + length]
               for melody in melodies
               for start in range(0, len(melody) - length + 1, stride)]
    return np.array(windows, dtype=np.int64).reshape(-1, length)


def melodies_to_one_hot(windows, n_values):
    """Inputs and targets of the next-token model: the tokens one-hot, and shifted by one.

    windows: (m, T_x + 1) int array of tokens in 0 .. n_values - 1
    Returns X: (n_values, m, T_x) with X[:, i, t] the one-hot column of windows[i, t], and
    Y: (n_values, m, T_x) with Y[:, i, t] the one-hot column of windows[i, t + 1] (the
    token that follows x<t>). Both float64.
    """
    ### BEGIN SOLUTION
    one_hot = np.eye(n_values)[windows]  # (m, T_x + 1, n_values)
    one_hot = one_hot.transpose(2, 0, 1)  # (n_values, m, T_x + 1)
    X = one_hot[:, :, :-1]
    Y = one_hot[:, :, 1:]  # the target at step t is the input at step t + 1
    ### END SOLUTION
    return X, Y


def music_cost(y_pred, Y):
    """Softmax cross-entropy averaged over the m examples and the T_x steps, and its
    gradient with respect to the output layer's pre-activation.

    cost = -(1 / (m T_x)) sum over k, i, t of Y[k, i, t] log y_pred[k, i, t]
    y_pred: (n_values, m, T_x) softmax outputs, each column summing to 1
    Y: (n_values, m, T_x) one-hot targets
    Returns cost (float) and dz: (n_values, m, T_x), the gradient of the cost with respect
    to z<t> = Wy a<t> + by (the softmax and the cross-entropy together).
    """
    ### BEGIN SOLUTION
    n_values, m, T_x = Y.shape
    cost = float(-np.sum(Y * np.log(y_pred)) / (m * T_x))
    # Softmax followed by cross-entropy: the Jacobians multiply out to y_pred - Y.
    dz = (y_pred - Y) / (m * T_x)
    ### END SOLUTION
    return cost, dz


def music_gradients(X, Y, parameters):
    """The cost of a batch and the gradient of every parameter (forward, then backward).

    The LSTM starts from a<0> = 0 (and c<0> = 0) and reads X; its outputs y<t> are scored
    by music_cost against Y.
    X, Y: (n_values, m, T_x) from melodies_to_one_hot; parameters: see the module docstring
    Returns cost (float) and gradients {"dWf", "dWu", "dWc", "dWo", "dbf", "dbu", "dbc",
    "dbo", "dWy", "dby"}, each shaped like its parameter.
    """
    ### BEGIN SOLUTION
    n_values, m, T_x = X.shape
    n_a = parameters["Wy"].shape[1]
    a, y_pred, c, caches = lstm_forward(X, np.zeros((n_a, m)), parameters)
    cost, dz = music_cost(y_pred, Y)
    # The output layer is shared by all steps: sum over examples and steps.
    gradients = {"dWy": np.einsum("ymt,amt->ya", dz, a),
                 "dby": dz.sum(axis=(1, 2))[:, None]}  # (n_values, 1)
    da = np.einsum("ya,ymt->amt", parameters["Wy"], dz)  # (n_a, m, T_x)
    lstm_gradients = lstm_backward(da, caches)
    for g in ("f", "u", "c", "o"):  # forget, update, candidate, output
        gradients[f"dW{g}"] = lstm_gradients[f"dW{g}"]
        gradients[f"db{g}"] = lstm_gradients[f"db{g}"]
    ### END SOLUTION
    return cost, gradients


def train_music(X, Y, n_a=64, num_iterations=300, learning_rate=0.01, mini_batch_size=64,
                seed=0, progress=False):
    """Train the LSTM melody model with Adam on random mini-batches of windows.

    Initialisation, drawing from rng = np.random.default_rng(seed) in this order: Wf, Wu,
    Wc, Wo, each rng.normal(size=(n_a, n_a + n_values)) / sqrt(n_a + n_values); then Wy,
    rng.normal(size=(n_values, n_a)) / sqrt(n_a); every bias zero. Each iteration takes
    the windows rng.choice(m, size=min(mini_batch_size, m), replace=False), computes
    music_gradients on them and makes one Adam step (update_parameters_with_adam, step
    number t counting from 1, its default betas).
    X, Y: (n_values, m, T_x) from melodies_to_one_hot
    Returns parameters (see the module docstring) and costs, the list of the
    num_iterations mini-batch costs.
    """
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    n_values, m, T_x = X.shape
    parameters = {}
    for g in ("f", "u", "c", "o"):  # forget, update, candidate, output
        parameters[f"W{g}"] = rng.normal(size=(n_a, n_a + n_values)) / np.sqrt(n_a + n_values)
    parameters["Wy"] = rng.normal(size=(n_values, n_a)) / np.sqrt(n_a)
    for g in ("f", "u", "c", "o"):
        parameters[f"b{g}"] = np.zeros((n_a, 1))
    parameters["by"] = np.zeros((n_values, 1))
    v, s = initialize_adam(parameters)
    costs = []
    for t in progress_bar(range(1, num_iterations + 1), show=progress):
        batch = rng.choice(m, size=min(mini_batch_size, m), replace=False)
        cost, gradients = music_gradients(X[:, batch], Y[:, batch], parameters)
        parameters, v, s, _, _ = update_parameters_with_adam(parameters, gradients, v, s, t,
                                                             learning_rate)
        costs.append(cost)
    ### END SOLUTION
    return parameters, costs


def predict_and_sample(parameters, prime, T_y, seed, temperature=1.0):
    """Write a melody: read the tokens of `prime`, then draw T_y tokens one at a time.

    From a<0> = c<0> = 0 the LSTM reads the prime tokens one-hot (lstm_cell_forward).
    The output after the last prime token gives the distribution of the first new
    token; each drawn token is fed back as the next input. A token is drawn with
    rng.choice(n_values, p=p), rng = np.random.default_rng(seed) made once, where
    p = y ** (1 / temperature) / sum(y ** (1 / temperature)) for the softmax output y
    (temperature 1: y itself; below 1: likelier tokens favoured further).
    parameters: see the module docstring; prime: sequence of at least one token
    T_y: number of tokens to write; seed: int; temperature: float > 0
    Returns indices: (T_y,) int64 array, the drawn tokens (the prime not included).
    """
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    n_values, n_a = parameters["Wy"].shape
    a, c = np.zeros((n_a, 1)), np.zeros((n_a, 1))
    identity = np.eye(n_values)
    for token in prime:
        a, c, y, _ = lstm_cell_forward(identity[:, [token]], a, c, parameters)
    indices = np.zeros(T_y, dtype=np.int64)
    for t in range(T_y):
        p = y.ravel() ** (1.0 / temperature)
        indices[t] = rng.choice(n_values, p=p / p.sum())
        # What the model writes, it reads next: the drawn token becomes x<t+1>.
        a, c, y, _ = lstm_cell_forward(identity[:, [indices[t]]], a, c, parameters)
    ### END SOLUTION
    return indices


# --- From tokens to notes: the piano roll and the MIDI file --------------------------------

def melody_notes(tokens, pitches):
    """The notes of a token sequence as (start, duration, MIDI pitch), in eighth notes.

    A HOLD extends the note before it; a HOLD after a REST (or at the start) is silence.
    tokens: (T,) ints; pitches: (P,) MIDI pitch of token 2 + k
    Returns a list of (start, duration, pitch) tuples of ints.
    """
    notes = []
    sounding = False
    for t, token in enumerate(tokens):
        if token == HOLD and sounding:
            start, duration, pitch = notes[-1]
            notes[-1] = (start, duration + 1, pitch)
        elif token >= 2:
            notes.append((t, 1, int(pitches[token - 2])))
            sounding = True
        else:
            sounding = False
    return notes


def piano_roll(tokens, pitches, ax=None, title="", color="tab:blue", bar=8):
    """Draw a melody as a piano roll: a bar per note, time across, pitch up.

    tokens: (T,) ints; pitches: (P,) MIDI pitches; bar: eighth notes per bar line drawn
    Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 2.5))
    names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
    for start, duration, pitch in melody_notes(tokens, pitches):
        ax.broken_barh([(start, duration - 0.1)], (pitch - 0.4, 0.8), color=color)
    for x in range(0, len(tokens) + 1, bar):
        ax.axvline(x, color="0.85", lw=0.8, zorder=0)
    ticks = [p for p in range(int(pitches[0]), int(pitches[-1]) + 1) if p % 12 in (0, 4, 7)]
    ax.set_yticks(ticks, [f"{names[p % 12]}{p // 12 - 1}" for p in ticks])
    ax.set_xlim(0, len(tokens))
    ax.set_ylim(pitches[0] - 1, pitches[-1] + 1)
    ax.set_xlabel("eighth notes")
    ax.set_title(title)
    return ax


def tokens_to_midi(tokens, pitches, path, bpm=80):
    """Write a melody to a standard MIDI file with music21 (imported here, not above).

    tokens: (T,) ints; pitches: (P,) MIDI pitches; path: where to write (".mid")
    bpm: tempo in quarter notes per minute
    Returns the path written, a pathlib.Path.
    """
    from music21 import note, stream, tempo

    melody = stream.Stream()
    melody.append(tempo.MetronomeMark(number=bpm))
    notes = melody_notes(tokens, pitches)
    position = 0
    for start, duration, pitch in notes:
        if start > position:  # the silence before this note
            melody.append(note.Rest(quarterLength=(start - position) / 2))
        melody.append(note.Note(pitch, quarterLength=duration / 2))
        position = start + duration
    return Path(melody.write("midi", fp=path))
