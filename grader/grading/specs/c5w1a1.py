"""Hidden tests of c5w1a1 (RNN, LSTM and GRU step by step): fresh random inputs for each graded
function. Backward functions get caches made by the reference forward functions, the numbers a
student's own forward pass produces too."""

from grader.grading.spec import Spec


def _sizes(rng):
    """n_x, n_a, n_y, m, T_x: small and different from one another."""
    return tuple(int(v) for v in rng.integers(1, 6, size=4)) + (int(rng.integers(1, 6)),)


def _rnn_parameters(rng, n_x, n_a, n_y):
    return {"Waa": rng.normal(0, 0.6, (n_a, n_a)), "Wax": rng.normal(0, 0.6, (n_a, n_x)),
            "Wya": rng.normal(size=(n_y, n_a)), "ba": rng.normal(size=(n_a, 1)),
            "by": rng.normal(size=(n_y, 1))}


def _lstm_parameters(rng, n_x, n_a, n_y):
    parameters = {"Wy": rng.normal(size=(n_y, n_a)), "by": rng.normal(size=(n_y, 1))}
    for g in ("f", "u", "c", "o"):
        parameters[f"W{g}"] = rng.normal(0, 0.6, (n_a, n_a + n_x))
        parameters[f"b{g}"] = rng.normal(size=(n_a, 1))
    return parameters


def _rnn_cell_forward(rng):
    n_x, n_a, n_y, m, _ = _sizes(rng)
    return (rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m)),
            _rnn_parameters(rng, n_x, n_a, n_y))


def _rnn_forward(rng):
    n_x, n_a, n_y, m, T_x = _sizes(rng)
    return (rng.normal(size=(n_x, m, T_x)), rng.normal(size=(n_a, m)),
            _rnn_parameters(rng, n_x, n_a, n_y))


def _rnn_cell_backward(rng):
    from grader.grading.reference import reference

    xt, a_prev, parameters = _rnn_cell_forward(rng)
    _, _, cache = reference("rnn.rnn_cell_forward")(xt, a_prev, parameters)
    return rng.normal(size=a_prev.shape), cache


def _rnn_backward(rng):
    from grader.grading.reference import reference

    x, a0, parameters = _rnn_forward(rng)
    _, _, caches = reference("rnn.rnn_forward")(x, a0, parameters)
    return rng.normal(size=a0.shape + (x.shape[2],)), caches


def _lstm_cell_forward(rng):
    n_x, n_a, n_y, m, _ = _sizes(rng)
    return (rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m)),
            _lstm_parameters(rng, n_x, n_a, n_y))


def _lstm_forward(rng):
    n_x, n_a, n_y, m, T_x = _sizes(rng)
    return (rng.normal(size=(n_x, m, T_x)), rng.normal(size=(n_a, m)),
            _lstm_parameters(rng, n_x, n_a, n_y))


def _lstm_cell_backward(rng):
    from grader.grading.reference import reference

    xt, a_prev, c_prev, parameters = _lstm_cell_forward(rng)
    cache = reference("rnn.lstm_cell_forward")(xt, a_prev, c_prev, parameters)[3]
    return rng.normal(size=a_prev.shape), rng.normal(size=a_prev.shape), cache


def _lstm_backward(rng):
    from grader.grading.reference import reference

    x, a0, parameters = _lstm_forward(rng)
    caches = reference("rnn.lstm_forward")(x, a0, parameters)[3]
    return rng.normal(size=a0.shape + (x.shape[2],)), caches


def _gru_cell_forward(rng):
    n_x, n_a, _, m, _ = _sizes(rng)
    parameters = {k: rng.normal(0, 0.6, (n_a, n_a + n_x) if k[0] == "W" else (n_a, 1))
                  for k in ("Wu", "bu", "Wr", "br", "Wc", "bc")}
    return rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m)), parameters


SPECS = {
    "rnn.rnn_cell_forward": Spec(_rnn_cell_forward),
    "rnn.rnn_forward": Spec(_rnn_forward, uses=("rnn.rnn_cell_forward",)),
    "rnn.rnn_cell_backward": Spec(_rnn_cell_backward),
    "rnn.rnn_backward": Spec(_rnn_backward, uses=("rnn.rnn_cell_backward",)),
    "rnn.lstm_cell_forward": Spec(_lstm_cell_forward),
    "rnn.lstm_forward": Spec(_lstm_forward, uses=("rnn.lstm_cell_forward",)),
    "rnn.lstm_cell_backward": Spec(_lstm_cell_backward),
    "rnn.lstm_backward": Spec(_lstm_backward, uses=("rnn.lstm_cell_backward",)),
    "rnn.gru_cell_forward": Spec(_gru_cell_forward),
}
