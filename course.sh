#!/usr/bin/env bash
# The course's two entry points, each creating the environment (.venv) if needed:
#   bash course.sh open    open the student notebooks in JupyterLab (extra arguments go
#                          to jupyter lab, e.g. --no-browser --port=8899)
#   bash course.sh open --instructor --course DIR
#                          the formgrader of a course directory (python -m grader release)
#   bash course.sh test    run the whole test suite (extra arguments go to pytest)
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")"

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python=$candidate; break; fi
  done
fi
[ -n "$python" ] || { echo "course.sh: Python 3.11 not found (set PYTHON=...)" >&2; exit 1; }

# Install (once per change of the requirements) into .venv.
ensure_env() {
  local requirements=$1
  local prefix
  prefix=".venv/.installed-$(cat requirements*.txt pyproject.toml | sha256sum | cut -c1-16)"
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  # requirements-dev.txt includes requirements.txt: a test environment can open the course.
  if [ ! -f "$prefix-$requirements" ] && [ ! -f "$prefix-requirements-dev.txt" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r "$requirements"
    .venv/bin/python -m pip install --quiet --no-deps -e .
    touch "$prefix-$requirements"
  fi
}

case "${1:-}" in
  open)
    shift
    # --instructor --course DIR: the formgrader of a course directory made by
    # `python -m grader release --course DIR`; any other argument goes to jupyter lab.
    mode=student course=
    args=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --instructor) mode=instructor ;;
        --course) course=${2:?--course needs a directory}; shift ;;
        --course=*) course=${1#--course=} ;;
        *) args+=("$1") ;;
      esac
      shift
    done
    set -- ${args[@]+"${args[@]}"}
    case "$course" in ""|/*) ;; *) course=$caller/$course ;; esac
    ensure_env requirements.txt
    # Each assignment's stubbed copy of the package is a build product (not in git):
    # write the files that are missing or stale; the notebooks are left alone.
    .venv/bin/python -m grader build --packages
    # What the mode shows of nbgrader (grader/lab.py), without the Jupyter news question:
    # a configuration folder of our own, first on Jupyter's path.
    config=$(.venv/bin/python -m grader.lab "$mode" ${course:+--course "$course"})
    export JUPYTER_CONFIG_PATH="$config${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
    # Jupyter refuses to run as root unless told to (containers, CI machines).
    [ "$(id -u)" != 0 ] || set -- --allow-root "$@"
    if [ "$mode" = instructor ]; then
      [ -n "$course" ] || { echo "course.sh: --instructor needs --course DIR" >&2; exit 2; }
      # nbgrader's formgrader takes the course directory from the folder it starts in.
      lab=$PWD/.venv/bin/jupyter
      cd "$course"
      exec "$lab" lab --ServerApp.root_dir=. --LabApp.default_url=/formgrader "$@"
    fi
    exec .venv/bin/jupyter lab notebooks/ "$@"
    ;;
  test)
    ensure_env requirements-dev.txt
    # The autograder's sandbox (and its tests) need bubblewrap, the browser test Chromium
    # (driven by Playwright, never downloaded): Debian packages.
    missing=()
    command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    if [ ${#missing[@]} -gt 0 ]; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
      else
        echo "course.sh: install ${missing[*]} first (sudo apt-get install ${missing[*]})" >&2
        exit 1
      fi
    fi
    shift
    # One test worker per core (pytest-xdist); an idle worker takes tests from a busy one
    # (worksteal). Work that several tests share is done once per run (tests/once.py).
    # Workers run notebooks and graders side by side: one BLAS thread each.
    export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
    exec .venv/bin/python -m pytest -n auto --dist worksteal "$@"
    ;;
  *)
    echo "usage: bash course.sh open [--instructor --course DIR] | test [pytest arguments]" >&2
    exit 2
    ;;
esac
