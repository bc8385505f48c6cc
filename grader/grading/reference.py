"""The reference package and the calls the hidden tests make to it.

The reference ``dlcourse`` is loaded from this repository under the name
``dlcourse_reference``; the ``dlcourse`` a graded notebook imports is the
student copy, whose graded functions are stubs. A student's function that calls
another graded function is tested with the reference standing in for the callee,
so one wrong function costs only its own points.
"""

import ast
import contextlib
import copy
import importlib
import importlib.util
import sys
import warnings

import numpy as np

from grader.authoring.catalogue import PACKAGE
from grader.authoring.stubs import function_source, parse

REFERENCE = "dlcourse_reference"


def reference_package():
    """Import the reference ``dlcourse`` under the name ``dlcourse_reference``."""
    if REFERENCE not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            REFERENCE, PACKAGE / "__init__.py",
            submodule_search_locations=[str(PACKAGE)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[REFERENCE] = module
        spec.loader.exec_module(module)
    return sys.modules[REFERENCE]


def reference(qualname: str):
    """The reference implementation of ``module.function``."""
    reference_package()
    module, name = qualname.rsplit(".", 1)
    return getattr(importlib.import_module(f"{REFERENCE}.{module}"), name)


@contextlib.contextmanager
def reference_stands_in(namespace, names, stand_ins=()):
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


def module_globals_used(qualname, exclude=()):
    """The names the reference of ``module.function`` reads from its module's globals
    (imports, helpers, constants), sorted, except itself and ``exclude``.

    Defined from its source in a sandboxed notebook, the function finds its globals in
    the notebook's namespace instead; the grader binds the missing ones from the
    student's copy of the module.
    """
    module, name = qualname.rsplit(".", 1)
    top = set()
    for node in parse((PACKAGE / f"{module}.py").read_text()).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            top |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            top.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            top |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    used = {n.id for n in ast.walk(parse(function_source(qualname)))
            if isinstance(n, ast.Name)}
    return sorted((used & top) - set(exclude) - {name})


def _module_of(fn):
    return sys.modules[fn.__module__]


def stand_ins_for_reference(reference_fn, spec):
    """Context binding the spec's stand-ins in the reference function's module."""
    return reference_stands_in(vars(_module_of(reference_fn)), (), spec.stand_ins)


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
