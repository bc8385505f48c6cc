"""Hidden tests of c4w2a1 (Residual networks): fresh random inputs for each graded function.

The blocks call conv_forward_fast and conv_backward_fast, graded in an earlier
assignment and therefore complete in this assignment's copy of the package: the
notebook imports them, hence no ``uses``. bottleneck_multiplications calls
conv_multiplications, graded here: the reference stands in for it.
Shapes stay small (a few examples of at most 6 x 6 pixels) so each check takes
milliseconds.
"""

import numpy as np

from grader.grading.spec import Spec


def _size(rng, low, high):
    return int(rng.integers(low, high))


def _conv(rng, f, n_C_prev, n_C):
    """W (f, f, n_C_prev, n_C) and b (1, 1, 1, n_C), He-like scale."""
    W = rng.normal(0, np.sqrt(2.0 / (f * f * n_C_prev)), size=(f, f, n_C_prev, n_C))
    return W, rng.normal(0, 0.3, size=(1, 1, 1, n_C))


def _identity_block_forward(rng):
    """A_prev (m, n_H, n_W, n_C) and the parameters of a block with odd f in {1, 3}."""
    m, n_H, n_W = _size(rng, 1, 4), _size(rng, 2, 6), _size(rng, 2, 6)
    n_C, n_C_mid, f = _size(rng, 1, 4), _size(rng, 1, 4), int(rng.choice([1, 3]))
    W_a, b_a = _conv(rng, f, n_C, n_C_mid)
    W_b, b_b = _conv(rng, f, n_C_mid, n_C)
    A_prev = rng.normal(size=(m, n_H, n_W, n_C))
    return A_prev, {"W_a": W_a, "b_a": b_a, "W_b": W_b, "b_b": b_b}


def _convolutional_block_forward(rng):
    """A_prev (m, n_H_prev, n_W_prev, n_C_prev), a block's parameters and a stride 1-2."""
    m, n_H, n_W = _size(rng, 1, 4), _size(rng, 2, 7), _size(rng, 2, 7)
    n_C_prev, n_C, f = _size(rng, 1, 4), _size(rng, 1, 4), int(rng.choice([1, 3]))
    W_a, b_a = _conv(rng, f, n_C_prev, n_C)
    W_b, b_b = _conv(rng, f, n_C, n_C)
    W_s, b_s = _conv(rng, 1, n_C_prev, n_C)
    A_prev = rng.normal(size=(m, n_H, n_W, n_C_prev))
    params = {"W_a": W_a, "b_a": b_a, "W_b": W_b, "b_b": b_b, "W_s": W_s, "b_s": b_s}
    return A_prev, params, _size(rng, 1, 3)


def _backward_of(forward_name, make_forward_inputs):
    """dA and the cache of the reference forward pass (what a student's forward makes too)."""
    def make(rng):
        from grader.grading.reference import reference

        A, cache = reference(forward_name)(*make_forward_inputs(rng))
        return rng.normal(size=A.shape), cache
    return make


def _conv_1x1(rng):
    m, n_H, n_W = _size(rng, 1, 4), _size(rng, 1, 6), _size(rng, 1, 6)
    n_C_prev, n_C = _size(rng, 1, 6), _size(rng, 1, 6)
    W, b = _conv(rng, 1, n_C_prev, n_C)
    return rng.normal(size=(m, n_H, n_W, n_C_prev)), W, b


def _conv_multiplications(rng):
    """n_H, n_W, n_C, f, n_C_prev as Python ints."""
    return (_size(rng, 1, 60), _size(rng, 1, 60), _size(rng, 1, 300), int(rng.choice([1, 3, 5, 7])),
            _size(rng, 1, 300))


def _bottleneck_multiplications(rng):
    """n_H, n_W, n_C_prev, n_C_mid, n_C, f as Python ints."""
    return (_size(rng, 1, 60), _size(rng, 1, 60), _size(rng, 1, 300), _size(rng, 1, 64),
            _size(rng, 1, 300), int(rng.choice([1, 3, 5, 7])))


def _parameter_counts(rng):
    """A random LeNet-like spec: (conv, relu, pool) stages, flatten, dense layers.

    Each stage keeps the image at least 1 x 1: a "same" or one-larger padding, a stride
    of 1 or 2, and a pool only while the image is at least 2 x 2.
    """
    n = _size(rng, 8, 40)
    shape = (n, n, _size(rng, 1, 4))
    spec = []
    for _ in range(_size(rng, 1, 4)):
        f = int(rng.choice([1, 3, 5]))
        stride, pad = _size(rng, 1, 3), (f - 1) // 2 + _size(rng, 0, 2)
        spec += [("conv", {"f": f, "n_C": _size(rng, 1, 16), "stride": stride, "pad": pad}),
                 ("relu", {})]
        n = (n + 2 * pad - f) // stride + 1
        if n >= 2:
            spec.append(("pool", {"f": 2, "stride": 2}))
            n = (n - 2) // 2 + 1
    spec.append(("flatten", {}))
    for _ in range(_size(rng, 0, 3)):
        spec += [("dense", {"n": _size(rng, 1, 50)}), ("relu", {})]
    spec.append(("dense", {"n": _size(rng, 2, 10)}))
    return shape, spec


SPECS = {
    "resnet.identity_block_forward": Spec(_identity_block_forward),
    "resnet.identity_block_backward": Spec(
        _backward_of("resnet.identity_block_forward", _identity_block_forward)),
    "resnet.convolutional_block_forward": Spec(_convolutional_block_forward),
    "resnet.convolutional_block_backward": Spec(
        _backward_of("resnet.convolutional_block_forward", _convolutional_block_forward)),
    "resnet.conv_1x1": Spec(_conv_1x1),
    "resnet.conv_multiplications": Spec(_conv_multiplications),
    "resnet.bottleneck_multiplications": Spec(_bottleneck_multiplications,
                                              uses=("resnet.conv_multiplications",)),
    "resnet.parameter_counts": Spec(_parameter_counts),
}
