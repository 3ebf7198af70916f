"""Real Flask app, Api and test client fixtures."""

from __future__ import annotations

import pathlib
import sys
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from flask_resources import Api

# The samples live in the checkout, not in the wheel tox installs.
ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.append(ROOT)


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def api(app: Flask) -> Api:
    return Api(app)


@pytest.fixture
def client(app: Flask, api: Api) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def production(app: Flask) -> t.Iterator[Flask]:
    """The app as it runs in production: exceptions are not propagated."""
    app.config["TESTING"] = False
    yield app
