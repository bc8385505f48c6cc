"""The JupyterLab configuration of `bash course.sh open`, one per mode.

``python -m grader.lab student`` or ``python -m grader.lab instructor --course DIR`` writes a
Jupyter configuration folder and prints its path; ``course.sh`` puts it first on
``JUPYTER_CONFIG_PATH`` before it starts the Lab, so nothing in the user's own Jupyter
configuration or in the environment's is changed.

- Student: nbgrader's Assignment List, Course List, Formgrader and Create Assignment (lab
  plugins, their menu and their server extensions) are off. They need a course id and an
  exchange folder that a student working from a clone does not have, and answer with
  "Error fetching courses!" and "The exchange directory does not exist". Validate stays.
- Instructor: everything of nbgrader's, the Lab opening on the formgrader of the course
  directory; the Assignment and Course Lists only when the course's ``nbgrader_config.py``
  names an exchange (``python -m grader release --exchange``).
- Both: no "official Jupyter news" question and no update check (the Lab would ask on first
  load and then fetch news from the web).
"""

import argparse
import json
import re
import sys
from pathlib import Path

from grader.authoring.stubs import write_if_changed

NBGRADER_SERVER = "nbgrader.server_extensions."
NBGRADER_LAB = "@jupyter/nbgrader:"
# An exchange and a course id are what the lists need.
EXCHANGE_PLUGINS = ("assignment-list", "course-list")
INSTRUCTOR_PLUGINS = ("create-assignment", "menu")
NO_NEWS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                           "checkForUpdates": False}}


def has_exchange(course: Path) -> bool:
    config = course / "nbgrader_config.py"
    return config.exists() and re.search(r"^c\.Exchange\.root\s*=", config.read_text(),
                                         re.MULTILINE) is not None


def settings(mode: str, course: Path | None = None) -> dict[str, dict]:
    """The files of the configuration folder (relative path -> JSON content)."""
    if mode == "student":
        server_off = ["assignment_list", "course_list", "formgrader"]
        lab_off = [*EXCHANGE_PLUGINS, *INSTRUCTOR_PLUGINS]
    elif mode == "instructor":
        exchange = course is not None and has_exchange(course)
        server_off = [] if exchange else ["assignment_list", "course_list"]
        lab_off = [] if exchange else list(EXCHANGE_PLUGINS)
    else:
        raise ValueError(f"mode is 'student' or 'instructor', not {mode!r}")
    server = {NBGRADER_SERVER + name: False for name in server_off}
    return {
        "jupyter_server_config.json": {"ServerApp": {"jpserver_extensions": server}},
        "labconfig/page_config.json": {
            "disabledExtensions": {NBGRADER_LAB + name: True for name in lab_off}},
        "labconfig/default_setting_overrides.json": NO_NEWS,
    }


def write(mode: str, course: Path | None = None, base: Path | None = None) -> Path:
    """Write the configuration folder of ``mode`` (under the environment's etc/ by default)
    and return it."""
    folder = (base or Path(sys.prefix) / "etc" / "dlcourse-lab") / mode
    # Only what changed is written: a Lab already running reads these files, and a second
    # `course.sh open` must not truncate them under it.
    for name, content in settings(mode, course).items():
        write_if_changed(folder / name, json.dumps(content, indent=2) + "\n")
    if mode == "student":
        # Validate reads nbgrader's configuration from Jupyter's path and warns in the Lab's
        # log when it finds none; a student's Validate needs no setting.
        write_if_changed(folder / "nbgrader_config.py", "# Written by `python -m grader.lab "
                         "student`: Validate needs no setting.\n")
    return folder


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.lab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["student", "instructor"])
    parser.add_argument("--course", type=Path, help="course directory (instructor)")
    args = parser.parse_args(argv)
    if args.mode == "instructor":
        if args.course is None:
            parser.error("instructor mode needs --course DIR")
        if not (args.course / "nbgrader_config.py").exists():
            print(f"no nbgrader course directory at {args.course}: make one with "
                  f"`python -m grader release --course {args.course} [ids]`", file=sys.stderr)
            return 1
    print(write(args.mode, args.course))
    return 0


if __name__ == "__main__":
    sys.exit(main())
