"""Run the benchmarks behind the project's targets, one after another.

Run with ``python benchmarks/bench_all.py``: GET and 405 (``bench_dispatch``),
POST through a parser (``bench_reqparse``), ``marshal`` on two shapes
(``bench_marshal``), import time (``bench_import``) and, when its servers are
installed, the comparison through real servers (``bench_server``). Each
script runs in its own interpreter, so one's imports and caches cannot
change another's figures, and prints its own table of ratios. ``--quick``
runs fewer repeats, for a look rather than a figure; ``--skip NAME`` leaves
a script out (``--skip server``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

#: Script -> the options ``--quick`` passes it.
SCRIPTS = {
    "dispatch": ["--repeats", "60"],
    "reqparse": ["--repeats", "60"],
    "marshal": ["--repeats", "15"],
    "import": ["--repeats", "10"],
    "server": [],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip", action="append", default=[], choices=SCRIPTS)
    args = parser.parse_args()
    failed = []
    for name, quick in SCRIPTS.items():
        path = os.path.join(HERE, f"bench_{name}.py")
        if name in args.skip or not os.path.exists(path):
            continue
        print(f"== bench_{name}.py", flush=True)
        start = time.monotonic()
        result = subprocess.run([sys.executable, path, *(quick if args.quick else [])])
        if result.returncode:
            failed.append(name)
        print(f"({time.monotonic() - start:.0f} s)\n", flush=True)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
