"""Run Flask-RESTX's own test suite against ``flask_resources.restx``.

Downloads the Flask-RESTX sdist of the pinned version from the package index
(its tests ship in it), unpacks it under ``--cache``, and runs its tests with
every ``flask_restx`` import answered by ``flask_resources.restx``. Nothing
of Flask-RESTX's package is imported: only its ``tests/`` folder is used.

    python benchmarks/restx_suite.py                  # the whole suite
    python benchmarks/restx_suite.py tests/test_fields.py -x
    python benchmarks/restx_suite.py --real           # Flask-RESTX itself

Needs the test extras of both projects: ``pip install -e '.[test]'
pytest-mock pytest-flask Faker blinker mock``. The Swagger 2.0 document-shape
tests (``test_swagger.py``, ``test_swagger_utils.py``, ``test_postman.py``,
``test_apidoc.py``'s spec checks) are run too, but are out of scope: see
docs/guide/migrating-from-restx.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
import typing as t
from pathlib import Path

VERSION = "1.3.2"

#: A pytest plugin, written next to the unpacked tests, that maps
#: ``flask_restx`` (and every ``flask_restx.x``) to ``flask_resources.restx``.
ALIAS_PLUGIN = """
import importlib
import importlib.abc
import importlib.util
import sys

OLD, NEW = "flask_restx", "flask_resources.restx"


class _Alias(importlib.abc.Loader):
    def __init__(self, real):
        self.real = real

    def create_module(self, spec):
        return importlib.import_module(self.real)

    def exec_module(self, module):
        pass


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != OLD and not name.startswith(OLD + "."):
            return None
        real = NEW + name[len(OLD):]
        if importlib.util.find_spec(real) is None:
            return None
        return importlib.util.spec_from_loader(name, _Alias(real))


sys.meta_path.insert(0, _Finder())
"""


def unpack(cache: Path) -> Path:
    """The unpacked sdist's folder, downloaded and unpacked on first use."""
    root = cache / f"flask-restx-{VERSION}"
    if (root / "tests").is_dir():
        return root
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "--dest",
                tmp,
                f"flask-restx=={VERSION}",
            ],
            check=True,
        )
        (archive,) = Path(tmp).glob("*.tar.gz")
        with tarfile.open(archive) as tar:
            tar.extractall(cache, filter="data")
    return root


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "flask-resources-peer-suites",
        help="where the sdist is unpacked (default: %(default)s)",
    )
    parser.add_argument(
        "--real",
        action="store_true",
        help="run against Flask-RESTX itself (pip install flask-restx) instead",
    )
    options, pytest_args = parser.parse_known_args(argv)
    root = unpack(options.cache)
    env = dict(os.environ)
    plugin_dir = root / "_alias"
    plugin_dir.mkdir(exist_ok=True)
    (plugin_dir / "restx_alias.py").write_text(ALIAS_PLUGIN)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    if not options.real:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(plugin_dir), env.get("PYTHONPATH")])
        )
        command += ["-p", "restx_alias"]
    # The unpacked sdist also holds Flask-RESTX's package: keep it off the
    # path (pytest's rootdir insertion) unless it is the one under test.
    command += ["--rootdir", str(root), "-c", str(root / "setup.cfg")]
    command += ["--import-mode=importlib"]
    command += list(pytest_args) or [str(root / "tests")]
    return subprocess.call(command, cwd=root / "tests", env=env)


if __name__ == "__main__":
    raise SystemExit(main())
