"""Residual blocks, 1x1 convolutions and the cost of a network (Course 4, week 2).

A residual block adds its input back before the last activation:

    a^[l+2] = g(z^[l+2] + a^[l])

Here a block is two "same" convolutions (odd f, pad (f - 1) / 2) with a ReLU between
them; the input is added to the second convolution's output and a ReLU follows. No
batch norm: the blocks stay two convolutions and an addition, and the experiment of
the notebook shows that the shortcut alone is what lets a deep stack train.

- identity block: the input and the output have the same shape, the shortcut is a^[l]
- convolutional block: the first convolution has a stride s and a new number of
  channels, so the shortcut becomes a 1x1 convolution W_s with the same stride

Layout: channels-last activations (m, n_H, n_W, n_C); filters W: (f, f, n_C_prev, n_C),
biases b: (1, 1, 1, n_C), as in dlcourse.conv. A block's parameters are a dict with
local names "W_a", "b_a" (first convolution), "W_b", "b_b" (second) and, for the
convolutional block, "W_s", "b_s" (shortcut): the names dlcourse.cnn.register_layer
accepts, so that a network spec can hold blocks as layers.

Gradients: as in dlcourse.conv, dA is the gradient of the mean cost, so the weight
gradients sum over the examples.
"""

import numpy as np

from .cnn import he_normal, register_layer
from .conv import conv_backward_fast, conv_forward_fast, conv_output_size


def identity_block_forward(A_prev, params):
    """A residual block whose shortcut is the input itself.

    Z_a = conv(A_prev, W_a, b_a), A_a = relu(Z_a), Z_b = conv(A_a, W_b, b_b),
    Z = Z_b + A_prev, A = relu(Z); both convolutions are "same" (stride 1, pad (f - 1) / 2).

    A_prev: (m, n_H, n_W, n_C)
    params: {"W_a": (f, f, n_C, n_C_mid), "b_a": (1, 1, 1, n_C_mid),
             "W_b": (f, f, n_C_mid, n_C), "b_b": (1, 1, 1, n_C)}, f odd
    Returns A: (m, n_H, n_W, n_C) and cache = (cache_a, Z_a, cache_b, Z), where
    cache_a and cache_b are conv_forward_fast's caches, Z_a: (m, n_H, n_W, n_C_mid)
    and Z: (m, n_H, n_W, n_C) is the sum before the last ReLU.
    """
    ### BEGIN SOLUTION
    same = {"stride": 1, "pad": (params["W_a"].shape[0] - 1) // 2}  # odd f keeps n_H, n_W
    Z_a, cache_a = conv_forward_fast(A_prev, params["W_a"], params["b_a"], same)
    A_a = np.maximum(Z_a, 0)
    Z_b, cache_b = conv_forward_fast(A_a, params["W_b"], params["b_b"], same)
    Z = Z_b + A_prev  # the shortcut: the block only has to learn a correction to A_prev
    A = np.maximum(Z, 0)
    cache = (cache_a, Z_a, cache_b, Z)
    ### END SOLUTION
    return A, cache


def identity_block_backward(dA, cache):
    """Backward pass of identity_block_forward.

    dA: (m, n_H, n_W, n_C) gradient of the cost with respect to the block's output A
    cache: (cache_a, Z_a, cache_b, Z) from identity_block_forward
    Returns dA_prev: (m, n_H, n_W, n_C) and grads = {"dW_a", "db_a", "dW_b", "db_b"},
    each of its parameter's shape.
    """
    ### BEGIN SOLUTION
    cache_a, Z_a, cache_b, Z = cache
    dZ = dA * (Z > 0)
    dA_a, dW_b, db_b = conv_backward_fast(dZ, cache_b)
    dZ_a = dA_a * (Z_a > 0)
    dA_prev, dW_a, db_a = conv_backward_fast(dZ_a, cache_a)
    # A_prev reached Z twice, through the convolutions and straight along the
    # shortcut: the shortcut hands dZ back unchanged, whatever the weights are.
    dA_prev = dA_prev + dZ
    grads = {"dW_a": dW_a, "db_a": db_a, "dW_b": dW_b, "db_b": db_b}
    ### END SOLUTION
    return dA_prev, grads


def convolutional_block_forward(A_prev, params, stride):
    """A residual block that changes the shape: its shortcut is a strided 1x1 convolution.

    Z_a = conv(A_prev, W_a, b_a; stride s, pad (f - 1) / 2), A_a = relu(Z_a),
    Z_b = conv(A_a, W_b, b_b; stride 1, pad (f - 1) / 2),
    Z = Z_b + conv(A_prev, W_s, b_s; stride s, pad 0), A = relu(Z).

    A_prev: (m, n_H_prev, n_W_prev, n_C_prev)
    params: {"W_a": (f, f, n_C_prev, n_C), "b_a": (1, 1, 1, n_C),
             "W_b": (f, f, n_C, n_C), "b_b": (1, 1, 1, n_C),
             "W_s": (1, 1, n_C_prev, n_C), "b_s": (1, 1, 1, n_C)}, f odd
    stride: s, for the first convolution and the shortcut
    Returns A: (m, n_H, n_W, n_C) with n_H = floor((n_H_prev - 1) / s) + 1 (the same
    for both paths), and cache = (cache_a, Z_a, cache_b, cache_s, Z) with
    conv_forward_fast's caches and Z the sum before the last ReLU.
    """
    ### BEGIN SOLUTION
    pad = (params["W_a"].shape[0] - 1) // 2
    Z_a, cache_a = conv_forward_fast(A_prev, params["W_a"], params["b_a"],
                                     {"stride": stride, "pad": pad})
    A_a = np.maximum(Z_a, 0)
    Z_b, cache_b = conv_forward_fast(A_a, params["W_b"], params["b_b"], {"stride": 1, "pad": pad})
    # A_prev has the wrong height, width and channels to be added as it is: the 1x1
    # convolution with the same stride maps it onto Z_b's shape.
    Z_s, cache_s = conv_forward_fast(A_prev, params["W_s"], params["b_s"],
                                     {"stride": stride, "pad": 0})
    Z = Z_b + Z_s
    A = np.maximum(Z, 0)
    cache = (cache_a, Z_a, cache_b, cache_s, Z)
    ### END SOLUTION
    return A, cache


def convolutional_block_backward(dA, cache):
    """Backward pass of convolutional_block_forward.

    dA: (m, n_H, n_W, n_C); cache: (cache_a, Z_a, cache_b, cache_s, Z)
    Returns dA_prev: (m, n_H_prev, n_W_prev, n_C_prev) and grads = {"dW_a", "db_a",
    "dW_b", "db_b", "dW_s", "db_s"}, each of its parameter's shape.
    """
    ### BEGIN SOLUTION
    cache_a, Z_a, cache_b, cache_s, Z = cache
    dZ = dA * (Z > 0)
    dA_a, dW_b, db_b = conv_backward_fast(dZ, cache_b)
    dZ_a = dA_a * (Z_a > 0)
    dA_main, dW_a, db_a = conv_backward_fast(dZ_a, cache_a)
    dA_short, dW_s, db_s = conv_backward_fast(dZ, cache_s)
    dA_prev = dA_main + dA_short  # A_prev feeds both paths: their gradients add
    grads = {"dW_a": dW_a, "db_a": db_a, "dW_b": dW_b, "db_b": db_b,
             "dW_s": dW_s, "db_s": db_s}
    ### END SOLUTION
    return dA_prev, grads


def conv_1x1(A_prev, W, b):
    """A 1x1 convolution written as what it is: one dense layer applied at every pixel.

    A_prev: (m, n_H, n_W, n_C_prev); W: (1, 1, n_C_prev, n_C); b: (1, 1, 1, n_C)
    Returns Z: (m, n_H, n_W, n_C) with Z[i, h, w, :] = A_prev[i, h, w, :] @ W[0, 0] + b,
    equal to conv_forward_fast(A_prev, W, b, {"stride": 1, "pad": 0})[0].
    """
    ### BEGIN SOLUTION
    Z = A_prev @ W[0, 0] + b  # (m, n_H, n_W, n_C_prev) @ (n_C_prev, n_C) -> (m, n_H, n_W, n_C)
    ### END SOLUTION
    return Z


def conv_multiplications(n_H, n_W, n_C, f, n_C_prev):
    """The multiplications a convolution layer makes for one example.

    Each of the n_H n_W n_C output numbers is one filter (f x f x n_C_prev numbers)
    multiplied into one window.
    n_H, n_W, n_C: the output's height, width and channels; f: the filter size;
    n_C_prev: the input's channels
    Returns an int.
    """
    ### BEGIN SOLUTION
    count = n_H * n_W * n_C * f * f * n_C_prev
    ### END SOLUTION
    return int(count)


def bottleneck_multiplications(n_H, n_W, n_C_prev, n_C_mid, n_C, f):
    """The multiplications of a 1x1 "bottleneck" convolution to n_C_mid channels
    followed by an f x f "same" convolution to n_C channels, for one example.

    The input is (n_H, n_W, n_C_prev); both convolutions keep n_H x n_W.
    Returns an int: the two layers' conv_multiplications added.
    """
    ### BEGIN SOLUTION
    count = (conv_multiplications(n_H, n_W, n_C_mid, 1, n_C_prev)
             + conv_multiplications(n_H, n_W, n_C, f, n_C_mid))
    ### END SOLUTION
    return int(count)


def parameter_counts(input_shape, spec):
    """The number of learned parameters of each layer of a network, without building it.

    input_shape: (n_H, n_W, n_C) of one example
    spec: layers as in dlcourse.cnn: ("conv", {"f", "n_C", "stride"=1, "pad"=0}),
        ("pool", {"f", "stride"=f}), ("relu", {}), ("flatten", {}), ("dense", {"n"})
    Returns a list of ints, one per layer: a conv layer has (f f n_C_prev + 1) n_C
    parameters (a bias per filter), a dense layer (n_prev + 1) n, the others none.
    """
    ### BEGIN SOLUTION
    counts, shape = [], tuple(input_shape)
    for kind, options in spec:
        count = 0
        if kind == "conv":
            n_H_prev, n_W_prev, n_C_prev = shape
            f, n_C = options["f"], options["n_C"]
            stride, pad = options.get("stride", 1), options.get("pad", 0)
            count = (f * f * n_C_prev + 1) * n_C
            shape = (conv_output_size(n_H_prev, f, pad, stride),
                     conv_output_size(n_W_prev, f, pad, stride), n_C)
        elif kind == "pool":
            n_H_prev, n_W_prev, n_C_prev = shape
            f = options["f"]
            stride = options.get("stride", f)
            shape = (conv_output_size(n_H_prev, f, 0, stride),
                     conv_output_size(n_W_prev, f, 0, stride), n_C_prev)
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "dense":
            count = (shape[0] + 1) * options["n"]
            shape = (options["n"],)
        counts.append(int(count))
    ### END SOLUTION
    return counts


# --- blocks as layers of a dlcourse.cnn network ---------------------------------------
def identity_block_init(input_shape, options, rng):
    """He-initialised parameters of an identity block for dlcourse.cnn.register_layer.

    input_shape: (n_H, n_W, n_C); options: {"f": odd filter size, "n_C_mid"=n_C, "gain"=1}
    gain scales the second convolution's weights: without batch norm, every block adds
    its branch's variance to its input's, so a deep stack of He-initialised blocks
    starts with activations that grow like 2^(number of blocks); a gain below 1 (or 0,
    as in Fixup and SkipInit) keeps the stack near the identity at the start.
    Returns (params, output_shape): the output has the input's shape.
    """
    n_C, f = input_shape[2], options["f"]
    n_C_mid, gain = options.get("n_C_mid", n_C), options.get("gain", 1.0)
    params = {"W_a": he_normal(rng, (f, f, n_C, n_C_mid), f * f * n_C),
              "b_a": np.zeros((1, 1, 1, n_C_mid)),
              "W_b": gain * he_normal(rng, (f, f, n_C_mid, n_C), f * f * n_C_mid),
              "b_b": np.zeros((1, 1, 1, n_C))}
    return params, tuple(input_shape)


def convolutional_block_init(input_shape, options, rng):
    """He-initialised parameters of a convolutional block for register_layer.

    input_shape: (n_H_prev, n_W_prev, n_C_prev); options: {"f", "n_C", "stride", "gain"=1}
    (gain as in identity_block_init)
    Returns (params, output_shape (n_H, n_W, n_C)).
    """
    n_H_prev, n_W_prev, n_C_prev = input_shape
    f, n_C, stride = options["f"], options["n_C"], options["stride"]
    gain = options.get("gain", 1.0)
    params = {"W_a": he_normal(rng, (f, f, n_C_prev, n_C), f * f * n_C_prev),
              "b_a": np.zeros((1, 1, 1, n_C)),
              "W_b": gain * he_normal(rng, (f, f, n_C, n_C), f * f * n_C),
              "b_b": np.zeros((1, 1, 1, n_C)),
              "W_s": he_normal(rng, (1, 1, n_C_prev, n_C), n_C_prev),
              "b_s": np.zeros((1, 1, 1, n_C))}
    shape = (conv_output_size(n_H_prev, 1, 0, stride), conv_output_size(n_W_prev, 1, 0, stride),
             n_C)
    return params, shape


def use_blocks(identity_forward, identity_backward, convolutional_forward,
               convolutional_backward):
    """Register the layer kinds "identity" ({"f", "n_C_mid"=n_C}) and "convolutional"
    ({"f", "n_C", "stride"}) with these block functions, e.g. the ones a notebook defines.

    The functions have the signatures of identity_block_forward/_backward and
    convolutional_block_forward/_backward (the default).
    """
    register_layer("identity", identity_block_init,
                   lambda A_prev, params, options: identity_forward(A_prev, params),
                   identity_backward)
    register_layer("convolutional", convolutional_block_init,
                   lambda A_prev, params, options: convolutional_forward(A_prev, params,
                                                                         options["stride"]),
                   convolutional_backward)


use_blocks(identity_block_forward, identity_block_backward, convolutional_block_forward,
           convolutional_block_backward)
