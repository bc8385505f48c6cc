"""Hidden tests of c4w4a2 (neural style transfer).

Activations are small (1, n_H, n_W, n_C) arrays with at least two positions and two
channels, so that unrolling them the wrong way (a plain reshape to (n_C, n_H n_W))
changes the Gram matrix. The image-level functions run on an 8 x 8 (or so) image
through a two-block random extractor of 2 to 4 channels, made by the reference's
random_extractor (an ungraded package function, complete in every copy).
"""

import numpy as np

from grader.grading.reference import reference
from grader.grading.spec import Spec


def _size(rng, low, high):
    return int(rng.integers(low, high))


def _activation(rng, shape=None):
    """(1, n_H, n_W, n_C) ReLU-like activations (nonnegative, some zeros)."""
    if shape is None:
        shape = (1, _size(rng, 1, 5), _size(rng, 2, 5), _size(rng, 2, 6))
    return np.maximum(rng.normal(0.3, 1.0, size=shape), 0.0)


def _pair(rng):
    a = _activation(rng)
    return a, _activation(rng, a.shape)


def _layers(rng):
    """Activations of the style and the generated image at 2 or 3 named layers, and
    style_layers naming some of them (one layer may be left out)."""
    names = [f"relu{l}" for l in sorted(rng.choice(np.arange(2, 12), size=_size(rng, 2, 4),
                                                   replace=False))]
    activations_S, activations_G = {}, {}
    for name in names:
        activations_S[name], activations_G[name] = _pair(rng)
    used = [name for name in names if rng.random() < 0.8] or names[:1]
    style_layers = [(name, float(rng.uniform(0.1, 1.0))) for name in used]
    return activations_S, activations_G, style_layers


def _total_cost(rng):
    return (float(rng.uniform(0, 100)), float(rng.uniform(0, 1)), float(rng.uniform(1, 20)),
            float(rng.uniform(10, 100)))


def _image(rng, n_H, n_W):
    return rng.uniform(0.0, 1.0, size=(1, n_H, n_W, 3))


def _transfer(rng):
    """Content and style images, an extractor, its layers and the cost weights."""
    n_H, n_W = _size(rng, 6, 10), _size(rng, 6, 10)
    X_C, X_S = _image(rng, n_H, n_W), _image(rng, n_H, n_W)
    channels = (_size(rng, 2, 4), _size(rng, 2, 5))
    parameters, spec = reference("style.random_extractor")(
        X_S, channels, roughness=float(rng.uniform(0.2, 1.0)), seed=_size(rng, 0, 1000))
    content_layer = str(rng.choice(["relu2", "relu5"]))
    style_layers = [(name, float(rng.uniform(0.2, 1.0)))
                    for name in ("input", "relu2", "relu5") if rng.random() < 0.8] or [
        ("relu5", 1.0)]
    alpha, beta = float(rng.uniform(0.5, 5)), float(rng.uniform(1, 100))
    return X_C, X_S, parameters, spec, content_layer, style_layers, alpha, beta


def _cost_and_gradient(rng):
    X_C, X_S, parameters, spec, content_layer, style_layers, alpha, beta = _transfer(rng)
    features_forward = reference("style.features_forward")
    a_C = features_forward(X_C, parameters, spec)[0][content_layer]
    activations_S, _ = features_forward(X_S, parameters, spec)
    X_G = _image(rng, *X_C.shape[1:3])
    return (X_G, parameters, spec, a_C, activations_S, content_layer, style_layers, alpha,
            beta)


def _optimize_image(rng):
    X_C, X_S, parameters, spec, content_layer, style_layers, alpha, beta = _transfer(rng)
    return (X_C, X_S, parameters, spec, content_layer, style_layers, alpha, beta,
            _size(rng, 3, 12), float(rng.uniform(0.005, 0.05)), float(rng.uniform(0, 0.5)),
            _size(rng, 0, 1000))


def _conv1d(rng):
    m, n_W_prev, n_C_prev, n_C = (_size(rng, 1, 4), _size(rng, 4, 12), _size(rng, 1, 4),
                                  _size(rng, 1, 4))
    f = _size(rng, 1, 5)
    pad, stride = _size(rng, 0, 3), _size(rng, 1, 4)
    return (rng.normal(size=(m, n_W_prev, n_C_prev)), rng.normal(size=(f, n_C_prev, n_C)),
            rng.normal(size=(1, 1, n_C)), {"stride": stride, "pad": pad})


SPECS = {
    "style.content_cost": Spec(_pair),
    "style.gram_matrix": Spec(lambda rng: (rng.normal(size=(_size(rng, 1, 6),
                                                              _size(rng, 1, 12))),)),
    "style.layer_style_cost": Spec(_pair, uses=("style.gram_matrix",)),
    "style.style_cost": Spec(_layers, uses=("style.layer_style_cost",)),
    "style.total_cost": Spec(_total_cost),
    "style.content_cost_backward": Spec(_pair),
    "style.layer_style_cost_backward": Spec(_pair, uses=("style.gram_matrix",)),
    "style.style_cost_backward": Spec(_layers, uses=("style.layer_style_cost_backward",)),
    "style.cost_and_gradient": Spec(_cost_and_gradient, uses=(
        "style.content_cost", "style.style_cost", "style.total_cost",
        "style.content_cost_backward", "style.style_cost_backward")),
    "style.optimize_image": Spec(_optimize_image, uses=("style.cost_and_gradient",),
                                 rtol=1e-5),
    "style.conv1d_forward": Spec(_conv1d),
}
