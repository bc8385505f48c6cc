"""Face verification and one-shot learning (Course 4, week 4).

An encoder f maps an image to a vector of d numbers, its embedding, trained so
that pictures of the same identity land close together and pictures of
different identities far apart. Then

- verification ("is this the person they claim to be?") is one comparison,
  d(img1, img2) = ||f(img1) - f(img2)||_2 <= tau;
- recognition ("who is this?") is the nearest identity in a database holding
  ONE embedding per person (one-shot learning): a new person is added by
  storing one embedding, with no retraining.

Layout: embeddings are columns, F (d, m), as the dense layers of dlcourse.cnn
produce them (one example per column, as in Courses 1 and 2). A triplet is
three such arrays: anchors A, positives P (same identity as the anchor) and
negatives N (another identity), each (d, m), column i being triplet i.

The encoder's last layer is "l2norm" (registered here with dlcourse.cnn): it
puts every embedding on the unit sphere, so distances lie in [0, 2] and the
margin alpha of the triplet loss has a fixed meaning.
"""

import numpy as np

from . import cnn
from .activations import sigmoid
from .optim import initialize_adam, update_parameters_with_adam
from .plot import progress_bar


def embedding_distance(F1, F2):
    """Euclidean distance between embeddings, column by column.

    F1: (d, m) embeddings; F2: (d, m), or (d, 1) to compare every column of F1 with one
    embedding (broadcast)
    Returns dist: (m,) with dist[i] = ||F1[:, i] - F2[:, i]||_2.
    """
    ### BEGIN SOLUTION
    dist = np.sqrt(np.sum((F1 - F2) ** 2, axis=0))  # (m,)
    ### END SOLUTION
    return dist


def triplet_loss(A, P, N, alpha=0.2):
    """Triplet cost, averaged over the m triplets.

    J = (1/m) sum_i max(||A_i - P_i||^2 - ||A_i - N_i||^2 + alpha, 0)

    A: (d, m) anchors; P: (d, m) positives (same identity as each anchor);
    N: (d, m) negatives (another identity); alpha: the margin
    Returns J, a Python float.
    """
    ### BEGIN SOLUTION
    m = A.shape[1]
    pos_dist = np.sum((A - P) ** 2, axis=0)  # (m,) squared anchor-positive distances
    neg_dist = np.sum((A - N) ** 2, axis=0)  # (m,) squared anchor-negative distances
    # A triplet costs nothing once the negative is alpha further away than the positive.
    cost = float(np.sum(np.maximum(pos_dist - neg_dist + alpha, 0.0)) / m)
    ### END SOLUTION
    return cost


def triplet_loss_backward(A, P, N, alpha=0.2):
    """Gradient of triplet_loss(A, P, N, alpha) with respect to A, P and N.

    For an active triplet (loss_i > 0): dA_i = 2 (N_i - P_i) / m, dP_i = 2 (P_i - A_i) / m,
    dN_i = 2 (A_i - N_i) / m; an inactive triplet (loss_i <= 0) gets zero gradients.

    A, P, N: (d, m) as in triplet_loss
    Returns dA, dP, dN, each (d, m).
    """
    ### BEGIN SOLUTION
    m = A.shape[1]
    pos_dist = np.sum((A - P) ** 2, axis=0)
    neg_dist = np.sum((A - N) ** 2, axis=0)
    # max(., 0) passes the gradient only where the hinge is open (its slope at 0 taken as 0).
    active = (pos_dist - neg_dist + alpha > 0).astype(float) * (2.0 / m)  # (m,)
    dA = (N - P) * active
    dP = (P - A) * active
    dN = (A - N) * active
    ### END SOLUTION
    return dA, dP, dN


def verify(F1, F2, threshold):
    """Same identity or not, for pairs of embeddings: d(img1, img2) <= threshold.

    F1, F2: (d, m) embeddings of the two pictures of each pair (F2 may be (d, 1))
    threshold: tau, the largest distance still called "same identity"
    Returns dist: (m,) distances and same: (m,) bool decisions.
    """
    ### BEGIN SOLUTION
    dist = embedding_distance(F1, F2)
    same = dist <= threshold
    ### END SOLUTION
    return dist, same


def who_is_it(f, database, threshold):
    """Recognise one picture: the nearest identity in a database of one embedding each.

    f: (d, 1) embedding of the picture
    database: dict identity name -> (d, 1) embedding, one per known identity
    threshold: tau; if even the nearest identity is further away, the person is unknown
    Returns min_dist (a Python float, the distance to the nearest identity) and identity,
    that identity's name, or None when min_dist > threshold. Ties go to the identity
    listed first.
    """
    ### BEGIN SOLUTION
    names = list(database)
    known = np.concatenate([database[name] for name in names], axis=1)  # (d, k)
    dist = embedding_distance(known, f)  # (k,)
    best = int(np.argmin(dist))
    min_dist = float(dist[best])
    identity = names[best] if min_dist <= threshold else None
    ### END SOLUTION
    return min_dist, identity


def pair_probability(F1, F2, w, b):
    """The notes' binary-classification variant: probability that two pictures match.

    y_hat = sigmoid(sum_k w_k |F1[k] - F2[k]| + b), a logistic regression on the
    element-wise absolute differences of the two embeddings.

    F1, F2: (d, m) embeddings of the pairs; w: (d, 1) weights; b: scalar bias
    Returns y_hat: (1, m) probabilities of "same identity".
    """
    ### BEGIN SOLUTION
    features = np.abs(F1 - F2)  # (d, m)
    y_hat = sigmoid(w.T @ features + b)  # (1, m)
    ### END SOLUTION
    return y_hat


# ---- Not graded: the normalising layer, triplet mining and training ----

def l2norm_forward(A_prev, eps=1e-12):
    """Scale every column to unit length: A = A_prev / ||A_prev||.

    A_prev: (d, m). Returns A (d, m) and cache (A, norms) with norms (1, m).
    """
    norms = np.sqrt(np.sum(A_prev**2, axis=0, keepdims=True)) + eps  # (1, m)
    A = A_prev / norms
    return A, (A, norms)


def l2norm_backward(dA, cache):
    """Backward of l2norm_forward: dA_prev = (dA - A (A . dA)) / ||A_prev||.

    Moving A_prev along itself does not change A, so the component of dA along A is
    removed. dA: (d, m). Returns dA_prev (d, m).
    """
    A, norms = cache
    return (dA - A * np.sum(A * dA, axis=0, keepdims=True)) / norms


def _l2norm_init(input_shape, options, rng):
    return {}, input_shape


def _l2norm_layer_forward(A_prev, params, options):
    return l2norm_forward(A_prev)


def _l2norm_layer_backward(dA, cache):
    return l2norm_backward(dA, cache), {}


cnn.register_layer("l2norm", _l2norm_init, _l2norm_layer_forward, _l2norm_layer_backward)


def encode(X, parameters, spec, batch_size=512):
    """Embeddings of images X (m, n_H, n_W, n_C), in batches. Returns F (d, m)."""
    parts = [cnn.network_forward(X[i:i + batch_size], parameters, spec)[0]
             for i in range(0, X.shape[0], batch_size)]
    return np.concatenate(parts, axis=1)


def identity_batch(rng, labels, n_identities, per_identity):
    """Indices of a mini-batch: per_identity pictures of each of n_identities identities.

    Every anchor then has positives in the batch. labels: (m,). Returns (n_identities *
    per_identity,) indices.
    """
    ids = rng.choice(np.unique(labels), n_identities, replace=False)
    return np.concatenate([rng.choice(np.flatnonzero(labels == k), per_identity, replace=False)
                           for k in ids])


def batch_triplets(labels):
    """Every valid triplet of a mini-batch ("batch all" mining).

    labels: (m,) identities of the batch's pictures. Returns anchor, positive and negative
    indices, three (k,) integer arrays listing each (a, p, n) with labels[a] == labels[p],
    a != p and labels[n] != labels[a].
    Why all of them: the mean over every triplet keeps a gradient from the start, while
    taking only the hardest triplet of each anchor ("batch hard") can pull every embedding
    to one point from a random start, where the cost stalls at alpha.
    """
    same = labels[:, None] == labels[None, :]  # (m, m)
    positive = same & ~np.eye(len(labels), dtype=bool)
    valid = positive[:, :, None] & ~same[:, None, :]  # (m, m, m): a, p, n
    return np.nonzero(valid)


def train_encoder(X, labels, spec, alpha=0.5, learning_rate=0.002, num_steps=300,
                  n_identities=16, per_identity=4, seed=0, progress=True, cost=None,
                  cost_backward=None):
    """Train a cnn encoder with the triplet loss on every triplet of each batch, with Adam.

    Each step draws per_identity pictures of n_identities identities, embeds them and
    averages the triplet loss over all valid triplets among them (batch_triplets).

    X: (m, n_H, n_W, n_C) pictures; labels: (m,) identities; spec: a dlcourse.cnn spec
    whose last layer is ("l2norm", {})
    cost, cost_backward: the triplet cost and its gradient (default: triplet_loss and
    triplet_loss_backward of this module; a notebook passes its own)
    Returns parameters and costs (one triplet cost per step).
    """
    cost, cost_backward = cost or triplet_loss, cost_backward or triplet_loss_backward
    rng = np.random.default_rng(seed)
    parameters = cnn.initialize_network(X.shape[1:], spec, seed=seed)
    v, s = initialize_adam(parameters)
    costs = []
    for t in progress_bar(range(1, num_steps + 1), show=progress):
        batch = identity_batch(rng, labels, n_identities, per_identity)
        F, caches = cnn.network_forward(X[batch], parameters, spec)  # (d, batch)
        a, p, n = batch_triplets(labels[batch])
        costs.append(cost(F[:, a], F[:, p], F[:, n], alpha))
        dA, dP, dN = cost_backward(F[:, a], F[:, p], F[:, n], alpha)
        # A picture serves in many triplets and roles: its gradients add up. Multiplying
        # by one-hot rows (k, batch) sums them, faster than a scatter with np.add.at.
        one_hot = np.eye(len(batch))
        dF = dA @ one_hot[a] + dP @ one_hot[p] + dN @ one_hot[n]  # (d, batch)
        grads = cnn.network_backward(dF, caches)
        parameters, v, s = update_parameters_with_adam(parameters, grads, v, s, t,
                                                       learning_rate)[:3]
    return parameters, costs


def make_pairs(labels, n_pairs, seed=0):
    """Balanced verification pairs: n_pairs of the same identity, n_pairs of different ones.

    labels: (m,). Returns i, j (2 n_pairs,) index arrays and same (2 n_pairs,) bool.
    """
    rng = np.random.default_rng(seed)
    ids = np.unique(labels)
    members = {k: np.flatnonzero(labels == k) for k in ids}
    first, second = [], []
    for k in rng.choice(ids, n_pairs):  # same identity, two different pictures
        i, j = rng.choice(members[k], 2, replace=False)
        first.append(i)
        second.append(j)
    for _ in range(n_pairs):  # two different identities
        k, l = rng.choice(ids, 2, replace=False)
        first.append(rng.choice(members[k]))
        second.append(rng.choice(members[l]))
    same = np.arange(2 * n_pairs) < n_pairs
    return np.array(first), np.array(second), same


def best_threshold(dist, same):
    """The threshold tau that classifies the most pairs right (d <= tau means "same").

    dist: (n,) distances; same: (n,) bool truth. Returns (tau, accuracy at tau).
    """
    candidates = np.sort(dist)
    accuracies = [np.mean((dist <= tau) == same) for tau in candidates]
    best = int(np.argmax(accuracies))
    # Halfway to the next distance: the same decisions on these pairs, less tied to one pair.
    tau = (candidates[best] + candidates[min(best + 1, len(candidates) - 1)]) / 2
    return float(tau), float(accuracies[best])
