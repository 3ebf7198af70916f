"""Run Flask-RESTX's own test suite against ``flask_resources.restx``.

Downloads the Flask-RESTX sdist of the pinned version from the package index
(its tests ship in it), unpacks it under ``--cache``, and runs its tests with
every ``flask_restx`` import answered by ``flask_resources.restx``. Nothing
of Flask-RESTX's package is imported: only its ``tests/`` folder is used.

    python benchmarks/restx_suite.py                  # the whole suite
    python benchmarks/restx_suite.py test_fields.py -x
    python benchmarks/restx_suite.py --real           # Flask-RESTX itself

Needs the test extras of both projects: ``pip install -e '.[test]'
pytest-mock pytest-flask Faker blinker mock``. The Swagger 2.0 document-shape
tests (``test_swagger.py``, ``test_swagger_utils.py``, ``test_postman.py``,
``test_apidoc.py``'s spec checks) are run too, but are out of scope: see
docs/guide/migrating-from-restx.md.
"""

from __future__ import annotations

import subprocess
import sys
import typing as t

from harness import peer_suite_plugin, peer_suite_setup

VERSION = "1.3.2"

#: A pytest plugin, written next to the unpacked tests, that maps
#: ``flask_restx`` (and every ``flask_restx.x``) to the package under test,
#: and gives the fixtures and markers the suite expects from the
#: ``conftest.py`` its sdist leaves out (``app``, ``api``, ``mock_app``,
#: ``@pytest.mark.api(...)``, ``@pytest.mark.request_context(...)``, a test
#: client with ``get_json``/``post_json``/``get_specs``). Written for this
#: harness from what the tests use.
ALIAS_PLUGIN = peer_suite_plugin(
    "flask_restx",
    "flask_resources.restx",
    "RESTX_SUITE",
    """
import json

import pytest
from flask import Blueprint
from flask.testing import FlaskClient


def _no_duplicate_keys(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key: {key!r}")
        seen[key] = value
    return seen


class SuiteClient(FlaskClient):
    def get_json(self, url, status=200, **kwargs):
        response = self.get(url, **kwargs)
        assert response.status_code == status
        assert response.content_type == "application/json"
        return json.loads(response.data, object_pairs_hook=_no_duplicate_keys)

    def post_json(self, url, data, status=200, **kwargs):
        response = self.post(
            url, data=json.dumps(data), headers={"content-type": "application/json"}
        )
        assert response.status_code == status
        assert response.content_type == "application/json"
        return json.loads(response.data)

    def get_specs(self, prefix="", status=200, **kwargs):
        return self.get_json(prefix + "/swagger.json", status=status, **kwargs)


def pytest_configure(config):
    config.addinivalue_line("markers", "api: options of the api fixture")
    config.addinivalue_line("markers", "request_context: a request to push")


@pytest.fixture
def app():
    flask_app = Flask("restx_suite", subdomain_matching=True)
    flask_app.test_client_class = SuiteClient
    return flask_app


@pytest.fixture
def api(request, app):
    restx = importlib.import_module(OLD)
    marker = request.node.get_closest_marker("api")
    options = dict(marker.kwargs) if marker else {}
    blueprint_options = {
        name: options.pop(key)
        for key, name in (("prefix", "url_prefix"), ("subdomain", "subdomain"))
        if key in options
    }
    blueprint = Blueprint("api", __name__, **blueprint_options)
    instance = restx.Api(blueprint, **options)
    app.register_blueprint(blueprint)
    return instance


@pytest.fixture
def mock_app(mocker):
    restx = importlib.import_module(OLD)
    flask_app = mocker.Mock(Flask)
    if hasattr(restx.Api, "_configure_namespace_logger"):
        mocker.patch.object(restx.Api, "_configure_namespace_logger")
    flask_app.view_functions = {}
    flask_app.extensions = {}
    flask_app.config = {}
    return flask_app


@pytest.fixture(autouse=True)
def _request_context_marker(request):
    marker = request.node.get_closest_marker("request_context")
    if marker is None:
        yield
        return
    flask_app = request.getfixturevalue("app")
    # pytest-flask pushes a plain request context for every test that uses
    # ``app``: the marker's must go on top of it, so have that one first.
    if "_push_request_context" in request.fixturenames:
        request.getfixturevalue("_push_request_context")
    with flask_app.test_request_context(*marker.args, **marker.kwargs):
        yield
""",
)


def main(argv: t.Sequence[str] | None = None) -> int:
    root, pytest_args, env = peer_suite_setup(
        argv,
        description=__doc__.split("\n")[0],
        project="flask-restx",
        version=VERSION,
        real="flask_restx",
        plugin=ALIAS_PLUGIN,
        variable_prefix="RESTX_SUITE",
    )
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    command += ["-p", "peer_alias"]
    # The unpacked sdist also holds Flask-RESTX's package: keep it off the
    # path (pytest's rootdir insertion) unless it is the one under test.
    command += ["--rootdir", str(root), "-c", str(root / "setup.cfg")]
    # test_postman.py needs a JSON file the sdist leaves out: count it as
    # the collection error it is and run the rest.
    command += ["--import-mode=importlib", "--continue-on-collection-errors"]
    # Test paths are relative to the suite's tests folder (test_api.py).
    command += list(pytest_args) or [str(root / "tests")]
    return subprocess.call(command, cwd=root / "tests", env=env)


if __name__ == "__main__":
    raise SystemExit(main())
