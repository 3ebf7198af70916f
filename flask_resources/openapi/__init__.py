"""OpenAPI 3.1 documents built from an Api's resources, the docs page that
shows them and the ``flask openapi`` commands.

Needs the ``openapi`` extra (apispec), and the ``docs`` extra
(flask-swagger-ui) for the docs page; nothing below this package imports it.
"""

from __future__ import annotations

from .spec import build as build
