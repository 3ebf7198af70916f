"""Request argument parsing, compatible with Flask-RESTful's ``reqparse``.

``argument`` holds :class:`Argument` and its conversions, ``parser`` the
:class:`RequestParser` and its :class:`Namespace`, ``sources`` the reading
of each request location, and ``_plan`` the compiled fast path a parser
loads on its second parse.
"""

from __future__ import annotations

# Names Flask-RESTful's reqparse module had, kept for code that imports them.
import decimal as decimal
import inspect as inspect
from copy import deepcopy as deepcopy

from flask import current_app as current_app
from flask import request as request
from werkzeug import exceptions as exceptions
from werkzeug.datastructures import FileStorage as FileStorage
from werkzeug.datastructures import MultiDict as MultiDict

from .argument import Argument as Argument
from .argument import ArgumentAction as ArgumentAction
from .parser import Namespace as Namespace
from .parser import RequestParser as RequestParser

__all__ = ["Argument", "Namespace", "RequestParser"]

#: Flask-RESTful's Python 2 text converter, for code that imports it.
text_type = str
