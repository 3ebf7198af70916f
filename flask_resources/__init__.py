"""Class-based REST resources for Flask, a drop-in for Flask-RESTful."""

from __future__ import annotations

from .exceptions import FlaskResourcesError as FlaskResourcesError
from .exceptions import HTTPError as HTTPError
from .exceptions import abort as abort
