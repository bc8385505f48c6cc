"""Hidden tests: compare a student's function with the reference.

A hidden test cell in a solution notebook reads::

    ### BEGIN HIDDEN TESTS
    from grader.grading.hidden import check
    check("activations.sigmoid", sigmoid, globals())
    ### END HIDDEN TESTS

``check`` draws fresh random inputs of random shapes (a hard-coded answer
fails), runs the reference on them, runs the student's function with the
other graded functions it calls replaced by the reference (so one wrong
function costs only its own points), and compares the two results with
``judge``, the comparison the sandboxed grader uses too.
"""

import os

import numpy as np

from grader.grading.reference import call, reference, reference_stands_in, stand_ins_for_reference
from grader.grading.spec import Spec
from grader.grading.specs import all_specs as specs

__all__ = ["check", "judge", "passed_message", "specs"]


def _summary(args):
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"array of shape {a.shape}")
        elif isinstance(a, dict):
            parts.append("{" + ", ".join(f"{k}: {getattr(v, 'shape', v)}" for k, v in a.items())
                         + "}")
        else:
            parts.append(repr(a))
    return ", ".join(parts)


def judge(name: str, spec: Spec, trials) -> str | None:
    """The one comparison of hidden tests, for the in-kernel check and the sandboxed grader.

    trials: (args, expected, outcome) per hidden test, in order; outcome is
    ``{"output": value}`` or ``{"error": message}`` (what the student's function
    returned or raised). Returns None when every trial matches the reference,
    else the message of the first failure.
    """
    compare = reference("checks.compare")
    n = len(trials)
    for trial, (args, expected, outcome) in enumerate(trials, start=1):
        inputs = f"for inputs ({_summary(args)})"
        if "error" in outcome:
            return f"{name}: hidden test {trial} of {n} raised {inputs}: {outcome['error']}"[:800]
        problems = compare(expected, outcome["output"], "output", spec.rtol, spec.atol)
        if problems:
            return f"{name}: hidden test {trial} of {n} failed {inputs}:\n  " + \
                "\n  ".join(problems)
    return None


def passed_message(name: str, n: int) -> str:
    return f"{name}: {n} hidden tests with random inputs passed"


def check(qualname: str, fn, namespace=None, trials: int | None = None):
    """Assert that ``fn`` agrees with the reference of ``qualname`` on fresh inputs.

    An exception raised by ``fn`` propagates with its traceback, which tells a
    student more than a message could.
    """
    spec = specs()[qualname]
    expected_fn = reference(qualname)
    name = qualname.rsplit(".", 1)[1]
    rng = np.random.default_rng(int.from_bytes(os.urandom(8), "little"))
    done = []
    for args, seed in spec.draws(rng, trials or spec.trials):
        with stand_ins_for_reference(expected_fn, spec):
            expected = call(expected_fn, args, seed)
        with reference_stands_in(namespace, spec.uses, spec.stand_ins):
            got = call(fn, args, seed)
        done.append((args, expected, {"output": got}))
    failure = judge(name, spec, done)
    if failure:
        raise AssertionError(failure)
    print(passed_message(name, len(done)))
