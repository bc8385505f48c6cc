"""What `bash course.sh open` shows of nbgrader, per mode (grader/lab.py)."""

import json

from grader import lab


def _written(tmp_path, mode, course=None):
    folder = lab.write(mode, course, base=tmp_path / "etc")
    server = json.loads((folder / "jupyter_server_config.json").read_text())
    page = json.loads((folder / "labconfig" / "page_config.json").read_text())
    news = json.loads((folder / "labconfig" / "default_setting_overrides.json").read_text())
    return folder, server["ServerApp"]["jpserver_extensions"], page["disabledExtensions"], news


def test_student_gets_validate_only_and_no_news(tmp_path):
    folder, server, page, news = _written(tmp_path, "student")
    assert server == {f"nbgrader.server_extensions.{name}": False
                      for name in ("assignment_list", "course_list", "formgrader")}
    assert "@jupyter/nbgrader:validate-assignment" not in page
    assert page["@jupyter/nbgrader:assignment-list"] and page["@jupyter/nbgrader:course-list"]
    assert news["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert (folder / "nbgrader_config.py").exists(), "Validate would warn of no config"


def test_instructor_lists_only_with_an_exchange(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    _, server, page, _ = _written(tmp_path, "instructor", course)
    assert "nbgrader.server_extensions.formgrader" not in server
    assert server["nbgrader.server_extensions.assignment_list"] is False
    assert page == {"@jupyter/nbgrader:assignment-list": True,
                    "@jupyter/nbgrader:course-list": True}
    (course / "nbgrader_config.py").write_text("c.Exchange.root = '/srv/exchange'\n")
    _, server, page, _ = _written(tmp_path, "instructor", course)
    assert server == {} and page == {}
