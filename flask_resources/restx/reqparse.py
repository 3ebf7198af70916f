"""Flask-RESTX's ``reqparse``: the core parser, with Flask-RESTX's results,
error bodies and messages, models as types, and ``__schema__``."""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Mapping

from ..exceptions import HTTPError
from ..marshalling import marshal
from ..reqparse import Argument as _Argument
from ..reqparse import Namespace as _Namespace
from ..reqparse import RequestParser as _RequestParser
from ._http import HTTPStatus
from .errors import SpecsError, abort

__all__ = [
    "LOCATIONS",
    "PY_TYPES",
    "SPLIT_CHAR",
    "Argument",
    "ParseResult",
    "RequestParser",
]

#: The Swagger 2.0 place (``in``) of each request location, for
#: :attr:`Argument.__schema__`; any other location is ``query``.
LOCATIONS = {
    "args": "query",
    "form": "formData",
    "headers": "header",
    "json": "body",
    "values": "query",
    "files": "formData",
}

#: The Swagger 2.0 ``type`` of Python's types, for :attr:`Argument.__schema__`.
PY_TYPES: dict[t.Any, str] = {
    int: "integer",
    str: "string",
    bool: "boolean",
    float: "number",
    None: "void",
}

#: What ``action="split"`` splits a value on.
SPLIT_CHAR = ","

#: The ``message`` of the 400 body for arguments that fail.
_INVALID = "Input payload validation failed"


class ParseResult(_Namespace):
    """The parsed arguments: a :class:`dict` whose keys are also attributes.

    .. code-block:: python

        args = parser.parse_args()
        args.name == args["name"]
    """


def _model_converter(
    model: Mapping[t.Any, t.Any],
) -> Callable[[t.Any, str, str], t.Any]:
    """Convert a JSON object through ``model``, a fields dict, as
    Flask-RESTX converts an argument whose ``type`` is a model."""

    def convert(value: t.Any, name: str, op: str) -> t.Any:
        if not isinstance(value, dict):
            raise ValueError(f"{name} must be a JSON object")
        return marshal(value, model)

    return convert


class Argument(_Argument):
    """One argument of a :class:`RequestParser`, as Flask-RESTX has it.

    It takes the options of :class:`flask_resources.reqparse.Argument`, and
    differs from it as Flask-RESTX's differs from Flask-RESTful's:

    - ``help`` is put in front of the error's message (``"Bad choice. The
      value 'x' is not a valid choice for 'foo'."``); written with
      ``{error_msg}``, it is filled in instead.
    - A value outside ``choices`` is reported as ``"The value 'x' is not a
      valid choice for 'foo'."``.
    - ``type`` may be a model (a fields dict): a JSON object is marshalled
      through it.
    - :attr:`__schema__` describes it as a Swagger 2.0 parameter.
    """

    def make_converter(self) -> Callable[[t.Any, str, str], t.Any]:
        kind = self.type
        if isinstance(kind, Mapping):
            return _model_converter(kind)
        return super().make_converter()

    def error_message(self, error: BaseException) -> str:
        text = str(error)
        help = self.help
        if not help:
            return text
        if "{error_msg}" in help:
            try:
                return help.format(error_msg=text)
            except (KeyError, IndexError, ValueError):
                pass  # Other braces in ``help``: put it in front as it is.
        return f"{help} {text}"

    def choice_error(self, value: t.Any, name: str) -> Exception:
        return ValueError(f"The value '{value}' is not a valid choice for '{name}'.")

    @property
    def __schema__(self) -> dict[str, t.Any] | None:
        """This argument as a Swagger 2.0 parameter, as Flask-RESTX's
        document has it; ``None`` for a cookie, which Swagger 2.0 cannot
        describe."""
        location = self.location
        if isinstance(location, str):
            if location in ("cookie", "cookies"):
                return None
            place = LOCATIONS.get(location, "query")
        else:
            place = "query"
        param: dict[str, t.Any] = {"name": self.name, "in": place}
        _add_type(param, self.type, location)
        if self.required:
            param["required"] = True
        if self.help:
            param["description"] = self.help
        if self.default is not None:
            default = self.default
            param["default"] = default() if callable(default) else default
        if self.action in ("append", "split"):
            items = {"type": param.pop("type", "string")}
            for key in ("format", "pattern"):
                if key in param:
                    items[key] = param.pop(key)
            param["items"] = items
            param["type"] = "array"
            param["collectionFormat"] = "multi" if self.action == "append" else "csv"
        if self.choices:
            param["enum"] = list(self.choices)
        return param


def _add_type(param: dict[str, t.Any], kind: t.Any, location: t.Any) -> None:
    """Say in ``param`` what ``type`` takes, as Flask-RESTX did."""
    try:
        primitive = PY_TYPES.get(kind)
    except TypeError:  # unhashable, such as a model
        primitive = None
    apidoc = getattr(kind, "__apidoc__", None)
    name = getattr(kind, "name", None) if isinstance(kind, Mapping) else None
    schema = getattr(kind, "__schema__", None)
    if primitive is not None:
        param["type"] = primitive
    elif isinstance(apidoc, Mapping) and "name" in apidoc:
        param["type"] = apidoc["name"]
        param["in"] = "body"
    elif isinstance(name, str):
        # A model without Flask-RESTX's ``__apidoc__``: named all the same.
        param["type"] = name
        param["in"] = "body"
    elif isinstance(schema, Mapping):
        param.update(schema)
    elif location == "files":
        param["type"] = "file"
    else:
        param["type"] = "string"


class RequestParser(_RequestParser):
    """Parse a request's arguments into a :class:`ParseResult`, as
    Flask-RESTX does.

    .. code-block:: python

        parser = RequestParser()
        parser.add_argument("rate", type=int, help="Rate cannot be converted")
        args = parser.parse_args()

    It is :class:`flask_resources.reqparse.RequestParser`, compiled fast path
    included, with Flask-RESTX's :class:`Argument` and its error body: a bad
    or missing argument answers 400 with::

        {"errors": {"rate": "Rate cannot be converted invalid literal ..."},
         "message": "Input payload validation failed"}

    :param argument_class: the class :meth:`add_argument` builds.
    :param result_class: the class of the result.
    :param trim: strip white space around every argument's string values,
        unless the argument says ``trim=False``.
    :param bundle_errors: report every failing argument at once instead of
        the first; the ``BUNDLE_ERRORS`` config does the same for all parsers.
    """

    def __init__(
        self,
        argument_class: type[_Argument] = Argument,
        result_class: type[dict[str, t.Any]] = ParseResult,
        trim: bool = False,
        bundle_errors: bool = False,
    ) -> None:
        super().__init__(argument_class, result_class, trim, bundle_errors)

    def parse_args(
        self,
        req: t.Any = None,
        strict: bool = False,
        http_error_code: int = HTTPStatus.BAD_REQUEST,
    ) -> t.Any:
        """Parse the arguments of ``req``, by default the current request.

        :param req: the request to parse instead of the current one.
        :param strict: answer 400 naming any argument in the JSON body, the
            query string or the form that the parser does not know.
        :param http_error_code: the status for invalid arguments (a
            flask-resources addition).
        :return: an instance of ``result_class``.
        """
        try:
            return super().parse_args(req, strict, http_error_code)
        except HTTPError as error:
            errors = _argument_errors(error)
            if errors is None:
                raise
            code = error.code
        # Outside the ``except``: the core's error is not this one's cause.
        abort(code or http_error_code, _INVALID, errors=errors)

    @property
    def __schema__(self) -> list[dict[str, t.Any]]:
        """The arguments as Swagger 2.0 parameters, as Flask-RESTX's
        document has them.

        :raises SpecsError: if some are in the body and others in a form,
            which Swagger 2.0 cannot say.
        """
        params = []
        places = set()
        for arg in self.args:
            param = getattr(arg, "__schema__", None)
            if param:
                params.append(param)
                places.add(param["in"])
        if "body" in places and "formData" in places:
            raise SpecsError("Can't use formData and body at the same time")
        return params


def _argument_errors(error: HTTPError) -> dict[str, t.Any] | None:
    """The messages by argument of an error the core parser raised for
    arguments that failed, or ``None`` for another error (a malformed JSON
    body, unknown arguments), which keeps its body."""
    body = error.get_data()
    messages = body.get("message")
    if len(body) == 1 and isinstance(messages, dict):
        return messages
    return None
