"""Similarity report for instructors: which submissions of an assignment look copied.

``python -m grader similarity --course DIR <assignment>`` compares every pair of
submissions in ``DIR/submitted/<student>/<assignment>/`` and writes a ranked report,
``DIR/reports/similarity/<assignment>.html`` (the suspicious pairs, their matching
code side by side) and ``.csv`` (every pair that shares anything, ranked).

What is compared. Only the answer cells, found as the grader finds them
(``autograde.read_answers``: by nbgrader grade id, else by the functions a cell
defines): the rest of a notebook is the course's. Each top-level function (or class)
of an answer cell is a *unit*; an answer cell's other statements form one more.

Normalising what copying changes cheaply (standard library ``ast``; ``tokenize``
only for a cell that does not parse, read as text):

- comments, docstrings and string statements vanish, and with them the layout
  (whitespace, line breaks, redundant parentheses), since the AST has none;
- local names and arguments become ``v0, v1, ...`` in order of first appearance
  (arguments first), names the student's cells bind at module level (helpers)
  become ``helper``; global names the setup cells give (``np``, ``sigmoid``),
  attributes and keyword names are kept, since renaming them breaks the code;
- numbers become ``NUM``, strings ``STR``, an f-string ``FSTR`` followed by its
  expressions;
- ``x += e`` becomes ``x = x + e``; the operands of ``+``, ``*``, ``==`` and ``!=``
  are put in a fixed order;
- within a block, a run of consecutive assignments is put in one canonical order
  that respects their data dependencies (a statement that reads or writes a name
  another writes stays after it; two stores into the same container, such as
  ``parameters["W1"] = ...; parameters["b1"] = ...``, may swap): every order a
  copier can produce by swapping independent assignments gives the same sequence.
  Calls are taken to have no side effects on other names, the usual simplification.
  The canonical order is computed with local names blinded, so renaming cannot
  change it (assignments that look alike blinded, ``dW = np.zeros_like(W)`` and
  ``db = np.zeros_like(b)``, are told apart by their literal values, then by how the
  rest of the function uses what each assigns); the ``v0, v1, ...`` numbering is given
  afterwards.

Ignoring what the released notebook already contained: a graded function's
signature is not fingerprinted, the statements of its released stub (``raise
NotImplementedError(...)``, ``return parameters``) are removed from the student's
body once each, and any fingerprint that the released answer cells themselves
produce is dropped. A class that handed in the released notebook shares nothing.

Fingerprints. The normalised AST is read out in pre-order as tokens (node kinds,
operators, canonical names, buckets), each carrying the line of the original code it
came from. Every ``K`` consecutive tokens (a k-gram, about one statement) are hashed
(BLAKE2b, stable across runs) and winnowed (the smallest hash of every ``WINDOW``
consecutive k-grams is kept, which guarantees that any common run of
``K + WINDOW - 1`` tokens is seen while keeping about half of the hashes).

Scores. An inverted index maps each fingerprint to the submissions holding it. A
fingerprint held by ``df`` of the ``n`` submissions has the rarity
``log((n + 1) / df) / log((n + 1) / 2)``: 1 when two students alone wrote it, near 0
when nearly everyone did (``return 1 / (1 + np.exp(-z))``). The *score* of a pair is the
sum of the rarities of the fingerprints they share over the number of fingerprints
either holds: 1 when all their code is the same and nobody else's, low when what they
share is what most of the class wrote too, however much of it. (Dividing by the rarity
of their union instead would give two students who both wrote only the common code a
perfect score.) The *overlap*, the same ratio with every fingerprint counting 1, says
how much of their code is the same at all. Both come from two products of the matrix
of which submission holds which fingerprint (only fingerprints held by two or more),
so 200 submissions (19,900 pairs) take a fraction of a second to compare; reading and
normalising their notebooks takes longer (``python -m grader.bench similarity``).

A pair is *suspicious* at a score of ``THRESHOLD`` or above, a value set on the
synthetic class of ``grader/synthetic_class.py`` (40 students who wrote their code
independently, 12 who copied one of them and disguised it): over eight seeds, whole
copies score 0.50 to 0.73 (overlap 1: less than 1 because part of their code is what
other students wrote too), copies with one of the nine functions rewritten 0.32 to
0.64, honest pairs at most 0.26 (tests/test_similarity.py checks one seed). In a class
of 200 such students, honest pairs reach 0.31: the threshold is a starting point, the
ranking is what to read.

The report shows, per suspicious pair, the units that share fingerprints (each with
its best match), the two students' original code side by side with the lines of the
common fingerprints highlighted. All text in the HTML is escaped.

What it does not catch: code rewritten statement by statement (a loop turned into a
vectorised expression, ``{}`` written ``dict()``), reordering beyond runs of
assignments (swapped ``if`` branches, moved loops), and code that a large part of the
class copied from one source (it looks common, so it counts little). A high score is a
reason to look, never a verdict: in a small class, or on an assignment whose answers
are a line each, honest students write the same code.
"""

import ast
import copy
import csv
import hashlib
import html
import io
import math
import time
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader.authoring import metadata
from grader.authoring.rules import names_bound_in, python_only

K = 12  # tokens per k-gram: about one short statement
WINDOW = 3  # winnowing window, in k-grams
THRESHOLD = 0.3  # score at or above which a pair is suspicious
CONTEXT_ROWS = 10  # pairs below the threshold listed in the HTML for context


@dataclass
class Unit:
    """One function (or class, or a cell's other statements) of a submission."""
    name: str
    cell: str  # the grade id of its answer cell
    source: str  # the answer cell's original source
    first: int  # its lines in that source (1-based, inclusive)
    last: int
    prints: dict = field(default_factory=dict)  # fingerprint -> lines it covers


@dataclass
class Submission:
    student: str
    units: list = field(default_factory=list)
    problem: str = ""  # why nothing could be read, if so

    def fingerprints(self) -> set:
        return set().union(*(u.prints for u in self.units)) if self.units else set()


# --- normalising ------------------------------------------------------------------

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_string_statement(stmt) -> bool:
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str))


def _blocks(node):
    """(owner, field name) of every statement list in the tree."""
    for sub in ast.walk(node):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(sub, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield sub, name


def _bound_names(node) -> set:
    """Names bound anywhere inside ``node`` (its locals, and those of nested scopes)."""
    return names_bound_in(node) - ({node.name} if isinstance(node, _DEFS) else set())


def _load(node):
    """A copy of an assignment target as an expression that reads it."""
    node = copy.deepcopy(node)
    for sub in ast.walk(node):
        if hasattr(sub, "ctx"):
            sub.ctx = ast.Load()
    return node


class _Canonical(ast.NodeTransformer):
    """Drops string statements, rewrites ``x op= e`` and orders commutative operands."""

    def __init__(self, key):
        self.key = key

    def generic_visit(self, node):
        super().generic_visit(node)
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                kept = [s for s in block if not _is_string_statement(s)]
                setattr(node, name, kept or [ast.copy_location(ast.Pass(), block[0])])
        return node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        value = ast.copy_location(ast.BinOp(_load(node.target), node.op, node.value), node)
        return ast.copy_location(ast.Assign(targets=[node.target],
                                            value=self.visit_BinOp(value)), node)

    def _swap(self, left, right) -> bool:
        """Whether ``right`` comes first in the canonical order of two operands."""
        keys = self.key(left), self.key(right)
        if keys[0] == keys[1]:
            keys = self.key(left, True), self.key(right, True)
        return keys[1] < keys[0]

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, (ast.Add, ast.Mult)) and self._swap(node.left, node.right):
            node.left, node.right = node.right, node.left
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq)) and \
                self._swap(node.left, node.comparators[0]):
            node.left, node.comparators = node.comparators[0], [node.left]
        return node


def _effects(stmt):
    """(names read, names rebound, containers stored into) of an assignment."""
    reads, writes, stores = set(), set(), set()

    def names(node):
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}

    def target(t):
        if isinstance(t, ast.Name):
            writes.add(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                target(e)
        elif isinstance(t, ast.Starred):
            target(t.value)
        else:  # x[i] = ..., x.a = ...: a store into the object x names
            while isinstance(t, (ast.Subscript, ast.Attribute)):
                if isinstance(t, ast.Subscript):
                    reads.update(names(t.slice))
                t = t.value
            (stores.add(t.id) if isinstance(t, ast.Name) else reads.update(names(t)))

    for t in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
        target(t)
    if isinstance(stmt, ast.AugAssign):
        reads |= names(stmt.target)
    if stmt.value is not None:
        reads |= names(stmt.value)
    return reads, writes, stores


def _conflict(a, b) -> bool:
    (ra, wa, sa), (rb, wb, sb) = a, b
    return bool(wa & (rb | wb | sb) or wb & (ra | sa) or sa & rb or sb & ra)


def independent(a, b) -> bool:
    """Whether two assignments may swap: neither reads, rebinds or stores into a name the
    other rebinds, and neither reads an object the other stores into (two stores into
    one object may swap)."""
    return not _conflict(_effects(a), _effects(b))


def _canonical_order(run, key, tiebreak):
    """The run's statements in the order that takes, among those whose dependencies
    are placed, the smallest key first (a topological sort: the same for every
    dependency-respecting permutation of the run). Statements with equal keys are
    told apart by their keys with literal values, then by ``tiebreak(statement)``."""
    effects = [_effects(s) for s in run]
    before = [{i for i in range(j) if _conflict(effects[i], effects[j])}
              for j in range(len(run))]
    keys = [(key(s),) for s in run]
    for refine in (lambda s: key(s, True), tiebreak):
        counts = Counter(keys)
        keys = [k + (refine(s),) if counts[k] > 1 else k for k, s in zip(keys, run,
                                                                          strict=True)]
    placed, out = set(), []
    while len(out) < len(run):
        ready = [j for j in range(len(run)) if j not in placed and before[j] <= placed]
        j = min(ready, key=lambda i: (keys[i], i))
        placed.add(j)
        out.append(run[j])
    return out


def _reorder(tree, key, tiebreak):
    for owner, name in list(_blocks(tree)):
        block, out, run = getattr(owner, name), [], []
        for stmt in [*block, None]:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                run.append(stmt)
                continue
            out += _canonical_order(run, key, tiebreak) if len(run) > 1 else run
            run = []
            if stmt is not None:
                out.append(stmt)
        setattr(owner, name, out)


class _Reader:
    """Reads a normalised tree out as (token, line) pairs."""

    def __init__(self, local_names, helpers, blind=False, values=False, marked=()):
        self.locals, self.helpers, self.blind = local_names, helpers, blind
        self.values = values  # literal values instead of their buckets (sort keys)
        self.marked = marked  # names read as "*" (sort keys)
        self.canonical = {}

    def name(self, ident):
        if ident in self.marked:
            return "*"
        if ident in self.locals:
            if self.blind:
                return "v"
            return self.canonical.setdefault(ident, f"v{len(self.canonical)}")
        return "helper" if ident in self.helpers else ident

    def read(self, node, line=0, out=None, heads_only=False):
        """Tokens of ``node`` (of a compound statement without its inner statements if
        ``heads_only``)."""
        out = [] if out is None else out
        line = getattr(node, "lineno", line)
        if isinstance(node, (ast.expr_context, ast.type_ignore)):
            return out
        if isinstance(node, ast.Name):
            out.append((self.name(node.id), line))
            return out
        if isinstance(node, ast.Constant):
            value = node.value
            bucket = ("STR" if isinstance(value, (str, bytes)) else
                      repr(value) if value is None or isinstance(value, bool) or
                      value is Ellipsis else "NUM")
            out.append((repr(value) if self.values else bucket, line))
            return out
        if isinstance(node, ast.JoinedStr):
            out.append(("FSTR", line))
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    self.read(part.value, line, out)
                elif self.values:
                    self.read(part, line, out)
            return out
        tag = type(node).__name__
        if isinstance(node, ast.Attribute):
            tag = "." + node.attr
        elif isinstance(node, ast.arg):
            tag = "arg " + self.name(node.arg)
        elif isinstance(node, ast.keyword):
            tag = f"{node.arg or '**'}="
        elif isinstance(node, _DEFS):
            tag = f"def {self.name(node.name)}"
        elif isinstance(node, ast.alias):
            tag = f"import {node.name}"
        out.append((tag, line))
        for child in ast.iter_child_nodes(node):
            if not (heads_only and isinstance(child, (ast.stmt, ast.excepthandler))):
                self.read(child, line, out)
        if isinstance(node, ast.stmt) and hasattr(node, "body"):
            out.append(("end", getattr(node, "end_lineno", line)))
        return out


def _key_function(local_names, helpers):
    """Sort key of a node with every local name blinded (so renaming cannot move it); with
    ``values``, literal values instead of their buckets, which order ``a = cache[0]`` and
    ``b = cache[1]`` the same way whichever comes first."""
    def key(node, values=False):
        return "\x1f".join(t for t, _ in _Reader(local_names, helpers, blind=True,
                                                 values=values).read(node))
    return key


def _tiebreak_function(tree, local_names, helpers):
    """Tells apart assignments that look alike with names blinded (``dW = np.zeros_like(W);
    db = np.zeros_like(b)``) by how the rest of the code uses what each assigns: the
    keys of the statements (compound ones without their bodies) that mention those names,
    the names marked; sorted, so the same in any statement order."""
    def tiebreak(stmt):
        _, writes, stores = _effects(stmt)
        reader = _Reader(local_names, helpers, blind=True, values=True,
                         marked=writes | stores)
        uses = []
        for node in ast.walk(tree):
            if isinstance(node, ast.stmt):
                tokens = [t for t, _ in reader.read(node, heads_only=True)]
                if "*" in tokens:
                    uses.append("\x1f".join(tokens))
        return "\x1e".join(sorted(uses))
    return tiebreak


def _normalised_tokens(node, helpers, graded, released):
    """Tokens of one top-level definition, or of a module's other statements (a Module
    node). A graded function contributes its body only, less its released stub's
    statements (``released``: blind key -> count)."""
    local_names = set() if isinstance(node, ast.Module) else _bound_names(node)
    key = _key_function(local_names, helpers)
    node = _Canonical(key).visit(node)
    _reorder(node, key, _tiebreak_function(node, local_names, helpers))
    reader = _Reader(local_names, helpers)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in graded:
        reader.read(node.args)  # numbers the arguments first, as in any function
        left = Counter(released.get(node.name, ()))
        kinds = {k.split("\x1f", 1)[0] for k in left}  # a key starts with the statement kind
        out = []
        for stmt in node.body:
            blind = _stub_key(stmt) if type(stmt).__name__ in kinds else None
            if left[blind]:
                left[blind] -= 1
                continue
            reader.read(stmt, out=out)
        return out
    return reader.read(node)


def _stub_key(stmt) -> str:
    """A statement with every name blinded, local or not: how a student's statement is
    matched with the released stub's (``return s`` is the stub's, whatever ``s`` is)."""
    reader = _Reader(set(), set())
    reader.name = lambda ident: "_"
    return "\x1f".join(t for t, _ in reader.read(stmt))


def _hash(tokens) -> int:
    digest = hashlib.blake2b("\x1f".join(tokens).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def fingerprints(tokens) -> dict:
    """Winnowed k-gram hashes of a token stream: hash -> the source lines it covers."""
    if not tokens:
        return {}
    texts = [t for t, _ in tokens]
    starts = range(max(1, len(tokens) - K + 1))
    hashes = [_hash(texts[i:i + K]) for i in starts]
    chosen = set()
    for w in range(max(1, len(hashes) - WINDOW + 1)):
        window = hashes[w:w + WINDOW]
        low = min(window)
        chosen.add(w + max(i for i, h in enumerate(window) if h == low))
    prints = {}
    for i in sorted(chosen):
        lines = {line for _, line in tokens[i:i + K] if line}
        prints.setdefault(hashes[i], set()).update(lines)
    return prints


def _fallback_tokens(source):
    """Tokens of a cell Python cannot parse: names, numbers and strings bucketed, comments
    dropped (``tokenize``); an empty list when even that fails."""
    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.NAME:
                out.append(("name", tok.start[0]))
            elif tok.type == tokenize.NUMBER:
                out.append(("NUM", tok.start[0]))
            elif tok.type == tokenize.STRING:
                out.append(("STR", tok.start[0]))
            elif tok.type == tokenize.OP:
                out.append((tok.string, tok.start[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return out
    return out


def units_of(cells, graded, released=None, helpers=None) -> list:
    """The units of answer cells ``[(grade_id, source)]``, fingerprinted.

    graded: names of the graded functions; released: function name -> blind keys of
    its released stub's statements (``stub_statements``)."""
    released = released or {}
    trees = {}
    for grade_id, source in cells:
        try:
            trees[grade_id] = ast.parse(python_only(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            trees[grade_id] = None  # RecursionError: nested deeper than the parser goes
    if helpers is None:
        helpers = set()
        for tree in trees.values():
            if tree is not None:
                helpers |= {n.name for n in tree.body if isinstance(n, _DEFS)}
                helpers |= _bound_names(ast.Module(
                    body=[s for s in tree.body if not isinstance(s, _DEFS)], type_ignores=[]))
        helpers -= set(graded)
    units = []
    for grade_id, source in cells:
        tree = trees[grade_id]
        if tree is None:
            tokens = _fallback_tokens(source)
            units.append(Unit(f"{grade_id} (read as text)", grade_id, source, 1,
                              source.count("\n") + 1, fingerprints(tokens)))
            continue
        defs = [n for n in tree.body if isinstance(n, _DEFS)]
        rest = [n for n in tree.body if not isinstance(n, _DEFS)]
        for node in defs:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            tokens = _tokens_of(node, source, first, node.end_lineno, helpers, graded, released)
            units.append(Unit(node.name, grade_id, source, first, node.end_lineno,
                              fingerprints(tokens)))
        if rest:
            first, last = rest[0].lineno, rest[-1].end_lineno
            tokens = _tokens_of(ast.Module(body=rest, type_ignores=[]), source, first, last,
                                helpers, graded, released)
            units.append(Unit(f"{grade_id}: other statements", grade_id, source, first, last,
                              fingerprints(tokens)))
    return [u for u in units if u.prints]


def _tokens_of(node, source, first, last, helpers, graded, released):
    """``_normalised_tokens``, or the text's tokens (lines ``first`` to ``last`` of
    ``source``) for code nested deeper than the normaliser's recursion goes."""
    try:
        return _normalised_tokens(node, helpers, graded, released)
    except RecursionError:
        text = "\n".join(source.split("\n")[first - 1:last])
        return [(t, line + first - 1) for t, line in _fallback_tokens(text)]


def stub_statements(cells) -> dict:
    """function name -> blind keys of the top-level statements of its released body
    (docstring excluded): what a student's body is not credited with."""
    out = {}
    for _, source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                node = _Canonical(lambda n, values=False: _stub_key(n)).visit(node)
                out[node.name] = [_stub_key(s) for s in node.body
                                  if not isinstance(s, ast.Pass)]
    return out


# --- the class --------------------------------------------------------------------

@dataclass
class Pair:
    a: str
    b: str
    score: float
    overlap: float  # shared fingerprints over the fingerprints either holds (no rarity)
    shared: float  # the rarities of the fingerprints they share, summed
    matches: list = field(default_factory=list)  # Match, for the report

    @property
    def functions(self):
        return sorted({m.a.name for m in self.matches})


@dataclass
class Match:
    """Two units of a pair that share fingerprints, and the lines those cover."""
    a: Unit
    b: Unit
    weight: float  # the rarities of the fingerprints they share, summed
    score: float  # that over the number of fingerprints either holds
    lines_a: set
    lines_b: set


@dataclass
class Result:
    assignment: str
    submissions: list
    pairs: list  # every pair sharing anything, highest score first
    threshold: float
    seconds: float = 0.0  # the whole report
    compare_seconds: float = 0.0  # scoring the pairs and matching the suspicious ones

    @property
    def suspicious(self):
        return [p for p in self.pairs if p.score >= self.threshold]


def rarity(submissions) -> tuple:
    """(fingerprint -> its rarity, the inverted index fingerprint -> the indices of the
    submissions holding it). A fingerprint held by ``df`` of the ``n`` submissions has
    rarity ``log((n + 1) / df) / log((n + 1) / 2)``: 1 when two submissions alone hold it,
    near 0 when every submission does (at most 1: one holder counts as two)."""
    index = {}
    for k, sub in enumerate(submissions):
        for fp in sub.fingerprints():
            index.setdefault(fp, []).append(k)
    n = len(submissions)
    pair = math.log((n + 1) / 2) if n > 1 else 1.0
    return {fp: min(1.0, math.log((n + 1) / len(holders)) / pair)
            for fp, holders in index.items()}, index


def compare(submissions, threshold=THRESHOLD, assignment="") -> Result:
    """Score every pair of submissions; the matches of the suspicious ones (and of the
    ``CONTEXT_ROWS`` next ones) are worked out for the report.

    score(a, b) = (sum of the rarities of the fingerprints a and b share)
                  / (number of fingerprints a or b holds),
    from two products of the matrix of which submission holds which fingerprint (only
    fingerprints held by two or more, the others are never shared)."""
    start = time.perf_counter()
    weight, index = rarity(submissions)
    n = len(submissions)
    sizes = np.array([len(s.fingerprints()) for s in submissions], dtype=np.float64)
    shared_fps = [fp for fp, holders in index.items() if len(holders) > 1]
    held = np.zeros((n, len(shared_fps)), dtype=np.float32)
    for col, fp in enumerate(shared_fps):
        held[index[fp], col] = 1.0
    w = np.array([weight[fp] for fp in shared_fps], dtype=np.float32)
    shared = ((held * w) @ held.T).astype(np.float64)
    common = (held @ held.T).astype(np.float64)
    union = sizes[:, None] + sizes[None, :] - common
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(union > 0, shared / union, 0.0)
        overlap = np.where(union > 0, common / union, 0.0)
    i, j = np.triu_indices(n, k=1)
    keep = shared[i, j] > 0
    i, j = i[keep], j[keep]
    order = np.lexsort((j, i, -score[i, j]))
    names = [s.student for s in submissions]
    pairs = [Pair(*sorted((names[a], names[b])), float(score[a, b]), float(overlap[a, b]),
                  float(shared[a, b])) for a, b in zip(i[order], j[order], strict=True)]
    by_name = {s.student: s for s in submissions}
    flagged = sum(p.score >= threshold for p in pairs)
    for pair in pairs[:flagged + CONTEXT_ROWS]:
        pair.matches = matches(by_name[pair.a], by_name[pair.b], weight)
    seconds = time.perf_counter() - start
    return Result(assignment, submissions, pairs, threshold, seconds, seconds)


def matches(a: Submission, b: Submission, weight) -> list:
    """The units of ``a`` and ``b`` that share fingerprints, most shared weight first, each
    unit in its best match only (a function copied whole meets the same function)."""
    found = []
    for ua in a.units:
        for ub in b.units:
            shared = ua.prints.keys() & ub.prints.keys()
            if shared:
                found.append((sum(weight[f] for f in shared), ua, ub, shared))
    out, used = [], set()
    for shared_weight, ua, ub, shared in sorted(found, key=lambda m: -m[0]):
        if id(ua) in used or id(ub) in used:
            continue
        used |= {id(ua), id(ub)}
        union = len(ua.prints.keys() | ub.prints.keys())
        out.append(Match(ua, ub, shared_weight, shared_weight / union,
                         set().union(*(ua.prints[f] for f in shared)),
                         set().union(*(ub.prints[f] for f in shared))))
    return out


# --- the course directory ---------------------------------------------------------

def read_class(root: Path, assignment) -> list:
    """Every submission of ``assignment`` in the course directory (``submitted/``, found
    as the grader finds them), as units with the released code removed."""
    import nbformat

    from grader.grading import autograde, batch

    jobs = batch.jobs_for(root, assignment)
    release = root / "release" / assignment.id / assignment.notebook
    _, answer_cells, _ = autograde.template_parts(nbformat.read(release, as_version=4))
    wanted = autograde.answer_functions(answer_cells)
    template = Template([(metadata.grade_id(c), c.source) for c in answer_cells], assignment)
    out = []
    for job in jobs:
        try:
            cells = list(autograde.read_answers(job.submission, wanted).sources.items())
            units = template.units(cells)
        except (ValueError, OSError) as exc:
            out.append(Submission(job.student, problem=str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - one odd submission must not stop the report
            out.append(Submission(job.student, problem=f"could not be normalised "
                                                       f"({type(exc).__name__}: {exc})"))
            continue
        out.append(Submission(job.student, units))
    return out


class Template:
    """What the released answer cells contain, to be left out of every submission."""

    def __init__(self, released_cells, assignment):
        self.graded = {q.rsplit(".", 1)[1] for q in assignment.functions}
        self.stubs = stub_statements(released_cells)
        self.prints = set()
        for unit in units_of(released_cells, self.graded):
            self.prints |= unit.prints.keys()

    def units(self, cells) -> list:
        """Units of a student's answer cells ``[(grade_id, source)]``, less the released
        code."""
        units = units_of(cells, self.graded, self.stubs)
        for unit in units:
            unit.prints = {fp: lines for fp, lines in unit.prints.items()
                           if fp not in self.prints}
        return [u for u in units if u.prints]


def report(root: Path, assignment, threshold=THRESHOLD) -> tuple:
    """Compare the class and write the HTML and CSV reports; (result, html, csv paths)."""
    start = time.perf_counter()
    submissions = read_class(root, assignment)
    result = compare(submissions, threshold, assignment.id)
    result.seconds = time.perf_counter() - start
    folder = root / "reports" / "similarity"
    folder.mkdir(parents=True, exist_ok=True)
    html_path, csv_path = folder / f"{assignment.id}.html", folder / f"{assignment.id}.csv"
    write_csv(result, csv_path)
    html_path.write_text(render_html(result), encoding="utf-8")
    return result, html_path, csv_path


# --- writing the report -----------------------------------------------------------

CSV_COLUMNS = ("rank", "student_a", "student_b", "score", "suspicious", "overlap",
               "shared_rarity", "functions")


def write_csv(result: Result, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(CSV_COLUMNS)
        for rank, p in enumerate(result.pairs, 1):
            out.writerow([rank, p.a, p.b, f"{p.score:.4f}",
                          "yes" if p.score >= result.threshold else "no", f"{p.overlap:.4f}",
                          f"{p.shared:.2f}", ";".join(p.functions)])


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
table.rank { border-collapse: collapse; } .rank td, .rank th { padding: 2px 10px; }
.rank td:nth-child(2) { white-space: nowrap; }
.rank tr.flag { background: #fde8e8; } .rank th { text-align: left; border-bottom: 1px solid #999; }
table.side { border-collapse: collapse; width: 100%; table-layout: fixed; margin-bottom: 1em; }
.side td { vertical-align: top; width: 50%; border: 1px solid #ccc; padding: 0; }
.side th { text-align: left; font-weight: normal; background: #f4f4f4; padding: 3px 6px; }
pre { margin: 0; padding: 4px 0; font-size: 12px; overflow-x: auto; }
pre span { display: block; padding: 0 6px; white-space: pre; }
pre span.hit { background: #fff1a8; } pre i { color: #999; font-style: normal; }
.note { color: #555; max-width: 60em; }
"""


def _code(unit: Unit, hits: set) -> str:
    lines = unit.source.splitlines()
    rows = []
    for n in range(unit.first, min(unit.last, len(lines)) + 1):
        cls = ' class="hit"' if n in hits else ""
        rows.append(f'<span{cls}><i>{n:3d} </i>{html.escape(lines[n - 1])}</span>')
    return "<pre>" + "".join(rows) + "</pre>"


def render_html(result: Result) -> str:
    e = html.escape
    flagged = result.suspicious
    unread = [s for s in result.submissions if s.problem]
    n = len(result.submissions)
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>Similarity: {e(result.assignment)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Similarity of the submissions of {e(result.assignment)}</h1>",
        f"<p>{n} submissions, {n * (n - 1) // 2} pairs compared in {result.seconds:.1f} s; "
        f"<b>{len(flagged)}</b> pairs at or above the threshold {result.threshold:g}.</p>",
        "<p class='note'>Code is compared after normalising names, comments, layout, "
        "literal values and the order of independent assignments; code the released "
        "notebook already contained is left out. <b>Overlap</b>: the share of the two "
        "students' normalised code they have in common (1 = the same code). <b>Score</b>: "
        "the same share with each piece of common code counted by its rarity, fully when "
        "no other student wrote it, hardly when most did; pairs are ranked by it. A high "
        "score is a reason to look, not a verdict. Highlighted lines hold the common "
        "code.</p>",
    ]
    if unread:
        parts.append("<p>Not compared (unreadable): " + ", ".join(
            f"{e(s.student)} ({e(s.problem)})" for s in unread) + "</p>")
    shown = result.pairs[:len(flagged) + CONTEXT_ROWS]
    parts.append("<table class='rank'><tr><th>#</th><th>students</th><th>score</th>"
                 "<th>overlap</th><th>functions in common</th></tr>")
    for rank, p in enumerate(shown, 1):
        cls = " class='flag'" if p.score >= result.threshold else ""
        link = f"<a href='#pair{rank}'>{e(p.a)} – {e(p.b)}</a>" if cls else \
            f"{e(p.a)} – {e(p.b)}"
        parts.append(f"<tr{cls}><td>{rank}</td><td>{link}</td><td>{p.score:.3f}</td>"
                     f"<td>{p.overlap:.2f}</td><td>{e(', '.join(p.functions))}</td></tr>")
    parts.append("</table>")
    if len(result.pairs) > len(shown):
        parts.append(f"<p class='note'>{len(result.pairs) - len(shown)} more pairs with "
                     f"lower scores are in the CSV file.</p>")
    for rank, p in enumerate(flagged, 1):
        parts.append(f"<h2 id='pair{rank}'>{rank}. {e(p.a)} and {e(p.b)}: "
                     f"score {p.score:.3f}, overlap {p.overlap:.2f}</h2>")
        for m in p.matches:
            title_a = f"{p.a}: {m.a.name} (cell {m.a.cell}), score {m.score:.2f}"
            title_b = f"{p.b}: {m.b.name} (cell {m.b.cell})"
            parts.append(f"<table class='side'><tr><th>{e(title_a)}</th><th>{e(title_b)}"
                         f"</th></tr><tr><td>{_code(m.a, m.lines_a)}</td>"
                         f"<td>{_code(m.b, m.lines_b)}</td></tr></table>")
    parts.append("</body></html>")
    return "\n".join(parts)
