"""Convolution and pooling layers, forward and backward (Course 4, week 1).

Layout: images are channels-last. A batch of activations is (m, n_H, n_W, n_C);
a conv layer's filters are W: (f, f, n_C_prev, n_C) and its biases b: (1, 1, 1, n_C);
hyperparameters travel in a dict, {"stride": s, "pad": p} for a convolution and
{"f": f, "stride": s} for pooling.

Each layer comes twice. The naive version (conv_forward, pool_forward and their
backward passes) loops over examples, positions and channels, one window at a time:
it reads like the definition. The fast version (conv_forward_fast, ...) computes the
same numbers with one matrix multiply per layer, which is what a network is trained with.

Gradients: a backward step receives dZ, the gradient of the cost that is minimised
(already averaged over the examples), so the weight gradients sum over the examples
and no layer divides by m.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def zero_pad(X, pad):
    """Pad the height and width of every image with pad zeros on each side.

    X: (m, n_H, n_W, n_C) a batch of images or activations
    pad: the number of zeros added above, below, left and right
    Returns X_pad: (m, n_H + 2 pad, n_W + 2 pad, n_C); the examples and channels are
    not padded.
    """
    ### BEGIN SOLUTION
    X_pad = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant",
                   constant_values=0)
    ### END SOLUTION
    return X_pad


def conv_output_size(n, f, pad, stride):
    """The height (or width) of a convolution's or pooling's output.

    n: the input's height (or width); f: the filter's; pad: zeros on each side; stride: s
    Returns floor((n + 2 pad - f) / s) + 1, an int: the number of places the filter fits.
    """
    ### BEGIN SOLUTION
    n_out = (n + 2 * pad - f) // stride + 1
    ### END SOLUTION
    return int(n_out)


def conv_single_step(a_slice_prev, W, b):
    """One filter applied at one position: sum(a_slice_prev * W) + b.

    a_slice_prev: (f, f, n_C_prev) the window of the input under the filter
    W: (f, f, n_C_prev) one filter; b: (1, 1, 1) its bias
    Returns Z, a float.
    """
    ### BEGIN SOLUTION
    Z = float(np.sum(a_slice_prev * W) + b.item())
    ### END SOLUTION
    return Z


def conv_forward(A_prev, W, b, hparameters):
    """A convolution layer, one window at a time (naive loops).

    A_prev: (m, n_H_prev, n_W_prev, n_C_prev) the previous layer's activations
    W: (f, f, n_C_prev, n_C) the filters; b: (1, 1, 1, n_C) their biases
    hparameters: {"stride": s, "pad": p}
    Returns Z: (m, n_H, n_W, n_C) with n_H = floor((n_H_prev + 2p - f) / s) + 1 (the same
    for n_W), and cache = (A_prev, W, b, hparameters) for conv_backward.
    """
    ### BEGIN SOLUTION
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = conv_output_size(n_H_prev, f, pad, stride)
    n_W = conv_output_size(n_W_prev, f, pad, stride)
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            vert_start = h * stride
            for w in range(n_W):
                horiz_start = w * stride
                a_slice_prev = a_prev_pad[vert_start:vert_start + f,
                                          horiz_start:horiz_start + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice_prev, W[:, :, :, c],
                                                     b[:, :, :, c])
    ### END SOLUTION
    return Z, (A_prev, W, b, hparameters)


def conv_backward(dZ, cache):
    """Backward pass of conv_forward, one window at a time (naive loops).

    dZ: (m, n_H, n_W, n_C) the gradient of the cost with respect to the output Z
    cache: (A_prev, W, b, hparameters) from conv_forward
    Returns dA_prev: (m, n_H_prev, n_W_prev, n_C_prev), dW: (f, f, n_C_prev, n_C) and
    db: (1, 1, 1, n_C), the gradients with respect to A_prev, W and b.
    """
    ### BEGIN SOLUTION
    A_prev, W, _, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros_like(A_prev_pad, dtype=float)
    dW = np.zeros(W.shape)
    for i in range(m):
        for h in range(n_H):
            vert = slice(h * stride, h * stride + f)
            for w in range(n_W):
                horiz = slice(w * stride, w * stride + f)
                for c in range(n_C):
                    # Each input of the window contributed W * a to this Z entry, so it
                    # receives W * dZ, and the filter receives a * dZ.
                    dA_prev_pad[i, vert, horiz, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[i, vert, horiz, :] * dZ[i, h, w, c]
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    # Padding zeros are not inputs of the layer: their gradient is dropped.
    dA_prev = dA_prev_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :]
    ### END SOLUTION
    return dA_prev, dW, db


def pool_forward(A_prev, hparameters, mode="max"):
    """A pooling layer, one window at a time (naive loops); no padding, no parameters.

    A_prev: (m, n_H_prev, n_W_prev, n_C) the previous layer's activations
    hparameters: {"f": window size, "stride": s}
    mode: "max" or "average"
    Returns A: (m, n_H, n_W, n_C) with n_H = floor((n_H_prev - f) / s) + 1 (the same for
    n_W), each channel pooled on its own, and cache = (A_prev, hparameters).
    """
    ### BEGIN SOLUTION
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = conv_output_size(n_H_prev, f, 0, stride)
    n_W = conv_output_size(n_W_prev, f, 0, stride)
    reduce = {"max": np.max, "average": np.mean}[mode]
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            vert = slice(h * stride, h * stride + f)
            for w in range(n_W):
                horiz = slice(w * stride, w * stride + f)
                for c in range(n_C):
                    A[i, h, w, c] = reduce(A_prev[i, vert, horiz, c])
    ### END SOLUTION
    return A, (A_prev, hparameters)


def create_mask_from_window(x):
    """Where the maximum of a window is: the entries that max pooling passed on.

    x: (f, f) one window of one channel
    Returns mask: (f, f) of booleans, True where x equals its maximum.
    """
    ### BEGIN SOLUTION
    mask = x == np.max(x)
    ### END SOLUTION
    return mask


def distribute_value(dz, shape):
    """Spread a gradient evenly over a window, the backward of averaging it.

    dz: a float, the gradient of one output of average pooling
    shape: (n_H, n_W) the window's shape
    Returns a: (n_H, n_W), every entry dz / (n_H n_W).
    """
    ### BEGIN SOLUTION
    n_H, n_W = shape
    a = np.full((n_H, n_W), dz / (n_H * n_W))
    ### END SOLUTION
    return a


def pool_backward(dA, cache, mode="max"):
    """Backward pass of pool_forward, one window at a time (naive loops).

    dA: (m, n_H, n_W, n_C) the gradient of the cost with respect to the pooled output
    cache: (A_prev, hparameters) from pool_forward; mode: "max" or "average"
    Returns dA_prev: (m, n_H_prev, n_W_prev, n_C). Max pooling routes each gradient to
    the maximum of its window (create_mask_from_window), average pooling spreads it
    (distribute_value); windows that overlap add up.
    """
    ### BEGIN SOLUTION
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            vert = slice(h * stride, h * stride + f)
            for w in range(n_W):
                horiz = slice(w * stride, w * stride + f)
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, vert, horiz, c])
                        dA_prev[i, vert, horiz, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, vert, horiz, c] += distribute_value(dA[i, h, w, c], (f, f))
    ### END SOLUTION
    return dA_prev


def _windows(A_pad, f, stride, n_H, n_W):
    """Every f x f window of A_pad at the given stride, without copying.

    A_pad: (m, n_H_pad, n_W_pad, n_C)
    Returns a view (m, n_H, n_W, f, f, n_C): [i, h, w] is the window under output (h, w).
    """
    view = sliding_window_view(A_pad, (f, f), axis=(1, 2))  # (m, H - f + 1, W - f + 1, n_C, f, f)
    view = view[:, :n_H * stride:stride, :n_W * stride:stride]
    return view.transpose(0, 1, 2, 4, 5, 3)  # (m, n_H, n_W, f, f, n_C)


def conv_forward_fast(A_prev, W, b, hparameters):
    """conv_forward with one matrix multiply: im2col.

    Every window of the padded input is laid out as one row of a matrix, so that all
    m n_H n_W windows meet all n_C filters in one product:
    (m n_H n_W, f f n_C_prev) @ (f f n_C_prev, n_C).

    A_prev: (m, n_H_prev, n_W_prev, n_C_prev); W: (f, f, n_C_prev, n_C); b: (1, 1, 1, n_C)
    hparameters: {"stride": s, "pad": p}
    Returns Z: (m, n_H, n_W, n_C), equal to conv_forward's, and cache =
    (A_prev, W, b, hparameters, columns) for conv_backward_fast, columns the
    (m n_H n_W, f f n_C_prev) matrix of windows.
    """
    ### BEGIN SOLUTION
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = conv_output_size(n_H_prev, f, pad, stride)
    n_W = conv_output_size(n_W_prev, f, pad, stride)
    # A view of every f x f window, no copy: (m, H_pad - f + 1, W_pad - f + 1, n_C_prev, f, f)
    windows = sliding_window_view(zero_pad(A_prev, pad), (f, f), axis=(1, 2))
    windows = windows[:, :n_H * stride:stride, :n_W * stride:stride]  # the strided positions
    windows = windows.transpose(0, 1, 2, 4, 5, 3)  # (m, n_H, n_W, f, f, n_C_prev), W's order
    columns = windows.reshape(m * n_H * n_W, f * f * n_C_prev)  # the one copy: im2col
    Z = columns @ W.reshape(f * f * n_C_prev, n_C) + b.reshape(1, n_C)
    Z = Z.reshape(m, n_H, n_W, n_C)
    ### END SOLUTION
    return Z, (A_prev, W, b, hparameters, columns)


def conv_backward_fast(dZ, cache):
    """conv_backward with matrix multiplies.

    dZ: (m, n_H, n_W, n_C); cache from conv_forward_fast
    Returns dA_prev: (m, n_H_prev, n_W_prev, n_C_prev), dW: (f, f, n_C_prev, n_C),
    db: (1, 1, 1, n_C), equal to conv_backward's.
    """
    ### BEGIN SOLUTION
    A_prev, W, _, hparameters, columns = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    m, n_H, n_W, _ = dZ.shape
    dZ_rows = dZ.reshape(m * n_H * n_W, n_C)
    dW = (columns.T @ dZ_rows).reshape(f, f, n_C_prev, n_C)
    db = dZ_rows.sum(axis=0).reshape(1, 1, 1, n_C)
    # Offset (i, j) of every window sits on a strided grid of the padded input, and the
    # block of d_columns that belongs to it is dZ_rows @ W[i, j].T. Computing each block
    # where it is added avoids storing d_columns and adding its strided slices, which
    # costs more than the products when n_C_prev is small.
    _, n_H_prev, n_W_prev, _ = A_prev.shape
    dA_prev_pad = np.zeros((m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev))
    for i in range(f):
        for j in range(f):
            d_offset = (dZ_rows @ W[i, j].T).reshape(m, n_H, n_W, n_C_prev)
            dA_prev_pad[:, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] += d_offset
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    ### END SOLUTION
    return dA_prev, dW, db


def pool_forward_fast(A_prev, hparameters, mode="max"):
    """pool_forward over all windows at once (strided views, no loops over positions).

    A_prev: (m, n_H_prev, n_W_prev, n_C); hparameters {"f", "stride"}; mode "max" or "average"
    Returns A: (m, n_H, n_W, n_C), equal to pool_forward's, and cache = (A_prev, A,
    hparameters, mode) for pool_backward_fast.
    """
    f, stride = hparameters["f"], hparameters["stride"]
    _, n_H_prev, n_W_prev, _ = A_prev.shape
    n_H = conv_output_size(n_H_prev, f, 0, stride)
    n_W = conv_output_size(n_W_prev, f, 0, stride)
    windows = _windows(A_prev, f, stride, n_H, n_W)  # (m, n_H, n_W, f, f, n_C)
    A = windows.max(axis=(3, 4)) if mode == "max" else windows.mean(axis=(3, 4))
    return A, (A_prev, A, hparameters, mode)


def pool_backward_fast(dA, cache):
    """Backward pass of pool_forward_fast, equal to pool_backward's.

    dA: (m, n_H, n_W, n_C); cache from pool_forward_fast
    Returns dA_prev: (m, n_H_prev, n_W_prev, n_C).
    """
    A_prev, A, hparameters, mode = cache
    f, stride = hparameters["f"], hparameters["stride"]
    _, n_H, n_W, _ = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(f):
        for j in range(f):
            grid = (slice(None), slice(i, i + stride * n_H, stride),
                    slice(j, j + stride * n_W, stride))
            if mode == "max":
                # The same rule as create_mask_from_window: every entry equal to its
                # window's maximum receives the window's gradient.
                dA_prev[grid] += (A_prev[grid] == A) * dA
            else:
                dA_prev[grid] += dA / (f * f)
    return dA_prev


def layer_table(input_shape, layers):
    """Shape, size and number of parameters after each layer: the notes' LeNet-5 table.

    input_shape: (n_H, n_W, n_C) of one example
    layers: [(kind, options), ...] as in dlcourse.cnn: "conv" {"f", "n_C", "stride" (1),
        "pad" (0)}, "pool" {"f", "stride" (f)}, "relu" {}, "flatten" {} and "dense" {"n"}
        (a dense layer reads its input flattened)
    Returns one row per layer, (shape, size, parameters): shape the tuple of one
    example's activations, size the number of activations (the product of shape),
    parameters the number of weights and biases the layer learns: (f f n_C_prev + 1) n_C
    for a convolution, (n_prev + 1) n for a dense layer, 0 for the others. All ints.
    """
    ### BEGIN SOLUTION
    rows, shape = [], tuple(int(n) for n in input_shape)
    for kind, options in layers:
        parameters = 0
        if kind == "conv":
            n_H_prev, n_W_prev, n_C_prev = shape
            f, n_C = options["f"], options["n_C"]
            stride, pad = options.get("stride", 1), options.get("pad", 0)
            shape = (conv_output_size(n_H_prev, f, pad, stride),
                     conv_output_size(n_W_prev, f, pad, stride), n_C)
            parameters = (f * f * n_C_prev + 1) * n_C  # each filter: f f n_C_prev weights, 1 bias
        elif kind == "pool":
            n_H_prev, n_W_prev, n_C = shape
            f = options["f"]
            stride = options.get("stride", f)
            shape = (conv_output_size(n_H_prev, f, 0, stride),
                     conv_output_size(n_W_prev, f, 0, stride), n_C)
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "dense":
            n_prev, n = int(np.prod(shape)), options["n"]
            parameters = (n_prev + 1) * n  # W (n, n_prev) and b (n, 1)
            shape = (n,)
        rows.append((shape, int(np.prod(shape)), int(parameters)))
    ### END SOLUTION
    return rows
