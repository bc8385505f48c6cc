"""The course's build and autograder, built on nbgrader; two stacks.

``grader.authoring``: from the sources (``dlcourse/``, ``solutions/``) to what
students get: the student notebooks and package copies in ``notebooks/``, and the
nbgrader course directory an instructor releases from.

``grader.grading``: from submissions to scores: hidden tests, run in the student's
kernel (plain nbgrader) or in a sandbox (``python -m grader autograde``).

``grading`` imports from ``authoring``, never the reverse. Commands: ``python -m
grader --help``; the notebook benchmark: ``python -m grader.bench notebooks``.
"""
