"""Hidden tests: compare a student's function with the reference.

A hidden test cell in a solution notebook reads::

    ### BEGIN HIDDEN TESTS
    from grader.hidden import check
    check("activations.sigmoid", sigmoid, globals())
    ### END HIDDEN TESTS

``check`` draws fresh random inputs of random shapes (a hard-coded answer
fails), runs the reference on them, runs the student's function with the
other graded functions it calls replaced by the reference (so one wrong
function costs only its own points), and compares the two results.

The reference package is loaded from this repository under the name
``dlcourse_reference``; the ``dlcourse`` a graded notebook imports is the
student copy, whose graded functions are stubs.
"""

import contextlib
import copy
import importlib
import importlib.util
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

REFERENCE = "dlcourse_reference"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent / "dlcourse"


@dataclass(frozen=True)
class Spec:
    """How to test one graded function.

    inputs: rng -> tuple of positional arguments (fresh shapes and values)
    uses: graded functions (``module.function``) it calls through the
        notebook's globals; the reference stands in for them during the test
    seeded: the function draws from ``np.random``; both runs get the same seed
    stand_ins: global name -> ``module.function`` of a non-graded package
        function bound under that name during the test, for both the
        reference and the student (e.g. a deliberately imperfect gradient, so
        that a checker's answer is not always the same number)
    edge_cases: input makers like ``inputs`` for cases a random draw rarely
        hits (nothing to divide by, ...); they make the first trials
    """

    inputs: Callable[[np.random.Generator], tuple]
    uses: tuple[str, ...] = ()
    stand_ins: tuple[tuple[str, str], ...] = ()
    seeded: bool = False
    rtol: float = 1e-6
    atol: float = 1e-8
    trials: int = 3
    edge_cases: tuple[Callable[[np.random.Generator], tuple], ...] = ()

    def draws(self, rng, n=None):
        """(args, seed) for each of n trials (default ``trials``): edge cases first."""
        n = n or self.trials
        makers = (list(self.edge_cases) + [self.inputs] * n)[:n]
        for make in makers:
            args = make(rng)
            yield args, int(rng.integers(2**31)) if self.seeded else None


def reference_package():
    """Import the reference ``dlcourse`` under the name ``dlcourse_reference``."""
    if REFERENCE not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            REFERENCE, _PACKAGE_DIR / "__init__.py",
            submodule_search_locations=[str(_PACKAGE_DIR)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[REFERENCE] = module
        spec.loader.exec_module(module)
    return sys.modules[REFERENCE]


def reference(qualname: str):
    """The reference implementation of ``module.function``."""
    reference_package()
    module, name = qualname.rsplit(".", 1)
    return getattr(importlib.import_module(f"{REFERENCE}.{module}"), name)


def specs() -> dict[str, Spec]:
    """All hidden-test specs, gathered from ``grader/specs/*.py``."""
    table: dict[str, Spec] = {}
    for path in sorted((Path(__file__).parent / "specs").glob("c*.py")):
        module = importlib.import_module(f"grader.specs.{path.stem}")
        table.update(module.SPECS)
    return table


@contextlib.contextmanager
def _reference_stands_in(namespace, names, stand_ins=()):
    """Temporarily bind in ``namespace`` the reference of each graded function in
    ``names`` and each (global name, ``module.function``) of ``stand_ins``."""
    namespace = namespace if namespace is not None else {}
    bindings = [(q.rsplit(".", 1)[1], q) for q in names] + list(stand_ins)
    saved = {}
    for short, qualname in bindings:
        saved.setdefault(short, namespace.get(short, _MISSING))
        namespace[short] = reference(qualname)
    try:
        yield
    finally:
        for short, value in saved.items():
            if value is _MISSING:
                namespace.pop(short, None)
            else:
                namespace[short] = value


_MISSING = object()


def closure(qualnames, graded):
    """``qualnames`` and, transitively, the functions of ``graded`` that their
    reference code calls by name, in a stable order.

    In a sandbox the reference of a callee is defined in the student's
    namespace, where its own calls resolve by name: every graded function it
    reaches must be the reference too, or a wrong one would leak through.
    """
    import ast

    from grader.package import function_source, parse

    by_name = {q.rsplit(".", 1)[1]: q for q in graded}
    todo, seen = list(qualnames), []
    while todo:
        qualname = todo.pop(0)
        if qualname in seen:
            continue
        seen.append(qualname)
        tree = parse(function_source(qualname))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        todo += [by_name[n] for n in sorted(names & set(by_name)) if by_name[n] != qualname]
    return seen


def _module_of(fn):
    return sys.modules[fn.__module__]


def stand_ins_for_reference(reference_fn, spec):
    """Context binding the spec's stand-ins in the reference function's module."""
    return _reference_stands_in(vars(_module_of(reference_fn)), (), spec.stand_ins)


def call(fn, args, seed):
    """``fn(*args)`` on a copy of the arguments, seeding ``np.random`` if asked, quietly.

    The global random state is restored afterwards: the notebook's later cells
    must not depend on whether a hidden test ran before them.
    """
    state = np.random.get_state()
    if seed is not None:
        np.random.seed(seed)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            # An honest answer may overflow in exp() on extreme inputs; warnings
            # would reach stderr, which nbgrader reads as a failed test.
            warnings.simplefilter("ignore")
            return fn(*copy.deepcopy(args))
    finally:
        np.random.set_state(state)


def _summary(args):
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"array{a.shape}")
        elif isinstance(a, dict):
            parts.append("{" + ", ".join(f"{k}: {getattr(v, 'shape', v)}" for k, v in a.items())
                         + "}")
        else:
            parts.append(repr(a))
    return ", ".join(parts)


def check(qualname: str, fn, namespace=None, trials: int | None = None):
    """Assert that ``fn`` agrees with the reference of ``qualname`` on fresh inputs."""
    spec = specs()[qualname]
    expected_fn = reference(qualname)
    compare = reference("checks.compare")
    name = qualname.rsplit(".", 1)[1]
    rng = np.random.default_rng(int.from_bytes(os.urandom(8), "little"))
    n = trials or spec.trials
    for trial, (args, seed) in enumerate(spec.draws(rng, n), start=1):
        with stand_ins_for_reference(expected_fn, spec):
            expected = call(expected_fn, args, seed)
        with _reference_stands_in(namespace, spec.uses, spec.stand_ins):
            got = call(fn, args, seed)
        problems = compare(expected, got, "output", spec.rtol, spec.atol)
        if problems:
            raise AssertionError(f"{name}: hidden test {trial} of {n} failed for inputs "
                                 f"({_summary(args)}):\n  " + "\n  ".join(problems))
    print(f"{name}: {n} hidden tests with random inputs passed")
