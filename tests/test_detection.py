"""dlcourse.detection: IoU, box filtering, NMS, YOLO decoding, targets, loss and mAP.

NMS is compared with a brute-force reference (torchvision is not installed);
the YOLO loss and its gradient with PyTorch autograd in float64 and with
finite differences. The NumPy run of face-api's pretrained face detector is checked
piece by piece against PyTorch and on the photo it ships with.
"""

import itertools

import numpy as np
import pytest
import torch

from dlcourse import detection
from dlcourse.checks import numerical_gradient
from dlcourse.detection import (
    assign_targets,
    average_precision,
    iou,
    localization_loss,
    mean_average_precision,
    non_max_suppression,
    yolo_eval,
    yolo_filter_boxes,
    yolo_loss,
    yolo_loss_backward,
)


def _boxes(rng, n, spread=0.15):
    """n boxes (n, 4) clustered around two centres, so that many overlap."""
    hubs = rng.uniform(0.3, 0.7, size=(2, 2))
    centres = hubs[rng.integers(2, size=n)] + rng.normal(0, spread / 3, size=(n, 2))
    sizes = rng.uniform(0.1, 0.4, size=(n, 2))
    return np.concatenate([centres - sizes / 2, centres + sizes / 2], axis=1)


# iou

def test_iou_hand_worked():
    # Overlap 1 x 1 of two 2 x 2 squares: 1 / (4 + 4 - 1).
    assert iou(np.array([0, 0, 2, 2]), np.array([1, 1, 3, 3])) == pytest.approx(1 / 7)
    assert iou(np.array([0, 0, 1, 1]), np.array([2, 2, 3, 3])) == 0.0  # apart
    assert iou(np.array([0, 0, 1, 1]), np.array([1, 0, 2, 1])) == 0.0  # touching
    assert iou(np.array([0, 0, 4, 4]), np.array([1, 1, 2, 2])) == pytest.approx(1 / 16)


def test_iou_properties():
    rng = np.random.default_rng(0)
    a, b = _boxes(rng, 50), _boxes(rng, 50)
    values = iou(a, b)
    assert values.shape == (50,)
    assert np.all((values >= 0) & (values <= 1))
    np.testing.assert_allclose(values, iou(b, a), rtol=0, atol=1e-15)  # symmetric
    np.testing.assert_allclose(iou(a, a), 1.0, rtol=1e-12)  # a box with itself
    # Scale and translation invariant.
    moved = a * 3 + np.array([0.5, -1, 0.5, -1])
    np.testing.assert_allclose(iou(moved, b * 3 + np.array([0.5, -1, 0.5, -1])), values,
                               rtol=1e-10, atol=1e-12)
    # Broadcasting: one box against many, and all pairs.
    np.testing.assert_allclose(iou(a[0], b), [float(iou(a[0], box)) for box in b])
    assert iou(a[:, None], b[None]).shape == (50, 50)


def test_iou_zero_area_boxes_give_zero_not_nan():
    assert iou(np.array([1, 1, 1, 1]), np.array([1, 1, 1, 1])) == 0.0


# localization_loss

def test_localization_loss_ignores_dont_care_entries():
    y_hat = np.array([[0.8, 0.3], [0.5, 9.0], [0.5, 9.0], [0.2, 9.0], [0.2, 9.0],
                      [0.9, 9.0], [0.1, 9.0]])
    y = np.array([[1.0, 0.0], [0.4, np.nan], [0.5, np.nan], [0.3, np.nan], [0.2, np.nan],
                  [1.0, np.nan], [0.0, np.nan]])
    # Example 1: 0.2^2 + 0.1^2 + 0 + 0.1^2 + 0 + 0.1^2 + 0.1^2; example 2: 0.3^2 alone.
    expected = ((0.04 + 0.01 + 0.01 + 0.01 + 0.01) + 0.09) / 2
    assert localization_loss(y_hat, y) == pytest.approx(expected)


# yolo_filter_boxes

def test_yolo_filter_boxes_keeps_slots_at_or_above_threshold_in_row_major_order():
    rng = np.random.default_rng(1)
    confidence = rng.uniform(size=(3, 3, 2, 1))
    probs = rng.dirichlet(np.ones(4), size=(3, 3, 2))
    boxes = rng.normal(size=(3, 3, 2, 4))
    scores, kept, classes = yolo_filter_boxes(confidence, boxes, probs, 0.3)
    expected = [(float((confidence[i, j, a] * probs[i, j, a]).max()), boxes[i, j, a],
                 int(np.argmax(confidence[i, j, a] * probs[i, j, a])))
                for i, j, a in itertools.product(range(3), range(3), range(2))
                if (confidence[i, j, a] * probs[i, j, a]).max() >= 0.3]
    assert len(scores) == len(expected) > 0
    np.testing.assert_allclose(scores, [e[0] for e in expected])
    np.testing.assert_allclose(kept, np.array([e[1] for e in expected]))
    assert classes.dtype == np.int64 and list(classes) == [e[2] for e in expected]


# non_max_suppression

def _nms_brute_force(boxes, scores, classes, max_boxes, iou_threshold):
    """Per class: sort, keep the first, drop all it overlaps, repeat; then merge by score."""
    kept = []
    for c in np.unique(classes):
        left = sorted(np.flatnonzero(classes == c), key=lambda i: (-scores[i], i))
        while left:
            best = left.pop(0)
            kept.append(best)
            x1, y1, x2, y2 = boxes[best]
            survivors = []
            for i in left:
                a1, b1, a2, b2 = boxes[i]
                w = max(0.0, min(x2, a2) - max(x1, a1))
                h = max(0.0, min(y2, b2) - max(y1, b1))
                inter = w * h
                union = (x2 - x1) * (y2 - y1) + (a2 - a1) * (b2 - b1) - inter
                if inter / union <= iou_threshold:
                    survivors.append(i)
            left = survivors
    return sorted(kept, key=lambda i: (-scores[i], i))[:max_boxes]


@pytest.mark.parametrize("seed", range(20))
def test_non_max_suppression_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 30))
    boxes, scores = _boxes(rng, k), rng.uniform(size=k)
    classes = rng.integers(0, 3, size=k)
    max_boxes, threshold = int(rng.integers(1, 12)), float(rng.uniform(0.1, 0.7))
    got = non_max_suppression(boxes, scores, classes, max_boxes, threshold)
    assert got.dtype == np.int64
    assert list(got) == _nms_brute_force(boxes, scores, classes, max_boxes, threshold)


def test_non_max_suppression_properties():
    rng = np.random.default_rng(3)
    boxes, scores, classes = _boxes(rng, 40), rng.uniform(size=40), rng.integers(0, 2, size=40)
    keep = non_max_suppression(boxes, scores, classes, 100, 0.4)
    assert np.all(np.diff(scores[keep]) <= 0)  # best first
    assert keep[0] == np.argmax(scores)  # the best box always survives
    for i, j in itertools.combinations(keep, 2):  # no two kept boxes of a class overlap much
        assert classes[i] != classes[j] or iou(boxes[i], boxes[j]) <= 0.4
    # Other classes never suppress: a copy of every box under class 2 is all kept.
    both = non_max_suppression(np.concatenate([boxes, boxes]), np.concatenate([scores, scores]),
                               np.concatenate([classes, np.full(40, 2)]), 100, 0.4)
    assert len(both) == len(keep) + len(non_max_suppression(boxes, scores, np.zeros(40), 100,
                                                            0.4))
    assert len(non_max_suppression(boxes[:0], scores[:0], classes[:0])) == 0


# yolo_eval

def test_yolo_eval_decodes_a_single_confident_slot():
    S, B, C = 4, 2, 3
    anchors = np.array([[1.0, 2.0], [2.0, 1.0]])
    T = np.full((S, S, B, 5 + C), -10.0)  # nothing anywhere ...
    T[..., 1:5] = 0.0
    T[2, 1, 1, :5] = [10.0, 0.0, 0.0, np.log(1.5), 0.0]  # ... but here: row 2, column 1
    T[2, 1, 1, 5:] = [0.0, 5.0, 0.0]
    scores, boxes, classes = yolo_eval(T, anchors, score_threshold=0.5)
    # Centre (1 + 0.5, 2 + 0.5) / 4, height 2 * 1.5 / 4 = 0.75, width 1 / 4.
    np.testing.assert_allclose(boxes, [[0.375 - 0.125, 0.625 - 0.375, 0.375 + 0.125,
                                        0.625 + 0.375]])
    assert list(classes) == [1]
    p = 1 / (1 + np.exp(-10.0)) * np.exp(5) / (np.exp(5) + 2)
    np.testing.assert_allclose(scores, [p])


def test_yolo_eval_of_the_target_of_assign_targets_finds_the_boxes():
    """Raw outputs that encode a target exactly decode back to its boxes."""
    rng = np.random.default_rng(4)
    S, C = 4, 3
    anchors = np.array([[1.0, 1.0], [2.0, 1.5]])
    centres = (np.array([[0, 0], [1, 3], [3, 2]]) + rng.uniform(0.1, 0.9, size=(3, 2))) / S
    sizes = rng.uniform(0.1, 0.5, size=(3, 2))
    boxes = np.concatenate([centres - sizes / 2, centres + sizes / 2], axis=1)
    classes = np.array([2, 0, 1])
    Y = assign_targets(boxes, classes, anchors, S, C)
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    T = np.full(Y.shape, -20.0)
    obj = Y[..., 0] == 1
    T[obj, 0] = 20.0
    T[obj, 1], T[obj, 2] = logit(Y[obj, 1]), logit(Y[obj, 2])
    a = np.nonzero(obj)[2]
    T[obj, 3] = np.log(Y[obj, 3] / anchors[a, 0])
    T[obj, 4] = np.log(Y[obj, 4] / anchors[a, 1])
    T[obj, 5:] = 20.0 * Y[obj, 5:]
    scores, found, found_classes = yolo_eval(T, anchors, 0.5, 0.5, 10)
    order = np.argsort(found[:, 0])
    np.testing.assert_allclose(found[order], boxes[np.argsort(boxes[:, 0])], atol=1e-10)
    assert list(found_classes[order]) == list(classes[np.argsort(boxes[:, 0])])


# assign_targets

def test_assign_targets_cell_anchor_and_values():
    anchors = np.array([[1.0, 3.0], [3.0, 1.0]])  # (p_h, p_w): wide, tall
    boxes = np.array([[0.30, 0.05, 0.40, 0.40],  # tall, centre (0.35, 0.225)
                      [0.55, 0.70, 0.95, 0.80]])  # wide, centre (0.75, 0.75)
    Y = assign_targets(boxes, np.array([1, 0]), anchors, 4, 2)
    assert Y.shape == (4, 4, 2, 7) and Y[..., 0].sum() == 2
    np.testing.assert_allclose(Y[0, 1, 1], [1, 0.4, 0.9, 1.4, 0.4, 0, 1])
    np.testing.assert_allclose(Y[3, 3, 0], [1, 0.0, 0.0, 0.4, 1.6, 1, 0], atol=1e-12)


def test_assign_targets_centre_on_the_last_edge_stays_in_the_grid():
    Y = assign_targets(np.array([[0.8, 0.8, 1.2, 1.2]]), np.array([0]), np.ones((1, 2)), 3, 1)
    assert Y[2, 2, 0, 0] == 1


# yolo_loss and its gradient

def _loss_case(seed, m=3, S=3, B=2, C=3):
    rng = np.random.default_rng(seed)
    anchors = rng.uniform(0.5, 2.5, size=(B, 2))
    Y = np.stack([assign_targets(np.clip(_boxes(rng, 4), 0, 1), rng.integers(0, C, size=4),
                                 anchors, S, C) for _ in range(m)])
    return rng.normal(size=Y.shape), Y, anchors


def _torch_yolo_loss(T, Y, anchors, lambda_coord, lambda_noobj):
    """The cost of yolo_loss written independently with torch operations."""
    Y, anchors = torch.tensor(Y), torch.tensor(anchors)
    obj = Y[..., 0]
    bce = torch.nn.functional.binary_cross_entropy_with_logits(T[..., 0], obj,
                                                               reduction="none")
    size_h = torch.where(obj == 1, Y[..., 3], anchors[:, 0])
    size_w = torch.where(obj == 1, Y[..., 4], anchors[:, 1])
    coords = ((torch.sigmoid(T[..., 1]) - Y[..., 1]) ** 2
              + (torch.sigmoid(T[..., 2]) - Y[..., 2]) ** 2
              + (T[..., 3] - torch.log(size_h / anchors[:, 0])) ** 2
              + (T[..., 4] - torch.log(size_w / anchors[:, 1])) ** 2)
    ce = -(Y[..., 5:] * torch.log_softmax(T[..., 5:], dim=-1)).sum(-1)
    total = (lambda_coord * (obj * coords).sum() + ((obj + lambda_noobj * (1 - obj)) * bce).sum()
             + (obj * ce).sum())
    return total / T.shape[0]


@pytest.mark.parametrize("seed", range(4))
def test_yolo_loss_and_gradient_match_torch_autograd(seed):
    T, Y, anchors = _loss_case(seed)
    Tt = torch.tensor(T, requires_grad=True)
    expected = _torch_yolo_loss(Tt, Y, anchors, 4.0, 0.3)
    expected.backward()
    assert yolo_loss(T, Y, anchors, 4.0, 0.3) == pytest.approx(expected.item(), rel=1e-10)
    np.testing.assert_allclose(yolo_loss_backward(T, Y, anchors, 4.0, 0.3), Tt.grad.numpy(),
                               rtol=1e-10, atol=1e-13)


def test_yolo_loss_gradient_matches_finite_differences():
    T, Y, anchors = _loss_case(7, m=2, S=2)
    numeric = numerical_gradient(lambda: yolo_loss(T, Y, anchors), T)
    analytic = yolo_loss_backward(T, Y, anchors)
    error = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) +
                                                 np.linalg.norm(numeric))
    assert error < 1e-7


def test_yolo_loss_is_small_for_outputs_that_encode_the_target():
    T, Y, anchors = _loss_case(8)
    worse = yolo_loss(T, Y, anchors)
    T = np.where(Y[..., :1] == 1, 0.0, -30.0) * np.ones_like(T)
    T[..., 0] = np.where(Y[..., 0] == 1, 30.0, -30.0)
    assert yolo_loss(T, Y, anchors) < worse


# mean_average_precision

def test_average_precision_hand_worked():
    # TP, FP, TP over 2 objects: recall .5 .5 1, precision 1 .5 .667 -> .5 * 1 + .5 * 2/3.
    assert average_precision(np.array([0.5, 0.5, 1.0]), np.array([1.0, 0.5, 2 / 3])) == \
        pytest.approx(0.5 + 1 / 3)


def test_mean_average_precision_hand_worked():
    gt_boxes = np.array([[0, 0, 1, 1], [2, 2, 3, 3], [0, 0, 1, 1]], dtype=float)
    gt_images, gt_classes = np.array([0, 0, 1]), np.array([0, 0, 1])
    det_boxes = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [0, 0, 1, 1],
                          [5, 5, 6, 6]], dtype=float)
    det_images = np.array([0, 0, 0, 0, 1])
    det_scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    det_classes = np.array([0, 0, 0, 1, 1])
    # Class 0: TP, FP (duplicate), TP: AP = 0.5 * 1 + 0.5 * 2/3. Class 1: a detection in
    # the wrong image, then one in a place with nothing: AP = 0.
    mAP, ap = mean_average_precision(det_images, det_boxes, det_scores, det_classes,
                                     gt_images, gt_boxes, gt_classes, 3)
    np.testing.assert_allclose(ap[:2], [0.5 + 1 / 3, 0.0])
    assert np.isnan(ap[2])  # no true object of class 2: left out of the mean
    assert mAP == pytest.approx((0.5 + 1 / 3) / 2)


def test_perfect_detections_score_one_and_none_score_zero():
    rng = np.random.default_rng(5)
    boxes = _boxes(rng, 12)
    images, classes = rng.integers(0, 4, size=12), np.arange(12) % 3
    mAP, _ = mean_average_precision(images, boxes, rng.uniform(size=12), classes, images, boxes,
                                    classes, 3)
    assert mAP == 1.0
    empty = np.zeros(0, dtype=int)
    mAP, ap = mean_average_precision(empty, np.zeros((0, 4)), np.zeros(0), empty, images, boxes,
                                     classes, 3)
    assert mAP == 0.0 and np.all(ap == 0)


# --- face-api's pretrained Tiny-YOLO face detector (ungraded, run in NumPy) ----------------

def test_separable_conv_matches_torch_grouped_and_pointwise_convolutions():
    """Is the depthwise step a per-channel 3 x 3 convolution (torch groups = n_C), pad 1?"""
    rng = np.random.default_rng(0)
    A = rng.normal(size=(2, 7, 6, 4))
    depthwise, pointwise, bias = (rng.normal(size=(3, 3, 4, 1)), rng.normal(size=(1, 1, 4, 5)),
                                  rng.normal(size=5))
    got = detection._separable_conv(A, depthwise, pointwise, bias)
    x = torch.tensor(A).permute(0, 3, 1, 2)  # (m, n_C, n_H, n_W)
    z = torch.nn.functional.conv2d(x, torch.tensor(depthwise).permute(2, 3, 0, 1), padding=1,
                                   groups=4)
    z = torch.nn.functional.conv2d(z, torch.tensor(pointwise).permute(3, 2, 0, 1),
                                   torch.tensor(bias))
    np.testing.assert_allclose(got, z.permute(0, 2, 3, 1).numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n, stride", [(7, 2), (6, 2), (5, 1)])
def test_max_pool_same_pads_bottom_right_with_minus_infinity(n, stride):
    """TensorFlow's "same" 2 x 2 pooling: ceil(n / stride) outputs, windows cut at the edge."""
    rng = np.random.default_rng(n)
    A = rng.normal(size=(1, n, n, 3)) - 10  # all negative: a zero pad would show
    got = detection._max_pool_same(A, stride)
    out = -(-n // stride)
    assert got.shape == (1, out, out, 3), got.shape
    for i, j in itertools.product(range(out), repeat=2):
        window = A[0, i * stride:i * stride + 2, j * stride:j * stride + 2]
        np.testing.assert_array_equal(got[0, i, j], window.max(axis=(0, 1)))


def test_pretrained_face_detector_and_yolo_eval_find_the_astronauts_face():
    """The shipped weights, run by face_detector_output and decoded by yolo_eval: one face,
    over the face of the photo (hand-marked box, pixels: x 165-280, y 75-185)."""
    from dlcourse.data import load_face_detector

    detector = load_face_detector()
    T, anchors = detection.face_detector_output(detector["astronaut"], detector)
    assert T.shape == (13, 13, 5, 6) and anchors.shape == (5, 2)
    scores, boxes, classes = yolo_eval(T, anchors, score_threshold=0.5, iou_threshold=0.4)
    assert len(scores) == 1 and scores[0] > 0.9, scores
    assert iou(boxes[0] * 512, np.array([165.0, 75.0, 280.0, 185.0])) > 0.8, boxes * 512
