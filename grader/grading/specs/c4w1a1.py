"""Hidden tests of c4w1a1 (convolution step by step).

Shapes are small (at most 3 examples of 7 x 7 x 3, up to 3 filters) so that the
naive loops check in a few milliseconds in the sandbox; strides, paddings and
filter sizes vary so that an index that ignores one of them is caught. Random
normal inputs have no ties, so a max-pooling window has a single maximum.
"""


from grader.grading.spec import Spec


def _size(rng, low, high):
    return int(rng.integers(low, high + 1))


def _conv_setting(rng):
    """A_prev, W, b and hparameters of a random small conv layer (the filter fits)."""
    m, n_C_prev, n_C = _size(rng, 1, 3), _size(rng, 1, 3), _size(rng, 1, 3)
    f, stride, pad = _size(rng, 1, 3), _size(rng, 1, 2), _size(rng, 0, 2)
    n_H_prev, n_W_prev = _size(rng, max(f - 2 * pad, 1), 7), _size(rng, max(f - 2 * pad, 1), 7)
    return (rng.normal(size=(m, n_H_prev, n_W_prev, n_C_prev)),
            rng.normal(size=(f, f, n_C_prev, n_C)), rng.normal(size=(1, 1, 1, n_C)),
            {"stride": stride, "pad": pad})


def _pool_setting(rng):
    """A_prev and hparameters of a random pooling layer (the window fits)."""
    f, stride = _size(rng, 1, 3), _size(rng, 1, 3)
    shape = (_size(rng, 1, 3), _size(rng, f, 7), _size(rng, f, 7), _size(rng, 1, 3))
    return rng.normal(size=shape), {"f": f, "stride": stride}


def _zero_pad(rng):
    shape = (_size(rng, 1, 3), _size(rng, 1, 5), _size(rng, 1, 5), _size(rng, 1, 3))
    return rng.normal(size=shape), _size(rng, 0, 3)


def _conv_output_size(rng):
    f, pad, stride = _size(rng, 1, 7), _size(rng, 0, 3), _size(rng, 1, 4)
    return _size(rng, max(f - 2 * pad, 1), 40), f, pad, stride


def _output_size_floor(rng):
    """(n + 2p - f) not a multiple of the stride: the floor matters."""
    return 8, 3, 0, 2


def _conv_single_step(rng):
    f, n_C_prev = _size(rng, 1, 4), _size(rng, 1, 3)
    return (rng.normal(size=(f, f, n_C_prev)), rng.normal(size=(f, f, n_C_prev)),
            rng.normal(size=(1, 1, 1)))


def _conv_forward(rng):
    return _conv_setting(rng)


def _strided_padded_conv(rng):
    """Stride 2 and pad 1 at once, several examples and filters."""
    A_prev, W, b, _ = _conv_setting(rng)
    A_prev = rng.normal(size=(2, 6, 5, W.shape[2]))
    W = rng.normal(size=(3, 3, W.shape[2], 2))
    return A_prev, W, rng.normal(size=(1, 1, 1, 2)), {"stride": 2, "pad": 1}


def _conv_backward(rng, setting=_conv_setting):
    """dZ and the cache of a forward pass (the cache is what conv_forward returns)."""
    A_prev, W, b, hparameters = setting(rng)
    n_H = (A_prev.shape[1] + 2 * hparameters["pad"] - W.shape[0]) // hparameters["stride"] + 1
    n_W = (A_prev.shape[2] + 2 * hparameters["pad"] - W.shape[0]) // hparameters["stride"] + 1
    dZ = rng.normal(size=(A_prev.shape[0], n_H, n_W, W.shape[3]))
    return dZ, (A_prev, W, b, hparameters)


def _pool_forward(rng):
    return (*_pool_setting(rng), str(rng.choice(["max", "average"])))


def _create_mask_from_window(rng):
    return (rng.normal(size=(_size(rng, 1, 4), _size(rng, 1, 4))),)


def _distribute_value(rng):
    return float(rng.normal()), (_size(rng, 1, 4), _size(rng, 1, 4))


def _pool_backward(rng, mode=None):
    A_prev, hparameters = _pool_setting(rng)
    n_H = (A_prev.shape[1] - hparameters["f"]) // hparameters["stride"] + 1
    n_W = (A_prev.shape[2] - hparameters["f"]) // hparameters["stride"] + 1
    dA = rng.normal(size=(A_prev.shape[0], n_H, n_W, A_prev.shape[3]))
    return dA, (A_prev, hparameters), mode or str(rng.choice(["max", "average"]))


def _overlapping_pool_backward(rng, mode):
    """Overlapping windows (f = 3, stride 1): their gradients must add up."""
    A_prev = rng.normal(size=(2, 5, 4, 2))
    dA = rng.normal(size=(2, 3, 2, 2))
    return dA, (A_prev, {"f": 3, "stride": 1}), mode


SPECS = {
    "conv.zero_pad": Spec(_zero_pad),
    "conv.conv_output_size": Spec(_conv_output_size, trials=4, edge_cases=(_output_size_floor,)),
    "conv.conv_single_step": Spec(_conv_single_step),
    "conv.conv_forward": Spec(
        _conv_forward, uses=("conv.zero_pad", "conv.conv_output_size", "conv.conv_single_step"),
        edge_cases=(_strided_padded_conv,)),
    "conv.pool_forward": Spec(_pool_forward, uses=("conv.conv_output_size",), trials=4,
                              edge_cases=(lambda rng: (*_pool_setting(rng), "max"),
                                          lambda rng: (*_pool_setting(rng), "average"))),
    "conv.conv_backward": Spec(
        _conv_backward, uses=("conv.zero_pad",),
        edge_cases=(lambda rng: _conv_backward(rng, _strided_padded_conv),)),
    "conv.create_mask_from_window": Spec(_create_mask_from_window),
    "conv.distribute_value": Spec(_distribute_value),
    "conv.pool_backward": Spec(
        _pool_backward, uses=("conv.create_mask_from_window", "conv.distribute_value"), trials=4,
        edge_cases=(lambda rng: _overlapping_pool_backward(rng, "max"),
                    lambda rng: _overlapping_pool_backward(rng, "average"))),
}
