"""A synthetic class of c1w4a1 submissions for the similarity report: honest students
who wrote their code independently, and students who copied one of them.

Honest students. For each of the nine graded functions there are five correct
implementations written to differ as students' do: loops or vectorised code, ``while``
or ``for``, dictionary dispatch or ``if`` chains, helper variables or one expression,
formulas inlined or the course's helpers called. Each honest student picks one per
function and has habits of their own that run through all their code: how they build
a layer's key (``f"W{l}"``, ``"W" + str(l)``, ``"W{}".format(l)``, ``"W%d" % l``),
how they write a matrix product (``@``, ``np.dot``, ``np.matmul``), ``x.sum(...)`` or
``np.sum(x, ...)``, ``x.shape`` or ``np.shape(x)``, a result named before it is
returned or not, whether they keep the docstring and the ``# YOUR CODE HERE`` line,
their comments and some names. Within an implementation each student also decides
small details for themselves (``dict()`` or ``{}``, which side of a sum comes first,
``caches.append(c)`` or ``caches += [c]``, ...).

Copies. A copier takes another student's answer cells and disguises them as copiers
cheaply do: local names renamed, comments removed and others written, the docstring
dropped or rewritten, independent assignments swapped, the indentation and blank
lines changed, literal values tweaked (error messages, a float written another way,
a clipping epsilon), ``x = x + e`` written ``x += e``. Some copiers write one of the
nine functions themselves. Two students who copied the same original are a copy pair
too.

Every submission is correct: ``check_correct`` runs each function against the
reference package on random inputs (tests/test_similarity.py does, for the whole
class).
"""

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from itertools import combinations

import nbformat
import numpy as np

from grader.authoring import metadata
from grader.authoring.catalogue import NOTEBOOKS, get

ASSIGNMENT = get("c1w4a1")

# Bodies of the graded functions (4-space indented). KEY("W", l) and DOT(a, b) are
# written out in each student's habits (see ``_habits``); {{a|b}} is a detail each
# student decides for themselves (EMPTY stands for {}).
VARIANTS = {
    "initialize_parameters_deep": [
        """
    parameters = {{EMPTY|dict()}}
    {{L = len(layer_dims) - 1
    for l in range(1, L + 1):|L = len(layer_dims)
    for l in range(1, L):}}
        parameters[KEY("W", l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) {{/ np.sqrt(layer_dims[l - 1])|* np.sqrt(1 / layer_dims[l - 1])|/ layer_dims[l - 1] ** 0.5}}
        parameters[KEY("b", l)] = {{np.zeros((layer_dims[l], 1))|np.zeros([layer_dims[l], 1])|np.zeros(shape=(layer_dims[l], 1))}}
    return parameters
""", """
    params = {}
    for i, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        scale = {{1 / np.sqrt(n_prev)|np.sqrt(1.0 / n_prev)|n_prev ** -0.5}}
        params[KEY("W", i)] = np.random.randn(n, n_prev) * scale
        params[KEY("b", i)] = {{np.zeros((n, 1))|np.zeros(shape=(n, 1))}}
    return params
""", """
    parameters = {}
    l = 1
    while l < len(layer_dims):
        fan_in = {{layer_dims[l - 1]|layer_dims[l - 1] * 1}}
        parameters[KEY("W", l)] = np.random.randn(layer_dims[l], fan_in) / np.sqrt(fan_in)
        parameters[KEY("b", l)] = np.zeros(shape=(layer_dims[l], 1))
        l += 1
    return parameters
""", """
    L = len(layer_dims)
    weights = [np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(1.0 / layer_dims[l - 1])
               for l in range(1, L)]
    biases = {{[np.zeros((n, 1)) for n in layer_dims[1:]]|[np.zeros((layer_dims[l], 1)) for l in range(1, L)]}}
    parameters = {}
    for l, (W, b) in enumerate(zip(weights, biases), 1):
        parameters[KEY("W", l)] = W
        parameters[KEY("b", l)] = b
    return parameters
""", """
    parameters = dict()
    for l, (rows, cols) in enumerate(zip(layer_dims[1:], layer_dims), 1):
        W = np.random.randn(rows, cols)
        W {{/= np.sqrt(cols)|= W / np.sqrt(cols)|*= 1 / np.sqrt(cols)}}
        parameters[KEY("W", l)] = W
        parameters[KEY("b", l)] = np.zeros((rows, 1), dtype=float)
    return parameters
"""],
    "linear_forward": [
        """
    Z = {{DOT(W, A_prev) + b|b + DOT(W, A_prev)}}
    {{cache = (A_prev, W, b)
    return Z, cache|return Z, (A_prev, W, b)}}
""", """
    return DOT(W, A_prev) + b, (A_prev, W, b)
""", """
    Z = DOT(W, A_prev)
    Z = Z + b
    {{assert Z.shape == (W.shape[0], A_prev.shape[1]), "wrong shape"|assert Z.shape[1] == A_prev.shape[1]}}
    cache = A_prev, W, b
    return Z, cache
""", """
    Z = np.add(DOT(W, A_prev), b)
    linear_cache = (A_prev, W, b)
    return Z, linear_cache
""", """
    n, m = W.shape[0], A_prev.shape[1]
    Z = DOT(W, A_prev) + b.reshape(n, 1)
    assert Z.shape == (n, m)
    return Z, (A_prev, W, b)
"""],
    "linear_activation_forward": [
        """
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "relu":
        A = relu(Z)
    elif activation == "sigmoid":
        A = sigmoid(Z)
    else:
        {{raise ValueError("unknown activation " + activation)|raise NotImplementedError(activation)|A = None}}
    return A, (linear_cache, Z)
""", """
    functions = {{dict(sigmoid=sigmoid, relu=relu)|{"sigmoid": sigmoid, "relu": relu} }}
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = functions[activation](Z)
    cache = (linear_cache, Z)
    return A, cache
""", """
    if activation == "relu":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A = relu(Z)
    else:
        Z, linear_cache = linear_forward(A_prev, W, b)
        A = sigmoid(Z)
    return A, (linear_cache, Z)
""", """
    assert activation in ("sigmoid", "relu"), activation
    Z, lin = linear_forward(A_prev, W, b)
    g = {{sigmoid if activation == "sigmoid" else relu|relu if activation == "relu" else sigmoid}}
    return g(Z), (lin, Z)
""", """
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "relu":
        A = np.maximum(0, Z)
    elif activation == "sigmoid":
        A = {{1 / (1 + np.exp(-Z))|1.0 / (1.0 + np.exp(-Z))|np.exp(Z) / (1 + np.exp(Z))}}
    cache = (linear_cache, Z)
    return A, cache
"""],
    "model_forward": [
        """
    caches = []
    A = X
    L = {{len(parameters) // 2|len(parameters.keys()) // 2}}
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters[KEY("W", l)], parameters[KEY("b", l)], "relu")
        {{caches.append(cache)|caches += [cache]}}
    AL, cache = linear_activation_forward(A, parameters[KEY("W", L)], parameters[KEY("b", L)], "sigmoid")
    caches.append(cache)
    return AL, caches
""", """
    n_layers = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, n_layers + 1):
        activation = {{"sigmoid" if l == n_layers else "relu"|"relu" if l < n_layers else "sigmoid"}}
        A, cache = linear_activation_forward(A, parameters[KEY("W", l)], parameters[KEY("b", l)], activation)
        caches.append(cache)
    return A, caches
""", """
    L = {{len([k for k in parameters if k.startswith("W")])|sum(1 for k in parameters if k[0] == "W")}}
    A_prev = X
    caches = []
    l = 1
    while l < L:
        W, b = parameters[KEY("W", l)], parameters[KEY("b", l)]
        A_prev, c = linear_activation_forward(A_prev, W, b, activation="relu")
        caches = caches + [c]
        l += 1
    AL, c = linear_activation_forward(A_prev, parameters[KEY("W", L)], parameters[KEY("b", L)], activation="sigmoid")
    caches = caches + [c]
    return AL, caches
""", """
    L = len(parameters) // 2
    activations = {{["relu"] * (L - 1) + ["sigmoid"]|["relu" for _ in range(L - 1)] + ["sigmoid"]}}
    A, caches = X, []
    for l, g in enumerate(activations, start=1):
        A, cache = linear_activation_forward(A, parameters[KEY("W", l)], parameters[KEY("b", l)], g)
        caches.append(cache)
    AL = A
    return AL, caches
""", """
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        W = parameters[KEY("W", l)]
        b = parameters[KEY("b", l)]
        Z = DOT(W, A) + b
        caches.append(((A, W, b), Z))
        if {{l < L|l != L}}:
            A = {{np.maximum(Z, 0)|Z * (Z > 0)|relu(Z)}}
        else:
            A = sigmoid(Z)
    return A, caches
"""],
    "compute_cost": [
        """
    m = Y.shape[1]
    cost = {{-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m|-(1 / m) * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))|np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / -m}}
    return {{float(cost)|float(np.squeeze(cost))|cost.item()}}
""", """
    logprobs = np.multiply(Y, np.log(AL)) + np.multiply(1 - Y, np.log(1 - AL))
    cost = -np.mean(logprobs)
    cost = float(np.squeeze(cost))
    return cost
""", """
    m = AL.shape[1]
    cost = {{-(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m|-1 / m * (Y @ np.log(AL).T + (1 - Y) @ np.log(1 - AL).T)}}
    return float(cost.item())
""", """
    m = Y.shape[1]
    total = 0.0
    for i in range(m):
        {{y, a = Y[0, i], AL[0, i]|y = Y[0][i]
        a = AL[0][i]}}
        total += y * np.log(a) + (1 - y) * np.log(1 - a)
    return float(-total / m)
""", """
    eps = 1e-15
    AL = np.clip(AL, eps, 1 - eps)
    losses = {{-np.where(Y == 1, np.log(AL), np.log(1 - AL))|np.where(Y > 0.5, -np.log(AL), -np.log(1 - AL))}}
    return float(losses.mean())
"""],
    "linear_backward": [
        """
    A_prev, W, b = cache
    m = {{A_prev.shape[1]|dZ.shape[1]}}
    dW = {{DOT(dZ, A_prev.T) / m|1 / m * DOT(dZ, A_prev.T)}}
    db = {{np.sum(dZ, axis=1, keepdims=True) / m|np.sum(dZ, axis=1).reshape(-1, 1) / m|np.mean(dZ, axis=1, keepdims=True)}}
    dA_prev = DOT(W.T, dZ)
    return dA_prev, dW, db
""", """
    A_prev, W, _ = cache
    m = dZ.shape[1]
    dW = (1 / m) * DOT(dZ, A_prev.T)
    db = {{(1 / m) * dZ.sum(axis=1, keepdims=True)|(1 / m) * np.sum(dZ, axis=1, keepdims=True)}}
    dA_prev = DOT(W.T, dZ)
    return dA_prev, dW, db
""", """
    A_prev = cache[0]
    W = cache[1]
    dA_prev = DOT(W.T, dZ)
    dW = {{DOT(dZ, A_prev.T) / A_prev.shape[1]|DOT(dZ, A_prev.T) / dZ.shape[1]}}
    db = np.mean(dZ, axis=1, keepdims=True)
    return dA_prev, dW, db
""", """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.einsum("im,jm->ij", dZ, A_prev) / m
    db = {{dZ.mean(axis=1).reshape(-1, 1)|np.einsum("im->i", dZ)[:, None] / m}}
    dA_prev = np.einsum("ji,jm->im", W, dZ)
    return dA_prev, dW, db
""", """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.zeros_like(W)
    db = np.zeros_like(b)
    for i in range(m):
        dW += np.outer(dZ[:, i], A_prev[:, i])
        {{db[:, 0] += dZ[:, i]|db += dZ[:, i:i + 1]}}
    return DOT(W.T, dZ), dW / m, db / m
"""],
    "linear_activation_backward": [
        """
    linear_cache, Z = cache
    if activation == "sigmoid":
        dZ = {{dA * sigmoid_derivative(Z)|np.multiply(dA, sigmoid_derivative(Z))}}
    elif activation == "relu":
        dZ = {{dA * relu_derivative(Z)|np.multiply(dA, relu_derivative(Z))}}
    else:
        raise ValueError("unknown activation " + activation)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
""", """
    derivatives = {{dict(relu=relu_derivative, sigmoid=sigmoid_derivative)|{"relu": relu_derivative, "sigmoid": sigmoid_derivative} }}
    linear_cache, Z = cache
    dZ = dA * derivatives[activation](Z)
    return linear_backward(dZ, linear_cache)
""", """
    linear_cache, Z = cache
    if activation == "relu":
        dZ = {{np.array(dA, copy=True)|dA.copy()}}
        dZ[{{Z <= 0|Z < 0|~(Z > 0)}}] = 0
    else:
        s = 1 / (1 + np.exp(-Z))
        dZ = dA * s * (1 - s)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
""", """
    lin_cache, act_cache = cache
    g_prime = relu_derivative(act_cache) if activation == "relu" else sigmoid_derivative(act_cache)
    dZ = np.multiply(dA, g_prime)
    grads = linear_backward(dZ, lin_cache)
    return grads
""", """
    Z = cache[1]
    if activation == "sigmoid":
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    elif activation == "relu":
        dZ = {{dA * (Z > 0)|np.where(Z > 0, dA, 0.0)}}
    else:
        raise ValueError(activation)
    return linear_backward(dZ, cache[0])
"""],
    "model_backward": [
        """
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = {{-(Y / AL - (1 - Y) / (1 - AL))|-(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))|(1 - Y) / (1 - AL) - Y / AL}}
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads[KEY("dA", L - 1)], grads[KEY("dW", L)], grads[KEY("db", L)] = dA_prev, dW, db
    for l in {{reversed(range(1, L))|range(L - 1, 0, -1)}}:
        dA_prev, dW, db = linear_activation_backward(grads[KEY("dA", l)], caches[l - 1], "relu")
        grads[KEY("dA", l - 1)], grads[KEY("dW", l)], grads[KEY("db", l)] = dA_prev, dW, db
    return grads
""", """
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dA = {{-(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))|-(Y / AL) + (1 - Y) / (1 - AL)}}
    for l in range(L, 0, -1):
        activation = {{"sigmoid" if l == L else "relu"|"relu" if l != L else "sigmoid"}}
        dA_prev, dW, db = linear_activation_backward(dA, caches[l - 1], activation)
        grads[KEY("dA", l - 1)] = dA_prev
        grads[KEY("dW", l)] = dW
        grads[KEY("db", l)] = db
        dA = dA_prev
    return grads
""", """
    L = len(caches)
    grads = dict()
    dAL = {{(AL - Y) / (AL * (1 - AL))|(AL - Y) / AL / (1 - AL)}}
    current = caches[-1]
    grads[KEY("dA", L - 1)], grads[KEY("dW", L)], grads[KEY("db", L)] = linear_activation_backward(dAL, current, "sigmoid")
    for l in range(L - 2, -1, -1):
        current = caches[l]
        dA_prev, dW, db = linear_activation_backward(grads[KEY("dA", l + 1)], current, "relu")
        grads[KEY("dA", l)] = dA_prev
        grads[KEY("dW", l + 1)] = dW
        grads[KEY("db", l + 1)] = db
    return grads
""", """
    grads = {}
    n = len(caches)
    Y = Y.reshape(AL.shape)
    dA = np.divide(1 - Y, 1 - AL) - np.divide(Y, AL)
    layer = n
    while layer >= 1:
        g = "sigmoid" if layer == n else "relu"
        dA_prev, dW, db = linear_activation_backward(dA, caches[layer - 1], g)
        grads.update({KEY("dA", layer - 1): dA_prev, KEY("dW", layer): dW, KEY("db", layer): db})
        dA = dA_prev
        layer -= 1
    return grads
""", """
    grads = {}
    Y = Y.reshape(AL.shape)
    dA = -Y / AL + (1 - Y) / (1 - AL)
    for l, cache in reversed(list(enumerate(caches, start=1))):
        activation = "relu" if l < len(caches) else "sigmoid"
        dA, grads[KEY("dW", l)], grads[KEY("db", l)] = linear_activation_backward(dA, cache, activation)
        grads[KEY("dA", l - 1)] = dA
    return grads
"""],
    "update_parameters": [
        """
    L = {{len(parameters) // 2|len([k for k in parameters if k[0] == "W"])}}
    updated = {{EMPTY|dict()}}
    for l in {{range(1, L + 1)|range(1, 1 + L)}}:
        updated[KEY("W", l)] = parameters[KEY("W", l)] - learning_rate * grads[KEY("dW", l)]
        updated[KEY("b", l)] = parameters[KEY("b", l)] - learning_rate * grads[KEY("db", l)]
    return updated
""", """
    return {{{key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}|dict((key, parameters[key] - learning_rate * grads["d" + key]) for key in parameters)}}
""", """
    updated = {name: p.copy() for name, p in parameters.items()}
    L = len(parameters) // 2
    for l in range(L):
        updated[KEY("W", l + 1)] -= learning_rate * grads[KEY("dW", l + 1)]
        updated[KEY("b", l + 1)] -= learning_rate * grads[KEY("db", l + 1)]
    return updated
""", """
    new = {}
    for name in parameters:
        step = {{learning_rate * grads["d" + name]|grads["d" + name] * learning_rate}}
        new[name] = parameters[name] - step
    return new
""", """
    params = dict(parameters)
    for l in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            params[KEY(p, l)] = params[KEY(p, l)] - learning_rate * grads[KEY("d" + p, l)]
    return params
"""],
}

_KEY = re.compile(r'KEY\(("\w*"(?: \+ \w+)?|\w+), ([^()]+?)\)')
_DOT = re.compile(r"DOT\(([^,()]+), ([^,()]+)\)")

KEY_STYLES = ("fstring", "concat", "format", "percent")
DOT_STYLES = ("@", "np.dot", "np.matmul")

COMMENTS = ("# one layer at a time", "# shapes: see the docstring", "# vectorised over m",
            "# as in the lecture", "# careful with the indices here", "# TODO: tidy up",
            "# works, checked with the visible tests", "# the cache is needed later",
            "# (n, m)", "# broadcasting adds b to every column", "# like the notes",
            "# I think this is right", "# keep the shapes consistent")
COPIER_COMMENTS = ("# my own version", "# compute it", "# done", "# here we go",
                   "# apply the formula", "# loop", "# final result", "# step")


def _key(prefix: str, index: str, style: str) -> str:
    literal, _, variable = prefix.partition(" + ")
    if not literal.startswith('"'):
        literal, variable = '""', literal
    text = literal.strip('"')
    wrapped = index if re.fullmatch(r"\w+", index) else f"({index})"
    if style == "fstring":
        return f'f"{text}{{{variable}}}{{{index}}}"' if variable else f'f"{text}{{{index}}}"'
    if style == "concat":
        head = f'"{text}" + {variable}' if variable else f'"{text}"'
        return f"{head} + str({index})"
    if style == "format":
        return (f'"{text}{{}}{{}}".format({variable}, {index})' if variable
                else f'"{text}{{}}".format({index})')
    return (f'"{text}%s%d" % ({variable}, {index})' if variable
            else f'"{text}%d" % {wrapped}')


def _dot(a: str, b: str, style: str) -> str:
    return f"{a} @ {b}" if style == "@" else f"{style}({a}, {b})"


def _habits(rng) -> dict:
    """One student's habits, which run through all their code."""
    return {"key": str(rng.choice(KEY_STYLES)), "dot": str(rng.choice(DOT_STYLES)),
            # x.sum(axis=1) rather than np.sum(x, axis=1); np.shape(x) rather than x.shape
            "methods": rng.random() < 0.5, "np_shape": rng.random() < 0.3,
            # result = <expression>; return result
            "named_result": rng.random() < 0.4, "int_halves": rng.random() < 0.3,
            "docstring": rng.random() < 0.7, "marker": rng.random() < 0.4,
            "comments": int(rng.integers(0, 4))}


def render(body: str, habits: dict, rng) -> str:
    """A variant's body written in a student's habits, its details decided."""
    body = re.sub(r"\{\{(.*?)\}\}", lambda m: str(rng.choice(m.group(1).split("|"))), body,
                  flags=re.S).replace("EMPTY", "{}")
    body = _KEY.sub(lambda m: _key(m.group(1), m.group(2), habits["key"]), body)
    body = _DOT.sub(lambda m: _dot(m.group(1), m.group(2), habits["dot"]), body)
    if habits["methods"]:
        body = re.sub(r"np\.(sum|mean)\((\w+), ", r"\2.\1(", body)
    if habits["np_shape"]:
        body = re.sub(r"\b(\w+)\.shape\b", r"np.shape(\1)", body)
    if habits["int_halves"]:
        body = body.replace("len(parameters) // 2", "int(len(parameters) / 2)")
    if habits["named_result"]:
        body = re.sub(r"^(\s*)return (.*\(.*)$", r"\1result = \2\n\1return result", body,
                      flags=re.M)
    return body


# --- text-level edits -------------------------------------------------------------

def _edit(source: str, edits) -> str:
    """Apply (row, start col, end col, new text) replacements (1-based rows)."""
    lines = source.split("\n")
    for row, start, end, new in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:start] + new + line[end:]
    return "\n".join(lines)


def _tokens(source: str):
    return list(tokenize.generate_tokens(io.StringIO(source).readline))


def rename(source: str, mapping: dict) -> str:
    """Rename names (never attributes or keyword arguments), in f-strings too."""
    edits, depth, toks = [], 0, _tokens(source)
    for k, tok in enumerate(toks):
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        if tok.type == tokenize.NAME and tok.string in mapping:
            before = toks[k - 1].string if k else ""
            after = toks[k + 1].string if k + 1 < len(toks) else ""
            if before != "." and not (after == "=" and depth > 0):
                edits.append((*tok.start, tok.end[1], mapping[tok.string]))
        elif tok.type == tokenize.STRING and tok.string[:1] in "fF" and \
                tok.start[0] == tok.end[0]:
            new = re.sub(r"\{([^{}]*)\}", lambda m: "{" + re.sub(
                r"\b\w+\b", lambda w: mapping.get(w.group(0), w.group(0)), m.group(1)) + "}",
                tok.string)
            edits.append((*tok.start, tok.end[1], new))
    return _edit(source, edits)


def strip_comments(source: str) -> str:
    """Comments removed; a line left blank by it is dropped."""
    edits = [(*t.start, t.end[1], "") for t in _tokens(source) if t.type == tokenize.COMMENT]
    lines = _edit(source, edits).split("\n")
    commented = {t.start[0] for t in _tokens(source) if t.type == tokenize.COMMENT}
    return "\n".join(line.rstrip() for n, line in enumerate(lines, 1)
                     if line.strip() or n not in commented)


def add_comments(source: str, rng, pool, count: int) -> str:
    """``count`` comment lines from ``pool`` above random statements of the function body."""
    tree = ast.parse(source)
    func = tree.body[0]
    spots = sorted({s.lineno for s in ast.walk(func) if isinstance(s, ast.stmt)
                    and s is not func and not _is_docstring(func, s)})
    lines = source.split("\n")
    for row in sorted(rng.choice(spots, size=min(count, len(spots)), replace=False),
                      reverse=True):
        indent = re.match(r"\s*", lines[row - 1]).group(0)
        lines.insert(row - 1, indent + str(rng.choice(pool)))
    return "\n".join(lines)


def _is_docstring(func, stmt) -> bool:
    return (stmt is func.body[0] and isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str))


def set_docstring(source: str, text: str | None) -> str:
    """Replace the function's docstring by a one-line ``text``, or drop it (None)."""
    func = ast.parse(source).body[0]
    if not _is_docstring(func, func.body[0]):
        return source
    doc = func.body[0]
    lines = source.split("\n")
    indent = re.match(r"\s*", lines[doc.lineno - 1]).group(0)
    new = [] if text is None else [f'{indent}"""{text}"""']
    return "\n".join(lines[:doc.lineno - 1] + new + lines[doc.end_lineno:])


def swap_independent(source: str, rng, chance: float = 0.7) -> str:
    """Swap adjacent one-line assignments that neither reads nor rebinds what the other
    writes (the rule the similarity normaliser applies, ``similarity.independent``)."""
    from grader.similarity import independent

    tree = ast.parse(source)
    lines = source.split("\n")
    for node in ast.walk(tree):
        for name in ("body", "orelse"):
            block = getattr(node, name, None)
            if not isinstance(block, list):
                continue
            k = 0
            while k + 1 < len(block):
                a, b = block[k], block[k + 1]
                simple = all(isinstance(s, (ast.Assign, ast.AugAssign)) and
                             s.lineno == s.end_lineno for s in (a, b))
                if simple and independent(a, b) and rng.random() < chance:
                    lines[a.lineno - 1], lines[b.lineno - 1] = \
                        lines[b.lineno - 1], lines[a.lineno - 1]
                    k += 2
                else:
                    k += 1
    return "\n".join(lines)


def reindent(source: str, width: int) -> str:
    """The indentation made ``width`` spaces a level (continuation lines scale alike)."""
    unit = min(len(t.string) for t in _tokens(source) if t.type == tokenize.INDENT)
    out = []
    for line in source.split("\n"):
        spaces = len(line) - len(line.lstrip(" "))
        out.append(" " * (spaces // unit * width + spaces % unit) + line.lstrip(" "))
    return "\n".join(out)


def spread(source: str, rng) -> str:
    """Blank lines after some statements and spaces inside brackets: layout only."""
    out = []
    for line in source.split("\n"):
        out.append(line)
        if line.strip() and not line.rstrip().endswith((":", ",", "(", "[", "{", "\\")) \
                and rng.random() < 0.3:
            out.append("")
    return "\n".join(out)


def tweak_literals(source: str, rng) -> str:
    """Other literal values where the result does not change (messages, an epsilon, how a
    float is written) and ``x = x + e`` as ``x += e``."""
    edits = []
    for tok in _tokens(source):
        if tok.type == tokenize.STRING and not tok.string.startswith(('"""', "f")) and \
                " " in tok.string:
            edits.append((*tok.start, tok.end[1], '"' + str(rng.choice(
                ["bad input", "activation not supported", "shape mismatch", "oops"])) + '"'))
        elif tok.type == tokenize.NUMBER and "e-" in tok.string:
            edits.append((*tok.start, tok.end[1], str(rng.choice(["1e-12", "1e-10", "1e-14"]))))
        elif tok.type == tokenize.NUMBER and tok.string == "1.0":
            edits.append((*tok.start, tok.end[1], "1."))
    source = _edit(source, edits)
    return re.sub(r"^(\s*)(\w+) = \2 ([+*-]) (.+)$", r"\1\2 \3= \4", source, flags=re.M)


# --- students -----------------------------------------------------------------------

def released_cells() -> dict:
    """function name -> (grade_id, source) of the released c1w4a1 answer cells."""
    nb = nbformat.read(NOTEBOOKS / ASSIGNMENT.id / ASSIGNMENT.notebook, as_version=4)
    out = {}
    for cell in nb.cells:
        if metadata.is_answer(cell):
            for q in metadata.functions(cell):
                out[q.rsplit(".", 1)[1]] = (metadata.grade_id(cell), cell.source)
    return out


def _head(stub: str) -> str:
    """The released cell up to its ``# YOUR CODE HERE`` line: signature and docstring."""
    lines = stub.split("\n")
    cut = next(i for i, line in enumerate(lines) if "YOUR CODE HERE" in line)
    return "\n".join(lines[:cut])


NAME_CHANGES = {"parameters": ["params", "model_params", "weights_dict", "theta"],
                "caches": ["cache_list", "stored", "history"],
                "grads": ["gradients", "g_dict", "derivs"],
                "cost": ["J", "loss", "total_cost"], "m": ["n_examples", "batch", "M"],
                "L": ["num_layers", "depth", "n_L"], "l": ["layer", "i", "k"],
                "Z": ["Z_lin", "pre_act", "z"], "A": ["act", "A_cur", "a"],
                "dZ": ["delta", "dz", "grad_Z"], "dW": ["grad_W", "dw", "dWeights"],
                "db": ["grad_b", "dbias", "d_b"], "dA_prev": ["dA_before", "back", "dAp"],
                "cache": ["c", "memo", "saved"], "updated": ["result", "out", "new_params"]}


def _local_names(source: str) -> set:
    """Names the function binds, its arguments excepted (renaming those would change how
    it can be called)."""
    func = ast.parse(source).body[0]
    args = {a.arg for a in func.args.args}
    bound = {n.id for n in ast.walk(func) if isinstance(n, ast.Name)
             and isinstance(n.ctx, ast.Store)}
    return bound - args


def _renaming(source: str, rng, share: float) -> dict:
    names = sorted(_local_names(source))
    taken = {t.string for t in _tokens(source) if t.type == tokenize.NAME}
    mapping = {}
    for name in names:
        if rng.random() >= share:
            continue
        options = [o for o in NAME_CHANGES.get(name, []) + [f"{name}_", f"my_{name}",
                                                             f"{name}2", f"{name}_val"]
                   if o not in taken and o not in mapping.values()]
        mapping[name] = str(rng.choice(options))
    return mapping


@dataclass
class Student:
    name: str
    cells: dict  # grade_id -> answer cell source
    copied_from: str = ""  # the honest student whose code this is ("" if honest)
    variants: dict = field(default_factory=dict)  # function -> variant index


def write_function(stub: str, body: str, habits: dict, rng) -> str:
    """An answer cell: the released signature (and docstring, if the student keeps it)
    and ``body`` in the student's habits, some names their own, some comments."""
    head = _head(stub) + ("\n    # YOUR CODE HERE" if habits["marker"] else "")
    source = head + render(body, habits, rng).rstrip("\n")
    if not habits["docstring"]:
        source = set_docstring(source, None)
    source = rename(source, _renaming(source, rng, share=0.3))
    return add_comments(source, rng, COMMENTS, int(rng.integers(0, habits["comments"] + 1)))


def honest_student(name: str, rng, stubs) -> Student:
    habits = _habits(rng)
    cells, chosen = {}, {}
    for function, (grade_id, stub) in stubs.items():
        chosen[function] = k = int(rng.integers(len(VARIANTS[function])))
        cells[grade_id] = write_function(stub, VARIANTS[function][k], habits, rng)
    return Student(name, cells, variants=chosen)


def copied(name: str, original: Student, rng, rewrite: int = 0) -> Student:
    """``original``'s answer cells disguised (see the module docstring), except
    ``rewrite`` functions that the copier wrote themselves (another variant)."""
    width = int(rng.choice([2, 3, 4]))
    stubs = released_cells()
    own = {str(f) for f in rng.choice(sorted(stubs), size=rewrite, replace=False)}
    habits, variants = _habits(rng), dict(original.variants)
    cells = {}
    for function in own:
        grade_id, stub = stubs[function]
        others = [k for k in range(len(VARIANTS[function])) if k != variants[function]]
        variants[function] = k = int(rng.choice(others))
        cells[grade_id] = write_function(stub, VARIANTS[function][k], habits, rng)
    for grade_id, source in original.cells.items():
        if grade_id in cells:
            continue
        source = strip_comments(source)
        source = set_docstring(source, None if rng.random() < 0.5 else str(rng.choice(
            ["My implementation.", "See the notebook above.", "Computes the result."])))
        source = rename(source, _renaming(source, rng, share=0.8))
        source = swap_independent(source, rng)
        source = tweak_literals(source, rng)
        source = add_comments(source, rng, COPIER_COMMENTS, int(rng.integers(0, 3)))
        source = spread(reindent(source, width), rng)
        cells[grade_id] = source
    return Student(name, cells, copied_from=original.copied_from or original.name,
                   variants=variants)


def make_class(honest: int = 40, copies: int = 12, seed: int = 0) -> list:
    """``honest`` independent students, then ``copies`` copiers. Copiers copy the first
    few honest students in turn, so that some originals are copied twice (their two
    copiers are a copy pair too), and the last copier copies a copy. Every third copier
    rewrites one of the nine functions themselves."""
    rng = np.random.default_rng(seed)
    stubs = released_cells()
    students = [honest_student(f"honest{i:03d}", rng, stubs) for i in range(honest)]
    originals = max(1, copies * 2 // 3)
    for i in range(copies):
        source = students[i % originals] if i < copies - 1 else students[-1]
        students.append(copied(f"copier{i:03d}", source, rng,
                               rewrite=1 if i % 3 == 2 and i < copies - 1 else 0))
    return students


def copy_pairs(students) -> set:
    """Pairs (sorted names) whose code shares an origin: copier and original, or two
    copiers of the same original."""
    origin = {s.name: s.copied_from or s.name for s in students}
    return {tuple(sorted((a.name, b.name))) for a, b in combinations(students, 2)
            if origin[a.name] == origin[b.name]}


def precision_recall(result, truth) -> tuple:
    """(precision, recall) of the pairs ``result`` calls suspicious, against ``truth``
    (``copy_pairs``)."""
    flagged = {tuple(sorted((p.a, p.b))) for p in result.suspicious}
    found = len(flagged & truth)
    return (found / len(flagged) if flagged else 1.0), (found / len(truth) if truth else 1.0)


def notebook(student: Student, released):
    """The released notebook with ``student``'s answer cells."""
    nb = nbformat.from_dict(nbformat.reads(nbformat.writes(released), as_version=4))
    for cell in nb.cells:
        if metadata.is_answer(cell):
            cell.source = student.cells[metadata.grade_id(cell)]
    return nb


def check_correct(student: Student, trials: int = 3) -> list:
    """Each function of ``student`` against the reference package on random inputs, all
    answer cells run in one namespace as in the notebook: the failures, as messages."""
    from dlcourse import activations, dense, losses

    space = {"np": np, **{n: getattr(activations, n) for n in
                          ("relu", "relu_derivative", "sigmoid", "sigmoid_derivative")}}
    for source in student.cells.values():
        exec(compile(source, f"<{student.name}>", "exec"), space)  # noqa: S102 - our code
    reference = {**{n: getattr(dense, n) for n in dir(dense)}, "compute_cost":
                 losses.compute_cost}
    problems = []
    rng = np.random.default_rng(1)
    for _ in range(trials):
        dims = [int(d) for d in rng.integers(2, 5, size=int(rng.integers(2, 4)))] + [1]
        m = int(rng.integers(2, 6))
        X = rng.standard_normal((dims[0], m))
        Y = (rng.random((1, m)) < 0.5).astype(float)
        np.random.seed(3)
        params = dense.initialize_parameters_deep(dims)
        AL, caches = dense.model_forward(X, params)
        grads = dense.model_backward(AL, Y, caches)
        W, b = params["W1"], params["b1"]
        cases = {
            "initialize_parameters_deep": (dims,),
            "linear_forward": (X, W, b),
            "linear_activation_forward": (X, W, b, str(rng.choice(["relu", "sigmoid"]))),
            "model_forward": (X, params),
            "compute_cost": (AL, Y),
            "linear_backward": (rng.standard_normal((dims[1], m)), (X, W, b)),
            "linear_activation_backward": (rng.standard_normal((dims[1], m)), caches[0],
                                           "relu"),
            "model_backward": (AL, Y, caches),
            "update_parameters": (params, grads, 0.1),
        }
        for name, args in cases.items():
            np.random.seed(7)
            want = reference[name](*args)
            np.random.seed(7)
            try:
                got = space[name](*args)
                _assert_close(got, want)
            except Exception as exc:  # noqa: BLE001 - report any failure by function
                problems.append(f"{student.name}.{name}: {type(exc).__name__}: {exc}")
    return problems


def _assert_close(got, want):
    if isinstance(want, dict):
        assert sorted(got) == sorted(want), f"keys {sorted(got)} != {sorted(want)}"
        for k in want:
            _assert_close(got[k], want[k])
    elif isinstance(want, (tuple, list)):
        assert len(got) == len(want), f"length {len(got)} != {len(want)}"
        for g, w in zip(got, want, strict=True):
            _assert_close(g, w)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)
