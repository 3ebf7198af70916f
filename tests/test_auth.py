"""Flask-HTTPAuth on resources: 401/403 in the Api's error format, and the
security requirement in the operation record."""

from __future__ import annotations

import base64
import typing as t

import pytest
from flask import Flask

from flask_resources import Api, Resource
from flask_resources.operations import resource_operations

httpauth = pytest.importorskip(
    "flask_httpauth", reason="needs the 'auth' extra (Flask-HTTPAuth)"
)

from flask_resources.auth import api_auth, security_scheme  # noqa: E402

USERS = {"tom": "secret"}
TOKENS = {"t0ken": "tom"}


def basic(user: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def make_basic() -> t.Any:
    auth = httpauth.HTTPBasicAuth(realm="cats")

    @auth.verify_password
    def verify(username: str, password: str) -> t.Any:
        return username if USERS.get(username) == password and username else None

    @auth.get_user_roles
    def roles(user: t.Any) -> list[str]:
        return ["admin"] if user == "tom" else []

    return auth


def make_token(**kwargs: t.Any) -> t.Any:
    auth = httpauth.HTTPTokenAuth(**kwargs)

    @auth.verify_token
    def verify(token: str) -> t.Any:
        return TOKENS.get(token)

    return auth


@pytest.fixture
def token_auth() -> t.Any:
    return api_auth(make_token(scheme="Bearer"), message="Send a token.")


@pytest.fixture
def guarded(api: Api, token_auth: t.Any) -> Api:
    class Cats(Resource):
        method_decorators = {"post": [token_auth.login_required]}

        def get(self) -> t.Any:
            return []

        def post(self) -> t.Any:
            return {"by": token_auth.current_user()}, 201

    class Cat(Resource):
        @token_auth.login_required
        def delete(self, cat_id: int) -> t.Any:
            return "", 204

    api.add_resource(Cats, "/cats")
    api.add_resource(Cat, "/cats/<int:cat_id>")
    return api


def test_method_decorators(client: t.Any, guarded: Api) -> None:
    assert client.get("/cats").status_code == 200
    resp = client.post("/cats")
    assert resp.status_code == 401
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.get_json() == {"message": "Send a token."}
    assert resp.headers.getlist("WWW-Authenticate") == [
        'Bearer realm="Authentication Required"'
    ]
    ok = client.post("/cats", headers={"Authorization": "Bearer t0ken"})
    assert (ok.status_code, ok.get_json()) == (201, {"by": "tom"})


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dG9tOnNlY3JldA=="},
        {"Authorization": "\x00garbage"},
    ],
)
def test_on_a_verb(client: t.Any, guarded: Api, headers: dict[str, str]) -> None:
    resp = client.delete("/cats/1", headers=headers)
    assert resp.status_code == 401
    assert resp.get_json() == {"message": "Send a token."}
    assert "WWW-Authenticate" in resp.headers


def test_problem_format(app: Flask, client: t.Any, guarded: Api) -> None:
    app.config["RESOURCES_ERROR_FORMAT"] = "problem"
    resp = client.delete("/cats/1")
    assert resp.status_code == 401
    assert resp.headers["Content-Type"] == "application/problem+json"
    body = resp.get_json()
    assert (body["title"], body["detail"]) == ("Unauthorized", "Send a token.")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_multi_auth_sends_every_challenge(api: Api, client: t.Any) -> None:
    multi = api_auth(httpauth.MultiAuth(make_basic(), make_token(scheme="Bearer")))

    class Secret(Resource):
        method_decorators = [multi.login_required]

        def get(self) -> t.Any:
            return {"ok": True}

    api.add_resource(Secret, "/s")
    resp = client.get("/s")
    assert resp.status_code == 401
    assert resp.headers.getlist("WWW-Authenticate") == [
        'Basic realm="cats"',
        'Bearer realm="Authentication Required"',
    ]
    # A bad token is refused by the token scheme, still with both challenges.
    resp = client.get("/s", headers={"Authorization": "Bearer nope"})
    assert len(resp.headers.getlist("WWW-Authenticate")) == 2
    assert client.get("/s", headers=basic("tom", "secret")).status_code == 200
    assert (
        client.get("/s", headers={"Authorization": "Bearer t0ken"}).status_code == 200
    )
    record = resource_operations(Secret)["get"]
    assert record.security == ({"basicAuth": []}, {"bearerAuth": []})


def test_roles_answer_403(api: Api, client: t.Any) -> None:
    auth = api_auth(make_basic())
    USERS["felix"] = "pw"
    try:

        class Admin(Resource):
            @auth.login_required(role="admin")
            def get(self) -> t.Any:
                return {"ok": True}

        api.add_resource(Admin, "/admin")
        assert client.get("/admin", headers=basic("tom", "secret")).status_code == 200
        resp = client.get("/admin", headers=basic("felix", "pw"))
        assert resp.status_code == 403
        assert "WWW-Authenticate" not in resp.headers
        assert resp.get_json()["message"]
        record = resource_operations(Admin)["get"]
        assert set(record.responses) == {401, 403}
    finally:
        del USERS["felix"]


def test_optional(api: Api, client: t.Any) -> None:
    auth = api_auth(make_token(), name="token")

    class Maybe(Resource):
        @auth.login_required(optional=True)
        def get(self) -> t.Any:
            return {"user": auth.current_user()}

    api.add_resource(Maybe, "/m")
    assert client.get("/m").get_json() == {"user": None}
    assert client.get("/m", headers={"Authorization": "Bearer t0ken"}).get_json() == {
        "user": "tom"
    }
    assert resource_operations(Maybe)["get"].security == ({"token": []}, {})


def test_records_security(guarded: Api, token_auth: t.Any) -> None:
    cats, cat = (registration.resource for registration in guarded.resources)
    records = resource_operations(cats)
    assert records["get"].security is None
    assert records["post"].security == ({"bearerAuth": []},)
    assert records["post"].extensions["security_schemes"] == {
        "bearerAuth": {"type": "http", "scheme": "bearer"}
    }
    assert 401 in records["post"].responses
    assert resource_operations(cat)["delete"].security == ({"bearerAuth": []},)


@pytest.mark.parametrize(
    ("auth", "scheme"),
    [
        (lambda: httpauth.HTTPBasicAuth(), {"type": "http", "scheme": "basic"}),
        (lambda: httpauth.HTTPDigestAuth(), {"type": "http", "scheme": "digest"}),
        (lambda: httpauth.HTTPTokenAuth(), {"type": "http", "scheme": "bearer"}),
        (lambda: httpauth.HTTPTokenAuth("Token"), {"type": "http", "scheme": "Token"}),
        (
            lambda: httpauth.HTTPTokenAuth(header="X-API-Key"),
            {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        ),
    ],
)
def test_security_scheme(auth: t.Any, scheme: dict[str, str]) -> None:
    assert security_scheme(auth()) == scheme


def test_non_api_route_keeps_flask_page(
    app: Flask, api: Api, token_auth: t.Any
) -> None:
    @app.get("/plain")
    @token_auth.login_required
    def plain() -> str:
        return "hi"

    resp = app.test_client().get("/plain")
    assert resp.status_code == 401
    assert resp.mimetype == "text/html"
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_digest_challenge(app: Flask, api: Api, client: t.Any) -> None:
    app.secret_key = "s"
    auth = api_auth(httpauth.HTTPDigestAuth())

    class D(Resource):
        method_decorators = [auth.login_required]

        def get(self) -> t.Any:
            return {}

    api.add_resource(D, "/d")
    resp = client.get("/d")
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Digest realm=")
    assert "nonce=" in resp.headers["WWW-Authenticate"]


def test_rejects_other_objects() -> None:
    with pytest.raises(TypeError, match="Flask-HTTPAuth"):
        api_auth(object())
    with pytest.raises(ValueError, match="MultiAuth"):
        api_auth(httpauth.MultiAuth(make_basic(), make_token()), name="x")
