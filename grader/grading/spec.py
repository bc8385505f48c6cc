"""How the hidden tests of one graded function draw their inputs and compare outputs."""

from dataclasses import dataclass
from typing import Callable

import numpy as np


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
