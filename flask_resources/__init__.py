"""Class-based REST resources for Flask, a drop-in for Flask-RESTful."""

from __future__ import annotations

from .api import Api as Api
from .exceptions import FlaskResourcesError as FlaskResourcesError
from .exceptions import HTTPError as HTTPError
from .exceptions import abort as abort
from .representations import output_json as output_json
from .resource import Resource as Resource
