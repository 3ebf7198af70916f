"""Time ``import flask_resources`` against Flask-RESTful and Flask itself.

Run with ``python benchmarks/bench_import.py`` (Flask-RESTful is optional:
``pip install flask-restful``). Each case imports its module in a fresh
interpreter and times the import alone, not the interpreter's start; the
cases take turns and the best of the repeats is kept. Bytecode is written
once before timing, as an installed package has it. Target: the imports a
typical app makes from flask_resources take no longer than the same from
Flask-RESTful; marshmallow, aniso8601 and pytz load only when used.
"""

from __future__ import annotations

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import options, report  # noqa: E402

#: What a typical app imports, from each package.
NAMES = "Api, Resource, abort, fields, marshal_with, reqparse"

CASES = {
    "import flask": "import flask",
    "import flask_restful": "import flask_restful",
    "import flask_resources": "import flask_resources",
    f"from flask_restful import {NAMES}": f"from flask_restful import {NAMES}",
    f"from flask_resources import {NAMES}": f"from flask_resources import {NAMES}",
}

# Prints how long the statement took, and which lazily loaded libraries it
# pulled in, so the script can check they stayed out.
PROGRAM = """
import sys, time
start = time.perf_counter()
{statement}
elapsed = time.perf_counter() - start
lazy = [m for m in ("marshmallow", "aniso8601", "pytz") if m in sys.modules]
print(elapsed, ",".join(lazy))
"""


def run(statement: str, env: dict[str, str]) -> tuple[float, str]:
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(statement=statement)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.split()
    return float(out[0]), (out[1] if len(out) > 1 else "")


def main() -> None:
    args = options(__doc__.split("\n")[0], number=1, repeats=30)
    env = dict(os.environ)
    # Time imports as an installed package runs them: from bytecode.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cases = {}
    for name, statement in CASES.items():
        try:
            _, lazy = run(statement, env)
        except subprocess.CalledProcessError:
            print(f"skipping {name}: not installed")
            continue
        if "flask_resources" in statement and lazy:
            print(f"note: {name} imports {lazy}")
        cases[name] = statement
    best = {name: float("inf") for name in cases}
    for _ in range(args.repeats):
        for name, statement in cases.items():
            elapsed = min(run(statement, env)[0] for _ in range(args.number))
            best[name] = min(best[name], elapsed)
    baseline = "import flask_restful"
    if baseline not in best:
        baseline = "import flask"
    print(report("import time in a fresh interpreter", best, baseline=baseline))


if __name__ == "__main__":
    main()
