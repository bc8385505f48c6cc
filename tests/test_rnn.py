"""dlcourse.rnn: RNN, LSTM and GRU cells and sequences, forward and backward.

Differential tests against PyTorch CPU in float64 (nn.RNNCell, nn.RNN, nn.LSTMCell, nn.LSTM,
nn.GRUCell) with the weights mapped, to 1e-10; every backward function against finite
differences. PyTorch's GRU applies the reset gate after the hidden-state product
(r * (W_hn h + b_hn)); the notes' GRU applies it before (W_c [r * c; x]). The two agree when
W_hn is diagonal and b_hn = 0, which a test pins; for general weights the GRU is compared with
autograd of the notes' formula written in torch.
"""


import numpy as np
import pytest
import torch
from torch_compare import as_torch as _t
from torch_compare import assert_close

from dlcourse.checks import numerical_gradient
from dlcourse.rnn import (
    brnn_forward,
    clip,
    deep_rnn_forward,
    gru_cell_backward,
    gru_cell_forward,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    model,
    names_to_batch,
    optimize,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
    sample,
)

N_X, N_A, N_Y, M, T_X = 3, 5, 2, 4, 6
LSTM_GATES = ("f", "u", "c", "o")  # forget, update, candidate, output
TORCH_GATE = {"u": 0, "f": 1, "c": 2, "o": 3}  # PyTorch's LSTM chunks: i, f, g, o
WHERE = f"n_x={N_X}, n_a={N_A}, n_y={N_Y}, m={M}"


def _close(name, got, expected, where=WHERE, **tolerances):
    assert_close(name, got, expected, where, **tolerances)


def _relative_error(analytic, numeric):
    return np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))


def _assert_gradient(name, analytic, J, x):
    numeric = numerical_gradient(J, x)
    error = _relative_error(analytic, numeric)
    assert error < 1e-7, f"{name}: relative error {error:.2e} against finite differences"


def _rnn_parameters(rng, n_x=N_X, n_a=N_A, n_y=N_Y):
    return {"Waa": rng.normal(0, 0.5, (n_a, n_a)), "Wax": rng.normal(0, 0.5, (n_a, n_x)),
            "Wya": rng.normal(size=(n_y, n_a)), "ba": rng.normal(size=(n_a, 1)),
            "by": rng.normal(size=(n_y, 1))}


def _lstm_parameters(rng, n_x=N_X, n_a=N_A, n_y=N_Y):
    parameters = {"Wy": rng.normal(size=(n_y, n_a)), "by": rng.normal(size=(n_y, 1))}
    for g in LSTM_GATES:
        parameters[f"W{g}"] = rng.normal(0, 0.5, (n_a, n_a + n_x))
        parameters[f"b{g}"] = rng.normal(size=(n_a, 1))
    return parameters


def _gru_parameters(rng, n_x=N_X, n_a=N_A):
    return {key: rng.normal(0, 0.5, (n_a, n_a + n_x) if key[0] == "W" else (n_a, 1))
            for key in ("Wu", "bu", "Wr", "br", "Wc", "bc")}


def _softmax_columns(Z):
    return torch.softmax(Z, dim=0)


# --- RNN ---------------------------------------------------------------------------------------

def _torch_rnn_cell(parameters):
    n_a, n_x = parameters["Wax"].shape
    cell = torch.nn.RNNCell(n_x, n_a, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(_t(parameters["Wax"]))
        cell.weight_hh.copy_(_t(parameters["Waa"]))
        cell.bias_ih.copy_(_t(parameters["ba"][:, 0]))
        cell.bias_hh.zero_()  # the notes have one bias b_a; PyTorch adds two
    return cell


def test_rnn_cell_forward_matches_torch_rnn_cell():
    rng = np.random.default_rng(0)
    parameters = _rnn_parameters(rng)
    xt, a_prev = rng.normal(size=(N_X, M)), rng.normal(size=(N_A, M))
    a_next, yt_pred, cache = rnn_cell_forward(xt, a_prev, parameters)
    h = _torch_rnn_cell(parameters)(_t(xt.T), _t(a_prev.T)).T  # (n_a, m)
    y = _softmax_columns(_t(parameters["Wya"]) @ h + _t(parameters["by"]))
    _close("rnn_cell_forward a_next", a_next, h.detach().numpy())
    _close("rnn_cell_forward yt_pred", yt_pred, y.detach().numpy())
    assert cache[0] is a_next and cache[1] is a_prev and cache[2] is xt and cache[3] is parameters
    np.testing.assert_allclose(yt_pred.sum(axis=0), 1.0, err_msg="softmax columns sum to 1")


def test_rnn_cell_forward_stacked_weights():
    """W_a = [W_aa : W_ax] applied to [a<t-1>; x<t>] is the same map as W_aa a + W_ax x."""
    rng = np.random.default_rng(1)
    parameters = _rnn_parameters(rng)
    xt, a_prev = rng.normal(size=(N_X, M)), rng.normal(size=(N_A, M))
    Wa = np.hstack([parameters["Waa"], parameters["Wax"]])  # (n_a, n_a + n_x)
    a_next, _, _ = rnn_cell_forward(xt, a_prev, parameters)
    _close("rnn_cell_forward vs W_a [a; x]", a_next,
           np.tanh(Wa @ np.vstack([a_prev, xt]) + parameters["ba"]))


def test_rnn_cell_backward_matches_torch_autograd_and_finite_differences():
    rng = np.random.default_rng(2)
    parameters = _rnn_parameters(rng)
    xt, a_prev = rng.normal(size=(N_X, M)), rng.normal(size=(N_A, M))
    da_next = rng.normal(size=(N_A, M))
    _, _, cache = rnn_cell_forward(xt, a_prev, parameters)
    grads = rnn_cell_backward(da_next, cache)
    assert sorted(grads) == ["dWaa", "dWax", "da_prev", "dba", "dxt"], sorted(grads)
    cell = _torch_rnn_cell(parameters)
    tx, ta = _t(xt.T, True), _t(a_prev.T, True)
    (cell(tx, ta) * _t(da_next.T)).sum().backward()
    _close("rnn_cell_backward dxt", grads["dxt"], tx.grad.numpy().T)
    _close("rnn_cell_backward da_prev", grads["da_prev"], ta.grad.numpy().T)
    _close("rnn_cell_backward dWax", grads["dWax"], cell.weight_ih.grad.numpy())
    _close("rnn_cell_backward dWaa", grads["dWaa"], cell.weight_hh.grad.numpy())
    _close("rnn_cell_backward dba", grads["dba"], cell.bias_ih.grad.numpy()[:, None])

    def J():
        return float(np.sum(da_next * rnn_cell_forward(xt, a_prev, parameters)[0]))

    for key, array in [("dxt", xt), ("da_prev", a_prev), ("dWax", parameters["Wax"]),
                       ("dWaa", parameters["Waa"]), ("dba", parameters["ba"])]:
        _assert_gradient(f"rnn_cell_backward {key}", grads[key], J, array)


def _torch_rnn(parameters):
    n_a, n_x = parameters["Wax"].shape
    rnn = torch.nn.RNN(n_x, n_a, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(_t(parameters["Wax"]))
        rnn.weight_hh_l0.copy_(_t(parameters["Waa"]))
        rnn.bias_ih_l0.copy_(_t(parameters["ba"][:, 0]))
        rnn.bias_hh_l0.zero_()
    return rnn


def _to_torch_sequence(x):
    return x.transpose(2, 1, 0)  # (T_x, m, n_x): PyTorch's sequence-first layout


def test_rnn_forward_and_backward_match_torch_rnn():
    rng = np.random.default_rng(3)
    parameters = _rnn_parameters(rng)
    x, a0 = rng.normal(size=(N_X, M, T_X)), rng.normal(size=(N_A, M))
    da = rng.normal(size=(N_A, M, T_X))
    a, y_pred, caches = rnn_forward(x, a0, parameters)
    assert a.shape == (N_A, M, T_X) and y_pred.shape == (N_Y, M, T_X), (a.shape, y_pred.shape)
    assert len(caches[0]) == T_X and caches[1] is x
    rnn = _torch_rnn(parameters)
    tx, ta0 = _t(_to_torch_sequence(x), True), _t(a0.T[None], True)
    out, _ = rnn(tx, ta0)  # (T_x, m, n_a)
    _close("rnn_forward a", a, out.detach().numpy().transpose(2, 1, 0))
    y = torch.softmax(out @ _t(parameters["Wya"]).T + _t(parameters["by"][:, 0]), dim=2)
    _close("rnn_forward y_pred", y_pred, y.detach().numpy().transpose(2, 1, 0))

    grads = rnn_backward(da, caches)
    assert sorted(grads) == ["dWaa", "dWax", "da0", "dba", "dx"], sorted(grads)
    (out * _t(_to_torch_sequence(da))).sum().backward()
    _close("rnn_backward dx", grads["dx"], tx.grad.numpy().transpose(2, 1, 0))
    _close("rnn_backward da0", grads["da0"], ta0.grad.numpy()[0].T)
    _close("rnn_backward dWax", grads["dWax"], rnn.weight_ih_l0.grad.numpy())
    _close("rnn_backward dWaa", grads["dWaa"], rnn.weight_hh_l0.grad.numpy())
    _close("rnn_backward dba", grads["dba"], rnn.bias_ih_l0.grad.numpy()[:, None])


def test_rnn_backward_numerical_gradient():
    rng = np.random.default_rng(4)
    parameters = _rnn_parameters(rng, n_x=2, n_a=3)
    x, a0 = rng.normal(size=(2, 3, 4)), rng.normal(size=(3, 3))
    da = rng.normal(size=(3, 3, 4))
    grads = rnn_backward(da, rnn_forward(x, a0, parameters)[2])

    def J():
        return float(np.sum(da * rnn_forward(x, a0, parameters)[0]))

    for key, array in [("dx", x), ("da0", a0), ("dWax", parameters["Wax"]),
                       ("dWaa", parameters["Waa"]), ("dba", parameters["ba"])]:
        _assert_gradient(f"rnn_backward {key}", grads[key], J, array)


def test_rnn_forward_zero_weights_give_constant_states_and_uniform_predictions():
    parameters = {"Waa": np.zeros((2, 2)), "Wax": np.zeros((2, 3)), "Wya": np.zeros((4, 2)),
                  "ba": np.array([[0.5], [-1.0]]), "by": np.zeros((4, 1))}
    a, y_pred, _ = rnn_forward(np.ones((3, 2, 5)), np.ones((2, 2)), parameters)
    _close("rnn_forward a", a, np.broadcast_to(np.tanh([[[0.5]], [[-1.0]]]), (2, 2, 5)),
           "zero weights, ba = [0.5, -1]")
    _close("rnn_forward y_pred", y_pred, np.full((4, 2, 5), 0.25), "zero Wya and by")


# --- LSTM --------------------------------------------------------------------------------------

def _torch_lstm_weights(parameters, weight_ih, weight_hh, bias_ih, bias_hh):
    """Copy the notes' Wf, Wu, Wc, Wo (acting on [a; x]) into PyTorch's stacked i, f, g, o."""
    n_a = parameters["Wf"].shape[0]
    with torch.no_grad():
        for g, k in TORCH_GATE.items():
            rows = slice(k * n_a, (k + 1) * n_a)
            weight_hh[rows] = _t(parameters[f"W{g}"][:, :n_a])
            weight_ih[rows] = _t(parameters[f"W{g}"][:, n_a:])
            bias_ih[rows] = _t(parameters[f"b{g}"][:, 0])
        bias_hh.zero_()


def _from_torch_lstm_grads(weight_ih, weight_hh, bias_ih, n_a):
    """PyTorch's gradients of the stacked weights, cut back into dWf, dbf, ... ."""
    grads = {}
    for g, k in TORCH_GATE.items():
        rows = slice(k * n_a, (k + 1) * n_a)
        grads[f"dW{g}"] = np.hstack([weight_hh.grad[rows].numpy(), weight_ih.grad[rows].numpy()])
        grads[f"db{g}"] = bias_ih.grad[rows].numpy()[:, None]
    return grads


def _torch_lstm_cell(parameters):
    n_a = parameters["Wf"].shape[0]
    cell = torch.nn.LSTMCell(parameters["Wf"].shape[1] - n_a, n_a, dtype=torch.float64)
    _torch_lstm_weights(parameters, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    return cell


def test_lstm_cell_forward_and_backward_match_torch_lstm_cell():
    rng = np.random.default_rng(5)
    parameters = _lstm_parameters(rng)
    xt, a_prev, c_prev = (rng.normal(size=s) for s in [(N_X, M), (N_A, M), (N_A, M)])
    da_next, dc_next = rng.normal(size=(N_A, M)), rng.normal(size=(N_A, M))
    a_next, c_next, yt_pred, cache = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    assert len(cache) == 10 and cache[9] is parameters
    cell = _torch_lstm_cell(parameters)
    tx, ta, tc = _t(xt.T, True), _t(a_prev.T, True), _t(c_prev.T, True)
    h, c = cell(tx, (ta, tc))
    _close("lstm_cell_forward a_next", a_next, h.detach().numpy().T)
    _close("lstm_cell_forward c_next", c_next, c.detach().numpy().T)
    y = _softmax_columns(_t(parameters["Wy"]) @ h.T + _t(parameters["by"]))
    _close("lstm_cell_forward yt_pred", yt_pred, y.detach().numpy())

    grads = lstm_cell_backward(da_next, dc_next, cache)
    ((h * _t(da_next.T)).sum() + (c * _t(dc_next.T)).sum()).backward()
    _close("lstm_cell_backward dxt", grads["dxt"], tx.grad.numpy().T)
    _close("lstm_cell_backward da_prev", grads["da_prev"], ta.grad.numpy().T)
    _close("lstm_cell_backward dc_prev", grads["dc_prev"], tc.grad.numpy().T)
    for key, value in _from_torch_lstm_grads(cell.weight_ih, cell.weight_hh, cell.bias_ih,
                                             N_A).items():
        _close(f"lstm_cell_backward {key}", grads[key], value)


def test_lstm_cell_backward_numerical_gradient():
    rng = np.random.default_rng(6)
    parameters = _lstm_parameters(rng, n_x=2, n_a=3)
    xt, a_prev, c_prev = (rng.normal(size=s) for s in [(2, 3), (3, 3), (3, 3)])
    da_next, dc_next = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    grads = lstm_cell_backward(da_next, dc_next, lstm_cell_forward(xt, a_prev, c_prev,
                                                                   parameters)[3])

    def J():
        a_next, c_next, _, _ = lstm_cell_forward(xt, a_prev, c_prev, parameters)
        return float(np.sum(da_next * a_next) + np.sum(dc_next * c_next))

    checked = [("dxt", xt), ("da_prev", a_prev), ("dc_prev", c_prev)]
    checked += [(f"d{p}{g}", parameters[f"{p}{g}"]) for g in LSTM_GATES for p in ("W", "b")]
    for key, array in checked:
        _assert_gradient(f"lstm_cell_backward {key}", grads[key], J, array)


def test_lstm_forward_and_backward_match_torch_lstm():
    rng = np.random.default_rng(7)
    parameters = _lstm_parameters(rng)
    x, a0 = rng.normal(size=(N_X, M, T_X)), rng.normal(size=(N_A, M))
    da = rng.normal(size=(N_A, M, T_X))
    a, y, c, caches = lstm_forward(x, a0, parameters)
    for name, array, shape in [("a", a, (N_A, M, T_X)), ("y", y, (N_Y, M, T_X)),
                               ("c", c, (N_A, M, T_X))]:
        assert array.shape == shape, f"lstm_forward {name}: expected {shape}; got {array.shape}"
    lstm = torch.nn.LSTM(N_X, N_A, dtype=torch.float64)
    _torch_lstm_weights(parameters, lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0,
                        lstm.bias_hh_l0)
    tx, ta0 = _t(_to_torch_sequence(x), True), _t(a0.T[None], True)
    out, (_, c_last) = lstm(tx, (ta0, torch.zeros(1, M, N_A, dtype=torch.float64)))
    _close("lstm_forward a", a, out.detach().numpy().transpose(2, 1, 0))
    _close("lstm_forward c at T_x", c[:, :, -1], c_last.detach().numpy()[0].T)
    y_t = torch.softmax(out @ _t(parameters["Wy"]).T + _t(parameters["by"][:, 0]), dim=2)
    _close("lstm_forward y", y, y_t.detach().numpy().transpose(2, 1, 0))

    grads = lstm_backward(da, caches)
    expected_keys = sorted(["dx", "da0"] + [f"d{p}{g}" for g in LSTM_GATES for p in "Wb"])
    assert sorted(grads) == expected_keys, sorted(grads)
    (out * _t(_to_torch_sequence(da))).sum().backward()
    _close("lstm_backward dx", grads["dx"], tx.grad.numpy().transpose(2, 1, 0))
    _close("lstm_backward da0", grads["da0"], ta0.grad.numpy()[0].T)
    for key, value in _from_torch_lstm_grads(lstm.weight_ih_l0, lstm.weight_hh_l0,
                                             lstm.bias_ih_l0, N_A).items():
        _close(f"lstm_backward {key}", grads[key], value)


def test_lstm_backward_numerical_gradient():
    rng = np.random.default_rng(8)
    parameters = _lstm_parameters(rng, n_x=2, n_a=3)
    x, a0 = rng.normal(size=(2, 2, 4)), rng.normal(size=(3, 2))
    da = rng.normal(size=(3, 2, 4))
    grads = lstm_backward(da, lstm_forward(x, a0, parameters)[3])

    def J():
        return float(np.sum(da * lstm_forward(x, a0, parameters)[0]))

    checked = [("dx", x), ("da0", a0)]
    checked += [(f"d{p}{g}", parameters[f"{p}{g}"]) for g in LSTM_GATES for p in ("W", "b")]
    for key, array in checked:
        _assert_gradient(f"lstm_backward {key}", grads[key], J, array)


def test_lstm_cell_saturated_gates_keep_the_memory():
    """Gamma_f = 1, Gamma_u = 0: c<t> = c<t-1> exactly as far as float64 can tell."""
    rng = np.random.default_rng(9)
    parameters = _lstm_parameters(rng)
    parameters["bf"][:] = 50.0
    parameters["bu"][:] = -50.0
    xt, a_prev, c_prev = rng.normal(size=(N_X, M)), rng.normal(size=(N_A, M)), rng.normal(
        size=(N_A, M))
    _, c_next, _, _ = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    _close("lstm_cell_forward c_next with bf = 50, bu = -50", c_next, c_prev, atol=1e-15)


# --- GRU ---------------------------------------------------------------------------------------

def _torch_gru_cell(rng, n_x=N_X, n_a=N_A, diagonal_hn=False):
    """A GRUCell with random weights; optionally W_hn diagonal and b_hn = 0."""
    cell = torch.nn.GRUCell(n_x, n_a, dtype=torch.float64)
    with torch.no_grad():
        for weight in (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh):
            weight.copy_(_t(rng.normal(0, 0.5, tuple(weight.shape))))
        if diagonal_hn:
            cell.weight_hh[2 * n_a:] = torch.diag(torch.diagonal(cell.weight_hh[2 * n_a:]))
            cell.bias_hh[2 * n_a:] = 0.0
    return cell


def _notes_parameters_from_torch_gru(cell, n_a):
    """The notes' Wu, Wr, Wc acting on [c; x] from PyTorch's stacked r, z, n weights.

    PyTorch: h' = (1 - z) n + z h, so its z keeps the old state where the notes' Gamma_u
    takes the candidate: Gamma_u = 1 - z = sigma(-(...)), i.e. Wu, bu are minus PyTorch's.
    """
    w_ih, w_hh = cell.weight_ih.detach().numpy(), cell.weight_hh.detach().numpy()
    b_ih, b_hh = cell.bias_ih.detach().numpy(), cell.bias_hh.detach().numpy()
    r, z, n = (slice(k * n_a, (k + 1) * n_a) for k in range(3))
    return {"Wr": np.hstack([w_hh[r], w_ih[r]]), "br": (b_ih[r] + b_hh[r])[:, None],
            "Wu": -np.hstack([w_hh[z], w_ih[z]]), "bu": -(b_ih[z] + b_hh[z])[:, None],
            "Wc": np.hstack([w_hh[n], w_ih[n]]), "bc": b_ih[n][:, None]}


def test_gru_cell_forward_matches_torch_gru_cell_when_reset_commutes():
    """With W_hn diagonal and b_hn = 0, r * (W_hn h) = W_hn (r * h): the two variants agree."""
    rng = np.random.default_rng(10)
    cell = _torch_gru_cell(rng, diagonal_hn=True)
    parameters = _notes_parameters_from_torch_gru(cell, N_A)
    xt, a_prev = rng.normal(size=(N_X, M)), rng.normal(size=(N_A, M))
    a_next, _ = gru_cell_forward(xt, a_prev, parameters)
    h = cell(_t(xt.T), _t(a_prev.T)).detach().numpy().T
    _close("gru_cell_forward vs GRUCell (W_hn diagonal, b_hn = 0)", a_next, h)


def test_gru_cell_forward_differs_from_torch_for_general_weights():
    """PyTorch's reset multiplies W_hn h + b_hn; the notes' multiplies c<t-1> inside W_c."""
    rng = np.random.default_rng(11)
    cell = _torch_gru_cell(rng)
    parameters = _notes_parameters_from_torch_gru(cell, N_A)
    xt, a_prev = rng.normal(size=(N_X, M)), rng.normal(size=(N_A, M))
    a_next, _ = gru_cell_forward(xt, a_prev, parameters)
    h = cell(_t(xt.T), _t(a_prev.T)).detach().numpy().T
    gap = np.max(np.abs(a_next - h))
    assert gap > 1e-3, f"expected the two GRU variants to differ for general W_hn; gap {gap:.2e}"


def _torch_notes_gru(parameters, xt, a_prev):
    """The notes' GRU written in torch, for autograd."""
    n_a = a_prev.shape[0]
    concat = torch.cat([a_prev, xt], dim=0)
    u = torch.sigmoid(parameters["Wu"] @ concat + parameters["bu"])
    r = torch.sigmoid(parameters["Wr"] @ concat + parameters["br"])
    cc = torch.tanh(parameters["Wc"][:, :n_a] @ (r * a_prev) + parameters["Wc"][:, n_a:] @ xt
                    + parameters["bc"])
    return u * cc + (1 - u) * a_prev


def test_gru_cell_forward_and_backward_match_autograd_of_the_notes_formula():
    rng = np.random.default_rng(12)
    parameters = _gru_parameters(rng)
    xt, a_prev = rng.normal(size=(N_X, M)), rng.normal(size=(N_A, M))
    da_next = rng.normal(size=(N_A, M))
    a_next, cache = gru_cell_forward(xt, a_prev, parameters)
    tp = {k: _t(v, True) for k, v in parameters.items()}
    tx, ta = _t(xt, True), _t(a_prev, True)
    h = _torch_notes_gru(tp, tx, ta)
    _close("gru_cell_forward", a_next, h.detach().numpy())
    grads = gru_cell_backward(da_next, cache)
    (h * _t(da_next)).sum().backward()
    _close("gru_cell_backward dxt", grads["dxt"], tx.grad.numpy())
    _close("gru_cell_backward da_prev", grads["da_prev"], ta.grad.numpy())
    for key, tensor in tp.items():
        _close(f"gru_cell_backward d{key}", grads[f"d{key}"], tensor.grad.numpy())


def test_gru_cell_backward_numerical_gradient():
    rng = np.random.default_rng(13)
    parameters = _gru_parameters(rng, n_x=2, n_a=3)
    xt, a_prev = rng.normal(size=(2, 3)), rng.normal(size=(3, 3))
    da_next = rng.normal(size=(3, 3))
    grads = gru_cell_backward(da_next, gru_cell_forward(xt, a_prev, parameters)[1])

    def J():
        return float(np.sum(da_next * gru_cell_forward(xt, a_prev, parameters)[0]))

    for key, array in [("dxt", xt), ("da_prev", a_prev)] + [(f"d{k}", v)
                                                             for k, v in parameters.items()]:
        _assert_gradient(f"gru_cell_backward {key}", grads[key], J, array)


def test_gru_cell_closed_update_gate_copies_the_memory():
    rng = np.random.default_rng(14)
    parameters = _gru_parameters(rng)
    parameters["bu"][:] = -50.0
    xt, a_prev = rng.normal(size=(N_X, M)), rng.normal(size=(N_A, M))
    a_next, _ = gru_cell_forward(xt, a_prev, parameters)
    _close("gru_cell_forward with bu = -50", a_next, a_prev, atol=1e-15)


# --- Bidirectional and deep RNNs ---------------------------------------------------------------

def test_brnn_forward_matches_torch_bidirectional_rnn():
    rng = np.random.default_rng(15)
    forward, backward = _rnn_parameters(rng), _rnn_parameters(rng)
    Wy, by = rng.normal(size=(N_Y, 2 * N_A)), rng.normal(size=(N_Y, 1))
    parameters = {"Waa_f": forward["Waa"], "Wax_f": forward["Wax"], "ba_f": forward["ba"],
                  "Waa_b": backward["Waa"], "Wax_b": backward["Wax"], "ba_b": backward["ba"],
                  "Wy": Wy, "by": by}
    x = rng.normal(size=(N_X, M, T_X))
    a0_f, a0_b = rng.normal(size=(N_A, M)), rng.normal(size=(N_A, M))
    y_pred, a_f, a_b = brnn_forward(x, a0_f, a0_b, parameters)
    rnn = torch.nn.RNN(N_X, N_A, bidirectional=True, dtype=torch.float64)
    with torch.no_grad():
        for suffix, p in (("", forward), ("_reverse", backward)):
            getattr(rnn, f"weight_ih_l0{suffix}").copy_(_t(p["Wax"]))
            getattr(rnn, f"weight_hh_l0{suffix}").copy_(_t(p["Waa"]))
            getattr(rnn, f"bias_ih_l0{suffix}").copy_(_t(p["ba"][:, 0]))
            getattr(rnn, f"bias_hh_l0{suffix}").zero_()
    out, _ = rnn(_t(_to_torch_sequence(x)), _t(np.stack([a0_f.T, a0_b.T])))  # (T_x, m, 2 n_a)
    _close("brnn_forward a_forward", a_f, out[:, :, :N_A].detach().numpy().transpose(2, 1, 0))
    _close("brnn_forward a_backward", a_b, out[:, :, N_A:].detach().numpy().transpose(2, 1, 0))
    y = torch.softmax(out @ _t(Wy).T + _t(by[:, 0]), dim=2).detach().numpy()
    _close("brnn_forward y_pred", y_pred, y.transpose(2, 1, 0))


def test_deep_rnn_forward_matches_torch_two_layer_rnn():
    rng = np.random.default_rng(16)
    sizes = [N_X, 4, N_A]
    layers = [{"Waa": rng.normal(0, 0.5, (sizes[l], sizes[l])),
               "Wax": rng.normal(0, 0.5, (sizes[l], sizes[l - 1])),
               "ba": rng.normal(size=(sizes[l], 1))} for l in (1, 2)]
    Wy, by = rng.normal(size=(N_Y, N_A)), rng.normal(size=(N_Y, 1))
    x = rng.normal(size=(N_X, M, T_X))
    a0s = [np.zeros((4, M)), np.zeros((N_A, M))]
    y_pred, states = deep_rnn_forward(x, a0s, layers, Wy, by)
    assert [s.shape for s in states] == [(4, M, T_X), (N_A, M, T_X)]
    # torch.nn.RNN(num_layers=2) needs equal widths; stack two one-layer RNNs instead.
    inputs = _t(_to_torch_sequence(x))
    for layer, state in zip(layers, states, strict=True):
        inputs, _ = _torch_rnn(layer)(inputs)
        _close("deep_rnn_forward states", state, inputs.detach().numpy().transpose(2, 1, 0))
    y = torch.softmax(inputs @ _t(Wy).T + _t(by[:, 0]), dim=2).detach().numpy()
    _close("deep_rnn_forward y_pred", y_pred, y.transpose(2, 1, 0))


def test_deep_rnn_forward_matches_torch_num_layers_2():
    rng = np.random.default_rng(17)
    layers = [{"Waa": rng.normal(0, 0.5, (N_A, N_A)), "Wax": rng.normal(0, 0.5, (N_A, n_in)),
               "ba": rng.normal(size=(N_A, 1))} for n_in in (N_X, N_A)]
    Wy, by = rng.normal(size=(N_Y, N_A)), rng.normal(size=(N_Y, 1))
    x = rng.normal(size=(N_X, M, T_X))
    a0s = [rng.normal(size=(N_A, M)) for _ in layers]
    _, states = deep_rnn_forward(x, a0s, layers, Wy, by)
    rnn = torch.nn.RNN(N_X, N_A, num_layers=2, dtype=torch.float64)
    with torch.no_grad():
        for l, layer in enumerate(layers):
            getattr(rnn, f"weight_ih_l{l}").copy_(_t(layer["Wax"]))
            getattr(rnn, f"weight_hh_l{l}").copy_(_t(layer["Waa"]))
            getattr(rnn, f"bias_ih_l{l}").copy_(_t(layer["ba"][:, 0]))
            getattr(rnn, f"bias_hh_l{l}").zero_()
    out, _ = rnn(_t(_to_torch_sequence(x)), _t(np.stack([a.T for a in a0s])))
    _close("deep_rnn_forward top layer", states[-1], out.detach().numpy().transpose(2, 1, 0))


@pytest.mark.parametrize("T_x", [1, 2])
def test_rnn_backward_short_sequences(T_x):
    """T_x = 1: rnn_backward is one rnn_cell_backward; its da0 is that cell's da_prev."""
    rng = np.random.default_rng(18 + T_x)
    parameters = _rnn_parameters(rng)
    x, a0 = rng.normal(size=(N_X, M, T_x)), rng.normal(size=(N_A, M))
    da = rng.normal(size=(N_A, M, T_x))
    _, _, caches = rnn_forward(x, a0, parameters)
    grads = rnn_backward(da, caches)
    if T_x == 1:
        cell = rnn_cell_backward(da[:, :, 0], caches[0][0])
        _close("rnn_backward da0 for T_x = 1", grads["da0"], cell["da_prev"])
    assert grads["dx"].shape == x.shape


# --- Character-level language model ------------------------------------------------------------

CHAR_TO_IX = {ch: i for i, ch in enumerate("\nabc")}


def test_names_to_batch_shifts_targets_and_pads():
    X, Y = names_to_batch(["ab", "c"], CHAR_TO_IX)
    assert X.shape == (4, 2, 3) and Y.shape == (2, 3), (X.shape, Y.shape)
    np.testing.assert_array_equal(Y, [[1, 2, 0], [3, 0, -1]])
    # x<1> = 0, then x<t+1> is the target of step t; nothing after a name's end.
    np.testing.assert_array_equal(X[:, 0, :].argmax(axis=0)[1:], [1, 2])
    assert not X[:, :, 0].any() and not X[:, 1, 2].any()


def test_clip_bounds_values_and_leaves_input_alone():
    gradients = {"dWaa": np.array([[10.0, -0.5], [-7.0, 3.0]]), "dby": np.array([[-20.0]])}
    clipped = clip(gradients, 5.0)
    _close("clip dWaa", clipped["dWaa"], [[5.0, -0.5], [-5.0, 3.0]], "maxValue 5")
    _close("clip dby", clipped["dby"], [[-5.0]], "maxValue 5")
    assert gradients["dWaa"][0, 0] == 10.0, "clip must not change its input"


def _lm_parameters(rng, n_x=4, n_a=3, scale=0.5):
    return {"Waa": rng.normal(0, scale, (n_a, n_a)), "Wax": rng.normal(0, scale, (n_a, n_x)),
            "Wya": rng.normal(0, scale, (n_x, n_a)), "ba": rng.normal(size=(n_a, 1)),
            "by": rng.normal(size=(n_x, 1))}


def test_sample_is_reproducible_ends_with_newline_and_follows_the_model():
    rng = np.random.default_rng(30)
    parameters = _lm_parameters(rng)
    first = sample(parameters, CHAR_TO_IX, seed=7)
    assert first == sample(parameters, CHAR_TO_IX, seed=7), "same seed, same name"
    assert first[-1] == 0 or len(first) == 50, first
    assert all(0 <= i < 4 for i in first), first
    # A model whose output bias makes "c" almost certain, then "\n": samples "c..." up to 50.
    parameters["Wya"][:] = 0.0
    parameters["by"] = np.array([[-50.0], [-50.0], [-50.0], [50.0]])
    assert sample(parameters, CHAR_TO_IX, seed=0) == [3] * 50


def test_optimize_loss_and_gradients_match_finite_differences():
    rng = np.random.default_rng(31)
    parameters = _lm_parameters(rng)
    X, Y = names_to_batch(["abca", "b", "cc"], CHAR_TO_IX)
    loss, gradients, updated = optimize(X, Y, parameters, learning_rate=0.0, maxValue=1e9)

    def J():
        a0 = np.zeros((3, 3))
        y_pred = rnn_forward(X, a0, parameters)[1]
        i, t = np.nonzero(Y >= 0)
        return -np.sum(np.log(y_pred[Y[i, t], i, t])) / 3

    assert loss == pytest.approx(J(), rel=1e-12), (loss, J())
    for key, array in parameters.items():
        _assert_gradient(f"optimize d{key}", gradients["d" + key], J, array)
        _close(f"optimize {key} with learning_rate 0", updated[key], array)


def test_optimize_clips_then_steps():
    rng = np.random.default_rng(32)
    parameters = _lm_parameters(rng, scale=3.0)
    X, Y = names_to_batch(["abcabc", "cab"], CHAR_TO_IX)
    _, gradients, updated = optimize(X, Y, parameters, learning_rate=0.1, maxValue=0.05)
    for key, value in parameters.items():
        assert np.abs(gradients["d" + key]).max() <= 0.05
        _close(f"optimize {key}", updated[key], value - 0.1 * gradients["d" + key])


def test_model_loss_falls_on_a_repetitive_language():
    """Names made of "abc" repeated: 300 steps cut the loss by half."""
    names = ["abc" * k for k in (1, 2, 3)] * 4
    parameters, losses = model(names, CHAR_TO_IX, num_iterations=300, n_a=8,
                               mini_batch_size=4, learning_rate=0.5, seed=1)
    assert len(losses) == 300 and sorted(parameters) == ["Waa", "Wax", "Wya", "ba", "by"]
    assert np.mean(losses[-20:]) < 0.5 * np.mean(losses[:20]), (losses[:3], losses[-3:])
    again, _ = model(names, CHAR_TO_IX, num_iterations=300, n_a=8, mini_batch_size=4,
                     learning_rate=0.5, seed=1)
    _close("model is deterministic given its seed", again["Waa"], parameters["Waa"],
           "seed 1", rtol=0, atol=0)
