"""Command line: ``python -m grader COMMAND``.

build       regenerate notebooks/ (student notebooks and package copies)
build --check   report drift between the sources and the committed student files
release     assemble an nbgrader course directory and release assignments
autograde   autograde submissions in a course directory (nbgrader autograde)
feedback    write feedback HTML (nbgrader generate_feedback)
export      write the grades CSV (nbgrader export)
"""

import argparse
import sys
from pathlib import Path

from grader import build, nbgrader_course
from grader.course import ASSIGNMENTS, get


def _assignments(ids):
    return [get(i) for i in ids] if ids else list(ASSIGNMENTS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="regenerate notebooks/ from solutions/ and dlcourse/")
    b.add_argument("--check", action="store_true", help="only report what is out of date")
    for name in ("release", "autograde", "feedback", "export"):
        p = sub.add_parser(name, help=f"nbgrader {name} in a course directory")
        p.add_argument("--course", type=Path, required=True, help="course directory")
        if name != "export":
            p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    args = parser.parse_args(argv)

    if args.command == "build":
        problems = build.check() if args.check else build.build()
        for line in problems:
            print(line, file=sys.stderr)
        if not problems:
            print("student files are up to date" if args.check else "built notebooks/")
        return 1 if problems else 0
    if args.command == "release":
        nbgrader_course.assemble(args.course, _assignments(args.assignments))
        for a in _assignments(args.assignments):
            print(f"released {nbgrader_course.release(args.course, a)}")
        return 0
    if args.command == "export":
        nbgrader_course.nbgrader(args.course, "export", quiet=False)
        return 0
    verb = {"autograde": "autograde", "feedback": "generate_feedback"}[args.command]
    for a in _assignments(args.assignments):
        nbgrader_course.nbgrader(args.course, verb, a.id, "--force", quiet=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
