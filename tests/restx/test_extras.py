"""What a Flask-RESTX app needs beyond the core, named in one extra."""

from __future__ import annotations

import sys

import pytest
from flask import Flask

from flask_resources import restx
from flask_resources.exceptions import OpenAPIError


@pytest.mark.parametrize("missing", ["apispec", "flask_swagger_ui"])
def test_missing_docs_packages_name_the_restx_extra(
    monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    # None in sys.modules makes the import fail as if it were not installed.
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(OpenAPIError, match=r"pip install 'flask-resources\[restx\]'"):
        restx.Api(Flask(__name__))


def test_no_docs_page_needs_no_swagger_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "flask_swagger_ui", None)
    app = Flask(__name__)
    restx.Api(app, doc=False)
    assert app.test_client().get("/swagger.json").status_code == 200


def test_no_specs_needs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "apispec", None)
    monkeypatch.setitem(sys.modules, "flask_swagger_ui", None)
    app = Flask(__name__)
    api = restx.Api()
    # As in Flask-RESTX, init_app's add_specs=False serves no document.
    api.init_app(app, add_specs=False)

    @api.route("/hello")
    class Hello(restx.Resource):
        def get(self) -> dict[str, str]:
            return {"hello": "world"}

    assert app.test_client().get("/hello").json == {"hello": "world"}
