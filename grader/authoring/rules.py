"""The authoring rule the hardened grader relies on, checked by ``python -m grader build``.

The grader does not run a submitted notebook top to bottom. In its sandbox it runs
the **setup cells** (every code cell above the first answer cell, taken from the
released notebook) once, then the student's **answer cells**, then calls the graded
function on fresh inputs. Experiment cells, visible tests and anything else below
the first exercise never run there. The assignment's data files are there (read-only),
so a setup cell may load data; one that fails is reported with every submission.

So every name an answer cell uses must be bound by a setup cell, by an answer cell
or by Python itself. A graded function that reads a variable made by an experiment
cell (``train_x``, a trained ``parameters``) would pass in the notebook and fail in
the grader: ``build`` refuses such a notebook, naming the cell that binds the name.
"""

import ast
import builtins

import nbformat

from grader.authoring import metadata

# Names a notebook kernel provides that plain Python does not.
KERNEL_NAMES = {"get_ipython", "display", "In", "Out", "__name__", "__file__"}


def python_only(source: str) -> str:
    """A cell's code without its IPython magics and shell escapes (blank lines instead,
    so line numbers stay), which plain Python cannot run."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def _tree(source: str) -> ast.AST:
    return ast.parse(python_only(source))


def bound_names(source: str) -> set[str]:
    """Every name the cell binds anywhere (generous: locals of its functions count)."""
    return names_bound_in(_tree(source))


def names_bound_in(tree: ast.AST) -> set[str]:
    """Every name bound anywhere in ``tree``, its own name if it is a definition included."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def used_names(source: str) -> set[str]:
    return {node.id for node in ast.walk(_tree(source))
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def setup_rule(assignment) -> list[str]:
    """One message per name an answer cell takes from a cell the grader does not run."""
    nb = nbformat.read(assignment.source, as_version=4)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    first = next(k for k, (_, c) in enumerate(code) if metadata.is_answer(c))
    answers = [c for _, c in code if metadata.is_answer(c)]
    allowed = set(dir(builtins)) | KERNEL_NAMES
    for _, cell in code[:first]:
        allowed |= bound_names(cell.source)
    for cell in answers:
        allowed |= bound_names(cell.source)
    problems = []
    for cell in answers:
        for name in sorted(used_names(cell.source) - allowed):
            where = [f"cell {i}" for i, c in code[first:] if name in bound_names(c.source)]
            problems.append(
                f"solutions/{assignment.notebook}: answer cell {metadata.grade_id(cell)} uses "
                f"`{name}`, bound only by {', '.join(where) or 'no cell'}: the grader runs only "
                f"the setup cells (code above the first exercise) and the answer cells "
                f"(see grader/authoring/rules.py)")
    return problems
