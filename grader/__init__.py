"""The course's autograder and release tooling, built on nbgrader.

``python -m grader build`` regenerates everything students see (``notebooks/``
and its copies of the package) from ``solutions/`` and ``dlcourse/``. The other
commands assemble an nbgrader course directory and release, autograde and
export assignments; see ``python -m grader --help``.
"""
