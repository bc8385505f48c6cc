"""Hidden tests of c4w3a1 (localization and detection with YOLO).

Inputs are small (grids of 2-4 cells, at most a dozen boxes) so that each
function checks in milliseconds. Boxes are drawn in clusters so that overlaps,
suppression and matches actually happen.
"""

import numpy as np

from grader.grading.spec import Spec


def _int(rng, low, high):
    return int(rng.integers(low, high))


def _boxes(rng, n, centres=None):
    """n corner boxes (n, 4) inside the unit square, around the given centres if any."""
    if centres is None:
        centres = rng.uniform(0.2, 0.8, size=(n, 2))
    centres = centres + rng.normal(0, 0.04, size=(n, 2))
    sizes = rng.uniform(0.1, 0.5, size=(n, 2))
    return np.concatenate([centres - sizes / 2, centres + sizes / 2], axis=1)


def _clustered_boxes(rng, n):
    """n boxes around two or three centres, so that many of them overlap."""
    hubs = rng.uniform(0.25, 0.75, size=(_int(rng, 2, 4), 2))
    return _boxes(rng, n, hubs[rng.integers(len(hubs), size=n)])


def _localization_loss(rng):
    """y_hat and y (5 + C, m); don't-care entries of y hold large numbers."""
    C, m = _int(rng, 1, 5), _int(rng, 2, 7)
    y = rng.normal(0, 5, size=(5 + C, m))
    y[0] = rng.integers(0, 2, size=m)
    y[0, 0], y[0, 1] = 0, 1  # one example of each kind
    return rng.normal(size=(5 + C, m)), y


def _iou(rng):
    """Two sets of n boxes, or one box against n boxes (broadcasting)."""
    n = _int(rng, 2, 7)
    box2 = _clustered_boxes(rng, n)
    box1 = _clustered_boxes(rng, n) if rng.random() < 0.5 else _clustered_boxes(rng, 1)[0]
    return box1, box2


def _disjoint_iou(rng):
    """Edge case: boxes that do not touch, touch along an edge, or coincide."""
    box = _boxes(rng, 1)[0]
    width = box[2] - box[0]
    return box, np.stack([box + [width + 0.1, 0, width + 0.1, 0], box + [width, 0, width, 0],
                          box])


def _grid(rng):
    S, B, C = _int(rng, 2, 5), _int(rng, 1, 4), _int(rng, 2, 5)
    return S, B, C


def _yolo_filter_boxes(rng):
    S, B, C = _grid(rng)
    confidence = rng.uniform(size=(S, S, B, 1))
    logits = rng.normal(0, 2, size=(S, S, B, C))
    probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    return (confidence, rng.normal(size=(S, S, B, 4)), probs,
            float(rng.uniform(0.15, 0.45)))


def _non_max_suppression(rng):
    k = _int(rng, 6, 13)
    return (_clustered_boxes(rng, k), rng.uniform(size=k), rng.integers(0, 3, size=k),
            _int(rng, 3, 9), float(rng.uniform(0.2, 0.6)))


def _anchors(rng, B):
    return rng.uniform(0.5, 2.5, size=(B, 2))


def _yolo_eval(rng):
    S, B, C = _grid(rng)
    T = rng.normal(0, 1.5, size=(S, S, B, 5 + C))
    T[..., 0] += 1.0  # most slots confident enough to pass the filter
    return T, _anchors(rng, B), 0.2, float(rng.uniform(0.2, 0.6)), _int(rng, 3, 9)


def _assign_targets(rng):
    S, B, C = _grid(rng)
    n = _int(rng, 1, 5)
    return (np.clip(_boxes(rng, n), 0, 1), rng.integers(0, C, size=n), _anchors(rng, B),
            S, C)


def _loss_inputs(rng):
    """T and Y (m, S, S, B, 5 + C), anchors (B, 2), lambda_coord and lambda_noobj."""
    m, S, B, C = _int(rng, 1, 4), _int(rng, 2, 4), _int(rng, 1, 3), _int(rng, 2, 4)
    Y = np.zeros((m, S, S, B, 5 + C))
    obj = rng.random(size=(m, S, S, B)) < 0.4
    Y[..., 0] = obj
    Y[..., 1:3] = np.where(obj[..., None], rng.uniform(size=(m, S, S, B, 2)), 0)
    Y[..., 3:5] = np.where(obj[..., None], rng.uniform(0.3, 3, size=(m, S, S, B, 2)), 0)
    Y[..., 5:] = obj[..., None] * np.eye(C)[rng.integers(0, C, size=(m, S, S, B))]
    T = rng.normal(size=Y.shape)
    return T, Y, _anchors(rng, B), float(rng.uniform(1, 6)), float(rng.uniform(0.2, 1))


def _mean_average_precision(rng):
    """Three or four images; detections are shifted true boxes (some mislabelled)
    and strays, with random scores."""
    C, n_images = _int(rng, 2, 4), _int(rng, 3, 5)
    n = _int(rng, C + 1, 9)
    gt_images = rng.integers(0, n_images, size=n)
    gt_classes = np.concatenate([np.arange(C), rng.integers(0, C, size=n - C)])  # all present
    gt_boxes = _boxes(rng, n)
    hits = rng.integers(0, n, size=_int(rng, n, 2 * n))
    strays = _int(rng, 1, 4)
    det_images = np.concatenate([gt_images[hits], rng.integers(0, n_images, size=strays)])
    det_classes = np.concatenate([np.where(rng.random(len(hits)) < 0.85, gt_classes[hits],
                                           rng.integers(0, C, size=len(hits))),
                                  rng.integers(0, C, size=strays)])
    det_boxes = np.concatenate([gt_boxes[hits] + rng.normal(0, 0.04, size=(len(hits), 4)),
                                _boxes(rng, strays)])
    det_scores = rng.uniform(size=len(det_images))
    return (det_images, det_boxes, det_scores, det_classes, gt_images, gt_boxes, gt_classes,
            C, float(rng.choice([0.5, 0.5, 0.3])))


SPECS = {
    "detection.localization_loss": Spec(_localization_loss),
    "detection.iou": Spec(_iou, edge_cases=(_disjoint_iou,)),
    "detection.yolo_filter_boxes": Spec(_yolo_filter_boxes),
    "detection.non_max_suppression": Spec(_non_max_suppression, uses=("detection.iou",)),
    "detection.yolo_eval": Spec(_yolo_eval, uses=("detection.yolo_filter_boxes",
                                                  "detection.non_max_suppression")),
    "detection.assign_targets": Spec(_assign_targets, uses=("detection.iou",)),
    "detection.yolo_loss": Spec(_loss_inputs),
    "detection.yolo_loss_backward": Spec(_loss_inputs),
    "detection.mean_average_precision": Spec(_mean_average_precision, uses=("detection.iou",)),
}
