"""``Api.errorhandler``: exceptions turned into HTTP errors in the Api's format."""

from __future__ import annotations

import logging
import typing as t

import pytest
from flask import Flask, got_request_exception
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from flask_resources import Api, Resource, abort


class DatabaseLost(Exception):
    pass


class ConnectionRefused(DatabaseLost):
    pass


class Cats(Resource):
    raise_: t.ClassVar[BaseException | None] = None

    def get(self) -> t.Any:
        assert self.raise_ is not None
        raise self.raise_


@pytest.fixture
def cats(app: Flask, api: Api) -> FlaskClient:
    api.add_resource(Cats, "/cats")
    return app.test_client()


def raising(client: FlaskClient, exc: BaseException) -> t.Any:
    Cats.raise_ = exc
    return client.get("/cats")


def test_lost_database_is_503_with_retry_after(
    production: Flask, api: Api, cats: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    @api.errorhandler(DatabaseLost)
    def unavailable(e: DatabaseLost) -> HTTPException:
        return ServiceUnavailable("The database is unavailable.", retry_after=5)

    sent: list[BaseException] = []

    def record(sender: Flask, exception: BaseException, **extra: t.Any) -> None:
        sent.append(exception)

    error = ConnectionRefused("connection to 10.0.0.5 refused")
    with got_request_exception.connected_to(record, production):
        resp = raising(cats, error)
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "5"
    assert resp.json == {"message": "The database is unavailable."}
    # The client learns nothing about the database; the operator does.
    assert "10.0.0.5" not in resp.get_data(as_text=True)
    assert sent == [error]
    [record_] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record_.exc_info is not None and record_.exc_info[1] is error


def test_in_testing_mode_too(app: Flask, api: Api, cats: FlaskClient) -> None:
    # Not propagated to the test: the app said how to answer it.
    api.errorhandler(DatabaseLost)(lambda e: ServiceUnavailable(retry_after=30))
    resp = raising(cats, DatabaseLost())
    assert (resp.status_code, resp.headers["Retry-After"]) == (503, "30")
    assert resp.json["message"]


def test_most_specific_handler_wins(api: Api, cats: FlaskClient) -> None:
    api.errorhandler(Exception)(lambda e: ServiceUnavailable("any"))
    api.errorhandler(ConnectionRefused)(lambda e: ServiceUnavailable("refused"))
    assert raising(cats, ConnectionRefused()).json == {"message": "refused"}
    assert raising(cats, DatabaseLost()).json == {"message": "any"}


def test_abort_style_answer_keeps_its_body(api: Api, cats: FlaskClient) -> None:
    def conflict(e: KeyError) -> HTTPException:
        try:
            abort(409, message="That cat exists.", cat=str(e.args[0]))
        except HTTPException as answer:
            return answer

    api.errorhandler(KeyError)(conflict)
    resp = raising(cats, KeyError("Tom"))
    assert (resp.status_code, resp.json) == (
        409,
        {"message": "That cat exists.", "cat": "Tom"},
    )


def test_none_leaves_the_usual_handling(
    production: Flask, api: Api, cats: FlaskClient
) -> None:
    api.errorhandler(DatabaseLost)(lambda e: None)
    resp = raising(cats, DatabaseLost("secret"))
    assert (resp.status_code, resp.json) == (500, {"message": "Internal Server Error"})


def test_errors_mapping_applies_to_the_answer(app: Flask, cats: FlaskClient) -> None:
    api = Api(
        app, errors={"ServiceUnavailable": {"message": "Back soon", "status": 503}}
    )
    api.add_resource(Cats, "/other")
    api.errorhandler(DatabaseLost)(lambda e: ServiceUnavailable(retry_after=1))
    Cats.raise_ = DatabaseLost()
    resp = cats.get("/other")
    assert (resp.status_code, resp.json["message"]) == (503, "Back soon")


def test_handler_returning_something_else_is_a_type_error(
    api: Api, cats: FlaskClient
) -> None:
    api.errorhandler(DatabaseLost)(lambda e: ({"message": "x"}, 503))
    with pytest.raises(TypeError, match="not an HTTPException or None"):
        raising(cats, DatabaseLost())


def test_other_apps_routes_are_untouched(app: Flask, api: Api) -> None:
    api.errorhandler(DatabaseLost)(lambda e: ServiceUnavailable())

    @app.get("/plain")
    def plain() -> str:
        raise DatabaseLost()

    with pytest.raises(DatabaseLost):
        app.test_client().get("/plain")
