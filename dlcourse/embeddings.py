"""Word embeddings: similarity, analogies, debiasing, skip-gram and GloVe (Course 5, week 2).

Layout, as in the notes: the embedding matrix E is (n_e, V), one column per word of the
vocabulary, so the vector of word w is e_w = E o_w = E[:, index of w]. The context
(output) vectors of skip-gram and GloVe form a second matrix Theta of the same shape,
theta_t = Theta[:, t].
"""

import numpy as np

from .activations import sigmoid
from .optim import initialize_adam, update_parameters_with_adam
from .plot import progress_bar


def cosine_similarity(u, v):
    """How alike two vectors point: cos(angle) = u . v / (||u|| ||v||).

    u, v: (n_e,) word vectors
    Returns a float in [-1, 1]; 0.0 when either vector is zero (no direction to compare).
    """
    ### BEGIN SOLUTION
    norms = np.linalg.norm(u) * np.linalg.norm(v)
    if norms == 0:
        return 0.0
    similarity = float(np.dot(u, v) / norms)
    ### END SOLUTION
    return similarity


def complete_analogy(word_a, word_b, word_c, word_to_index, E):
    """Answer "a is to b as c is to ?": the word d whose vector is most similar (cosine)
    to e_b - e_a + e_c, over every word but a, b and c.

    word_a, word_b, word_c: str, words of the vocabulary (any case; looked up lower-cased)
    word_to_index: {word: column of E}; E: (n_e, V) the word vectors as columns
    Returns word_d, a str.
    """
    ### BEGIN SOLUTION
    a, b, c = (word_to_index[w.lower()] for w in (word_a, word_b, word_c))
    target = E[:, b] - E[:, a] + E[:, c]  # (n_e,): where d should be
    norms = np.linalg.norm(E, axis=0) * np.linalg.norm(target)  # (V,)
    # A zero vector has no direction: similarity 0 rather than 0 / 0.
    similarity = np.divide(target @ E, norms, out=np.zeros(E.shape[1]), where=norms > 0)
    similarity[[a, b, c]] = -np.inf  # the question's own words are not answers
    index_to_word = {i: w for w, i in word_to_index.items()}
    word_d = index_to_word[int(np.argmax(similarity))]
    ### END SOLUTION
    return word_d


def neutralize(e, g):
    """Remove the component of e along the bias direction g.

    e: (n_e,) a word vector; g: (n_e,) the bias direction (e.g. e_woman - e_man)
    Returns e_debiased: (n_e,) = e - (e . g / ||g||^2) g, orthogonal to g.
    """
    ### BEGIN SOLUTION
    e_bias = (np.dot(e, g) / np.dot(g, g)) * g  # the projection of e on g
    e_debiased = e - e_bias
    ### END SOLUTION
    return e_debiased


def equalize(e_w1, e_w2, g):
    """Make a pair of words that should differ only along g (actor, actress) equidistant
    from every neutralized word, after Bolukbasi et al. (2016).

    e_w1, e_w2: (n_e,) unit-length vectors of the pair; g: (n_e,) the bias direction
    With mu = (e_w1 + e_w2) / 2, mu_B its projection on g and nu = mu - mu_B:
        e_i = nu + sqrt(1 - ||nu||^2) (e_wiB - mu_B) / ||e_wiB - mu_B||
    where e_wiB is the projection of e_wi on g.
    Returns (e_1, e_2): (n_e,) each, unit length, with the same component nu
    orthogonal to g and opposite components along g.
    """
    ### BEGIN SOLUTION
    def along_g(x):
        return (np.dot(x, g) / np.dot(g, g)) * g

    mu = (e_w1 + e_w2) / 2
    mu_B = along_g(mu)
    nu = mu - mu_B  # what the pair shares, orthogonal to g
    # Keep each word's side of g but give both the same length along g, so that the
    # result has unit length like the inputs.
    scale = np.sqrt(abs(1 - np.dot(nu, nu)))
    e_1 = nu + scale * (along_g(e_w1) - mu_B) / np.linalg.norm(along_g(e_w1) - mu_B)
    e_2 = nu + scale * (along_g(e_w2) - mu_B) / np.linalg.norm(along_g(e_w2) - mu_B)
    ### END SOLUTION
    return e_1, e_2


def noise_distribution(counts, power=0.75):
    """The distribution negative samples are drawn from: P(w) proportional to count(w)^power.

    counts: (V,) how often each word occurs; power: 3/4 in word2vec, which gives rare
    words more chances than their frequency (power 1) and fewer than uniform (power 0)
    Returns P: (V,) non-negative, summing to 1.
    """
    ### BEGIN SOLUTION
    weights = np.asarray(counts, dtype=float) ** power
    P = weights / weights.sum()
    ### END SOLUTION
    return P


def skipgram_loss(E, Theta, centers, contexts, negatives):
    """Negative-sampling loss of skip-gram on a batch of (context word, target word)
    pairs, and its gradients.

    For a pair (c, t) with K negative words k drawn from the noise distribution:
        loss = -log sigmoid(theta_t . e_c) - sum_k log sigmoid(-theta_k . e_c)
    averaged over the B pairs of the batch.

    E: (n_e, V) vectors of the context words ("e_c"); Theta: (n_e, V) target vectors
    centers: (B,) indices c; contexts: (B,) indices t; negatives: (B, K) indices k
    Returns (loss, dE, dTheta): a float and two (n_e, V) arrays (zero for words not in
    the batch; a word used several times accumulates its gradients).
    """
    ### BEGIN SOLUTION
    B = centers.shape[0]
    e_c = E[:, centers]  # (n_e, B)
    theta_t = Theta[:, contexts]  # (n_e, B)
    theta_k = Theta[:, negatives]  # (n_e, B, K)
    positive = sigmoid(np.sum(theta_t * e_c, axis=0))  # (B,): P(t is a real neighbour)
    negative = sigmoid(-np.einsum("nbk,nb->bk", theta_k, e_c))  # (B, K)
    loss = -float(np.sum(np.log(positive)) + np.sum(np.log(negative))) / B
    # d(-log sigmoid(s))/ds = sigmoid(s) - 1; d(-log sigmoid(-s))/ds = 1 - sigmoid(-s).
    d_positive = (positive - 1) / B  # (B,)
    d_negative = (1 - negative) / B  # (B, K)
    de_c = theta_t * d_positive + np.einsum("nbk,bk->nb", theta_k, d_negative)  # (n_e, B)
    dE = np.zeros_like(E, dtype=float)
    dTheta = np.zeros_like(Theta, dtype=float)
    # np.add.at adds once per occurrence: a word that appears twice gets both gradients.
    np.add.at(dE.T, centers, de_c.T)
    np.add.at(dTheta.T, contexts, (e_c * d_positive).T)
    np.add.at(dTheta.T, negatives, (e_c[:, :, None] * d_negative).transpose(1, 2, 0))
    ### END SOLUTION
    return loss, dE, dTheta


def glove_weight(X, x_max=100.0, alpha=0.75):
    """GloVe's weighting f(X_ij) = (X_ij / x_max)^alpha below x_max, 1 above; f(0) = 0.

    X: array of co-occurrence counts (any shape)
    Returns an array of X's shape: pairs never seen together weigh nothing, rare pairs
    little, and very frequent pairs ("of the") no more than x_max of them.
    """
    ### BEGIN SOLUTION
    f = np.minimum((np.asarray(X, dtype=float) / x_max) ** alpha, 1.0)
    ### END SOLUTION
    return f


def glove_cost(X, Theta, E, b, b_prime, x_max=100.0, alpha=0.75):
    """The GloVe objective and its gradients.

    J = sum over i, j with X_ij > 0 of f(X_ij) (theta_i . e_j + b_i + b'_j - log X_ij)^2

    X: (V, V) co-occurrence counts, X_ij = how often word j appears near word i
    Theta, E: (n_e, V) the two sets of word vectors; b, b_prime: (V,) biases
    Returns (J, grads): a float and {"dTheta": (n_e, V), "dE": (n_e, V), "db": (V,),
    "db_prime": (V,)}.
    """
    ### BEGIN SOLUTION
    seen = X > 0
    log_X = np.log(np.where(seen, X, 1.0))  # log 1 = 0 where X is 0; those weigh 0 anyway
    f = glove_weight(X, x_max, alpha) * seen  # (V, V)
    D = Theta.T @ E + b[:, None] + b_prime[None, :] - log_X  # (V, V): the misfit of each pair
    J = float(np.sum(f * D**2))
    G = 2 * f * D  # (V, V): dJ / dD
    grads = {"dTheta": E @ G.T, "dE": Theta @ G, "db": G.sum(axis=1), "db_prime": G.sum(axis=0)}
    ### END SOLUTION
    return J, grads


def cooccurrence(tokens, V, window=5):
    """Co-occurrence counts of the V most frequent words, weighted 1/distance.

    tokens: (N,) word indices, most frequent word = 0; words with index >= V are skipped
    window: how many words on each side count as context
    Returns X: (V, V), symmetric, X_ij = sum over occurrences of j within `window`
    words of i of 1 / distance.
    """
    X = np.zeros((V, V))
    for d in range(1, window + 1):
        left, right = tokens[:-d], tokens[d:]
        keep = (left < V) & (right < V)
        np.add.at(X, (left[keep], right[keep]), 1.0 / d)
    return X + X.T


def skipgram_pairs(tokens, V, window=2):
    """Every (center, context) pair of words within `window` of each other, both < V.

    Returns centers, contexts: (P,) int arrays of word indices.
    """
    centers, contexts = [], []
    for d in range(1, window + 1):
        for first, second in ((tokens[:-d], tokens[d:]), (tokens[d:], tokens[:-d])):
            keep = (first < V) & (second < V)
            centers.append(first[keep])
            contexts.append(second[keep])
    return np.concatenate(centers), np.concatenate(contexts)


def train_skipgram(tokens, V, n_e=30, window=2, K=5, num_epochs=2, batch_size=512,
                   learning_rate=0.01, seed=0, loss_fn=skipgram_loss, progress=True):
    """Skip-gram with negative sampling on the V most frequent words, trained with Adam.

    tokens: (N,) word indices (most frequent = 0); loss_fn: skipgram_loss or a student's
    Returns (E, Theta, losses): the learned (n_e, V) matrices and the mean loss of each
    block of 100 batches.
    """
    rng = np.random.default_rng(seed)
    centers, contexts = skipgram_pairs(tokens, V, window)
    noise = noise_distribution(np.bincount(tokens[tokens < V], minlength=V))
    # Inverse-CDF sampling: one searchsorted per batch instead of rng.choice's set-up.
    cumulative = np.cumsum(noise)
    parameters = {"E": rng.normal(0, 0.1, (n_e, V)), "Theta": np.zeros((n_e, V))}
    v, s = initialize_adam(parameters)
    losses, recent, t = [], [], 0
    for _ in progress_bar(range(num_epochs), show=progress, desc="epochs"):
        order = rng.permutation(len(centers))
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            negatives = np.minimum(np.searchsorted(cumulative, rng.random((len(batch), K))),
                                   V - 1)
            loss, dE, dTheta = loss_fn(parameters["E"], parameters["Theta"], centers[batch],
                                       contexts[batch], negatives)
            t += 1
            parameters, v, s, _, _ = update_parameters_with_adam(
                parameters, {"dE": dE, "dTheta": dTheta}, v, s, t, learning_rate)
            recent.append(loss)
            if len(recent) == 100:
                losses.append(float(np.mean(recent)))
                recent = []
    return parameters["E"], parameters["Theta"], losses


def fit_glove(X, n_e=30, num_iterations=300, learning_rate=0.05, seed=0, cost_fn=glove_cost,
              progress=True):
    """Fit GloVe vectors to co-occurrence counts X: (V, V) with Adam (full batch).

    cost_fn: glove_cost or a student's
    Returns (Theta, E, costs): the (n_e, V) matrices and the cost at each iteration.
    """
    rng = np.random.default_rng(seed)
    V = X.shape[0]
    parameters = {"Theta": rng.normal(0, 0.1, (n_e, V)), "E": rng.normal(0, 0.1, (n_e, V)),
                  "b": np.zeros(V), "b_prime": np.zeros(V)}
    v, s = initialize_adam(parameters)
    costs = []
    for t in progress_bar(range(1, num_iterations + 1), show=progress):
        J, grads = cost_fn(X, parameters["Theta"], parameters["E"], parameters["b"],
                           parameters["b_prime"])
        parameters, v, s, _, _ = update_parameters_with_adam(parameters, grads, v, s, t,
                                                             learning_rate)
        costs.append(J)
    return parameters["Theta"], parameters["E"], costs


def nearest_words(word, word_to_index, E, k=5):
    """The k words whose vectors have the highest cosine similarity with `word`'s."""
    index_to_word = {i: w for w, i in word_to_index.items()}
    unit = E / np.maximum(np.linalg.norm(E, axis=0), 1e-12)  # (n_e, V), columns of length 1
    similarity = unit.T @ unit[:, word_to_index[word]]  # (V,)
    similarity[word_to_index[word]] = -np.inf
    return [index_to_word[int(i)] for i in np.argsort(-similarity)[:k]]
