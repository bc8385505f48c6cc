"""Object localization and detection with YOLO (Course 4, week 3).

Conventions used throughout:

- A box is four numbers. As corners it is (x1, y1, x2, y2): x to the right, y
  down, (x1, y1) the top-left and (x2, y2) the bottom-right corner. As the
  notes' target it is (b_x, b_y, b_h, b_w): centre, height and width.
- An image is cut into an S x S grid of cells; row i, column j. In a YOLO
  target or output each cell has B anchor slots, each a vector of 5 + C numbers
  in the notes' order [p_c, b_x, b_y, b_h, b_w, c_1, ..., c_C]. In a target,
  b_x and b_y are the object's centre relative to its cell (in [0, 1)), b_h
  and b_w its size in cell units (so they may exceed 1).
- anchors: (B, 2) array of anchor shapes (p_h, p_w) in cell units.
- The network's raw output T has the same layout, with raw numbers
  [t_o, t_x, t_y, t_h, t_w, class scores]; it is read as
  p_c = sigmoid(t_o), b_x = sigmoid(t_x), b_y = sigmoid(t_y),
  b_h = p_h exp(t_h), b_w = p_w exp(t_w), class probabilities softmax(scores).
- Detections and ground truth outside the network use corners in fractions of
  the image side (0 to 1), so the same functions serve any image size.
"""

import numpy as np

from .activations import sigmoid


def class_softmax(Z):
    """Softmax over the last axis (the classes) of an array of any shape (not graded)."""
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def localization_loss(y_hat, y):
    """Squared-error loss of single-object localization with "don't care" entries.

    y_hat: (5 + C, m) predictions [p_c, b_x, b_y, b_h, b_w, c_1..c_C] per column
    y: (5 + C, m) targets; when y[0] = 0 (no object) the other entries of the
        column are "don't care" and may hold anything, even nan
    Returns J = (1/m) sum over examples of (y_hat_1 - y_1)^2, plus, only where
    y_1 = 1, the squared errors of the other 4 + C entries (a float).
    """
    ### BEGIN SOLUTION
    m = y.shape[1]
    has_object = y[0] == 1  # (m,)
    presence = (y_hat[0] - y[0]) ** 2  # (m,)
    # np.where, not a product with the mask: 0 * nan is nan, and a don't-care
    # entry may hold anything.
    rest = np.where(has_object, np.sum((y_hat[1:] - y[1:]) ** 2, axis=0), 0.0)  # (m,)
    J = float(np.sum(presence + rest) / m)
    ### END SOLUTION
    return J


def iou(box1, box2):
    """Intersection over union of boxes given by corners (x1, y1, x2, y2).

    box1: (..., 4), box2: (..., 4), broadcast against each other
    Returns the IoU, an array of the broadcast shape without the last axis
    (a 0-d array for two single boxes), 0 where both boxes have no area.
    """
    ### BEGIN SOLUTION
    box1, box2 = np.asarray(box1, dtype=float), np.asarray(box2, dtype=float)
    # The intersection is the box between the larger top-left and the smaller
    # bottom-right corner; empty (clipped to 0) when those cross.
    xi1 = np.maximum(box1[..., 0], box2[..., 0])
    yi1 = np.maximum(box1[..., 1], box2[..., 1])
    xi2 = np.minimum(box1[..., 2], box2[..., 2])
    yi2 = np.minimum(box1[..., 3], box2[..., 3])
    inter = np.maximum(xi2 - xi1, 0) * np.maximum(yi2 - yi1, 0)
    area1 = (box1[..., 2] - box1[..., 0]) * (box1[..., 3] - box1[..., 1])
    area2 = (box2[..., 2] - box2[..., 0]) * (box2[..., 3] - box2[..., 1])
    union = area1 + area2 - inter
    result = np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)
    ### END SOLUTION
    return result


def yolo_filter_boxes(box_confidence, boxes, box_class_probs, threshold=0.6):
    """Keep the boxes whose best class score reaches the threshold.

    box_confidence: (S, S, B, 1) p_c of each anchor slot
    boxes: (S, S, B, 4) the box of each slot (any 4 numbers: corners here)
    box_class_probs: (S, S, B, C) class probabilities c_1..c_C of each slot
    threshold: a slot is kept when max_c p_c c_c >= threshold
    Returns scores (k,) the kept slots' best score p_c c_c, boxes (k, 4) and
    classes (k,) int64 the class index of that score, slots in row-major order
    (row, column, anchor).
    """
    ### BEGIN SOLUTION
    box_scores = box_confidence * box_class_probs  # (S, S, B, C)
    box_classes = np.argmax(box_scores, axis=-1)  # (S, S, B)
    box_class_scores = np.max(box_scores, axis=-1)  # (S, S, B)
    keep = box_class_scores >= threshold
    scores = box_class_scores[keep]
    boxes = boxes[keep]
    classes = box_classes[keep].astype(np.int64)
    ### END SOLUTION
    return scores, boxes, classes


def non_max_suppression(boxes, scores, classes, max_boxes=10, iou_threshold=0.5):
    """Greedy non-max suppression within each class.

    boxes: (k, 4) corners; scores: (k,); classes: (k,) ints
    Go through the boxes from the highest score down (ties: the earlier index
    first); keep a box unless it overlaps a kept box of the SAME class with
    IoU > iou_threshold; stop once max_boxes are kept.
    Returns the indices of the kept boxes, (n,) int64, highest score first.
    """
    ### BEGIN SOLUTION
    order = np.argsort(-np.asarray(scores), kind="stable")
    keep = []
    for i in order:
        if len(keep) == max_boxes:
            break
        rivals = [j for j in keep if classes[j] == classes[i]]
        # Boxes of other classes never suppress each other: a bird may stand
        # in front of a mammal.
        if not rivals or np.all(iou(boxes[i], boxes[rivals]) <= iou_threshold):
            keep.append(int(i))
    indices = np.array(keep, dtype=np.int64)
    ### END SOLUTION
    return indices


def yolo_eval(T, anchors, score_threshold=0.6, iou_threshold=0.5, max_boxes=10):
    """Turn one image's raw YOLO output into final detections.

    T: (S, S, B, 5 + C) raw output [t_o, t_x, t_y, t_h, t_w, class scores]
    anchors: (B, 2) anchor shapes (p_h, p_w) in cell units
    Decodes each slot (cell row i, column j, anchor a) into p_c = sigmoid(t_o),
    centre x = (j + sigmoid(t_x)) / S, y = (i + sigmoid(t_y)) / S, height
    p_h exp(t_h) / S, width p_w exp(t_w) / S (fractions of the image side),
    class probabilities softmax(class scores); converts the boxes to corners,
    then calls yolo_filter_boxes(score_threshold) and non_max_suppression.
    Returns scores (n,), boxes (n, 4) corners in fractions of the image side,
    classes (n,) int64, highest score first.
    """
    ### BEGIN SOLUTION
    S = T.shape[0]
    rows = np.arange(S).reshape(S, 1, 1)  # broadcasts over columns and anchors
    cols = np.arange(S).reshape(1, S, 1)
    box_confidence = sigmoid(T[..., 0:1])  # (S, S, B, 1)
    x = (cols + sigmoid(T[..., 1])) / S  # (S, S, B)
    y = (rows + sigmoid(T[..., 2])) / S
    h = anchors[:, 0] * np.exp(T[..., 3]) / S
    w = anchors[:, 1] * np.exp(T[..., 4]) / S
    corners = np.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], axis=-1)  # (S, S, B, 4)
    probs = class_softmax(T[..., 5:])  # (S, S, B, C)
    scores, boxes, classes = yolo_filter_boxes(box_confidence, corners, probs, score_threshold)
    keep = non_max_suppression(boxes, scores, classes, max_boxes, iou_threshold)
    scores, boxes, classes = scores[keep], boxes[keep], classes[keep]
    ### END SOLUTION
    return scores, boxes, classes


def assign_targets(boxes, classes, anchors, S, C):
    """The YOLO target of one image: each object goes to one cell and one anchor.

    boxes: (n, 4) corners in fractions of the image side; classes: (n,) ints in 0..C-1
    anchors: (B, 2) anchor shapes (p_h, p_w) in cell units; S: grid size; C: classes
    An object belongs to the cell holding its centre (row i = floor(S y),
    column j = floor(S x), at most S - 1) and to the anchor whose shape has the
    largest IoU with its own shape, both boxes put at the same centre (ties:
    the first anchor). That slot gets [1, b_x, b_y, b_h, b_w, one-hot class]
    with b_x = S x - j, b_y = S y - i, b_h and b_w the size in cell units; a
    later object that falls in the same slot replaces an earlier one.
    Returns Y: (S, S, B, 5 + C), zeros in every slot without an object.
    """
    ### BEGIN SOLUTION
    B = anchors.shape[0]
    Y = np.zeros((S, S, B, 5 + C))
    for box, c in zip(boxes, classes, strict=True):
        x, y = S * (box[0] + box[2]) / 2, S * (box[1] + box[3]) / 2  # centre in cells
        h, w = S * (box[3] - box[1]), S * (box[2] - box[0])  # size in cells
        i, j = min(int(y), S - 1), min(int(x), S - 1)
        # Shapes compared as boxes sharing their top-left corner: only the shape counts.
        shape_iou = iou(np.array([0.0, 0.0, w, h]), np.stack(
            [np.zeros(B), np.zeros(B), anchors[:, 1], anchors[:, 0]], axis=1))  # (B,)
        a = int(np.argmax(shape_iou))
        Y[i, j, a] = 0.0
        Y[i, j, a, :5] = [1.0, x - j, y - i, h, w]
        Y[i, j, a, 5 + int(c)] = 1.0
    ### END SOLUTION
    return Y


def slot_targets(Y, anchors):
    """Pieces shared by yolo_loss and yolo_loss_backward (not graded).

    Y: (m, S, S, B, 5 + C) targets; anchors: (B, 2)
    Returns obj (m, S, S, B) 1 where a slot holds an object, and the targets of
    t_h and t_w, log(b_h / p_h) and log(b_w / p_w), set to 0 in empty slots
    (where b_h = 0 and the log would be -inf).
    """
    obj = Y[..., 0]
    safe_h = np.where(obj == 1, Y[..., 3], anchors[:, 0])
    safe_w = np.where(obj == 1, Y[..., 4], anchors[:, 1])
    return obj, np.log(safe_h / anchors[:, 0]), np.log(safe_w / anchors[:, 1])


def yolo_loss(T, Y, anchors, lambda_coord=5.0, lambda_noobj=0.5):
    """The YOLO training cost of a batch.

    T: (m, S, S, B, 5 + C) raw outputs; Y: (m, S, S, B, 5 + C) targets of
    assign_targets; anchors: (B, 2) (p_h, p_w) in cell units.
    With obj = Y[..., 0] (1 in slots holding an object), the cost is
    J = (1/m) sum over slots of
        lambda_coord obj [(sigmoid(t_x) - b_x)^2 + (sigmoid(t_y) - b_y)^2
                          + (t_h - log(b_h/p_h))^2 + (t_w - log(b_w/p_w))^2]
      + (obj + lambda_noobj (1 - obj)) BCE(sigmoid(t_o), obj)
      + obj CE(softmax(class scores), one-hot class)
    with BCE(p, y) = -y log p - (1 - y) log(1 - p) and CE the cross-entropy.
    Returns J (a float).
    """
    ### BEGIN SOLUTION
    m = T.shape[0]
    obj, target_h, target_w = slot_targets(Y, anchors)
    t_o = T[..., 0]
    # BCE of sigmoid(t) written as log(1 + e^t) - y t: no log(0) for large |t|.
    bce = np.logaddexp(0.0, t_o) - obj * t_o
    objectness = np.sum((obj + lambda_noobj * (1 - obj)) * bce)
    squared = ((sigmoid(T[..., 1]) - Y[..., 1]) ** 2 + (sigmoid(T[..., 2]) - Y[..., 2]) ** 2
               + (T[..., 3] - target_h) ** 2 + (T[..., 4] - target_w) ** 2)
    coordinates = lambda_coord * np.sum(obj * squared)
    scores = T[..., 5:]
    top = scores.max(axis=-1, keepdims=True)
    log_sum_exp = (top + np.log(np.sum(np.exp(scores - top), axis=-1, keepdims=True)))[..., 0]
    cross_entropy = log_sum_exp - np.sum(Y[..., 5:] * scores, axis=-1)
    classification = np.sum(obj * cross_entropy)
    J = float((coordinates + objectness + classification) / m)
    ### END SOLUTION
    return J


def yolo_loss_backward(T, Y, anchors, lambda_coord=5.0, lambda_noobj=0.5):
    """Gradient of yolo_loss with respect to the raw outputs.

    T, Y: (m, S, S, B, 5 + C); anchors: (B, 2); lambda_coord, lambda_noobj as in yolo_loss
    Returns dT: (m, S, S, B, 5 + C), dJ/dT.
    """
    ### BEGIN SOLUTION
    m = T.shape[0]
    obj, target_h, target_w = slot_targets(Y, anchors)
    dT = np.zeros_like(T, dtype=float)
    dT[..., 0] = (obj + lambda_noobj * (1 - obj)) * (sigmoid(T[..., 0]) - obj)
    for k in (1, 2):
        s = sigmoid(T[..., k])
        dT[..., k] = lambda_coord * obj * 2 * (s - Y[..., k]) * s * (1 - s)
    dT[..., 3] = lambda_coord * obj * 2 * (T[..., 3] - target_h)
    dT[..., 4] = lambda_coord * obj * 2 * (T[..., 4] - target_w)
    dT[..., 5:] = obj[..., None] * (class_softmax(T[..., 5:]) - Y[..., 5:])
    dT /= m
    ### END SOLUTION
    return dT


def average_precision(recall, precision):
    """Area under the precision-recall curve with precision made non-increasing.

    recall, precision: (k,) after each of the k detections, best score first
    (not graded: a step of mean_average_precision).
    """
    r = np.concatenate([[0.0], recall, [1.0]])
    p = np.concatenate([[0.0], precision, [0.0]])
    # The precision at recall r is taken as the best precision at any recall >= r.
    p = np.maximum.accumulate(p[::-1])[::-1]
    return float(np.sum((r[1:] - r[:-1]) * p[1:]))


def mean_average_precision(det_images, det_boxes, det_scores, det_classes,
                           gt_images, gt_boxes, gt_classes, C, iou_threshold=0.5):
    """mAP: the average precision of each class, averaged over the classes.

    det_images (k,) ints: the image each detection belongs to; det_boxes (k, 4)
    corners; det_scores (k,); det_classes (k,) ints
    gt_images (n,), gt_boxes (n, 4), gt_classes (n,): the true objects
    C: number of classes; iou_threshold: a detection matches a true object of
    its class and image when their IoU is at least this
    Per class, go through its detections from the highest score down (ties: the
    earlier index first). A detection is a true positive when the true object
    of its class in its image with which it has the largest IoU (the first on
    ties) reaches iou_threshold and has not been matched yet; otherwise it is a
    false positive. After each detection, precision = TP / detections so far,
    recall = TP / true objects of the class; the class's AP is
    average_precision(recall, precision).
    Returns mAP (a float, the mean over the classes that have true objects)
    and ap (C,), nan for a class without true objects.
    """
    ### BEGIN SOLUTION
    ap = np.full(C, np.nan)
    for c in range(C):
        truth = np.flatnonzero(gt_classes == c)
        if len(truth) == 0:
            continue
        found = np.flatnonzero(det_classes == c)
        found = found[np.argsort(-det_scores[found], kind="stable")]
        matched = np.zeros(len(gt_images), dtype=bool)
        tp = np.zeros(len(found))
        for rank, d in enumerate(found):
            same = truth[gt_images[truth] == det_images[d]]
            if len(same) == 0:
                continue
            overlaps = iou(det_boxes[d], gt_boxes[same])
            best = same[np.argmax(overlaps)]
            if overlaps.max() >= iou_threshold and not matched[best]:
                matched[best] = True
                tp[rank] = 1.0
        hits = np.cumsum(tp)
        precision = hits / np.arange(1, len(found) + 1)
        ap[c] = average_precision(hits / len(truth), precision)
    mAP = float(np.nanmean(ap)) if np.any(~np.isnan(ap)) else 0.0
    ### END SOLUTION
    return mAP, ap


# --- Training and running a detector (not graded) ------------------------------------
# These take the graded functions as arguments, so a notebook trains with its own.

def scene_targets(boxes, classes, size, anchors, S, C, assign):
    """YOLO targets of a set of scenes.

    boxes: (m, K, 4) corners in pixels; classes: (m, K), -1 in unused slots
    size: the images' side in pixels; assign: assign_targets
    Returns Y: (m, S, S, B, 5 + C).
    """
    return np.stack([assign(b[c >= 0] / size, c[c >= 0], anchors, S, C)
                     for b, c in zip(boxes, classes, strict=True)])


def mirror(X, Y):
    """Scenes and their targets flipped left to right.

    X: (m, n_H, n_W, n_C); Y: (m, S, S, B, 5 + C)
    Returns X and Y mirrored: columns reversed and b_x -> 1 - b_x where an object is.
    """
    X, Y = X[:, :, ::-1], Y[:, :, ::-1].copy()
    Y[..., 1] = np.where(Y[..., 0] == 1, 1 - Y[..., 1], 0.0)
    return X, Y


def initialize_detector(input_shape, spec, B, C, seed=0, prior=0.1):
    """He-initialised parameters whose last layer starts out saying "probably nothing here".

    The last layer (a 1x1 conv with B (5 + C) filters) gets weights 10 times smaller
    and the bias of each t_o set to log(prior / (1 - prior)), so that every slot
    starts with p_c = prior instead of a random guess: most slots are empty, and
    the first steps are not spent unlearning confident false alarms.
    Returns parameters as dlcourse.cnn.initialize_network does.
    """
    from .cnn import initialize_network

    parameters = initialize_network(input_shape, spec, seed)
    L = len(spec)
    parameters[f"W{L}"] = parameters[f"W{L}"] / 10
    bias = np.zeros((B, 5 + C))
    bias[:, 0] = np.log(prior / (1 - prior))
    parameters[f"b{L}"] = bias.reshape(parameters[f"b{L}"].shape)
    return parameters


def train_detector(X, Y, spec, anchors, loss, loss_backward, parameters, learning_rate=0.003,
                   num_epochs=20, mini_batch_size=16, seed=0, progress=True):
    """Train a YOLO network with Adam; each mini-batch has half its scenes mirrored.

    X: (m, n_H, n_W, n_C) scenes; Y: (m, S, S, B, 5 + C) targets
    spec: layers of dlcourse.cnn whose last output is (m, S, S, B (5 + C))
    loss(T, Y, anchors), loss_backward(T, Y, anchors): yolo_loss and yolo_loss_backward
    parameters: the starting point (initialize_detector)
    Returns (parameters, costs), costs the mean cost of each epoch.
    """
    from .cnn import network_backward, network_forward
    from .optim import initialize_adam, random_mini_batches, update_parameters_with_adam
    from .plot import progress_bar

    v, s = initialize_adam(parameters)
    rng = np.random.default_rng(seed)
    costs, t = [], 0
    for epoch in progress_bar(range(num_epochs), show=progress, desc="epochs"):
        total = 0.0
        for X_batch, Y_batch in random_mini_batches(X, Y, mini_batch_size, seed + epoch, axis=0):
            # Mirrored scenes are new scenes for free: the classes do not depend on
            # left and right.
            flip = rng.random(len(X_batch)) < 0.5
            X_flip, Y_flip = mirror(X_batch[flip], Y_batch[flip])
            X_batch, Y_batch = X_batch.copy(), Y_batch.copy()
            X_batch[flip], Y_batch[flip] = X_flip, Y_flip
            out, caches = network_forward(X_batch, parameters, spec)
            T = out.reshape(Y_batch.shape)
            total += loss(T, Y_batch, anchors) * len(X_batch)
            grads = network_backward(loss_backward(T, Y_batch, anchors).reshape(out.shape), caches)
            t += 1
            parameters, v, s, _, _ = update_parameters_with_adam(parameters, grads, v, s, t,
                                                                 learning_rate)
        costs.append(total / len(X))
    return parameters, costs


def detect(X, parameters, spec, anchors, C, evaluate, score_threshold=0.2, iou_threshold=0.5,
           max_boxes=10, batch_size=100):
    """Run the network on scenes and decode each with evaluate (yolo_eval).

    X: (m, n_H, n_W, n_C). Returns det_images (k,), det_boxes (k, 4) corners in
    fractions of the image side, det_scores (k,), det_classes (k,): every
    detection of every scene, the layout mean_average_precision takes.
    """
    from .cnn import network_forward

    B = anchors.shape[0]
    images, boxes, scores, classes = [], [], [], []
    for start in range(0, len(X), batch_size):
        out, _ = network_forward(X[start:start + batch_size], parameters, spec)
        T = out.reshape(*out.shape[:3], B, 5 + C)
        for i, T_i in enumerate(T, start=start):
            s, b, c = evaluate(T_i, anchors, score_threshold, iou_threshold, max_boxes)
            images.append(np.full(len(s), i))
            boxes.append(b.reshape(-1, 4))
            scores.append(s)
            classes.append(c)
    return (np.concatenate(images), np.concatenate(boxes), np.concatenate(scores),
            np.concatenate(classes).astype(np.int64))


def ground_truth(boxes, classes, size):
    """The true objects of scenes in mean_average_precision's layout.

    boxes: (m, K, 4) corners in pixels; classes: (m, K), -1 in unused slots
    Returns gt_images (n,), gt_boxes (n, 4) in fractions of the side, gt_classes (n,).
    """
    used = classes >= 0
    return np.nonzero(used)[0], boxes[used] / size, classes[used]


# --- A pretrained detector on real photos: face-api's Tiny-YOLO face detector -----------------

def _max_pool_same(A, stride):
    """2 x 2 max-pooling with TensorFlow's "same" padding (the detector was trained with it):
    the output has ceil(n / stride) rows and columns, the missing window cells at the
    bottom and right count as -inf. A: (m, n_H, n_W, n_C)."""
    m, n_H, n_W, n_C = A.shape
    out_H, out_W = -(-n_H // stride), -(-n_W // stride)
    pad_H, pad_W = (out_H - 1) * stride + 2 - n_H, (out_W - 1) * stride + 2 - n_W
    A = np.pad(A, ((0, 0), (0, pad_H), (0, pad_W), (0, 0)), constant_values=-np.inf)
    corners = [A[:, i:i + (out_H - 1) * stride + 1:stride, j:j + (out_W - 1) * stride + 1:stride]
               for i in (0, 1) for j in (0, 1)]  # the window's 4 cells, each (m, out_H, out_W, n_C)
    return np.max(corners, axis=0)


def _separable_conv(A, depthwise, pointwise, bias):
    """A 3 x 3 depthwise convolution (one filter per channel, pad 1) followed by a 1 x 1
    convolution: MobileNet's cheap stand-in for a full 3 x 3 convolution.

    A: (m, n_H, n_W, n_C_prev); depthwise: (3, 3, n_C_prev, 1);
    pointwise: (1, 1, n_C_prev, n_C); bias: (n_C,). Returns (m, n_H, n_W, n_C).
    """
    padded = np.pad(A, ((0, 0), (1, 1), (1, 1), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(1, 2))
    # windows: (m, n_H, n_W, n_C_prev, 3, 3); each channel meets its own 3 x 3 filter.
    Z = np.einsum("mhwcij,ijc->mhwc", windows, depthwise[:, :, :, 0])
    return Z @ pointwise[0, 0] + bias


def face_detector_output(image, detector, input_size=416):
    """The raw output of face-api's Tiny-YOLO face detector, in this module's layout.

    image: (n_H, n_W, 3) uint8 RGB photo of any size; it is padded with black at the
    bottom or right to a square (as face-api does) and resized to input_size (a multiple
    of 32), so boxes come out in fractions of that square's side.
    detector: from dlcourse.data.load_face_detector()
    Returns T: (S, S, 5, 6) raw numbers [t_o, t_x, t_y, t_h, t_w, class score] for the
    B = 5 anchors of each of S x S cells (S = input_size / 32; one class, "face") and
    anchors: (5, 2) as (p_h, p_w) in cell units, ready for yolo_eval.
    """
    from PIL import Image

    from .activations import leaky_relu
    from .conv import conv_forward_fast

    w = detector["weights"]
    side = max(image.shape[:2])
    square = np.zeros((side, side, 3), np.uint8)
    square[:image.shape[0], :image.shape[1]] = image
    resized = np.asarray(Image.fromarray(square).resize((input_size, input_size),
                                                         Image.BILINEAR))
    A = ((resized - detector["mean_rgb"]) / 255.0)[None]  # (1, input_size, input_size, 3)
    Z, _ = conv_forward_fast(A, w["conv0.filters"], w["conv0.bias"].reshape(1, 1, 1, -1),
                             {"stride": 1, "pad": 0})
    A = _max_pool_same(leaky_relu(Z, 0.1), 2)
    for layer in range(1, 6):
        Z = _separable_conv(A, w[f"conv{layer}.depthwise_filter"],
                            w[f"conv{layer}.pointwise_filter"], w[f"conv{layer}.bias"])
        # Five halvings of the side, then a last pooling that keeps the 13 x 13 grid.
        A = _max_pool_same(leaky_relu(Z, 0.1), 2 if layer < 5 else 1)
    out = A @ w["conv8.filters"][0, 0] + w["conv8.bias"]  # (1, S, S, 25)
    S = out.shape[1]
    raw = out[0].reshape(S, S, 5, 5)  # face-api's order per anchor: t_x, t_y, t_w, t_h, t_o
    T = np.concatenate([raw[..., 4:5], raw[..., 0:2], raw[..., 3:4], raw[..., 2:3],
                        np.zeros((S, S, 5, 1))], axis=-1)  # [t_o, t_x, t_y, t_h, t_w, score]
    anchors = detector["anchors"][:, ::-1]  # stored as (width, height)
    return T, anchors
