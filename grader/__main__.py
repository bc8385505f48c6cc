"""Command line: ``python -m grader COMMAND``.

Authors:
  build [--check]    regenerate notebooks/ from solutions/ and dlcourse/ (or report drift)

Instructors (everything happens in an nbgrader course directory, --course DIR):
  release    assemble the course directory and release assignments (nbgrader generate_assignment)
  collect    gather submissions: from nbgrader's exchange, or from a folder or zip
             laid out as <student>/<assignment>/<files> or <student>/<files>
  autograde  grade submissions in sandboxes, in parallel; write the gradebook
  feedback   per-student feedback HTML (nbgrader generate_feedback; no hidden tests)
  export     grades CSV (nbgrader export) at <course>/grades.csv
  report     per-assignment statistics: mean, median, pass rate of each graded cell
"""

import argparse
import json
import os
import sys
from pathlib import Path

from grader import batch, build, nbgrader_course
from grader.course import ASSIGNMENTS, get
from grader.sandbox import Limits


def _assignments(ids):
    return [get(i) for i in ids] if ids else list(ASSIGNMENTS)


def _parser():
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="regenerate notebooks/ from solutions/ and dlcourse/")
    b.add_argument("--check", action="store_true", help="only report what is out of date")
    for name in ("release", "collect", "autograde", "feedback", "export", "report"):
        p = sub.add_parser(name, help=f"{name} (see above)")
        p.add_argument("--course", type=Path, required=True, help="course directory")
        if name == "release":
            p.add_argument("--exchange", type=Path,
                           help="also publish to this nbgrader exchange folder "
                                "(nbgrader release_assignment)")
        if name == "collect":
            p.add_argument("assignment", help="assignment id")
            where = p.add_mutually_exclusive_group(required=True)
            where.add_argument("--from", dest="source", type=Path, help="folder or zip file")
            where.add_argument("--exchange", action="store_true",
                               help="run `nbgrader collect` on the exchange")
        elif name != "export":
            p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
        if name == "autograde":
            p.add_argument("--students", help="comma-separated student ids (default: all)")
            p.add_argument("--workers", type=int, default=os.cpu_count(),
                           help="parallel processes (default: one per core; 1 = serial)")
            p.add_argument("--scheduler", help="Dask scheduler address: run jobs on that cluster")
            p.add_argument("--seconds", type=float, default=Limits.seconds,
                           help="wall-clock limit per graded function (s)")
            p.add_argument("--memory-mb", type=int, default=Limits.memory_mb)
            p.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        problems = build.check() if args.check else build.build()
        for line in problems:
            print(line, file=sys.stderr)
        if not problems:
            print("student files are up to date" if args.check else "built notebooks/")
        return 1 if problems else 0
    root = args.course
    if args.command == "release":
        nbgrader_course.assemble(root, _assignments(args.assignments), exchange=args.exchange)
        for a in _assignments(args.assignments):
            print(f"released {nbgrader_course.release(root, a)}")
            if args.exchange:
                args.exchange.mkdir(parents=True, exist_ok=True)
                nbgrader_course.nbgrader(root, "release_assignment", a.id, "--force")
                print(f"published {a.id} to the exchange {args.exchange}")
        return 0
    if args.command == "collect":
        assignment = get(args.assignment)
        if args.exchange:
            nbgrader_course.nbgrader(root, "collect", assignment.id, quiet=False)
            return 0
        try:
            students = batch.collect(args.source, root, assignment)
        except ValueError as exc:
            print(f"collect: {exc}", file=sys.stderr)
            return 1
        print(f"collected {len(students)} submissions of {assignment.id} into {root}/submitted")
        return 0
    if args.command == "export":
        nbgrader_course.nbgrader(root, "export", "--to", str(root / "grades.csv"))
        print(f"wrote {root / 'grades.csv'}")
        return 0
    for a in _assignments(args.assignments):
        if args.command == "autograde":
            _autograde(args, root, a)
        elif args.command == "feedback":
            nbgrader_course.nbgrader(root, "generate_feedback", a.id, "--force")
            print(f"wrote feedback for {a.id} in {root / 'feedback'}")
        else:
            _print_report(batch.report(root, a), root)
    return 0


def _autograde(args, root, assignment):
    if not (root / "release" / assignment.id / assignment.notebook).exists():
        raise SystemExit(f"{assignment.id} is not released in {root}: run `release` first")
    limits = Limits(seconds=args.seconds, memory_mb=args.memory_mb)
    students = set(args.students.split(",")) if args.students else None
    jobs = batch.jobs_for(root, assignment, students, limits)
    results = batch.run_jobs(jobs, workers=args.workers, scheduler=args.scheduler,
                             progress=not args.quiet)
    batch.record(root, assignment, results)
    for r in results:
        flag = f"  ({r.error})" if r.error else ""
        print(f"{assignment.id} {r.student}: {r.score:g}/{r.max_score:g}{flag}")


def _print_report(stats, root):
    print(f"{stats['assignment']}: {stats['submissions']} submissions, "
          f"mean {stats['mean']:.2f}, median {stats['median']:.2f}")
    for cell, rate in stats["pass_rates"].items():
        print(f"  {cell:<40} {100 * rate:5.1f}% pass")
    for student, error in stats["errors"].items():
        print(f"  ! {student}: {error}")
    out = root / "reports"
    out.mkdir(exist_ok=True)
    (out / f"{stats['assignment']}.json").write_text(json.dumps(stats, indent=2))


if __name__ == "__main__":
    sys.exit(main())
