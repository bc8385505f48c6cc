"""dlcourse.attention: attention, the date translator, beam search, error analysis, BLEU.

Differential tests against PyTorch CPU in float64 to 1e-10: one_step_attention and its
backward against the same formula in torch with autograd; the whole translator (model_forward,
model_backward) against torch.nn.LSTM (bidirectional) for the encoder and torch.nn.LSTMCell for
the decoder, the weights mapped, with autograd's gradients. Every backward function is also
checked against finite differences. Beam search is checked on toy distributions against an
exhaustive search; BLEU against hand-worked values and the paper's definitions.
"""

import itertools

import numpy as np
import pytest
import torch
from torch_compare import as_torch as _t
from torch_compare import assert_close

from dlcourse.attention import (
    GATES,
    OUTPUT_CHARS,
    beam_search,
    blame_beam_or_model,
    bleu,
    compute_cost,
    decode_outputs,
    encoder_backward,
    encoder_forward,
    greedy_decode,
    initialize_parameters,
    input_vocabulary,
    model_backward,
    model_forward,
    next_log_probs_for,
    one_hot_inputs,
    one_hot_outputs,
    one_step_attention,
    one_step_attention_backward,
    sequence_log_prob,
    train,
)
from dlcourse.checks import numerical_gradient

TORCH_GATE = {"u": 0, "f": 1, "c": 2, "o": 3}  # PyTorch's LSTM chunks: i, f, g, o
SIZES = {"n_x": 5, "n_a": 3, "n_s": 4, "n_e": 3, "n_y": 4, "m": 3, "T_x": 6, "T_y": 4}
WHERE = ", ".join(f"{k}={v}" for k, v in SIZES.items())


def _close(name, got, expected, where=WHERE, **tolerances):
    assert_close(name, got, expected, where, **tolerances)


def _relative_error(analytic, numeric):
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return np.linalg.norm(analytic - numeric) / scale if scale > 0 else 0.0


def _attention_inputs(seed, n_a=3, n_s=4, n_e=3, m=3, T_x=6):
    rng = np.random.default_rng(seed)
    parameters = {"Wa1": rng.normal(size=(n_e, n_s + 2 * n_a)), "ba1": rng.normal(size=(n_e, 1)),
                  "Wa2": rng.normal(size=(1, n_e))}
    return rng.normal(size=(2 * n_a, m, T_x)), rng.normal(size=(n_s, m)), parameters, rng


def _model(seed, sizes=SIZES):
    rng = np.random.default_rng(seed)
    parameters = initialize_parameters(sizes["n_x"], sizes["n_a"], sizes["n_s"], sizes["n_e"],
                                       sizes["n_y"], seed=seed)
    parameters = {k: v + rng.normal(0, 0.5, v.shape) for k, v in parameters.items()}
    X = np.eye(sizes["n_x"])[rng.integers(sizes["n_x"], size=(sizes["m"], sizes["T_x"]))]
    Y = np.eye(sizes["n_y"])[rng.integers(sizes["n_y"], size=(sizes["m"], sizes["T_y"]))]
    return X.transpose(2, 0, 1), Y.transpose(2, 0, 1), parameters  # (n, m, T)


# --- one_step_attention ------------------------------------------------------------------------

def _torch_attention(a, s_prev, parameters):
    """The notes' attention in torch: a (T_x, m, 2n_a), s_prev (m, n_s) -> context (m, 2n_a)."""
    T_x = a.shape[0]
    concat = torch.cat([s_prev.unsqueeze(0).expand(T_x, -1, -1), a], dim=2)  # (T_x, m, n_s+2n_a)
    hidden = torch.tanh(torch.nn.functional.linear(concat, parameters["Wa1"],
                                                   parameters["ba1"][:, 0]))
    energies = torch.nn.functional.linear(hidden, parameters["Wa2"])[:, :, 0]  # (T_x, m)
    alphas = torch.softmax(energies, dim=0)
    return torch.einsum("tm,tmk->mk", alphas, a), alphas.T


def test_one_step_attention_matches_torch_forward_and_backward():
    """Do the context, the weights and every gradient agree with torch autograd?"""
    a, s_prev, parameters, rng = _attention_inputs(0)
    context, alphas, cache = one_step_attention(a, s_prev, parameters)
    ta, ts = _t(a.transpose(2, 1, 0), True), _t(s_prev.T, True)
    tp = {k: _t(v, True) for k, v in parameters.items()}
    t_context, t_alphas = _torch_attention(ta, ts, tp)
    _close("one_step_attention context", context, t_context.detach().numpy().T)
    _close("one_step_attention alphas", alphas, t_alphas.detach().numpy())
    dcontext = rng.normal(size=context.shape)
    (t_context * _t(dcontext.T)).sum().backward()
    gradients = one_step_attention_backward(dcontext, cache)
    _close("one_step_attention_backward da", gradients["da"], ta.grad.numpy().transpose(2, 1, 0))
    _close("one_step_attention_backward ds_prev", gradients["ds_prev"], ts.grad.numpy().T)
    for key in parameters:
        _close(f"one_step_attention_backward d{key}", gradients["d" + key], tp[key].grad.numpy())


def test_one_step_attention_weights_are_a_distribution_and_uniform_without_scores():
    """Do the weights sum to 1, and does Wa2 = 0 average the annotations?"""
    a, s_prev, parameters, _ = _attention_inputs(1, m=4, T_x=7)
    context, alphas, _ = one_step_attention(a, s_prev, parameters)
    assert context.shape == (6, 4) and alphas.shape == (4, 7), (
        f"one_step_attention: expected (6, 4) and (4, 7); got {context.shape}, {alphas.shape}")
    assert np.all(alphas > 0) and np.allclose(alphas.sum(axis=1), 1), (
        f"one_step_attention: weights not a distribution over T_x: sums {alphas.sum(axis=1)}")
    flat = {**parameters, "Wa2": np.zeros((1, 3))}
    np.testing.assert_allclose(one_step_attention(a, s_prev, flat)[0], a.mean(axis=2),
                               err_msg="one_step_attention with Wa2 = 0: expected the mean")


def test_one_step_attention_backward_matches_finite_differences():
    """Does each gradient of one_step_attention_backward match centred differences?"""
    a, s_prev, parameters, rng = _attention_inputs(2)
    G = rng.normal(size=(6, 3))
    gradients = one_step_attention_backward(G, one_step_attention(a, s_prev, parameters)[2])

    def J():
        return np.sum(G * one_step_attention(a, s_prev, parameters)[0])

    for name, x in (("da", a), ("ds_prev", s_prev), *((f"d{k}", v) for k, v in parameters.items())):
        error = _relative_error(gradients[name], numerical_gradient(J, x))
        assert error < 1e-7, f"one_step_attention_backward {name}: relative error {error:.2e}"


# --- the translator against torch --------------------------------------------------------------

def _map_lstm(weight_ih, weight_hh, bias_ih, bias_hh, parameters, prefix, n_h):
    """Copy our gates' W = [W_a : W_x] and b into torch's (i, f, g, o) blocks."""
    with torch.no_grad():
        for g in GATES:
            rows = slice(TORCH_GATE[g] * n_h, (TORCH_GATE[g] + 1) * n_h)
            W = parameters[f"{prefix}W{g}"]
            weight_hh[rows] = _t(W[:, :n_h])
            weight_ih[rows] = _t(W[:, n_h:])
            bias_ih[rows] = _t(parameters[f"{prefix}b{g}"][:, 0])
            bias_hh[rows] = 0.0


def _lstm_grad(weight_ih, weight_hh, bias_ih, prefix, n_h):
    """torch's gradients back in our layout: {"d<prefix>W<g>", "d<prefix>b<g>"}."""
    gradients = {}
    for g in GATES:
        rows = slice(TORCH_GATE[g] * n_h, (TORCH_GATE[g] + 1) * n_h)
        gradients[f"d{prefix}W{g}"] = np.concatenate(
            [weight_hh.grad[rows].numpy(), weight_ih.grad[rows].numpy()], axis=1)
        gradients[f"d{prefix}b{g}"] = bias_ih.grad[rows].numpy()[:, None]
    return gradients


def _torch_translator(X, Y, parameters):
    """The translator in torch (nn.LSTM bidirectional, attention, nn.LSTMCell).

    Returns y_hat (n_y, m, T_y), alphas (m, T_y, T_x), the cost and the gradients in our
    layout (after backward on the cost).
    """
    n_x, m, T_x = X.shape
    n_y, _, T_y = Y.shape
    n_a, n_s = parameters["fwd_Wf"].shape[0], parameters["Wy"].shape[1]
    encoder = torch.nn.LSTM(n_x, n_a, bidirectional=True, dtype=torch.float64)
    _map_lstm(encoder.weight_ih_l0, encoder.weight_hh_l0, encoder.bias_ih_l0,
              encoder.bias_hh_l0, parameters, "fwd_", n_a)
    _map_lstm(encoder.weight_ih_l0_reverse, encoder.weight_hh_l0_reverse,
              encoder.bias_ih_l0_reverse, encoder.bias_hh_l0_reverse, parameters, "bwd_", n_a)
    cell = torch.nn.LSTMCell(2 * n_a + n_y, n_s, dtype=torch.float64)
    _map_lstm(cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh, parameters, "post_", n_s)
    tp = {k: _t(parameters[k], True) for k in ("Wa1", "ba1", "Wa2", "Wy", "by")}
    a, _ = encoder(_t(X.transpose(2, 1, 0)))  # (T_x, m, 2 n_a)
    s, c = torch.zeros(m, n_s, dtype=torch.float64), torch.zeros(m, n_s, dtype=torch.float64)
    y_prev = torch.zeros(m, n_y, dtype=torch.float64)
    targets = _t(Y.transpose(2, 1, 0))  # (T_y, m, n_y)
    outputs, alphas = [], []
    for t in range(T_y):
        context, alpha = _torch_attention(a, s, tp)
        s, c = cell(torch.cat([context, y_prev], dim=1), (s, c))
        outputs.append(torch.softmax(s @ tp["Wy"].T + tp["by"][:, 0], dim=1))
        alphas.append(alpha)
        y_prev = targets[t]
    y_hat = torch.stack(outputs)  # (T_y, m, n_y)
    cost = -(targets * torch.log(y_hat)).sum() / m
    cost.backward()
    gradients = {"d" + k: v.grad.numpy() for k, v in tp.items()}
    gradients.update(_lstm_grad(encoder.weight_ih_l0, encoder.weight_hh_l0, encoder.bias_ih_l0,
                                "fwd_", n_a))
    gradients.update(_lstm_grad(encoder.weight_ih_l0_reverse, encoder.weight_hh_l0_reverse,
                                encoder.bias_ih_l0_reverse, "bwd_", n_a))
    gradients.update(_lstm_grad(cell.weight_ih, cell.weight_hh, cell.bias_ih, "post_", n_s))
    return (y_hat.detach().numpy().transpose(2, 1, 0),
            torch.stack(alphas, dim=1).detach().numpy(), cost.item(), gradients)


@pytest.mark.parametrize("seed", [0, 1])
def test_translator_matches_torch_lstm_and_lstmcell_forward_and_backward(seed):
    """Do y_hat, the attention weights, the cost and all 29 gradients agree with torch?"""
    X, Y, parameters = _model(seed)
    y_hat, alphas, cache = model_forward(X, Y, parameters)
    t_y_hat, t_alphas, t_cost, t_gradients = _torch_translator(X, Y, parameters)
    _close("model_forward y_hat", y_hat, t_y_hat)
    _close("model_forward alphas", alphas, t_alphas)
    _close("compute_cost", np.array(compute_cost(y_hat, Y)), np.array(t_cost))
    gradients = model_backward(Y, cache)
    assert sorted(gradients) == sorted(t_gradients) == sorted("d" + k for k in parameters), (
        f"model_backward: expected the keys {sorted('d' + k for k in parameters)}; "
        f"got {sorted(gradients)}")
    for key in gradients:
        _close(f"model_backward {key}", gradients[key], t_gradients[key])


def test_model_backward_matches_finite_differences():
    """Does every gradient of the translator match centred differences of the cost?"""
    X, Y, parameters = _model(3, {**SIZES, "T_x": 4, "T_y": 3})
    gradients = model_backward(Y, model_forward(X, Y, parameters)[2])

    def J():
        return compute_cost(model_forward(X, Y, parameters)[0], Y)

    for key, value in parameters.items():
        # eps = 1e-5: several gradients are ~1e-3, where 1e-6 leaves rounding noise near 1e-7.
        error = _relative_error(gradients["d" + key], numerical_gradient(J, value, eps=1e-5))
        assert error < 1e-7, f"model_backward d{key}: relative error {error:.2e}"


def test_encoder_backward_matches_finite_differences():
    """Does encoder_backward (both directions) match centred differences?"""
    X, _, parameters = _model(4, {**SIZES, "T_x": 4})
    a, cache = encoder_forward(X, parameters)
    G = np.random.default_rng(4).normal(size=a.shape)
    gradients = encoder_backward(G, cache)

    def J():
        return np.sum(G * encoder_forward(X, parameters)[0])

    for key in ("fwd_Wf", "fwd_bc", "bwd_Wu", "bwd_Wo"):
        error = _relative_error(gradients["d" + key], numerical_gradient(J, parameters[key]))
        assert error < 1e-7, f"encoder_backward d{key}: relative error {error:.2e}"


def test_model_forward_teacher_forcing_reads_the_previous_target():
    """Does y_hat<t> depend on Y[:, :, t-1] and not on Y[:, :, t]?"""
    X, Y, parameters = _model(5)
    y_hat, _, _ = model_forward(X, Y, parameters)
    changed = Y.copy()
    changed[:, :, 1] = np.roll(changed[:, :, 1], 1, axis=0)
    y_changed, _, _ = model_forward(X, changed, parameters)
    np.testing.assert_allclose(y_changed[:, :, :2], y_hat[:, :, :2], err_msg="steps 1-2 changed")
    assert not np.allclose(y_changed[:, :, 2], y_hat[:, :, 2]), "step 3 ignores y<2>"


def test_greedy_decode_and_beam_width_1_agree_with_teacher_forcing():
    """Greedy decoding = beam width 1, and sequence_log_prob gives the beam's log-probability."""
    X, _, parameters = _model(6)
    indices, alphas = greedy_decode(X, parameters, T_y=4)
    assert indices.shape == (3, 4) and alphas.shape == (3, 4, 6)
    for i in range(3):
        sequence, log_p, _ = beam_search(next_log_probs_for(X[:, i:i + 1], parameters), 1, 4)
        assert sequence == list(indices[i]), f"example {i}: beam 1 {sequence}, greedy {indices[i]}"
        expected = sequence_log_prob(X[:, i:i + 1], [sequence], parameters)[0]
        np.testing.assert_allclose(log_p, expected, rtol=1e-10)


# --- beam search -------------------------------------------------------------------------------

def _table(seed, V=3, T=4):
    rng = np.random.default_rng(seed)
    scores = rng.normal(0, 2, (T, V + 1, V))
    return scores - np.log(np.exp(scores).sum(axis=2, keepdims=True))  # log-probabilities


def _exhaustive(table, end_token, alpha):
    """Every sequence the table allows (stopping at end_token), best normalised score first."""
    T, _, V = table.shape
    best = None
    for length in range(1, T + 1):
        for sequence in itertools.product(range(V), repeat=length):
            # Without an end token every output is T long; with one, it ends the output.
            if end_token is None and length < T:
                continue
            if end_token is not None and end_token in sequence[:-1]:
                continue
            if end_token is not None and length < T and sequence[-1] != end_token:
                continue
            previous = (V, *sequence[:-1])
            log_p = sum(table[t, previous[t], sequence[t]] for t in range(length))
            score = log_p / length**alpha
            if best is None or score > best[2]:
                best = (list(sequence), log_p, score)
    return best


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("end_token", [None, 1])
def test_wide_beam_search_finds_the_exhaustive_optimum(seed, end_token):
    """With a beam as wide as the number of prefixes, is the answer the true best sequence?"""
    table = _table(seed)
    got = beam_search(table, 3**4, 4, end_token=end_token, alpha=0.7)
    expected = _exhaustive(table, end_token, 0.7)
    assert got[0] == expected[0], f"seed {seed}: beam {got}, exhaustive {expected}"
    np.testing.assert_allclose(got[1:], expected[1:], rtol=1e-12)


def test_beam_search_beats_greedy_where_greedy_goes_wrong():
    """Does a beam of 2 find the sequence greedy decoding misses, and take a function too?"""
    table = np.log(np.array([
        [[0.25] * 3] * 3 + [[0.6, 0.4, 1e-9]],
        [[0.34, 0.33, 0.33], [0.05, 0.05, 0.9], [0.4, 0.3, 0.3], [1 / 3] * 3],
    ]))
    assert beam_search(table, 1, 2, alpha=0)[0] == [0, 0]
    assert beam_search(table, 2, 2, alpha=0)[0] == [1, 2]

    def as_function(prefixes):
        return np.stack([table[len(p), p[-1] if p else 3] for p in prefixes])

    assert beam_search(as_function, 2, 2, alpha=0) == beam_search(table, 2, 2, alpha=0)


def test_length_normalisation_changes_the_winner():
    """alpha = 0 prefers the short output, alpha = 1 the better average."""
    ends = np.log(np.array([[[1 / 3] * 3] * 3 + [[0.42, 0.18, 0.4]],
                            [[0.05, 0.05, 0.9]] * 4, [[0.05, 0.05, 0.9]] * 4]))
    assert beam_search(ends, 3, 3, end_token=2, alpha=0)[0] == [2]
    assert beam_search(ends, 3, 3, end_token=2, alpha=1)[0] == [0, 2]


def test_blame_beam_or_model():
    """The beam is blamed only when the model prefers the right answer; a tie blames the model."""
    assert blame_beam_or_model([-1.0, -3.0, -2.0], [-2.0, -1.0, -2.0]) == ["beam", "model",
                                                                           "model"]
    assert blame_beam_or_model([], []) == []


# --- BLEU --------------------------------------------------------------------------------------

REFERENCES = [["the", "cat", "is", "on", "the", "mat"],
              ["there", "is", "a", "cat", "on", "the", "mat"]]


@pytest.mark.parametrize("candidate, max_n, expected", [
    (["the"] * 7, 1, 2 / 7),  # clipped unigram precision
    (["the", "cat", "the", "cat", "on", "the", "mat"], 2, np.sqrt(5 / 7 * 4 / 6)),
    (["the", "cat"], 2, np.exp(1 - 6 / 2)),  # brevity penalty, closest reference 6
    (["on", "mat"], 2, 0.0),  # no bigram in common
    (REFERENCES[0], 4, 1.0),  # a reference scores 1
])
def test_bleu_hand_worked(candidate, max_n, expected):
    got = bleu([candidate], [REFERENCES], max_n)
    np.testing.assert_allclose(got, expected, rtol=1e-12,
                               err_msg=f"bleu({candidate}, max_n={max_n})")


def test_bleu_sums_counts_over_the_corpus():
    """Corpus BLEU is not the mean of sentence BLEUs: counts are pooled before dividing."""
    candidates = [["the", "cat", "the", "cat", "on", "the", "mat"], ["the", "cat"]]
    got = bleu(candidates, [REFERENCES, REFERENCES], 2)
    np.testing.assert_allclose(got, np.exp(1 - 13 / 9) * np.sqrt(7 / 9 * 5 / 7), rtol=1e-12)


# --- data helpers and training -----------------------------------------------------------------

def test_one_hot_round_trip_and_padding():
    vocabulary = input_vocabulary(list("0123 abc"))
    X = one_hot_inputs(["abc 1", "3"], vocabulary, 6)
    assert X.shape == (9, 2, 6) and np.all(X.sum(axis=0) == 1)
    assert X[0, 1, 1:].all(), "padding (index 0) after the short text"
    Y = one_hot_outputs(["2026-12-03"])
    assert Y.shape == (len(OUTPUT_CHARS), 1, 10)
    assert decode_outputs(Y.argmax(axis=0)) == ["2026-12-03"]  # (m, T_y) indices
    with pytest.raises(ValueError, match="not in the vocabulary"):
        one_hot_inputs(["xyz"], vocabulary)


def test_train_lowers_the_cost_on_a_tiny_copy_task():
    """Copying the first 3 of 4 symbols, 40 pairs: the cost falls by more than half."""
    symbols = np.random.default_rng(7).integers(4, size=(40, 4))  # (m, T_x)
    X = np.eye(5)[symbols].transpose(2, 0, 1)  # (5, 40, 4)
    Y = np.eye(4)[symbols[:, :3]].transpose(2, 0, 1)  # (4, 40, 3)
    parameters = initialize_parameters(5, 4, 8, 4, 4, seed=0)
    _, costs, checkpoints = train(X, Y, parameters, num_epochs=30, learning_rate=0.02,
                                  mini_batch_size=20, seed=0, progress=False,
                                  checkpoint_epochs=(1,))
    assert np.mean(costs[-4:]) < np.mean(costs[:2]) / 2, f"costs {costs[:2]} ... {costs[-4:]}"
    assert sorted(checkpoints) == [1] and sorted(checkpoints[1]) == sorted(parameters)


def test_use_functions_plugs_in_other_versions(monkeypatch):
    """Do train and greedy_decode call the versions given to use_functions (the notebook's)?"""
    from dlcourse import attention

    calls = []

    def counted(a, s_prev, parameters):
        calls.append(a.shape)
        return one_step_attention(a, s_prev, parameters)

    for name in ("one_step_attention", "model_forward", "model_backward"):
        monkeypatch.setattr(attention, name, getattr(attention, name))  # restored afterwards
    attention.use_functions(one_step_attention=counted)
    X, _, parameters = _model(8)
    greedy_decode(X, parameters, T_y=2)
    assert len(calls) == 2, f"expected 2 calls of the plugged-in attention; got {len(calls)}"
    with pytest.raises(ValueError, match="cannot be replaced"):
        attention.use_functions(bleu=bleu)
