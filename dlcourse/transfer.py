"""Transfer learning and data augmentation (Course 4, week 2).

Two ways to get more out of a small labelled set:

- data augmentation: new training images from the ones we have, by changes that do not
  change the label (a mirror image, a slightly shifted crop, a shift of the colours);
- transfer learning: start from a network trained on a larger set for another task,
  give it a new output layer for the new classes, freeze the early layers (their
  features are kept) and train the rest on the small set.

Images are channels-last, X: (m, n_H, n_W, n_C); networks are dlcourse.cnn layer lists
whose parameters are keyed local name + layer position ("W1", "b1", "W10", ...).
"""

import re

import numpy as np

from .cnn import train_network
from .conv import zero_pad

# The LeNet-style network pretrained on photos6 (studies/c4w2a2_pretrain.py), for
# 32 x 32 x 3 inputs: conv 5x5 -> 32x32x8, pool -> 16x16x8, conv 5x5 -> 16x16x16,
# pool -> 8x8x16, flatten -> 1024, dense 64, dense 6 (one logit per photos6 class).
LENET_SPEC = [("conv", {"f": 5, "n_C": 8, "pad": 2}), ("relu", {}),
              ("pool", {"f": 2, "stride": 2}),
              ("conv", {"f": 5, "n_C": 16, "pad": 2}), ("relu", {}),
              ("pool", {"f": 2, "stride": 2}),
              ("flatten", {}), ("dense", {"n": 64}), ("relu", {}), ("dense", {"n": 6})]


def augment(X, pad=4, color_shift=0.1):
    """A randomly changed copy of every image: mirrored or not, shifted, colours moved.

    X: (m, n_H, n_W, n_C) images; pad: the largest shift in pixels; color_shift: the
    largest change added to a channel.
    Draws, in this order, from np.random (so that a seed fixes the result):
      flip = np.random.rand(m) < 0.5                                   # (m,)
      offsets = np.random.randint(0, 2 * pad + 1, size=(m, 2))         # (m, 2): top, left
      shift = np.random.uniform(-color_shift, color_shift, size=(m, 1, 1, n_C))
    Image i is mirrored left-right where flip[i], then zero-padded by pad on each side
    and cropped back to n_H x n_W from corner offsets[i], then shift[i] is added.
    Returns X_aug: (m, n_H, n_W, n_C).
    """
    ### BEGIN SOLUTION
    m, n_H, n_W, n_C = X.shape
    flip = np.random.rand(m) < 0.5
    offsets = np.random.randint(0, 2 * pad + 1, size=(m, 2))
    shift = np.random.uniform(-color_shift, color_shift, size=(m, 1, 1, n_C))
    X_flipped = np.where(flip[:, None, None, None], X[:, :, ::-1, :], X)
    X_pad = zero_pad(X_flipped, pad)  # (m, n_H + 2 pad, n_W + 2 pad, n_C)
    X_aug = np.empty(X.shape)
    for i, (top, left) in enumerate(offsets):
        X_aug[i] = X_pad[i, top:top + n_H, left:left + n_W]
    X_aug = X_aug + shift
    ### END SOLUTION
    return X_aug


def trainable_keys(parameters, frozen_layers):
    """The parameter keys that training may change: those not in a frozen layer.

    parameters: {"W1": ..., "b1": ..., "W4": ...}, keys = local name + layer position
    frozen_layers: the positions (1-based) of the layers to keep as they are
    Returns a list of keys, in the order of parameters.
    """
    ### BEGIN SOLUTION
    frozen = set(frozen_layers)
    keys = []
    for key in parameters:
        layer = int(re.fullmatch(r"[A-Za-z_]+(\d+)", key).group(1))
        if layer not in frozen:
            keys.append(key)
    ### END SOLUTION
    return keys


def replace_head(parameters, spec, num_classes):
    """A copy of the network with a new, freshly initialised last dense layer.

    parameters: the trained network's parameters; spec: its layers, the last one
    ("dense", {"n": C_old}) at position L = len(spec)
    num_classes: C_new, the number of classes of the new task
    The new layer's weights are He-initialised from np.random, biases zero:
      W{L} = np.random.randn(C_new, n_prev) * np.sqrt(2 / n_prev), b{L} = zeros (C_new, 1)
    with n_prev = the number of columns of the old W{L}. The input arrays are not changed.
    Returns (new_parameters, new_spec): the other layers' arrays are shared, not copied;
    new_spec ends with ("dense", {"n": C_new}).
    """
    ### BEGIN SOLUTION
    L = len(spec)
    n_prev = parameters[f"W{L}"].shape[1]
    new_parameters = dict(parameters)
    new_parameters[f"W{L}"] = np.random.randn(num_classes, n_prev) * np.sqrt(2 / n_prev)
    new_parameters[f"b{L}"] = np.zeros((num_classes, 1))
    new_spec = list(spec[:-1]) + [("dense", {"n": num_classes})]
    ### END SOLUTION
    return new_parameters, new_spec


def fine_tune(X, labels, parameters, spec, num_classes, frozen_layers, learning_rate=0.001,
              num_epochs=20, mini_batch_size=32, seed=0):
    """Adapt a trained network to a new task on a small set.

    X: (m, n_H, n_W, n_C) images of the new task; labels: (m,) ints in [0, num_classes)
    parameters, spec: the trained network; frozen_layers: layer positions kept as they are
    Gives the network a new head (replace_head), then trains only the keys of
    trainable_keys with dlcourse.cnn.train_network (Adam; learning_rate, num_epochs,
    mini_batch_size and seed passed on, progress=False).
    Returns (parameters, spec, costs): the fine-tuned network and the cost of each epoch.
    """
    ### BEGIN SOLUTION
    parameters, spec = replace_head(parameters, spec, num_classes)
    trainable = trainable_keys(parameters, frozen_layers)
    parameters, costs = train_network(X, labels, spec, parameters=parameters,
                                      num_classes=num_classes, learning_rate=learning_rate,
                                      num_epochs=num_epochs, mini_batch_size=mini_batch_size,
                                      seed=seed, trainable=trainable, progress=False)
    ### END SOLUTION
    return parameters, spec, costs


def downsample(X, factor=2):
    """Shrink images by averaging factor x factor blocks.

    X: (m, n_H, n_W, n_C), n_H and n_W multiples of factor
    Returns (m, n_H / factor, n_W / factor, n_C).
    """
    m, n_H, n_W, n_C = X.shape
    # (m, n_H / f, f, n_W / f, f, n_C), then the mean over each block
    return X.reshape(m, n_H // factor, factor, n_W // factor, factor, n_C).mean(axis=(2, 4))
