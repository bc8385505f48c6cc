"""The benchmark command line: does every benchmark the README documents exist?

The benchmarks themselves print times and are run by hand (never asserted here)."""

import re
from pathlib import Path

from grader.bench import BENCHMARKS, command_line

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_documented_benchmark_parses():
    documented = set(re.findall(r"python -m grader\.bench (\w+)", README.read_text()))
    assert documented == set(BENCHMARKS), (
        f"README documents {sorted(documented)}, the command offers {sorted(BENCHMARKS)}")
    for what in BENCHMARKS:
        assert command_line().parse_args([what]).what == what
