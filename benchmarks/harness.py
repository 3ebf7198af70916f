"""Shared timing harness for the benchmarks: interleaved, best of N.

Every benchmark compares several implementations of the same work in one
process. Timing them one after another would let a change in machine load
favour whichever ran in the quiet moment, so each repeat times every case
once, in turn, and the best repeat of each case is kept. Repeats are short
(a few milliseconds) and many: on a shared machine each case then has many
chances at a quiet moment, and the best of them is its cost.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import timeit
import typing as t
from collections.abc import Callable, Mapping
from pathlib import Path

from werkzeug.test import EnvironBuilder


def wsgi_caller(
    app: Callable[..., t.Iterable[bytes]], **request: t.Any
) -> Callable[[], bytes]:
    """Return a function that sends one request to a WSGI callable.

    The environ is built once; each call gets a fresh copy of it (and a
    fresh body stream) so nothing but the app is timed.
    """
    builder = EnvironBuilder(**request)
    environ = builder.get_environ()
    body = builder.input_stream.read() if builder.input_stream else b""

    def start_response(s: str, headers: t.Any, exc_info: t.Any = None) -> None:
        pass

    def call() -> bytes:
        env = dict(environ)
        env["wsgi.input"] = io.BytesIO(body)
        chunks = app(env, start_response)
        try:
            return b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    return call


def compare(
    cases: Mapping[str, Callable[[], object]],
    *,
    number: int = 2000,
    repeats: int = 7,
) -> dict[str, float]:
    """Time each case ``number`` times per repeat, interleaved, and return
    the best time per call of each, in microseconds."""
    best = {name: float("inf") for name in cases}
    for _ in range(repeats):
        for name, func in cases.items():
            elapsed = timeit.timeit(func, number=number) / number * 1e6
            best[name] = min(best[name], elapsed)
    return best


def same_answer_callers(
    title: str, apps: Mapping[str, t.Any], **request: t.Any
) -> dict[str, Callable[[], bytes]]:
    """A caller per app for one request, after checking that every app
    answers it with the same JSON (a faster wrong answer proves nothing)."""
    import json

    cases = {name: wsgi_caller(app, **request) for name, app in apps.items()}
    answers = {name: json.loads(call()) for name, call in cases.items()}
    first, *others = answers.values()
    for other in others:
        if other != first:
            raise AssertionError(f"{title}: the answers differ:\n{first}\n{other}")
    return cases


def report(
    title: str,
    best: Mapping[str, float],
    *,
    baseline: str,
    how: str = "best of the repeats",
) -> str:
    """Format the results as a table of ratios to ``baseline``.

    Only ratios are printed: absolute times say more about the machine
    than about the code, and ratios from one interleaved run compare.
    """
    width = max(len(name) for name in best)
    lines = [title, f"{'case':<{width}}  {'ratio':>7}"]
    base = best[baseline]
    for name, value in best.items():
        lines.append(f"{name:<{width}}  {value / base:6.3f}x")
    lines.append(f"(ratio against {baseline!r}; {how}; lower is faster)")
    return "\n".join(lines)


def options(description: str, *, number: int, repeats: int) -> argparse.Namespace:
    """Parse the ``--number`` and ``--repeats`` options every benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--number", type=int, default=number)
    parser.add_argument("--repeats", type=int, default=repeats)
    return parser.parse_args()


def run_apps(
    title: str,
    apps: Mapping[str, Callable[..., t.Iterable[bytes]] | None],
    *,
    baseline: str,
    expect: bytes,
    number: int,
    repeats: int,
    **request: t.Any,
) -> None:
    """Send the same request to each WSGI app, check each answer contains
    ``expect``, time them interleaved and print the table. An app given as
    ``None`` (an optional library that is not installed) is skipped."""
    cases = {}
    for name, app in apps.items():
        if app is None:
            print(f"skipping {name}: not installed")
            continue
        call = wsgi_caller(app, **request)
        answer = call()
        if expect not in answer:
            raise AssertionError(f"{name} answered {answer!r}")
        cases[name] = call
    best = compare(cases, number=number, repeats=repeats)
    print(report(title, best, baseline=baseline))


def unpack_sdist(project: str, version: str, cache: Path) -> Path:
    """The folder of ``project``'s sdist at ``version`` under ``cache``,
    downloaded from the package index and unpacked on first use (the peer
    suites run the tests their sdists carry)."""
    root = cache / f"{project}-{version}"
    if (root / "tests").is_dir():
        return root
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps"]
            + ["--no-binary", ":all:", "--dest", tmp, f"{project}=={version}"],
            check=True,
        )
        (archive,) = Path(tmp).glob("*.tar.gz")
        with tarfile.open(archive) as tar:
            tar.extractall(cache, filter="data")
    return root


#: The start of the pytest plugin each peer-suite runner writes next to the
#: unpacked tests: ``{old}`` (and every ``{old}.x``) imports the package
#: named by the environment variable ``{target_variable}`` (the package
#: under test by default), and with ``{validate_variable}`` set every
#: Flask app checks its responses against its OpenAPI document, as under
#: ``app.testing``. Each runner adds what its suite needs after it.
PEER_SUITE_PLUGIN = """
import importlib
import importlib.abc
import importlib.util
import os
import sys

from flask import Flask

OLD, NEW = "{old}", os.environ.get("{target_variable}", "{default_target}")


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


if NEW != OLD:
    sys.meta_path.insert(0, _Finder())

if os.environ.get("{validate_variable}"):
    from werkzeug.datastructures import ImmutableDict

    Flask.default_config = ImmutableDict(
        {{**Flask.default_config, "RESOURCES_VALIDATE_RESPONSES": True}}
    )
"""


def peer_suite_plugin(
    old: str, default_target: str, variable_prefix: str, rest: str
) -> str:
    """The plugin text for a peer suite: :data:`PEER_SUITE_PLUGIN` for the
    package ``old``, then ``rest``."""
    return (
        PEER_SUITE_PLUGIN.format(
            old=old,
            default_target=default_target,
            target_variable=f"{variable_prefix}_TARGET",
            validate_variable=f"{variable_prefix}_VALIDATE_RESPONSES",
        )
        + rest
    )


def peer_suite_setup(
    argv: t.Sequence[str] | None,
    *,
    description: str,
    project: str,
    version: str,
    real: str,
    plugin: str,
    variable_prefix: str,
    paths: t.Sequence[Path] = (),
) -> tuple[Path, list[str], dict[str, str]]:
    """What both peer-suite runners do before pytest: read ``--cache``,
    ``--real`` and ``--validate-responses`` (the other arguments go to
    pytest), unpack ``project``'s sdist, write ``plugin`` (from
    :func:`peer_suite_plugin` with the same ``variable_prefix``) as the
    module ``peer_alias`` and set the environment it reads. ``real`` names
    the peer package that ``--real`` runs the suite against; ``paths`` go
    on ``PYTHONPATH`` after the plugin. Returns the sdist's folder, the
    pytest arguments and the environment."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "flask-resources-peer-suites",
        help="where the sdist is unpacked (default: %(default)s)",
    )
    parser.add_argument(
        "--real",
        action="store_true",
        help=f"run against {project} itself (pip install {project}) instead",
    )
    parser.add_argument(
        "--validate-responses",
        action="store_true",
        help="check every response against the app's OpenAPI document"
        " (RESOURCES_VALIDATE_RESPONSES = True in every app)",
    )
    options, pytest_args = parser.parse_known_args(argv)
    root = unpack_sdist(project, version, options.cache)
    plugin_dir = root / "_alias"
    plugin_dir.mkdir(exist_ok=True)
    (plugin_dir / "peer_alias.py").write_text(plugin)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(plugin_dir), *map(str, paths), env.get("PYTHONPATH")])
    )
    if options.real:
        env[f"{variable_prefix}_TARGET"] = real
    if options.validate_responses:
        env[f"{variable_prefix}_VALIDATE_RESPONSES"] = "1"
    return root, list(pytest_args), env
