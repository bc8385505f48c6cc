"""dlcourse.trigger: clip synthesis, spectrogram, the conv1d + GRU detector; and the sequence
GRU of dlcourse.rnn (gru_forward, gru_backward) it runs on.

Differential tests against PyTorch CPU in float64 to 1e-10: conv1d against
torch.nn.functional.conv1d, the GRU against torch.nn.GRUCell and torch.nn.GRU with weights
mapped (with W_hn diagonal and b_hn = 0, where PyTorch's reset gate and the notes' agree,
see tests/test_rnn.py), the general GRU and the whole detector against autograd of the same
formulas written in torch. Every backward against finite differences.
"""

import numpy as np
import pytest
import torch
from torch_compare import as_torch as _t
from torch_compare import assert_close

from dlcourse.checks import numerical_gradient
from dlcourse.rnn import gru_backward, gru_forward
from dlcourse.trigger import (
    CLIP_MS,
    N_ONES,
    T_X,
    T_Y,
    chime_on_activate,
    conv1d_backward,
    conv1d_forward,
    create_training_example,
    detector_backward,
    detector_forward,
    detector_loss,
    firings,
    initialize_detector,
    insert_audio_clip,
    insert_ones,
    is_overlapping,
    spectrogram,
    word_scores,
    word_windows,
)

GRU_KEYS = ("Wu", "bu", "Wr", "br", "Wc", "bc")


_close = assert_close


# --- Clip synthesis ---------------------------------------------------------------------------

@pytest.mark.parametrize("segment, previous, expected", [
    ((950, 1430), [(2000, 2550), (260, 949)], False),
    ((2305, 2950), [(824, 1532), (1900, 2305), (3424, 3656)], True),  # share ms 2305
    ((100, 200), [(150, 160)], True),  # around
    ((100, 200), [(50, 100)], True),  # share ms 100
    ((100, 200), [(201, 300), (0, 99)], False),  # neighbours
    ((100, 200), [], False),
])
def test_is_overlapping(segment, previous, expected):
    got = is_overlapping(segment, previous)
    assert got is expected, f"is_overlapping{segment, previous}: expected {expected}; got {got}"


def test_insert_audio_clip_adds_the_word_where_nothing_else_is():
    background = np.random.default_rng(0).normal(0, 0.1, 40000)
    word = np.full(4000, 0.5)  # 500 ms at 8 kHz
    previous = [(0, 999), (3000, 3199)]
    for seed in range(20):
        np.random.seed(seed)
        new, segment = insert_audio_clip(background, word, previous)
        assert segment is not None and segment[1] - segment[0] + 1 == 500, (
            f"seed {seed}: expected a 500 ms segment; got {segment}")
        assert not is_overlapping(segment, previous), f"seed {seed}: {segment} overlaps {previous}"
        start = segment[0] * 8
        _close(f"insert_audio_clip (seed {seed}) inside the word", new[start:start + 4000],
               background[start:start + 4000] + 0.5)
        outside = np.ones(40000, dtype=bool)
        outside[start:start + 4000] = False
        _close(f"insert_audio_clip (seed {seed}) outside the word", new[outside],
               background[outside])
    assert previous == [(0, 999), (3000, 3199)], "previous_segments must be left unchanged"


def test_insert_audio_clip_gives_up_when_there_is_no_room():
    background = np.zeros(8000)
    new, segment = insert_audio_clip(background, np.ones(800), [(0, 999)])
    assert segment is None, f"expected None with the whole clip taken; got {segment}"
    _close("insert_audio_clip with no room", new, background)
    assert new is not background, "expected a copy of the background"


def test_insert_audio_clip_is_reproducible_from_the_seed():
    background, word = np.zeros(8000), np.ones(100)
    np.random.seed(5)
    first = insert_audio_clip(background, word, [])
    np.random.seed(5)
    second = insert_audio_clip(background, word, [])
    assert first[1] == second[1], f"same seed, different segments: {first[1]}, {second[1]}"


def test_insert_ones_marks_the_steps_after_the_end():
    y = np.zeros((1, T_Y))
    got = insert_ones(y, 2500)
    expected = np.zeros((1, T_Y))
    expected[0, 61:61 + N_ONES] = 1
    _close("insert_ones at 2500 ms", got, expected)
    assert y.sum() == 0, "insert_ones must leave y unchanged"
    near_end = insert_ones(y, CLIP_MS - 10)
    assert near_end.sum() == 0, (
        f"a word ending at the last step leaves no step to mark; got {near_end.sum()}")
    _close("insert_ones at 4800 ms", insert_ones(y, 4800)[0, 117:], np.ones(4))


def test_create_training_example_labels_every_placed_word():
    rng = np.random.default_rng(1)
    background = rng.normal(0, 0.05, 40000)
    activates = [rng.normal(0, 0.2, n) for n in (4500, 5600, 6000)]
    negatives = [rng.normal(0, 0.2, n) for n in (3000, 8000)]
    counts = []
    for seed in range(30):
        np.random.seed(seed)
        x, y = create_training_example(background, activates, negatives)
        assert x.shape == (40000,) and y.shape == (1, T_Y), (
            f"seed {seed}: expected x (40000,), y (1, {T_Y}); got {x.shape}, {y.shape}")
        assert np.all(np.abs(x) <= 1), f"seed {seed}: samples outside [-1, 1]"
        assert set(np.unique(y)) <= {0.0, 1.0}
        counts.append(len(word_windows(y[0])))
    assert 0 in counts and max(counts) >= 3, f"expected 0 to 4 words per clip; got {counts}"
    np.random.seed(3)
    again = create_training_example(background, activates, negatives)
    np.random.seed(3)
    _close("create_training_example, same seed twice", again[0],
           create_training_example(background, activates, negatives)[0], rtol=0, atol=0)


# --- Spectrogram ------------------------------------------------------------------------------

def test_spectrogram_matches_a_frame_by_frame_loop():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(3, 1000))
    X = spectrogram(x, 64, 24)
    T_x = 1 + (1000 - 64) // 24
    assert X.shape == (33, 3, T_x), f"expected (33, 3, {T_x}); got {X.shape}"
    window = np.hanning(64)
    for i in range(3):
        for t in range(T_x):
            frame = x[i, 24 * t:24 * t + 64] * window
            power = np.abs(np.fft.fft(frame)[:33]) ** 2
            _close(f"spectrogram clip {i} frame {t}", X[:, i, t], np.log(power + 1e-10))


def test_spectrogram_of_a_clip_has_the_detector_shape_and_finds_a_tone():
    t = np.arange(40000) / 8000
    X = spectrogram(np.sin(2 * np.pi * 2000 * t)[None, :])
    assert X.shape == (101, 1, T_X), f"expected (101, 1, {T_X}); got {X.shape}"
    assert np.all(X.argmax(axis=0) == 50), "a 2000 Hz tone must peak at bin 2000 / 40 = 50"


# --- conv1d -----------------------------------------------------------------------------------

@pytest.mark.parametrize("stride", [1, 2, 4])
def test_conv1d_matches_torch_forward_and_backward(stride):
    rng = np.random.default_rng(stride)
    n_freq, m, T_x, f, n_c = 5, 3, 23, 4, 6
    X, W, b = rng.normal(size=(n_freq, m, T_x)), rng.normal(size=(f, n_freq, n_c)), rng.normal(
        size=(n_c, 1))
    Z, cache = conv1d_forward(X, W, b, stride)
    tX, tW, tb = _t(X.transpose(1, 0, 2), True), _t(W.transpose(2, 1, 0), True), _t(b[:, 0], True)
    tZ = torch.nn.functional.conv1d(tX, tW, tb, stride=stride)  # (m, n_c, T_y)
    _close(f"conv1d_forward vs torch conv1d, stride {stride}", Z,
           tZ.detach().numpy().transpose(1, 0, 2))
    dZ = rng.normal(size=Z.shape)
    (tZ * _t(dZ.transpose(1, 0, 2))).sum().backward()
    dX, dW, db = conv1d_backward(dZ, cache)
    _close("conv1d_backward dX vs torch", dX, tX.grad.numpy().transpose(1, 0, 2))
    _close("conv1d_backward dW vs torch", dW, tW.grad.numpy().transpose(2, 1, 0))
    _close("conv1d_backward db vs torch", db, tb.grad.numpy()[:, None])


def test_conv1d_backward_matches_finite_differences():
    rng = np.random.default_rng(7)
    X, W, b = rng.normal(size=(3, 2, 11)), rng.normal(size=(3, 3, 2)), rng.normal(size=(2, 1))
    Z, cache = conv1d_forward(X, W, b, 2)
    dZ = rng.normal(size=Z.shape)
    grads = dict(zip(("X", "W", "b"), conv1d_backward(dZ, cache), strict=True))
    for name, value in (("X", X), ("W", W), ("b", b)):
        numeric = numerical_gradient(lambda: np.sum(conv1d_forward(X, W, b, 2)[0] * dZ), value)
        _close(f"conv1d_backward d{name} vs finite differences", grads[name], numeric,
               rtol=1e-6, atol=1e-8)


# --- The sequence GRU -------------------------------------------------------------------------

def _torch_gru_weights(rng, n_x, n_a, diagonal_hn):
    """Random PyTorch-layout GRU weights (r, z, n stacked); optionally W_hn diagonal, b_hn 0."""
    w_ih, w_hh = rng.normal(0, 0.5, (3 * n_a, n_x)), rng.normal(0, 0.5, (3 * n_a, n_a))
    b_ih, b_hh = rng.normal(0, 0.5, 3 * n_a), rng.normal(0, 0.5, 3 * n_a)
    if diagonal_hn:
        w_hh[2 * n_a:] = np.diag(np.diag(w_hh[2 * n_a:]))
        b_hh[2 * n_a:] = 0.0
    return w_ih, w_hh, b_ih, b_hh


def _notes_parameters(w_ih, w_hh, b_ih, b_hh, n_a):
    """The notes' Wu, Wr, Wc on [c; x] from PyTorch's weights. PyTorch keeps the old state
    with z where the notes' Gamma_u takes the candidate: Gamma_u = 1 - z, so Wu, bu = -z's."""
    r, z, n = (slice(k * n_a, (k + 1) * n_a) for k in range(3))
    return {"Wr": np.hstack([w_hh[r], w_ih[r]]), "br": (b_ih[r] + b_hh[r])[:, None],
            "Wu": -np.hstack([w_hh[z], w_ih[z]]), "bu": -(b_ih[z] + b_hh[z])[:, None],
            "Wc": np.hstack([w_hh[n], w_ih[n]]), "bc": b_ih[n][:, None]}


def _load(module, w_ih, w_hh, b_ih, b_hh, suffix=""):
    with torch.no_grad():
        for name, value in (("weight_ih", w_ih), ("weight_hh", w_hh), ("bias_ih", b_ih),
                            ("bias_hh", b_hh)):
            getattr(module, name + suffix).copy_(_t(value))


def test_gru_forward_matches_torch_gru_and_gru_cell():
    rng = np.random.default_rng(3)
    n_x, n_a, m, T = 4, 5, 3, 7
    weights = _torch_gru_weights(rng, n_x, n_a, diagonal_hn=True)
    parameters = _notes_parameters(*weights, n_a)
    x, a0 = rng.normal(size=(n_x, m, T)), rng.normal(size=(n_a, m))
    a, _ = gru_forward(x, a0, parameters)

    gru = torch.nn.GRU(n_x, n_a, dtype=torch.float64)
    _load(gru, *weights, suffix="_l0")
    out, _ = gru(_t(x.transpose(2, 1, 0)), _t(a0.T[None]))  # (T, m, n_a)
    _close("gru_forward vs torch.nn.GRU (W_hn diagonal, b_hn = 0)", a,
           out.detach().numpy().transpose(2, 1, 0))

    cell = torch.nn.GRUCell(n_x, n_a, dtype=torch.float64)
    _load(cell, *weights)
    h = _t(a0.T)
    for t in range(T):
        h = cell(_t(x[:, :, t].T), h)
        _close(f"gru_forward step {t} vs torch.nn.GRUCell", a[:, :, t], h.detach().numpy().T)


def _torch_notes_gru(parameters, x, a0):
    """The notes' GRU over a sequence in torch (any W_hn), for autograd; returns (n_a, m, T)."""
    n_a = a0.shape[0]
    a, states = a0, []
    for t in range(x.shape[2]):
        concat = torch.cat([a, x[:, :, t]], dim=0)
        u = torch.sigmoid(parameters["Wu"] @ concat + parameters["bu"])
        r = torch.sigmoid(parameters["Wr"] @ concat + parameters["br"])
        cc = torch.tanh(parameters["Wc"][:, :n_a] @ (r * a) + parameters["Wc"][:, n_a:] @ x[:, :, t]
                        + parameters["bc"])
        a = u * cc + (1 - u) * a
        states.append(a)
    return torch.stack(states, dim=2)


def test_gru_forward_and_backward_match_autograd_for_general_weights():
    rng = np.random.default_rng(4)
    n_x, n_a, m, T = 3, 4, 2, 6
    parameters = _notes_parameters(*_torch_gru_weights(rng, n_x, n_a, diagonal_hn=False), n_a)
    x, a0 = rng.normal(size=(n_x, m, T)), rng.normal(size=(n_a, m))
    da = rng.normal(size=(n_a, m, T))
    a, caches = gru_forward(x, a0, parameters)
    grads = gru_backward(da, caches)
    tp = {k: _t(v, True) for k, v in parameters.items()}
    tx, ta0 = _t(x, True), _t(a0, True)
    ta = _torch_notes_gru(tp, tx, ta0)
    _close("gru_forward vs autograd formula", a, ta.detach().numpy())
    (ta * _t(da)).sum().backward()
    _close("gru_backward dx", grads["dx"], tx.grad.numpy())
    _close("gru_backward da0", grads["da0"], ta0.grad.numpy())
    for key in GRU_KEYS:
        _close(f"gru_backward d{key}", grads[f"d{key}"], tp[key].grad.numpy())


def test_gru_backward_matches_finite_differences():
    rng = np.random.default_rng(5)
    n_x, n_a, m, T = 2, 3, 2, 4
    parameters = _notes_parameters(*_torch_gru_weights(rng, n_x, n_a, diagonal_hn=False), n_a)
    x, a0 = rng.normal(size=(n_x, m, T)), rng.normal(size=(n_a, m))
    da = rng.normal(size=(n_a, m, T))
    grads = gru_backward(da, gru_forward(x, a0, parameters)[1])

    def J():
        return np.sum(gru_forward(x, a0, parameters)[0] * da)

    for name, value, analytic in [("x", x, grads["dx"]), ("a0", a0, grads["da0"])] + [
            (key, parameters[key], grads[f"d{key}"]) for key in GRU_KEYS]:
        _close(f"gru_backward d{name} vs finite differences", analytic,
               numerical_gradient(J, value), rtol=1e-6, atol=1e-8)


# --- The detector -----------------------------------------------------------------------------

def _small_detector(seed, n_freq=4, m=3, T_x=21):
    rng = np.random.default_rng(seed)
    parameters = initialize_detector(n_freq, n_c=3, n_a=4, f=5, seed=seed)
    parameters = {k: v + rng.normal(0, 0.3, v.shape) for k, v in parameters.items()}
    X = rng.normal(size=(n_freq, m, T_x))
    y_hat, _ = detector_forward(X, parameters, 2)
    Y = (rng.random(y_hat.shape) < 0.3).astype(float)
    return X, Y, parameters


def test_detector_matches_autograd_of_the_same_model_in_torch():
    X, Y, parameters = _small_detector(6)
    y_hat, cache = detector_forward(X, parameters, 2)
    loss = detector_loss(y_hat, Y)
    grads = detector_backward(y_hat, Y, cache)

    tp = {k: _t(v, True) for k, v in parameters.items()}
    tX = _t(X, True)
    Z = torch.nn.functional.conv1d(tX.permute(1, 0, 2), tp["Wconv"].permute(2, 1, 0),
                                   tp["bconv"][:, 0], stride=2).permute(1, 0, 2)
    a = _torch_notes_gru(tp, torch.relu(Z), torch.zeros(4, X.shape[1], dtype=torch.float64))
    t_y_hat = torch.sigmoid(torch.einsum("ya,amt->ymt", tp["Wy"], a) + tp["by"][:, :, None])
    t_loss = torch.nn.functional.binary_cross_entropy(t_y_hat, _t(Y))
    _close("detector_forward vs torch", y_hat, t_y_hat.detach().numpy())
    _close("detector_loss vs torch BCE", loss, t_loss.item())
    t_loss.backward()
    _close("detector_backward dX vs torch", grads["dX"], tX.grad.numpy())
    for key, value in tp.items():
        _close(f"detector_backward d{key} vs torch", grads[f"d{key}"], value.grad.numpy())


def test_detector_backward_matches_finite_differences():
    X, Y, parameters = _small_detector(8, m=2, T_x=15)
    y_hat, cache = detector_forward(X, parameters, 2)
    grads = detector_backward(y_hat, Y, cache)

    def J():
        return detector_loss(detector_forward(X, parameters, 2)[0], Y)

    for key in parameters:
        _close(f"detector_backward d{key} vs finite differences", grads[f"d{key}"],
               numerical_gradient(J, parameters[key]), rtol=1e-5, atol=1e-8)
    _close("detector_backward dX vs finite differences", grads["dX"],
           numerical_gradient(J, X), rtol=1e-5, atol=1e-8)


def test_detector_shapes_on_a_full_clip():
    parameters = initialize_detector(101)
    y_hat, cache = detector_forward(np.random.default_rng(0).normal(size=(101, 2, T_X)),
                                    parameters)
    assert y_hat.shape == (1, 2, T_Y), f"expected (1, 2, {T_Y}); got {y_hat.shape}"
    assert np.all((y_hat > 0) & (y_hat < 1))


# --- Scoring and the chime --------------------------------------------------------------------

def test_word_windows_and_firings():
    y = np.zeros(40)
    y[3:11] = 1  # one word
    y[20:36] = 1  # two words back to back
    assert word_windows(y) == [3, 20, 28]
    y_hat = np.array([0.1, 0.7, 0.8, 0.2, 0.6, 0.4, 0.9])
    assert firings(y_hat) == [1, 4, 6]


def test_word_scores_counts_found_words_and_false_alarms():
    Y = np.zeros((1, 2, 40))
    Y[0, 0, 10:18] = 1
    Y[0, 1, 30:38] = 1
    y_hat = np.zeros((1, 2, 40))
    y_hat[0, 0, 9:13] = 0.9  # fires just before the labelled run: found
    y_hat[0, 1, 5:7] = 0.9  # fires far from the word: a false alarm, the word missed
    assert word_scores(y_hat, Y) == (2, 1, 1)


def test_chime_on_activate_adds_a_beep_where_the_output_rises():
    x = np.zeros(40000)
    y_hat = np.zeros(T_Y)
    y_hat[60:64] = 0.9
    out = chime_on_activate(x, y_hat)
    start = (60 * CLIP_MS // T_Y) * 8
    assert np.all(out[:start] == 0) and np.abs(out[start:start + 1600]).max() > 0.3
    assert np.all(x == 0), "the clip passed in must be left unchanged"
