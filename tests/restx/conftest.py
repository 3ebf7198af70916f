"""Real Flask app, Flask-RESTX-style Api and test client fixtures."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from flask_resources import restx


@pytest.fixture
def api(app: Flask) -> restx.Api:
    return restx.Api(app)


@pytest.fixture
def client(app: Flask, api: restx.Api) -> FlaskClient:
    return app.test_client()
