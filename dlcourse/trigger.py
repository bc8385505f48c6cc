"""Trigger-word detection: synthesising labelled clips, spectrograms, a 1-D conv + GRU
detector (Course 5, week 3; beyond the lecture notes).

Audio is mono at SAMPLE_RATE = 8000 samples per second, as float64 arrays in [-1, 1].
A training clip is CLIP_MS = 5000 ms long (40,000 samples): a background with up to
four trigger words ("activate") and up to two other words pasted in at random,
non-overlapping times. Its label y is (1, T_y) over the detector's T_y output steps:
1 on the N_ONES steps right after the end of each trigger word, 0 elsewhere.

The detector, in the course's layout (examples as columns, time last):

    spectrogram X (n_freq, m, T_x) -> conv1d (f, stride) -> ReLU -> GRU (n_a units)
        -> y_hat<t> = sigmoid(W_y a<t> + b_y), (1, m, T_y)

with the GRU of dlcourse.rnn (the notes' full GRU). With N_FFT = 200 (25 ms), HOP = 80
(10 ms), f = 15 and stride 4, a 5 s clip gives T_x = 498 frames and T_y = 121 steps.
"""

import numpy as np

from .activations import sigmoid
from .optim import initialize_adam, update_parameters_with_adam
from .plot import progress_bar
from .rnn import gru_backward, gru_forward

SAMPLE_RATE = 8000
CLIP_MS = 5000
N_FFT, HOP = 200, 80  # 25 ms frames every 10 ms
CONV_F, CONV_STRIDE = 15, 4
T_X = 1 + (CLIP_MS * SAMPLE_RATE // 1000 - N_FFT) // HOP  # 498 spectrogram frames
T_Y = (T_X - CONV_F) // CONV_STRIDE + 1  # 121 output steps
N_ONES = 8  # label steps after the end of a trigger word (8 x 41 ms = 0.33 s)
MAX_TRIES = 10  # random placements tried before a clip is left out


# --- Making labelled clips --------------------------------------------------------------------

def get_random_time_segment(segment_ms, clip_ms=CLIP_MS):
    """A random segment of segment_ms milliseconds inside a clip of clip_ms.

    Draws start = np.random.randint(0, clip_ms - segment_ms).
    Returns (start, start + segment_ms - 1), both ends included, in ms.
    """
    start = np.random.randint(0, clip_ms - segment_ms)
    return (start, start + segment_ms - 1)


def is_overlapping(segment_time, previous_segments):
    """Does a segment overlap any of the segments already used?

    segment_time: (start, end) in ms, both ends included
    previous_segments: list of (start, end) pairs
    Returns True or False. Segments that share a single millisecond overlap.
    """
    ### BEGIN SOLUTION
    start, end = segment_time
    overlap = any(start <= previous_end and end >= previous_start
                  for previous_start, previous_end in previous_segments)
    ### END SOLUTION
    return overlap


def insert_audio_clip(background, audio_clip, previous_segments, sample_rate=SAMPLE_RATE):
    """Add audio_clip to the background at a random time where it overlaps nothing.

    The clip lasts segment_ms = ceil(1000 len(audio_clip) / sample_rate) ms. Draw
    segments with get_random_time_segment(segment_ms, clip_ms), clip_ms = 1000
    len(background) // sample_rate, until one does not overlap previous_segments, at
    most MAX_TRIES draws. Add the clip's samples to the background from sample
    start * sample_rate // 1000 on.
    background: (n,) samples; audio_clip: (k,) samples, shorter than the background
    previous_segments: list of (start, end) in ms; left unchanged
    Returns new_background (n,), a new array, and segment_time, the (start, end) used;
    when all MAX_TRIES draws overlap, the background unchanged (a copy) and None.
    """
    ### BEGIN SOLUTION
    clip_ms = 1000 * len(background) // sample_rate
    segment_ms = -(-1000 * len(audio_clip) // sample_rate)  # rounded up
    segment_time = get_random_time_segment(segment_ms, clip_ms)
    tries = 1
    while is_overlapping(segment_time, previous_segments):
        if tries == MAX_TRIES:
            return background.copy(), None
        segment_time = get_random_time_segment(segment_ms, clip_ms)
        tries += 1
    start = segment_time[0] * sample_rate // 1000
    new_background = background.copy()
    # Adding, not replacing: the word is heard over the background, as in a real room.
    new_background[start:start + len(audio_clip)] += audio_clip
    ### END SOLUTION
    return new_background, segment_time


def insert_ones(y, segment_end_ms, clip_ms=CLIP_MS, n_ones=N_ONES):
    """Label the n_ones output steps that follow the end of a trigger word with 1.

    The word ends at output step k = segment_end_ms * T_y // clip_ms (integer division);
    steps k + 1, ..., k + n_ones become 1, as far as the clip reaches.
    y: (1, T_y) labels; segment_end_ms: int, the last millisecond of the word
    Returns a new (1, T_y) array; y is left unchanged.
    """
    ### BEGIN SOLUTION
    T_y = y.shape[1]
    end_step = segment_end_ms * T_y // clip_ms
    y = y.copy()
    y[0, end_step + 1:end_step + 1 + n_ones] = 1  # slicing stops at T_y by itself
    ### END SOLUTION
    return y


def create_training_example(background, activates, negatives, sample_rate=SAMPLE_RATE,
                            T_y=T_Y):
    """One synthetic clip and its labels.

    Draw n = np.random.randint(0, 5) trigger words, their indices
    np.random.randint(len(activates), size=n), and insert each with insert_audio_clip;
    for each one placed, set its labels with insert_ones at its segment's end. Then the
    same for np.random.randint(0, 3) negative words (no labels). Every placed segment
    is added to the list the next insertions must avoid. Finally clip the samples to
    [-1, 1] (a loud moment must not exceed what 16-bit audio can hold).
    background: (n_samples,); activates, negatives: lists of (k,) sample arrays
    Returns x: (n_samples,) the clip, y: (1, T_y) its labels.
    """
    ### BEGIN SOLUTION
    clip_ms = 1000 * len(background) // sample_rate
    y = np.zeros((1, T_y))
    x = background.copy()
    previous_segments = []
    n_activates = np.random.randint(0, 5)
    for i in np.random.randint(len(activates), size=n_activates):
        x, segment_time = insert_audio_clip(x, activates[i], previous_segments, sample_rate)
        if segment_time is not None:
            previous_segments.append(segment_time)
            y = insert_ones(y, segment_time[1], clip_ms)
    n_negatives = np.random.randint(0, 3)
    for i in np.random.randint(len(negatives), size=n_negatives):
        x, segment_time = insert_audio_clip(x, negatives[i], previous_segments, sample_rate)
        if segment_time is not None:
            previous_segments.append(segment_time)
    x = np.clip(x, -1.0, 1.0)
    ### END SOLUTION
    return x, y


# --- Spectrogram ------------------------------------------------------------------------------

def spectrogram(x, n_fft=N_FFT, hop=HOP):
    """Log power spectrogram of a batch of clips.

    Frame t holds samples t * hop ... t * hop + n_fft - 1 (only whole frames, T_x =
    1 + (n_samples - n_fft) // hop of them); each frame is multiplied by the Hann window
    np.hanning(n_fft), and its power spectrum |rfft|^2 has n_freq = n_fft // 2 + 1
    frequencies (0 ... sample_rate / 2). The result is log(power + 1e-10).
    x: (m, n_samples)
    Returns X: (n_freq, m, T_x), frequency first as an input x<t> of the course's RNNs.
    """
    ### BEGIN SOLUTION
    m, n_samples = x.shape
    T_x = 1 + (n_samples - n_fft) // hop
    index = hop * np.arange(T_x)[:, None] + np.arange(n_fft)  # (T_x, n_fft)
    frames = x[:, index] * np.hanning(n_fft)  # (m, T_x, n_fft)
    power = np.abs(np.fft.rfft(frames, axis=-1)) ** 2  # (m, T_x, n_freq)
    X = np.log(power + 1e-10).transpose(2, 0, 1)  # (n_freq, m, T_x)
    ### END SOLUTION
    return X


# --- The detector -----------------------------------------------------------------------------

def conv1d_forward(X, W, b, stride):
    """A 1-D convolution over time (valid, no padding): each output step sees f frames.

    Z[c, i, t] = sum over k < f and j < n_freq of W[k, j, c] X[j, i, stride t + k] + b[c].
    X: (n_freq, m, T_x); W: (f, n_freq, n_c); b: (n_c, 1); stride: int
    Returns Z: (n_c, m, T_y) with T_y = (T_x - f) // stride + 1, and cache (X, W, b, stride).
    """
    ### BEGIN SOLUTION
    f, n_freq, n_c = W.shape
    _, m, T_x = X.shape
    T_y = (T_x - f) // stride + 1
    index = stride * np.arange(T_y)[:, None] + np.arange(f)  # (T_y, f)
    windows = X[:, :, index].transpose(1, 2, 3, 0)  # (m, T_y, f, n_freq)
    # All windows times all filters as one matrix product.
    Z = windows.reshape(m * T_y, f * n_freq) @ W.reshape(f * n_freq, n_c)  # (m T_y, n_c)
    Z = Z.reshape(m, T_y, n_c).transpose(2, 0, 1) + b[:, :, None]  # (n_c, m, T_y)
    ### END SOLUTION
    return Z, (X, W, b, stride)


def conv1d_backward(dZ, cache):
    """Gradients of conv1d_forward.

    dZ: (n_c, m, T_y); cache: from conv1d_forward
    Returns dX: (n_freq, m, T_x), dW: (f, n_freq, n_c), db: (n_c, 1).
    """
    X, W, b, stride = cache
    f, n_freq, n_c = W.shape
    _, m, T_y = dZ.shape
    index = stride * np.arange(T_y)[:, None] + np.arange(f)  # (T_y, f)
    windows = X[:, :, index].transpose(1, 2, 3, 0).reshape(m * T_y, f * n_freq)
    dZ_rows = dZ.transpose(1, 2, 0).reshape(m * T_y, n_c)  # (m T_y, n_c)
    dW = (windows.T @ dZ_rows).reshape(f, n_freq, n_c)
    db = dZ_rows.sum(axis=0)[:, None]
    dwindows = (dZ_rows @ W.reshape(f * n_freq, n_c).T).reshape(m, T_y, f, n_freq)
    dX = np.zeros_like(X)
    last = stride * (T_y - 1) + 1
    # Frame stride t + k gets the gradient of every window that read it, one k at a time.
    for k in range(f):
        dX[:, :, k:k + last:stride] += dwindows[:, :, k, :].transpose(2, 0, 1)
    return dX, dW, db


def initialize_detector(n_freq, n_c=32, n_a=32, f=CONV_F, seed=0):
    """Random parameters of the detector (He-scaled conv filters, Xavier-like GRU).

    Returns {"Wconv": (f, n_freq, n_c), "bconv": (n_c, 1), "Wu", "Wr", "Wc": (n_a, n_a +
    n_c), "bu", "br", "bc": (n_a, 1), "Wy": (1, n_a), "by": (1, 1)}.
    """
    rng = np.random.default_rng(seed)
    parameters = {"Wconv": rng.normal(0, np.sqrt(2 / (f * n_freq)), (f, n_freq, n_c)),
                  "bconv": np.zeros((n_c, 1))}
    for gate in ("u", "r", "c"):
        parameters[f"W{gate}"] = rng.normal(0, np.sqrt(1 / (n_a + n_c)), (n_a, n_a + n_c))
        parameters[f"b{gate}"] = np.zeros((n_a, 1))
    parameters["Wy"] = rng.normal(0, np.sqrt(1 / n_a), (1, n_a))
    # Most steps are 0: starting the output near the share of 1s speeds up the start.
    parameters["by"] = np.full((1, 1), -2.0)
    return parameters


def detector_forward(X, parameters, stride=CONV_STRIDE):
    """The detector's output probability at every step.

    Z = conv1d_forward(X, Wconv, bconv, stride); A = max(Z, 0) (ReLU); the GRU over A
    from a<0> = 0 with gru_forward (parameters "Wu", "bu", "Wr", "br", "Wc", "bc"); then
    y_hat<t> = sigmoid(Wy a<t> + by) at every step.
    X: (n_freq, m, T_x) standardised spectrograms; parameters: as initialize_detector
    Returns y_hat: (1, m, T_y) and cache (conv_cache, Z, a, gru_caches, parameters).
    """
    ### BEGIN SOLUTION
    Z, conv_cache = conv1d_forward(X, parameters["Wconv"], parameters["bconv"], stride)
    A = np.maximum(Z, 0)  # (n_c, m, T_y)
    n_a = parameters["Wu"].shape[0]
    a, gru_caches = gru_forward(A, np.zeros((n_a, X.shape[1])), parameters)  # (n_a, m, T_y)
    # The same output unit at every step: one matrix product over all steps at once.
    y_hat = sigmoid(np.einsum("ya,amt->ymt", parameters["Wy"], a)
                    + parameters["by"][:, :, None])  # (1, m, T_y)
    ### END SOLUTION
    return y_hat, (conv_cache, Z, a, gru_caches, parameters)


def detector_loss(y_hat, Y):
    """Binary cross-entropy averaged over the m clips and the T_y steps.

    y_hat, Y: (1, m, T_y). Returns a float.
    """
    y_hat = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(y_hat) + (1 - Y) * np.log(1 - y_hat)))


def detector_backward(y_hat, Y, cache):
    """Gradients of detector_loss(detector_forward(X, parameters)[0], Y).

    y_hat, Y: (1, m, T_y); cache: from detector_forward
    Returns {"d" + key: gradient} for every key of parameters, and "dX" (n_freq, m, T_x).
    """
    conv_cache, Z, a, gru_caches, parameters = cache
    _, m, T_y = y_hat.shape
    dz_y = (y_hat - Y) / (m * T_y)  # sigmoid with cross-entropy, averaged
    grads = {"dWy": np.einsum("ymt,amt->ya", dz_y, a),
             "dby": dz_y.sum(axis=(1, 2))[:, None]}
    da = np.einsum("ya,ymt->amt", parameters["Wy"], dz_y)  # (n_a, m, T_y)
    gru_grads = gru_backward(da, gru_caches)
    for key in ("Wu", "bu", "Wr", "br", "Wc", "bc"):
        grads[f"d{key}"] = gru_grads[f"d{key}"]
    dZ = gru_grads["dx"] * (Z > 0)
    grads["dX"], grads["dWconv"], grads["dbconv"] = conv1d_backward(dZ, conv_cache)
    return grads


def train_detector(parameters, make_batch, num_steps, learning_rate=0.003, progress=False):
    """Adam on fresh batches: make_batch(step) -> (X (n_freq, m, T_x), Y (1, m, T_y)).

    Returns the trained parameters (a new dict) and the list of batch losses.
    """
    parameters = {key: value.copy() for key, value in parameters.items()}
    v, s = initialize_adam(parameters)
    losses = []
    for step in progress_bar(range(num_steps), show=progress):
        X, Y = make_batch(step)
        y_hat, cache = detector_forward(X, parameters)
        losses.append(detector_loss(y_hat, Y))
        grads = detector_backward(y_hat, Y, cache)
        grads.pop("dX")
        parameters, v, s, _, _ = update_parameters_with_adam(parameters, grads, v, s,
                                                             step + 1, learning_rate)
    return parameters, losses


# --- Using the detector -----------------------------------------------------------------------

def make_batch(backgrounds, activates, negatives, m, seed):
    """m clips made by create_training_example from np.random.seed(seed).

    Each clip takes a background drawn with np.random.randint(len(backgrounds)).
    Returns x (m, n_samples) and Y (1, m, T_Y).
    """
    np.random.seed(seed)
    clips, labels = [], []
    for _ in range(m):
        background = backgrounds[np.random.randint(len(backgrounds))]
        x, y = create_training_example(background, activates, negatives)
        clips.append(x)
        labels.append(y)
    return np.stack(clips), np.stack(labels, axis=1)  # (m, n_samples), (1, m, T_Y)


def standardize(X, mean, std):
    """(X - mean) / std per frequency; X (n_freq, m, T_x), mean and std (n_freq,)."""
    return (X - mean[:, None, None]) / std[:, None, None]


def word_windows(y, n_ones=N_ONES):
    """Start steps of the labelled trigger words of one clip.

    y: (T_y,) labels. A run of 1s is one word, or several when words follow each other
    closely (a run of 2 n_ones steps is two words). Returns a list of ints.
    """
    starts = []
    t, T_y = 0, len(y)
    while t < T_y:
        if y[t] == 1:
            end = t
            while end < T_y and y[end] == 1:
                end += 1
            starts += list(range(t, end, n_ones))
            t = end
        else:
            t += 1
    return starts


def firings(y_hat, threshold=0.5):
    """Steps where the output rises above threshold (it was not above it the step before).

    y_hat: (T_y,). Returns a list of ints.
    """
    above = y_hat > threshold
    return [int(t) for t in np.nonzero(above & ~np.concatenate([[False], above[:-1]]))[0]]


def word_scores(y_hat, Y, threshold=0.5, n_ones=N_ONES, slack=N_ONES):
    """Word recall and false alarms over clips.

    A labelled word is found when the output rises above threshold between its first
    labelled step minus slack and its last; a firing that finds no word is a false alarm.
    y_hat, Y: (1, m, T_y). Returns (words, found, false_alarms), counts.
    """
    words = found = false_alarms = 0
    for i in range(Y.shape[1]):
        starts = word_windows(Y[0, i], n_ones)
        fired = firings(y_hat[0, i], threshold)
        used = set()
        for start in starts:
            hits = [t for t in fired if start - slack <= t < start + n_ones and t not in used]
            if hits:
                used.add(hits[0])
                found += 1
        words += len(starts)
        false_alarms += len([t for t in fired if t not in used])
    return words, found, false_alarms


def chime(sample_rate=SAMPLE_RATE, ms=200, frequency=1320.0):
    """A short sine beep, faded in and out: (sample_rate * ms // 1000,) samples."""
    t = np.arange(sample_rate * ms // 1000) / sample_rate
    fade = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.01)
    return 0.4 * np.sin(2 * np.pi * frequency * t) * fade


def chime_on_activate(x, y_hat, threshold=0.5, sample_rate=SAMPLE_RATE, clip_ms=CLIP_MS):
    """The clip x (n_samples,) with a chime added where y_hat (T_y,) rises above threshold.

    Returns a new (n_samples,) array clipped to [-1, 1].
    """
    x = x.copy()
    beep = chime(sample_rate)
    T_y = len(y_hat)
    for t in firings(y_hat, threshold):
        start = (t * clip_ms // T_y) * sample_rate // 1000
        stop = min(len(x), start + len(beep))
        x[start:stop] += beep[:stop - start]
    return np.clip(x, -1.0, 1.0)
