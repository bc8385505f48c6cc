"""Command line: ``python -m grader COMMAND``.

Authors:
  build              regenerate notebooks/ from solutions/ and dlcourse/: the student notebooks
                     (committed) and each assignment's stubbed copy of the package (not committed)
  build --packages   only the package copies, only the files that changed (`course.sh open`)
  build --check      report what a fresh build would change, without writing
  execute [ids]      run solution notebooks top to bottom, store their outputs, rebuild notebooks/
  new <id>           write the skeleton of a catalogued assignment: its solution notebook
                     (three cells per exercise) and its hidden-test spec file

Everyone:
  site [--edition student|instructor] [--out DIR]
                     the course as a static website (build/site/index.html): an index of the
                     assignments and their goals, each notebook with its plots and maths

Students:
  check <notebook>   self-check: run the notebook's visible tests (never the hidden ones) in a
                     fresh process and print, per exercise, passed / failed / not implemented

Instructors (everything happens in an nbgrader course directory, --course DIR):
  release    assemble the course directory and release assignments (nbgrader generate_assignment)
  collect    gather submissions: from nbgrader's exchange, or from a folder or zip
             laid out as <student>/<assignment>/<files> or <student>/<files>;
             --roster students.csv also imports the students' names
  roster     import students' names into the gradebook from a CSV file with the columns
             id,first_name,last_name,email (nbgrader db student import)
  autograde  grade submissions in sandboxes, in parallel; write the gradebook
  feedback   per-student feedback HTML (nbgrader generate_feedback; no hidden tests), maths
             rendered by a copy of MathJax beside each page (offline)
  export     grades CSV (nbgrader export) at <course>/grades.csv
  report     per-assignment statistics: mean, median, pass rate of each graded cell
  similarity pairs of submissions whose answer cells look copied (normalised for names,
             comments, layout, literals and statement order; the released code left
             out), ranked: reports/similarity/<id>.html (matching code side by side)
             and .csv
"""

import argparse
import json
import os
import sys
from pathlib import Path

from grader.authoring.catalogue import ASSIGNMENTS, get
from grader.grading.sandbox import Limits


def _assignments(ids):
    return [get(i) for i in ids] if ids else list(ASSIGNMENTS)


def _parser():
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="regenerate notebooks/ from solutions/ and dlcourse/")
    mode = b.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="only report what is out of date")
    mode.add_argument("--packages", action="store_true",
                      help="only write the package copies that changed (fast)")
    e = sub.add_parser("execute", help="run solution notebooks and store their outputs")
    e.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    w = sub.add_parser("site", help="the course as a static website (see above)")
    w.add_argument("--edition", choices=["student", "instructor"], default="student")
    w.add_argument("--out", type=Path, help="folder (default build/site)")
    c = sub.add_parser("check", help="a student's self-check of a saved notebook (see above)")
    c.add_argument("notebook", type=Path)
    n = sub.add_parser("new", help="skeleton of a new assignment (see above)")
    n.add_argument("assignment", help="an assignment id of grader/authoring/catalogue.py")
    for name in ("release", "collect", "roster", "autograde", "feedback", "export", "report",
                 "similarity"):
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
        if name in ("collect", "roster"):
            p.add_argument("--roster" if name == "collect" else "roster", type=Path,
                           help="CSV file: id,first_name,last_name,email")
        if name not in ("export", "collect", "roster"):
            p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
        if name == "similarity":
            from grader.similarity import THRESHOLD

            p.add_argument("--threshold", type=float, default=THRESHOLD,
                           help=f"score from which a pair is suspicious (default {THRESHOLD})")
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


# Each command imports what it needs when it runs: nbgrader's gradebook alone takes
# seconds to import, and `build --packages` runs before every `course.sh open`.

def _build(args) -> int:
    if args.packages:
        from grader.authoring.stubs import write_packages

        changed = write_packages()
        if changed:
            print(f"updated {len(changed)} files of the assignments' package copies")
        return 0
    from grader.authoring import build

    problems = build.check() if args.check else build.build()
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print("student files are up to date" if args.check else "built notebooks/")
    return 1 if problems else 0


def _execute(args) -> int:
    from grader.authoring.execute import execute

    for a in _assignments(args.assignments):
        execute(a)
        print(f"executed solutions/{a.notebook}")
    # Running a notebook rewrites its metadata (the kernel's language_info), which the
    # student notebook copies: rebuild notebooks/ so that it is not left stale.
    args.packages = args.check = False
    return _build(args)


def _site(args) -> int:
    from grader import site

    index = site.build(args.out or site.OUT, args.edition)
    print(f"wrote {index}")
    return 0


def _check(args) -> int:
    from grader.selfcheck import check

    if not args.notebook.exists():
        raise SystemExit(f"no notebook at {args.notebook}")
    return 0 if check(args.notebook) else 1


def _new(args) -> int:
    from grader.authoring.scaffold import new

    for path in new(args.assignment):
        print(f"wrote {path}")
    return 0


def _release(args) -> int:
    from grader.authoring import course_dir

    root, chosen = args.course, _assignments(args.assignments)
    release = course_dir.release(root, chosen, exchange=args.exchange)
    for a in chosen:
        print(f"released {release / a.id}")
        if args.exchange:
            args.exchange.mkdir(parents=True, exist_ok=True)
            course_dir.nbgrader(root, "release_assignment", a.id, "--force")
            print(f"published {a.id} to the exchange {args.exchange}")
    return 0


def _collect(args) -> int:
    from grader.authoring import course_dir
    from grader.grading import batch

    assignment = get(args.assignment)
    if args.exchange:
        course_dir.nbgrader(args.course, "collect", assignment.id, quiet=False)
        return _roster(args) if args.roster else 0
    try:
        students = batch.collect(args.source, args.course, assignment)
    except ValueError as exc:
        print(f"collect: {exc}", file=sys.stderr)
        return 1
    print(f"collected {len(students)} submissions of {assignment.id} into "
          f"{args.course}/submitted")
    return _roster(args) if args.roster else 0


def _roster(args) -> int:
    from grader.authoring import course_dir

    if not args.roster.exists():
        print(f"roster: no file at {args.roster}", file=sys.stderr)
        return 1
    course_dir.nbgrader(args.course, "db", "student", "import", str(args.roster.resolve()))
    print(f"imported the students of {args.roster} into {args.course}/gradebook.db")
    return 0


def _export(args) -> int:
    from grader.authoring import course_dir

    course_dir.nbgrader(args.course, "export", "--to", str(args.course / "grades.csv"))
    print(f"wrote {args.course / 'grades.csv'}")
    return 0


def _feedback(args) -> int:
    from grader.authoring import course_dir

    for a in _assignments(args.assignments):
        course_dir.nbgrader(args.course, "generate_feedback", a.id, "--force")
        print(f"wrote feedback for {a.id} in {args.course / 'feedback'}")
    return 0


def _report(args) -> int:
    from grader.grading import batch

    for a in _assignments(args.assignments):
        _print_report(batch.report(args.course, a), args.course)
    return 0


def _similarity(args) -> int:
    from grader import similarity

    for a in _assignments(args.assignments):
        if not (args.course / "release" / a.id / a.notebook).exists():
            raise SystemExit(f"{a.id} is not released in {args.course}: run `release` first")
        result, html, table = similarity.report(args.course, a, args.threshold)
        n = len(result.submissions)
        print(f"{a.id}: {n} submissions, {n * (n - 1) // 2} pairs compared in "
              f"{result.seconds:.1f} s; {len(result.suspicious)} at or above "
              f"{args.threshold:g}")
        for p in result.suspicious:
            functions = p.functions
            shown = ", ".join(functions) if len(functions) <= 3 else \
                f"{len(functions)} functions"
            print(f"  {p.score:.3f}  {p.a} - {p.b}  ({shown})")
        for s in result.submissions:
            if s.problem:
                print(f"  ! {s.student}: not compared: {s.problem}")
        print(f"wrote {html}\nwrote {table}")
    return 0


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "autograde":
        for a in _assignments(args.assignments):
            _autograde(args, args.course, a)
        return 0
    return {"build": _build, "check": _check, "site": _site, "execute": _execute, "new": _new,
            "release": _release,
            "collect": _collect, "roster": _roster, "export": _export, "feedback": _feedback,
            "report": _report, "similarity": _similarity}[args.command](args)


def _autograde(args, root, assignment):
    from grader.grading import batch

    if not (root / "release" / assignment.id / assignment.notebook).exists():
        raise SystemExit(f"{assignment.id} is not released in {root}: run `release` first")
    limits = Limits(seconds=args.seconds, memory_mb=args.memory_mb)
    students = set(args.students.split(",")) if args.students else None
    jobs = batch.jobs_for(root, assignment, students, limits)
    try:
        batch.self_test(root, assignment, limits)
    except batch.SandboxBroken as exc:
        raise SystemExit(str(exc)) from None
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
