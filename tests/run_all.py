"""Run every tox environment in parallel and say what ran.

``python tests/run_all.py [tox options]`` runs ``tox run-parallel`` with the
options given (``-e py311,lint`` picks environments), then prints one line
per environment: its result and, for the test environments, pytest's
counts; an environment whose Python was not found says so. The last line
adds the counts up, as ``total: N passed, N failed, N skipped``.

The exit status is tox's: a missing Python is skipped (and reported) unless
``TOX_SKIP_MISSING_INTERPRETERS=false``, which ``.ci/run`` sets, so CI
fails without every Python.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import typing as t

# pytest's closing line: "== 12 passed, 1 skipped, 3 deselected in 1.2s =="
# (or the same without the "=" under -q).
_PYTEST_COUNTS = re.compile(
    r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected)\b"
)
_PYTEST_SUMMARY = re.compile(r"^=*\s*(?:\d+ \w+(?:, )?)+ in [\d.]+s")
_PYTHON_ENV = re.compile(r"^py(\d)(\d+)\b")


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        journal = os.path.join(folder, "tox.json")
        command = [
            sys.executable, "-m", "tox", "run-parallel", "--result-json", journal,
            *argv,
        ]  # fmt: skip
        code = subprocess.call(command)
        try:
            with open(journal, encoding="utf-8") as file:
                envs: dict[str, t.Any] = json.load(file).get("testenvs", {})
        except (OSError, ValueError):
            print("tox wrote no results: see its output above.")
            return code or 1
    print()
    print(report(envs))
    return code


def report(envs: dict[str, t.Any]) -> str:
    """The summary of a tox result journal's ``testenvs``."""
    lines = []
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    missing = []
    width = max((len(name) for name in envs), default=0)
    for name, env in envs.items():
        if name.startswith("."):  # the package build environment
            continue
        result = env.get("result")
        if result is None:  # not among the environments asked for
            continue
        if "python" not in env and not env.get("test"):
            python = _python_of(name)
            if python is not None:
                missing.append(python)
                status = "NOT RUN" if result.get("skipped") else "FAIL"
                lines.append(f"{name:<{width}}  {status:<7}  {python} not found")
                continue
        status = "OK" if result.get("success") else "FAIL"
        if result.get("skipped"):
            status = "SKIP"
        output = "".join(step.get("output", "") for step in env.get("test", []))
        counts = pytest_counts(output)
        if counts:
            for key in totals:
                totals[key] += counts.get(key, 0)
            detail = ", ".join(f"{n} {key}" for key, n in counts.items())
        else:
            detail = _last_line(output)
        lines.append(f"{name:<{width}}  {status:<7}  {detail}".rstrip())
    if missing:
        lines.append("")
        lines.append(
            f"Not found: {', '.join(sorted(set(missing)))}. Those environments"
            " did not run, and CI fails without them."
        )
        lines.append("Install the missing Pythons (.ci/run finds them with pyenv).")
    lines.append(
        f"total: {totals['passed']} passed, {totals['failed']} failed,"
        f" {totals['skipped']} skipped"
    )
    return "\n".join(lines)


def pytest_counts(output: str) -> dict[str, int]:
    """The counts of pytest's closing line in ``output``, errors counted as
    failed; empty when pytest did not run."""
    counts: dict[str, int] = {}
    for line in reversed(output.splitlines()):
        if _PYTEST_SUMMARY.match(line.strip()):
            for number, kind in _PYTEST_COUNTS.findall(line):
                key = "failed" if kind.startswith("error") else kind
                counts[key] = counts.get(key, 0) + int(number)
            break
    return counts


def _python_of(env: str) -> str | None:
    match = _PYTHON_ENV.match(env)
    return f"Python {match.group(1)}.{match.group(2)}" if match else None


def _last_line(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1][:70] if lines else ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
