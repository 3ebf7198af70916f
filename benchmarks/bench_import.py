"""Time ``import flask_resources`` against Flask-RESTful and Flask itself.

Run with ``python benchmarks/bench_import.py`` (Flask-RESTful is optional:
``pip install flask-restful``). Each case imports its module in a fresh
interpreter and times the import alone, not the interpreter's start; every
round runs each case once and the median of the ratios within a round is
reported. ``--instructions`` counts instructions with Valgrind instead,
which is exact. Bytecode is written once before timing, as an installed
package has it; install the package without ``-e``, as an editable install
adds a path entry that every import searches. Target: the imports a
typical app makes from flask_resources take no longer than the same from
Flask-RESTful; marshmallow, aniso8601 and pytz load only when used.

The last two cases go further than importing: they build the same small app
(an Api, a parser, two resources with ``marshal_with``), so that work moved
from import time to first use still shows.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import report  # noqa: E402

#: What a typical app imports, from each package.
NAMES = "Api, Resource, abort, fields, marshal_with, reqparse"

#: A small app, written once for both packages.
APP = """
import flask
from {pkg} import Api, Resource, abort, fields, marshal_with, reqparse
app = flask.Flask("bench")
api = Api(app)
item = {{"id": fields.Integer, "name": fields.String, "uri": fields.Url("item")}}
parser = reqparse.RequestParser()
parser.add_argument("name", type=str, required=True)
parser.add_argument("count", type=int, default=1)
class Items(Resource):
    @marshal_with(item)
    def get(self):
        return []
    def post(self):
        return parser.parse_args(), 201
class Item(Resource):
    @marshal_with(item)
    def get(self, item_id):
        abort(404)
api.add_resource(Items, "/items")
api.add_resource(Item, "/items/<int:item_id>", endpoint="item")
"""

CASES = {
    "import flask": "import flask",
    "import flask_restful": "import flask_restful",
    "import flask_resources": "import flask_resources",
    f"from flask_restful import {NAMES}": f"from flask_restful import {NAMES}",
    f"from flask_resources import {NAMES}": f"from flask_resources import {NAMES}",
    "small app, flask_restful": APP.format(pkg="flask_restful"),
    "small app, flask_resources": APP.format(pkg="flask_resources"),
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


def instructions(statement: str, env: dict[str, str]) -> int:
    """The instructions a fresh interpreter runs for ``statement``, counted
    by Valgrind: the median of three runs with a fixed hash seed, which
    agree to a few hundred instructions in some 600 million, so a
    difference of a fraction of a per cent shows, where wall time on a
    shared machine cannot resolve one of several per cent."""
    counts = []
    for _ in range(3):
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
            + [sys.executable, "-c", statement],
            check=True,
            capture_output=True,
            text=True,
            env={**env, "PYTHONHASHSEED": "0"},
        ).stderr
        found = re.search(r"Collected : (\d+)", out)
        if found is None:
            raise RuntimeError(f"no count from Valgrind:\n{out}")
        counts.append(int(found.group(1)))
    return int(statistics.median(counts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions with Valgrind instead of timing",
    )
    args = parser.parse_args()
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
    baseline = "import flask_restful"
    if baseline not in cases:
        baseline = "import flask"
    if args.instructions:
        # The interpreter's own start is the same for every case: leave it
        # out, so the ratios compare the imports alone.
        start = instructions("pass", env)
        counts = {name: instructions(code, env) - start for name, code in cases.items()}
        print(
            report(
                "instructions in a fresh interpreter",
                counts,
                baseline=baseline,
                how="Valgrind's instruction count, start-up left out",
            )
        )
        return
    # Each round times every case once and divides by the baseline's time in
    # the same round; the median over the rounds is reported. The machine's
    # speed drifts by several per cent over a run, more than the differences
    # measured here, and a ratio within one round cancels that drift, where
    # the best of each case taken separately would not.
    ratios: dict[str, list[float]] = {name: [] for name in cases}
    names = list(cases)
    for round_ in range(args.repeats):
        # Alternate the order, so no case always runs right after another.
        order = names if round_ % 2 == 0 else names[::-1]
        times = {name: run(cases[name], env)[0] for name in order}
        for name in names:
            ratios[name].append(times[name] / times[baseline])
    medians = {name: statistics.median(values) for name, values in ratios.items()}
    print(
        report(
            "import time in a fresh interpreter",
            medians,
            baseline=baseline,
            how="median of the ratios within each round",
        )
    )


if __name__ == "__main__":
    main()
