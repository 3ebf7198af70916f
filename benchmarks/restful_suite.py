"""Run Flask-RESTful's own test suite against ``flask_resources``.

Downloads the Flask-RESTful sdist of the pinned version (the latest release)
from the package index (its tests ship in it), unpacks it under ``--cache``,
and runs its tests with every ``flask_restful`` import answered by
``flask_resources``. Nothing of Flask-RESTful's package is imported: only
its ``tests/`` folder is used.

    python benchmarks/restful_suite.py                      # the whole suite
    python benchmarks/restful_suite.py --validate-responses # responses checked
    python benchmarks/restful_suite.py test_fields.py -x
    python benchmarks/restful_suite.py --real               # Flask-RESTful itself

Needs ``pip install -e '.[test,validation]' mock six`` (``flask-restful``
too for ``--real``). The suite was written for nose on Flask 1: the plugin
this writes gives it ``nose.tools``' assertions from :mod:`unittest`, runs
each check a nose generator test yields as a test of its own, and sets
``flask.signals.signals_available`` (always true since Flask 2.3). What
still fails, and why, is in docs/guide/migrating.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import typing as t
from pathlib import Path

from harness import peer_suite_plugin, peer_suite_setup

PROJECT = "Flask-RESTful"
VERSION = "0.3.10"

#: A pytest plugin, written next to the unpacked tests: it maps
#: ``flask_restful`` (and every ``flask_restful.x``) to the package under
#: test and stands in for what nose and Flask 1 gave the suite. Written for
#: this harness from what the tests use.
ALIAS_PLUGIN = peer_suite_plugin(
    "flask_restful",
    "flask_resources",
    "RESTFUL_SUITE",
    """
import functools
import inspect
import types
import unittest

import flask.signals
import pytest

# nose: its SkipTest and the assertions of nose.tools, from unittest.
_case = unittest.TestCase()
_case.maxDiff = None
_tools = types.ModuleType("nose.tools")
for _name in ("equal", "equals", "true", "false", "raises", "in", "is_none"):
    _method = "assert" + "".join(p.capitalize() for p in _name.split("_"))
    if _name == "equals":
        _method = "assertEqual"
    setattr(_tools, "assert_" + _name, getattr(_case, _method))
_nose = types.ModuleType("nose")
_nose.SkipTest = unittest.SkipTest
_nose.tools = _tools
sys.modules.setdefault("nose", _nose)
sys.modules.setdefault("nose.tools", _tools)

# Flask 2.3 dropped the flag with the optional blinker: signals always work.
if not hasattr(flask.signals, "signals_available"):
    flask.signals.signals_available = True

def _check(func, args):
    func(*args)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector, name, obj):
    # A nose generator test: each (check, *args) it yields is one test.
    if not (
        isinstance(collector, pytest.Module)
        and collector.funcnamefilter(name)
        and inspect.isgeneratorfunction(obj)
    ):
        return None
    items = []
    checks = obj()
    while True:
        try:
            func, *args = next(checks)
        except StopIteration:
            break
        except Exception as exc:
            # The generator itself failed: one test that fails with it.
            func, args = _raise, (exc,)
            checks = iter(())
        items.append(
            pytest.Function.from_parent(
                collector,
                name=f"{name}[{len(items)}]",
                callobj=functools.partial(_check, func, args),
            )
        )
    return items


def _raise(exc):
    raise exc
""",
)


def main(argv: t.Sequence[str] | None = None) -> int:
    root, pytest_args, env = peer_suite_setup(
        argv,
        description=__doc__.split("\n")[0],
        project=PROJECT,
        version=VERSION,
        real="flask_restful",
        plugin=ALIAS_PLUGIN,
        variable_prefix="RESTFUL_SUITE",
        # This checkout's package, not whichever is installed.
        paths=[Path(__file__).resolve().parent.parent],
    )
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    command += ["-p", "peer_alias", "-W", "ignore::DeprecationWarning"]
    # The unpacked sdist also holds Flask-RESTful's package: keep it off
    # the path (pytest's rootdir insertion); the tests folder is the cwd.
    command += ["--rootdir", str(root / "tests"), "--import-mode=importlib"]
    command += ["-c", os.devnull]
    command += list(pytest_args) or [str(root / "tests")]
    return subprocess.call(command, cwd=root / "tests", env=env)


if __name__ == "__main__":
    raise SystemExit(main())
