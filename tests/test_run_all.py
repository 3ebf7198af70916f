"""The README's test command reports what ran: ``tests/run_all.py``."""

from __future__ import annotations

import pathlib
import sys
import typing as t

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from run_all import pytest_counts, report  # noqa: E402

sys.path.pop(0)


def ran(output: str, *, success: bool = True) -> dict[str, t.Any]:
    """A journal entry of an environment that ran one command."""
    return {
        "python": {"version_info": [3, 11, 7, "final", 0]},
        "result": {"success": success, "exit_code": 0 if success else 1,
                   "skipped": False},
        "test": [{"output": output, "retcode": 0 if success else 1}],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("line", "counts"),
    [
        (
            "===== 2301 passed, 12 skipped, 40 deselected in 95.20s (0:01:35) =====",
            {"passed": 2301, "skipped": 12, "deselected": 40},
        ),
        ("3 failed, 10 passed, 1 error in 1.02s", {"failed": 4, "passed": 10}),
        ("== 5 passed, 2 warnings in 0.1s ==", {"passed": 5}),
        ("Success: no issues found in 57 source files", {}),
    ],
)
def test_pytest_counts(line: str, counts: dict[str, int]) -> None:
    assert pytest_counts(f"collected\n{line}\n") == counts


def test_report_names_each_environment_and_adds_up() -> None:
    text = report(
        {
            ".pkg": {"result": {"success": True, "skipped": False}},
            "py311": ran("== 100 passed, 2 skipped in 9.0s ==\n"),
            "py312": {"result": {"success": True, "exit_code": 0, "skipped": True}},
            "py313": ran("== 99 passed, 1 failed, 2 skipped in 9.0s ==\n",
                         success=False),
            "lint": ran("All checks passed!\n42 files already formatted\n"),
            "docs": {"result": {"success": True, "skipped": False}},
        }
    )  # fmt: skip
    lines = text.splitlines()
    assert lines[0].split() == ["py311", "OK", "100", "passed,", "2", "skipped"]
    assert lines[1].split() == ["py312", "NOT", "RUN", "Python", "3.12", "not", "found"]
    assert lines[2].split()[:2] == ["py313", "FAIL"]
    assert lines[3].split() == ["lint", "OK", "42", "files", "already", "formatted"]
    assert lines[4].split() == ["docs", "OK"]
    assert "Not found: Python 3.12." in text and "CI fails" in text
    # The closing line CI reads.
    assert lines[-1] == "total: 199 passed, 1 failed, 4 skipped"


def test_report_of_a_python_ci_could_not_find() -> None:
    # TOX_SKIP_MISSING_INTERPRETERS=false: the environment fails.
    text = report({"py313": {"result": {"success": False, "skipped": False}}})
    assert text.splitlines()[0].split() == ["py313", "FAIL", "Python", "3.13", "not",
                                            "found"]  # fmt: skip


def test_readme_and_ci_run_the_same_command() -> None:
    root = pathlib.Path(__file__).parent.parent
    readme = (root / "README.md").read_text()
    ci = (root / ".ci" / "run").read_text()
    command = ci.strip().splitlines()[-1]
    assert command.endswith("tests/run_all.py")
    assert f"```sh\n{command}\n```" in readme
    # CI needs every Python: a missing one fails the run instead of a skip.
    assert "export TOX_SKIP_MISSING_INTERPRETERS=false" in ci
