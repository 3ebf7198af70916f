"""``crossdomain``, at the path Flask-RESTX code imports it from."""

from __future__ import annotations

# Flask-RESTX's decorator is Flask-RESTful's; flask-resources has one.
from ..utils.cors import crossdomain as crossdomain

__all__ = ["crossdomain"]
