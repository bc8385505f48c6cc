"""dlcourse.transfer: data augmentation, frozen layers, a new head and fine-tuning."""

import numpy as np
import pytest

from dlcourse.cnn import accuracy, initialize_network, network_forward, train_network
from dlcourse.data import load_photos6, load_photos6_lenet
from dlcourse.transfer import (
    LENET_SPEC,
    augment,
    downsample,
    fine_tune,
    replace_head,
    trainable_keys,
)

SMALL_SPEC = [("conv", {"f": 3, "n_C": 3, "pad": 1}), ("relu", {}),
              ("pool", {"f": 2, "stride": 2}), ("flatten", {}), ("dense", {"n": 5}),
              ("relu", {}), ("dense", {"n": 3})]


def _small_problem(seed=0, m=12, num_classes=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, 6, 6, 2))
    labels = rng.integers(0, num_classes, size=m)
    return X, labels, initialize_network((6, 6, 2), SMALL_SPEC, seed=seed)


def _augment_by_hand(X, pad, color_shift, seed):
    """augment written independently: the same draws, one image and one pixel at a time."""
    np.random.seed(seed)
    m, n_H, n_W, n_C = X.shape
    flip = np.random.rand(m) < 0.5
    offsets = np.random.randint(0, 2 * pad + 1, size=(m, 2))
    shift = np.random.uniform(-color_shift, color_shift, size=(m, 1, 1, n_C))
    out = np.zeros_like(X)
    for i in range(m):
        top, left = offsets[i]
        for h in range(n_H):
            for w in range(n_W):
                # Position in the padded image, then in the (mirrored) original.
                row, col = top + h - pad, left + w - pad
                if 0 <= row < n_H and 0 <= col < n_W:
                    source_col = n_W - 1 - col if flip[i] else col
                    out[i, h, w] = X[i, row, source_col]
        out[i] += shift[i]
    return out


@pytest.mark.parametrize("pad, color_shift", [(0, 0.0), (1, 0.3), (3, 0.1), (5, 1.0)])
def test_augment_matches_a_pixel_by_pixel_version(pad, color_shift):
    """Does augment give what mirroring, padding, cropping and shifting pixel by pixel give?"""
    X = np.random.default_rng(pad).normal(size=(6, 5, 7, 3))
    np.random.seed(11)
    got = augment(X, pad, color_shift)
    expected = _augment_by_hand(X, pad, color_shift, 11)
    assert got.shape == X.shape, f"augment: expected shape {X.shape} for pad={pad}; got {got.shape}"
    assert np.allclose(got, expected, rtol=0, atol=1e-12), (
        f"augment(pad={pad}, color_shift={color_shift}): max difference "
        f"{np.abs(got - expected).max():.3g} from the pixel-by-pixel version")


def test_augment_is_seeded_and_leaves_X_alone():
    """Same seed, same images; another seed, other images; X itself unchanged?"""
    X = np.random.default_rng(1).normal(size=(8, 6, 6, 3))
    before = X.copy()
    np.random.seed(5)
    first = augment(X, 2, 0.2)
    np.random.seed(5)
    second = augment(X, 2, 0.2)
    np.random.seed(6)
    third = augment(X, 2, 0.2)
    assert np.array_equal(first, second), "augment: two runs after np.random.seed(5) differ"
    assert not np.array_equal(first, third), "augment: seeds 5 and 6 gave the same images"
    assert np.array_equal(X, before), "augment changed its input X in place"


def test_augment_without_crop_is_a_mirror_plus_a_colour_shift():
    """With pad = 0, is each image itself or its mirror, plus one shift in [-s, s] per channel?"""
    X = np.random.default_rng(2).normal(size=(40, 4, 4, 3))
    np.random.seed(0)
    got = augment(X, 0, 0.25)
    mirrored = 0
    for i in range(len(X)):
        for candidate, is_mirror in ((X[i], False), (X[i, :, ::-1], True)):
            delta = got[i] - candidate  # (4, 4, 3)
            if np.allclose(delta, delta[0, 0], atol=1e-12):
                assert np.all(np.abs(delta[0, 0]) <= 0.25), f"image {i}: shift {delta[0, 0]}"
                mirrored += is_mirror
                break
        else:
            raise AssertionError(f"augment(pad=0): image {i} is neither X[{i}] nor its mirror "
                                 "plus a constant per channel")
    assert 10 <= mirrored <= 30, f"expected about half of 40 images mirrored, got {mirrored}"


def test_trainable_keys():
    """The LeNet's keys without the frozen layers', in order; layer numbers above 9 too?"""
    parameters = initialize_network((32, 32, 3), LENET_SPEC)
    cases = [([1, 4], ["W8", "b8", "W10", "b10"]), ([], list(parameters)),
             ([10], ["W1", "b1", "W4", "b4", "W8", "b8"]), ([2, 3, 5], list(parameters)),
             (range(1, 11), [])]
    for frozen, expected in cases:
        got = trainable_keys(parameters, frozen)
        assert got == expected, (
            f"trainable_keys(frozen={list(frozen)}): expected {expected}, got {got}")
    got = trainable_keys({"W1": 0, "b1": 0, "W11": 0, "W_s11": 0}, [1])
    assert got == ["W11", "W_s11"], f"frozen layer 1 must not freeze layer 11; got {got}"


def test_replace_head_shapes_scale_and_copy():
    """New last layer (C_new, n_prev) with He scale, zero bias; the old network untouched?"""
    parameters = initialize_network((32, 32, 3), LENET_SPEC)
    old_W10 = parameters["W10"].copy()
    np.random.seed(0)
    new, new_spec = replace_head(parameters, LENET_SPEC, 2)
    assert new["W10"].shape == (2, 64) and new["b10"].shape == (2, 1), (
        f"replace_head: expected W10 (2, 64), b10 (2, 1); "
        f"got {new['W10'].shape}, {new['b10'].shape}")
    assert not new["b10"].any(), "replace_head: the new bias must be zero"
    assert new_spec[-1] == ("dense", {"n": 2}) and new_spec[:-1] == LENET_SPEC[:-1], new_spec
    assert LENET_SPEC[-1] == ("dense", {"n": 6}), "replace_head changed LENET_SPEC"
    assert np.array_equal(parameters["W10"], old_W10), "replace_head changed the old W10"
    assert new["W1"] is parameters["W1"], "the other layers' arrays should be shared, not copied"
    np.random.seed(1)
    big, _ = replace_head({"W2": np.zeros((6, 2000)), "b2": np.zeros((6, 1))},
                          [("flatten", {}), ("dense", {"n": 6})], 50)
    std = big["W2"].std()
    assert abs(std - np.sqrt(2 / 2000)) < 0.02 * np.sqrt(2 / 2000), (
        f"replace_head: He weights for n_prev = 2000 should have std {np.sqrt(2 / 2000):.4f}, "
        f"got {std:.4f}")


def test_fine_tune_freezes_and_equals_training_the_trainable_keys():
    """Frozen layers bit-identical, the others changed, and the same as train_network
    with the trainable keys on the replaced head?"""
    X, labels, parameters = _small_problem(num_classes=2)
    np.random.seed(4)
    tuned, spec, costs = fine_tune(X, labels, parameters, SMALL_SPEC, 2, [1],
                                   learning_rate=0.01, num_epochs=4, mini_batch_size=4, seed=3)
    assert np.array_equal(tuned["W1"], parameters["W1"]), "fine_tune changed frozen W1"
    assert np.array_equal(tuned["b1"], parameters["b1"]), "fine_tune changed frozen b1"
    assert np.abs(tuned["W5"] - parameters["W5"]).max() > 1e-4, "fine_tune did not train W5"
    assert tuned["W7"].shape == (2, 5) and spec[-1] == ("dense", {"n": 2}), spec
    assert len(costs) == 4, f"fine_tune: expected 4 epoch costs, got {len(costs)}"
    np.random.seed(4)
    head, head_spec = replace_head(parameters, SMALL_SPEC, 2)
    expected, expected_costs = train_network(
        X, labels, head_spec, parameters=head, num_classes=2, learning_rate=0.01, num_epochs=4,
        mini_batch_size=4, seed=3, trainable=["W5", "b5", "W7", "b7"], progress=False)
    for key in expected:
        assert np.allclose(tuned[key], expected[key], rtol=1e-12, atol=1e-14), key
    assert np.allclose(costs, expected_costs, rtol=1e-12), (costs, expected_costs)


def test_fine_tune_learns_a_separable_task():
    """Does fine-tuning the head fit a task whose classes differ in brightness?"""
    rng = np.random.default_rng(9)
    labels = np.tile([0, 1], 20)
    X = rng.normal(size=(40, 6, 6, 2)) + 2.0 * labels[:, None, None, None]
    parameters = initialize_network((6, 6, 2), SMALL_SPEC, seed=1)
    np.random.seed(0)
    tuned, spec, costs = fine_tune(X, labels, parameters, SMALL_SPEC, 2, [1],
                                   learning_rate=0.01, num_epochs=30, mini_batch_size=8)
    assert costs[-1] < 0.5 * costs[0], (
        f"cost should at least halve; got {costs[0]:.3f} -> {costs[-1]:.3f}")
    assert accuracy(X, labels, tuned, spec) >= 0.95, "expected the training set fitted"


def test_downsample_averages_blocks():
    """Is each output pixel the mean of its 2 x 2 block?"""
    X = np.arange(2 * 4 * 4 * 3, dtype=float).reshape(2, 4, 4, 3)
    got = downsample(X)
    assert got.shape == (2, 2, 2, 3), f"downsample: expected (2, 2, 2, 3), got {got.shape}"
    expected = X[:, 0:2, 2:4].mean(axis=(1, 2))  # the top-right block
    assert np.allclose(got[:, 0, 1], expected), f"top-right block: {got[:, 0, 1]} vs {expected}"


def test_pretrained_network_loads_and_knows_photos6():
    """Does the shipped network fit LENET_SPEC and classify its own training photos?"""
    parameters, mean, std, costs = load_photos6_lenet()
    expected = {k: v.shape for k, v in initialize_network((32, 32, 3), LENET_SPEC).items()}
    got = {k: v.shape for k, v in parameters.items()}
    assert got == expected, f"photos6_lenet.h5: expected parameter shapes {expected}, got {got}"
    assert mean.shape == (3,) and std.shape == (3,) and costs[-1] < costs[0]
    X_train, y_train, _, _, _ = load_photos6()
    X = (downsample(X_train[:120] / 255) - mean) / std
    logits, _ = network_forward(X, parameters, LENET_SPEC)
    assert logits.shape == (6, 120)
    acc = accuracy(X, y_train[:120], parameters, LENET_SPEC)
    assert acc > 0.95, f"the pretrained network should know its training photos; got {acc:.2f}"
