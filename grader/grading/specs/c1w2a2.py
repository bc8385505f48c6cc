"""Hidden tests of c1w2a2 (logistic regression as a neural network)."""

from grader.grading.spec import Spec


def _sizes(rng):
    """n_x features and m examples, small and random."""
    return int(rng.integers(2, 9)), int(rng.integers(3, 15))


def _data(rng, n_x, m):
    """X: (n_x, m) features; Y: (1, m) float labels with both classes present."""
    X = rng.normal(0, 1, size=(n_x, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    Y[0, :2] = [0.0, 1.0]
    return X, Y


def _params(rng, n_x):
    """Small weights so the sigmoid stays away from 0 and 1 (finite log)."""
    return rng.normal(0, 0.5, size=(n_x, 1)), float(rng.normal(0, 0.5))


def _propagate(rng):
    n_x, m = _sizes(rng)
    w, b = _params(rng, n_x)
    return (w, b, *_data(rng, n_x, m))


def _optimize(rng):
    n_x, m = _sizes(rng)
    w, b = _params(rng, n_x)
    # Up to 250 steps: enough to record two or three costs, still a few milliseconds.
    num_iterations = int(rng.integers(1, 251))
    learning_rate = float(rng.uniform(0.005, 0.2))
    return (w, b, *_data(rng, n_x, m), num_iterations, learning_rate)


def _predict(rng):
    n_x, m = _sizes(rng)
    w, b = _params(rng, n_x)
    return w, b, _data(rng, n_x, m)[0] * 3


def _model(rng):
    n_x, m_train = _sizes(rng)
    m_test = int(rng.integers(3, 10))
    X_train, Y_train = _data(rng, n_x, m_train)
    X_test, Y_test = _data(rng, n_x, m_test)
    num_iterations = int(rng.integers(50, 251))
    learning_rate = float(rng.uniform(0.01, 0.3))
    return X_train, Y_train, X_test, Y_test, num_iterations, learning_rate


SPECS = {
    "logistic.initialize_with_zeros": Spec(lambda rng: (int(rng.integers(1, 20)),)),
    "logistic.propagate": Spec(_propagate),
    "logistic.optimize": Spec(_optimize, uses=("logistic.propagate",)),
    "logistic.predict": Spec(_predict),
    "logistic.model": Spec(_model, uses=("logistic.initialize_with_zeros", "logistic.optimize",
                                         "logistic.predict")),
}
