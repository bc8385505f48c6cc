"""Hidden tests of c5w3a1 (attention and machine translation of dates): small random
translators, random one-hot sequences, random toy distributions for beam search and
random token sequences for BLEU. Backward functions get caches made by the reference
forward functions, the numbers a student's own forward pass produces too."""

import numpy as np

from grader.grading.spec import Spec


def _sizes(rng):
    """n_x, n_a, n_s, n_e, n_y, m, T_x, T_y: small and drawn independently."""
    return tuple(int(v) for v in rng.integers(1, 5, size=8))


def _parameters(rng, n_x, n_a, n_s, n_e, n_y):
    from grader.grading.reference import reference

    parameters = reference("attention.initialize_parameters")(n_x, n_a, n_s, n_e, n_y,
                                                                int(rng.integers(1000)))
    # Non-zero biases too, so that a forgotten bias shows.
    return {key: value + rng.normal(0, 0.5, value.shape) for key, value in parameters.items()}


def _one_hot(rng, n, m, T):
    return np.eye(n)[rng.integers(n, size=(m, T))].transpose(2, 0, 1)  # (n, m, T)


def _one_step_attention(rng):
    n_x, n_a, n_s, n_e, n_y, m, T_x, _ = _sizes(rng)
    parameters = {"Wa1": rng.normal(size=(n_e, n_s + 2 * n_a)),
                  "ba1": rng.normal(size=(n_e, 1)), "Wa2": rng.normal(size=(1, n_e))}
    return rng.normal(size=(2 * n_a, m, T_x)), rng.normal(size=(n_s, m)), parameters


def _one_step_attention_backward(rng):
    from grader.grading.reference import reference

    a, s_prev, parameters = _one_step_attention(rng)
    _, _, cache = reference("attention.one_step_attention")(a, s_prev, parameters)
    return rng.normal(size=(a.shape[0], a.shape[1])), cache


def _model_forward(rng):
    n_x, n_a, n_s, n_e, n_y, m, T_x, T_y = _sizes(rng)
    return (_one_hot(rng, n_x, m, T_x), _one_hot(rng, n_y, m, T_y),
            _parameters(rng, n_x, n_a, n_s, n_e, n_y))


def _model_backward(rng):
    from grader.grading.reference import reference

    X, Y, parameters = _model_forward(rng)
    _, _, cache = reference("attention.model_forward")(X, Y, parameters)
    return Y, cache


def _log_softmax(scores, axis):
    shifted = scores - scores.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _beam_search(rng):
    """A random first-order Markov chain over V tokens, as a (T, V + 1, V) table."""
    V, T = int(rng.integers(2, 6)), int(rng.integers(1, 6))
    table = _log_softmax(rng.normal(0, 2, (T, V + 1, V)), axis=2)
    end_token = int(rng.integers(V)) if rng.random() < 0.7 else None
    return table, int(rng.integers(1, 5)), T, end_token, float(rng.uniform(0, 1))


def _blame_beam_or_model(rng):
    k = int(rng.integers(1, 9))
    log_p_beam = -rng.exponential(3, k)
    return -rng.exponential(3, k), log_p_beam


def _blame_with_ties(rng):
    """Equal probabilities blame the model: searching harder finds nothing better."""
    log_p_true, log_p_beam = _blame_beam_or_model(rng)
    log_p_beam[::2] = log_p_true[::2]
    return log_p_true, log_p_beam


def _tokens(rng, alphabet):
    return [str(t) for t in rng.choice(list(alphabet), size=int(rng.integers(3, 12)))]


def _bleu(rng):
    # A three-letter alphabet: many shared n-grams, so the score is rarely 0.
    alphabet = "abc"
    k = int(rng.integers(1, 5))
    candidates = [_tokens(rng, alphabet) for _ in range(k)]
    references = [[_tokens(rng, alphabet) for _ in range(int(rng.integers(1, 4)))]
                  for _ in range(k)]
    return candidates, references, int(rng.integers(1, 4))


SPECS = {
    "attention.one_step_attention": Spec(_one_step_attention),
    "attention.one_step_attention_backward": Spec(_one_step_attention_backward),
    "attention.model_forward": Spec(_model_forward, uses=("attention.one_step_attention",)),
    "attention.model_backward": Spec(_model_backward,
                                     uses=("attention.one_step_attention_backward",)),
    "attention.beam_search": Spec(_beam_search),
    "attention.blame_beam_or_model": Spec(_blame_beam_or_model, edge_cases=(_blame_with_ties,)),
    "attention.bleu": Spec(_bleu),
}
