"""Hidden tests of c4w1a2 (CNN application).

The fast convolution is compared with the reference on the same small random
layers as c4w1a1's loops (any stride, padding and filter size), so a student's
vectorized version must give the same numbers and the same cache, whose last
item is the documented (m n_H n_W, f f n_C_prev) matrix of windows.
``layer_table`` gets random stacks of conv, pool, relu, flatten and dense layers
whose filters and windows always fit.
"""

from grader.grading.spec import Spec
from grader.grading.specs.c4w1a1 import _conv_setting, _size, _strided_padded_conv


def _conv_backward_fast(rng, setting=_conv_setting):
    """dZ and the cache of the reference's conv_forward_fast on a random layer."""
    from grader.grading.reference import reference

    A_prev, W, b, hparameters = setting(rng)
    Z, cache = reference("conv.conv_forward_fast")(A_prev, W, b, hparameters)
    return rng.normal(size=Z.shape), cache


def _layers(rng):
    """input_shape and a random stack: conv/pool blocks, then dense layers."""
    n, n_C = _size(rng, 8, 32), _size(rng, 1, 4)
    shape, layers = [n, n, n_C], []
    for _ in range(_size(rng, 1, 3)):
        f, pad, stride = _size(rng, 1, 5), _size(rng, 0, 2), _size(rng, 1, 2)
        if f > shape[0] + 2 * pad:
            break
        layers.append(("conv", {"f": f, "n_C": _size(rng, 1, 16), "pad": pad, "stride": stride}))
        shape[0] = (shape[0] + 2 * pad - f) // stride + 1
        if rng.random() < 0.5:
            layers.append(("relu", {}))
        if shape[0] >= 2 and rng.random() < 0.7:
            options = {"f": 2, "stride": 2} if rng.random() < 0.7 else {"f": 2}
            layers.append(("pool", options))
            shape[0] = (shape[0] - 2) // 2 + 1
    if rng.random() < 0.5:
        layers.append(("flatten", {}))
    for _ in range(_size(rng, 1, 3)):
        layers.append(("dense", {"n": _size(rng, 1, 120)}))
    return (n, n, n_C), layers


def _lenet(rng):
    """The notes' LeNet-5 on 32 x 32 x 3."""
    return (32, 32, 3), [("conv", {"f": 5, "n_C": 8}), ("pool", {"f": 2, "stride": 2}),
                         ("conv", {"f": 5, "n_C": 16}), ("pool", {"f": 2, "stride": 2}),
                         ("dense", {"n": 120}), ("dense", {"n": 84}), ("dense", {"n": 10})]


SPECS = {
    "conv.conv_forward_fast": Spec(_conv_setting, edge_cases=(_strided_padded_conv,)),
    "conv.conv_backward_fast": Spec(
        _conv_backward_fast,
        edge_cases=(lambda rng: _conv_backward_fast(rng, _strided_padded_conv),)),
    "conv.layer_table": Spec(_layers, trials=4, edge_cases=(_lenet,)),
}
