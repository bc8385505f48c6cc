"""The similarity report: copies found, honest students left alone, released code ignored."""

import csv
import subprocess
import sys

import numpy as np
import pytest

from grader import similarity as sim
from grader import submissions, synthetic_class
from grader.authoring import course_dir

A = synthetic_class.ASSIGNMENT


@pytest.fixture(scope="module")
def template():
    return sim.Template(list(synthetic_class.released_cells().values()), A)


@pytest.fixture(scope="module")
def synthetic():
    """40 honest students and 12 copiers (17 copy pairs), as students and as units."""
    students = synthetic_class.make_class(honest=40, copies=12)
    return students


def _class(students, template):
    return [sim.Submission(s.name, template.units(list(s.cells.items()))) for s in students]


def test_every_synthetic_submission_is_correct(synthetic):
    """The honest variants and the disguised copies all compute what the reference does
    (so the copies are copies a student could hand in, not broken text)."""
    problems = [p for s in synthetic for p in synthetic_class.check_correct(s)]
    assert not problems, "\n".join(problems[:10])


def test_copies_rank_above_honest_pairs(synthetic, template):
    result = sim.compare(_class(synthetic, template))
    truth = synthetic_class.copy_pairs(synthetic)
    assert len(truth) == 17
    copy = {(p.a, p.b): p.score for p in result.pairs if (p.a, p.b) in truth}
    honest = {(p.a, p.b): p.score for p in result.pairs if (p.a, p.b) not in truth}
    assert set(copy) == truth, f"copy pairs sharing nothing: {truth - set(copy)}"
    weakest = min(copy, key=copy.get)
    closest = max(honest, key=honest.get)
    print(f"\nlowest copy pair {weakest}: {copy[weakest]:.3f}; "
          f"highest honest pair {closest}: {honest[closest]:.3f}")
    assert copy[weakest] > honest[closest], (
        f"the copy pair {weakest} scores {copy[weakest]:.3f}, below the honest pair "
        f"{closest} at {honest[closest]:.3f}")
    precision, recall = synthetic_class.precision_recall(result, truth)
    print(f"at the threshold {sim.THRESHOLD}: precision {precision:.3f}, recall {recall:.3f}")
    assert (precision, recall) == (1.0, 1.0)


def test_copies_of_everything_overlap_whole(synthetic, template):
    """A copier who rewrote nothing shares all their code with the original (overlap 1):
    renaming, comments, docstrings, swapped assignments, layout and literal values are all
    normalised away."""
    result = sim.compare(_class(synthetic, template))
    scores = {(p.a, p.b): p.overlap for p in result.pairs}
    whole = [s for s in synthetic if s.copied_from and
             all(s.variants[f] == o for f, o in next(
                 t for t in synthetic if t.name == s.copied_from).variants.items())]
    assert whole
    for s in whole:
        pair = tuple(sorted((s.name, s.copied_from)))
        assert scores[pair] == pytest.approx(1.0, abs=1e-4), f"{pair}: {scores[pair]:.3f}"


def test_released_code_alone_shares_nothing(template):
    """Students who handed in the released notebook (stubs, signatures, docstrings),
    with or without its comments, share nothing worth a score."""
    released = synthetic_class.released_cells()
    stubs = {grade_id: source for grade_id, source in released.values()}
    bare = {g: synthetic_class.strip_comments(s) for g, s in stubs.items()}
    students = [sim.Submission(f"s{i}", template.units(list(cells.items())))
                for i, cells in enumerate([stubs, stubs, bare, bare])]
    assert all(not s.units for s in students), [u.name for s in students for u in s.units]
    assert sim.compare(students).pairs == []


def test_released_code_is_not_credited_to_a_pair(template):
    """Two students who each wrote one function differently and left the rest as
    released share nothing."""
    released = synthetic_class.released_cells()
    grade_id, stub = released["linear_forward"]
    cells = {g: s for g, s in released.values()}
    habits = {"key": "fstring", "dot": "@", "methods": False, "np_shape": False,
              "named_result": False, "int_halves": False, "docstring": True,
              "marker": True, "comments": 0}
    one = dict(cells, **{grade_id: synthetic_class.write_function(
        stub, synthetic_class.VARIANTS["linear_forward"][2], habits, np.random.default_rng(0))})
    two = dict(cells, **{grade_id: synthetic_class.write_function(
        stub, synthetic_class.VARIANTS["linear_forward"][3], habits, np.random.default_rng(0))})
    pair = [sim.Submission(n, template.units(list(c.items()))) for n, c in (("a", one),
                                                                          ("b", two))]
    assert [u.name for u in pair[0].units] == ["linear_forward"]
    assert sim.compare(pair).pairs == []


def test_code_most_students_wrote_alike_counts_little(synthetic, template):
    """30 students with the reference answers among 10 others: their code is the same
    (overlap 1) but common, so no pair of them is suspicious; two alone would be."""
    import nbformat

    from grader.authoring import metadata

    solution = nbformat.read(A.source, as_version=4)
    answers = [(metadata.grade_id(c), c.source) for c in solution.cells if metadata.is_answer(c)]
    crowd = [sim.Submission(f"ref{i:02d}", template.units(answers)) for i in range(30)]
    others = _class([s for s in synthetic if not s.copied_from][:10], template)
    result = sim.compare(crowd + others)
    among = [p for p in result.pairs if p.a.startswith("ref") and p.b.startswith("ref")]
    assert len(among) == 30 * 29 // 2 and all(p.overlap == pytest.approx(1) for p in among)
    assert max(p.score for p in among) < sim.THRESHOLD / 2
    pair = sim.compare(crowd[:2] + others).pairs[0]
    assert (pair.a, pair.b) == ("ref00", "ref01") and pair.score > 2 * sim.THRESHOLD


SOURCE = '''def update(parameters, grads, rate):
    """Docstring."""
    L = len(parameters) // 2  # layers
    new = {}
    for l in range(1, L + 1):
        new["W" + str(l)] = parameters["W" + str(l)] - rate * grads["dW" + str(l)]
        new["b" + str(l)] = parameters["b" + str(l)] - rate * grads["db" + str(l)]
    total = 0
    count = 1
    return new
'''

DISGUISED = '''def update(parameters, grads, rate):
  # my version
  new_params = {}
  n_layers = len(parameters)//2
  for layer in range(1, 1 + n_layers):
    new_params["b" + str(layer)] = (parameters["b" + str(layer)]
                                    - rate * grads["db" + str(layer)])
    new_params["W" + str(layer)] = parameters["W" + str(layer)] - rate * grads["dW" + str(layer)]
  count = 2
  total = 0.0
  return new_params
'''

REWRITTEN = '''def update(parameters, grads, rate):
    return {k: v - rate * grads["d" + k] for k, v in parameters.items()}
'''


def test_normalised_fingerprints():
    """Names, comments, docstrings, layout, literal values, operand order and the order of
    independent assignments change no fingerprint; another algorithm shares none."""
    def prints(source):
        units = sim.units_of([("cell", source)], {"update"})
        return set().union(*(u.prints for u in units))
    assert prints(SOURCE) == prints(DISGUISED)
    assert not prints(SOURCE) & prints(REWRITTEN)


def test_dependent_assignments_keep_their_order():
    first = "def f(x):\n    a = x + 1\n    b = a * 2\n    return b\n"
    swapped = "def f(x):\n    b = x * 2\n    a = b + 1\n    return a\n"
    units = [sim.units_of([("c", s)], {"f"})[0] for s in (first, swapped)]
    assert units[0].prints != units[1].prints


def test_a_cell_that_does_not_parse_is_still_compared():
    broken = "def linear_forward(A_prev, W, b):\n    return W @ A_prev + b, (A_prev, W b)\n"
    units = sim.units_of([("linear_forward", broken)], {"linear_forward"})
    assert units and units[0].name.endswith("(read as text)")


def test_code_nested_too_deep_is_read_as_text():
    """A sum of 3000 terms is deeper than Python's parser goes, one of 2000 deeper than
    the normaliser's recursion: both are compared as text, and the report goes on."""
    def sum_of(terms):
        return "def f(x):\n    return " + " + ".join(["x"] * terms) + "\n"
    units = sim.units_of([("cell", sum_of(3000))], {"f"})
    assert units and units[0].name.endswith("(read as text)")
    units = sim.units_of([("cell", sum_of(2000))], {"f"})
    assert [u.name for u in units] == ["f"] and units[0].prints


@pytest.mark.slow
def test_command_writes_escaped_reports(course_for, tmp_path):
    """``python -m grader similarity`` on a course directory: the copy pair first in the
    CSV and in the HTML, code shown escaped, an unreadable submission named."""
    root = course_for(tmp_path / "course", A)
    released = course_dir.read_notebook(root / "release" / A.id / A.notebook)
    students = synthetic_class.make_class(honest=6, copies=0, seed=3)
    original = students[0]
    grade_id = next(iter(original.cells))
    original.cells[grade_id] = original.cells[grade_id].replace(
        "\n    ", "\n    # <script>alert('x')</script> & more\n    ", 1)
    copier = synthetic_class.copied("copier", original, np.random.default_rng(0))
    copier.cells[grade_id] = copier.cells[grade_id].replace(
        "\n", "\n  # <script>alert('x')</script> & more\n", 1)
    for s in [*students, copier]:
        submissions.write(synthetic_class.notebook(s, released),
                          root / "submitted" / s.name / A.id / A.notebook)
    (root / "submitted" / "zed" / A.id).mkdir(parents=True)
    (root / "submitted" / "zed" / A.id / A.notebook).write_text("{broken")
    done = subprocess.run([sys.executable, "-m", "grader", "similarity", "--course", str(root),
                           A.id], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    html = root / "reports" / "similarity" / f"{A.id}.html"
    table = root / "reports" / "similarity" / f"{A.id}.csv"
    assert f"wrote {html}" in done.stdout and f"wrote {table}" in done.stdout, done.stdout
    assert "zed: not compared" in done.stdout, done.stdout
    rows = list(csv.DictReader(table.open()))
    assert (rows[0]["student_a"], rows[0]["student_b"]) == ("copier", original.name)
    assert rows[0]["suspicious"] == "yes" and float(rows[0]["score"]) > sim.THRESHOLD
    assert all(r["suspicious"] == "no" for r in rows[1:]), rows[:3]
    page = html.read_text()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
    assert page.count("class='side'") >= 5  # most of the nine functions side by side
    assert "zed" in page
