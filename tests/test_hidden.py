"""grader.grading.hidden: do the hidden tests reject what they should and only that?"""

import builtins
import dis
import sys
import types

import numpy as np
import pytest

from grader.authoring.catalogue import ASSIGNMENTS
from grader.grading import wire
from grader.grading.autograde import _callee_sources
from grader.grading.hidden import check, specs
from grader.grading.reference import reference

ALL_FUNCTIONS = sorted({f for a in ASSIGNMENTS for f in a.functions})


def test_every_graded_function_has_a_spec():
    """Is each graded function of every assignment covered by a hidden test?"""
    missing = [f for f in ALL_FUNCTIONS if f not in specs()]
    assert not missing, f"graded functions without a hidden-test spec: {missing}"


@pytest.mark.parametrize("qualname", ALL_FUNCTIONS)
def test_reference_passes_its_hidden_test(qualname):
    """Does the reference itself pass (so full marks are reachable)?"""
    fn = reference(qualname)
    check(qualname, fn, vars(sys.modules[fn.__module__]), trials=2)


@pytest.mark.parametrize("qualname", ALL_FUNCTIONS)
def test_inputs_are_fresh_each_time(qualname):
    """Do two draws differ, so that a hard-coded answer cannot match both?"""
    spec = specs()[qualname]
    rng = np.random.default_rng(0)
    first, second = spec.inputs(rng), spec.inputs(rng)
    assert wire.dumps(first) != wire.dumps(second), (
        f"{qualname}: two draws of hidden-test inputs were identical: {first}")


def test_hard_coded_answer_fails():
    """Does a sigmoid that returns the visible test's expected output fail?"""
    def sigmoid(z):
        return np.array([0.26894142, 0.5, 0.88079708])

    with pytest.raises(AssertionError, match="sigmoid: hidden test 1 of 3 failed"):
        check("activations.sigmoid", sigmoid, {})


def test_wrong_callee_does_not_sink_the_caller():
    """With a wrong sigmoid in the notebook, does a right sigmoid_derivative still pass?"""
    def wrong_sigmoid(z):
        return np.tanh(z)

    def sigmoid_derivative(z):
        s = namespace["sigmoid"](z)
        return s * (1 - s)

    namespace = {"sigmoid": wrong_sigmoid}
    check("activations.sigmoid_derivative", sigmoid_derivative, namespace)
    assert namespace["sigmoid"] is wrong_sigmoid, "the student's sigmoid was not restored"
    with pytest.raises(AssertionError):
        check("activations.sigmoid", wrong_sigmoid, namespace)


def test_mutating_inputs_does_not_affect_the_reference():
    """Does a function that scribbles on its input get compared on the original input?"""
    def normalize_rows(x):
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return x

    check("basics.normalize_rows", normalize_rows, {})


def test_hidden_test_leaves_the_global_random_state_alone():
    """Would a notebook's later cells change because a seeded hidden test ran? No."""
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    fn = reference("init.initialize_parameters_he")
    check("init.initialize_parameters_he", fn, vars(sys.modules[fn.__module__]))
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_edge_cases_run_first_in_every_check():
    """A precision_recall_f1 without the zero-division rule for recall fails hidden test 1
    (no actual positive), whatever the random draws."""
    def precision_recall_f1(y_true, y_pred):
        y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
        tp = np.sum((y_pred == 1) & (y_true == 1))
        predicted = np.sum(y_pred == 1)
        precision = tp / predicted if predicted > 0 else 0.0
        with np.errstate(invalid="ignore"):
            recall = tp / np.sum(y_true == 1)  # no guard: nan without actual positives
        f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
        return float(precision), float(recall), float(f1)

    for _ in range(5):
        with pytest.raises(AssertionError, match="hidden test 1 of 10 failed"):
            check("strategy.precision_recall_f1", precision_recall_f1, {})


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.id)
def test_reference_callees_find_their_globals_in_a_bare_notebook(assignment):
    """In the sandbox the reference callees are defined from source in the notebook's
    namespace: with nothing bound there (no setup-cell imports), does every global
    name they read resolve? (Only the tested function itself is the student's.)"""
    for tested in assignment.functions:
        namespace = {"__name__": "__main__"}
        exec(compile(_callee_sources(tested, specs()[tested], assignment.functions),
                     "<callees>", "exec"), namespace)
        defined = [v for v in namespace.values()
                   if isinstance(v, types.FunctionType) and v.__globals__ is namespace]
        for fn in defined:
            missing = {name for name in _global_names(fn.__code__)
                       if name not in namespace and not hasattr(builtins, name)}
            missing.discard(tested.rsplit(".", 1)[1])
            assert not missing, f"{tested}: {fn.__name__} reads unbound {sorted(missing)}"


def _global_names(code):
    """Global names a function's code (nested functions and comprehensions too) reads."""
    names = {i.argval for i in dis.get_instructions(code) if i.opname == "LOAD_GLOBAL"}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names
