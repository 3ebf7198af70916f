"""``RequestParser``: parse a request's arguments into a ``Namespace``."""

from __future__ import annotations

import typing as t
from copy import deepcopy

from flask import request as _request_proxy

from ..exceptions import abort
from .argument import Argument, ArgumentAction, _bundle_config
from .sources import _Sources

if t.TYPE_CHECKING:
    from ._plan import Plan


class Namespace(dict[str, t.Any]):
    """The parsed arguments: a :class:`dict` whose keys are also attributes.

    .. code-block:: python

        args = parser.parse_args()
        args.name == args["name"]
    """

    def __getattr__(self, name: str) -> t.Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: t.Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None


class RequestParser:
    """Parse a request's arguments into a :class:`Namespace`.

    .. code-block:: python

        parser = RequestParser()
        parser.add_argument("name", required=True)
        parser.add_argument("age", type=int, default=0)

        @app.post("/cats")
        def create_cat():
            args = parser.parse_args()
            return {"name": args.name, "age": args.age}, 201

    A bad or missing argument answers 400 with ``{"message": {name: text}}``.

    :param argument_class: the class :meth:`add_argument` builds.
    :param namespace_class: the class of the result.
    :param trim: strip white space around every argument's string values,
        unless the argument says ``trim=False``.
    :param bundle_errors: report every failing argument at once instead of
        the first; the ``BUNDLE_ERRORS`` config does the same for all parsers.
    :param result_class: another name for ``namespace_class``.

    .. versionadded:: 0.1
    """

    # The compiled parse of ``args``: ``None`` until the second parse (a
    # parser built for one request is not worth compiling), ``False`` after
    # the first. A class default too, for subclasses whose ``__init__``
    # does not call this one.
    _plan: Plan | t.Literal[False] | None = None

    def __init__(
        self,
        argument_class: type[Argument] = Argument,
        namespace_class: type[dict[str, t.Any]] = Namespace,
        trim: bool = False,
        bundle_errors: bool = False,
        *,
        result_class: type[dict[str, t.Any]] | None = None,
    ) -> None:
        self.args: list[Argument] = []
        self.argument_class = argument_class
        self.namespace_class = result_class or namespace_class
        self.trim = trim
        self.bundle_errors = bundle_errors
        self._plan = None

    def __getstate__(self) -> dict[str, t.Any]:
        state = self.__dict__.copy()
        state["_plan"] = None
        return state

    @property
    def result_class(self) -> type[dict[str, t.Any]]:
        """The class of the result; the same as ``namespace_class``."""
        return self.namespace_class

    @t.overload
    def add_argument(self, argument: Argument, /) -> t.Self: ...

    @t.overload
    def add_argument(
        self,
        name: str,
        default: t.Any = None,
        dest: str | None = None,
        required: bool = False,
        ignore: bool = False,
        type: t.Callable[..., t.Any] = str,
        location: str | t.Sequence[str] = ("json", "values"),
        choices: t.Collection[t.Any] = (),
        action: ArgumentAction = "store",
        help: str | None = None,
        operators: t.Sequence[str] = ("=",),
        case_sensitive: bool = True,
        store_missing: bool = True,
        trim: bool = False,
        nullable: bool = True,
    ) -> t.Self: ...

    def add_argument(self, *args: t.Any, **kwargs: t.Any) -> t.Self:
        """Add an argument: an :class:`Argument`, or the options to build one.

        See :class:`Argument` for the options. Returns the parser, so calls
        can be chained.
        """
        if len(args) == 1 and not kwargs and isinstance(args[0], Argument):
            argument = args[0]
        else:
            argument = self.argument_class(*args, **kwargs)
        if self.trim and "trim" not in kwargs and isinstance(argument, Argument):
            argument.trim = True
        self.args.append(argument)
        return self

    def parse_args(
        self, req: t.Any = None, strict: bool = False, http_error_code: int = 400
    ) -> t.Any:
        """Parse the arguments of ``req``, by default the current request.

        Each location is read once, however many arguments use it.

        :param req: the request to parse instead of the current one.
        :param strict: answer 400 naming any argument in the JSON body, the
            query string or the form that the parser does not know.
        :param http_error_code: the status for invalid arguments.
        :return: an instance of ``namespace_class``.
        """
        if req is None:
            req = t.cast(t.Any, _request_proxy)._get_current_object()
        bundle = True if self.bundle_errors else None
        sources = _Sources(req)
        namespace = self.namespace_class()
        errors: dict[str, t.Any] = {}
        if not strict:
            plan = self._plan
            if plan is False:
                # The second parse: worth compiling. Loaded here, as an app
                # that parses once (a script, a test) never needs it.
                from ._plan import compile_plan

                plan = self._plan = compile_plan(self.args, Argument, _parse_one)
            if plan is None:
                self._plan = False
            elif plan(self.args, sources, namespace, errors, bundle, http_error_code):
                if errors:
                    abort(http_error_code, message=errors)
                return namespace
            else:
                # The arguments changed since: compile again next time.
                self._plan = False
        known: set[str] | None = set() if strict else None
        for arg in self.args:
            _parse_one(arg, sources, namespace, errors, bundle, http_error_code, known)
        if errors:
            abort(http_error_code, message=errors)
        if known is not None:
            unknown = [name for name in _given_names(sources) if name not in known]
            if unknown:
                abort(400, message=f"Unknown arguments: {', '.join(unknown)}")
        return namespace

    def copy(self) -> t.Self:
        """Return a parser with copies of this one's arguments and settings."""
        parser = self.__class__(self.argument_class, self.namespace_class)
        parser.args = deepcopy(self.args)
        parser.trim = self.trim
        parser.bundle_errors = self.bundle_errors
        return parser

    def replace_argument(
        self,
        name: str,
        default: t.Any = None,
        dest: str | None = None,
        required: bool = False,
        ignore: bool = False,
        type: t.Callable[..., t.Any] = str,
        location: str | t.Sequence[str] = ("json", "values"),
        choices: t.Collection[t.Any] = (),
        action: ArgumentAction = "store",
        help: str | None = None,
        operators: t.Sequence[str] = ("=",),
        case_sensitive: bool = True,
        store_missing: bool = True,
        trim: bool = False,
        nullable: bool = True,
    ) -> t.Self:
        """Replace the argument called ``name`` with a new one, put last.

        Takes the same options as :meth:`add_argument`. Nothing changes if
        there is no such argument.
        """
        new = self.argument_class(
            name,
            default,
            dest,
            required,
            ignore,
            type,
            location,
            choices,
            action,
            help,
            operators,
            case_sensitive,
            store_missing,
            trim,
            nullable,
        )
        for index, arg in enumerate(self.args):
            if arg.name == new.name:
                del self.args[index]
                self.args.append(new)
                break
        return self

    def remove_argument(self, name: str) -> t.Self:
        """Remove the argument called ``name``, if there is one."""
        for index, arg in enumerate(self.args):
            if arg.name == name:
                del self.args[index]
                break
        return self


def _parse_one(
    arg: Argument,
    sources: _Sources,
    namespace: dict[str, t.Any],
    errors: dict[str, t.Any],
    bundle: bool | None,
    code: int,
    known: set[str] | None = None,
) -> None:
    """Parse one argument of a parser and store its value, or its error when
    errors are bundled."""
    if isinstance(arg, Argument) and arg._shared_sources:
        value, found = arg._parse(
            sources, arg._locations, arg._single, bundle, code, known
        )
    else:
        value, found = arg.parse(sources.request, bool(bundle) or _bundle_config())
        if known is not None:
            known.update(arg.name + op.replace("=", "", 1) for op in arg.operators)
    if isinstance(found, dict):
        errors.update(found)
    elif found or arg.store_missing:
        namespace[arg.dest or arg.name] = value


def _given_names(sources: _Sources) -> dict[str, None]:
    """The names sent in the JSON body, the query string and the form."""
    names: dict[str, None] = {}
    for location in ("json", "values"):
        data, multi = sources[location]
        if data is None:
            continue
        if multi:
            names.update((key, None) for key, _ in data.items(multi=True))
            continue
        for key, value in data.items():
            # Merged like a MultiDict, a JSON [] contributes no value.
            if not isinstance(value, (list, tuple, set)) or value:
                names[key] = None
    return names
