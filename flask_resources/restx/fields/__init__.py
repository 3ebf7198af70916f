"""Flask-RESTX's output fields, with its names, arguments and output, over
the core fields of :mod:`flask_resources.fields`.

``_base`` holds :class:`Raw`, the option mixins and how values are read,
``_values`` the fields of single values, ``_containers`` the fields holding
other fields.
"""

from __future__ import annotations

from ._base import JSON_TYPES as JSON_TYPES
from ._base import MarshallingError as MarshallingError
from ._base import MinMaxMixin as MinMaxMixin
from ._base import NumberMixin as NumberMixin
from ._base import Raw as Raw
from ._base import StringMixin as StringMixin
from ._base import get_value as get_value
from ._base import is_indexable_but_not_string as is_indexable_but_not_string
from ._base import is_integer_indexable as is_integer_indexable
from ._base import to_marshallable_type as to_marshallable_type
from ._containers import List as List
from ._containers import Nested as Nested
from ._containers import Polymorph as Polymorph
from ._containers import Wildcard as Wildcard
from ._values import ZERO as ZERO
from ._values import Arbitrary as Arbitrary
from ._values import Boolean as Boolean
from ._values import ClassName as ClassName
from ._values import Date as Date
from ._values import DateTime as DateTime
from ._values import Fixed as Fixed
from ._values import Float as Float
from ._values import FormattedString as FormattedString
from ._values import Integer as Integer
from ._values import String as String
from ._values import Url as Url

__all__ = (
    "Raw",
    "String",
    "FormattedString",
    "Url",
    "DateTime",
    "Date",
    "Boolean",
    "Integer",
    "Float",
    "Arbitrary",
    "Fixed",
    "Nested",
    "List",
    "ClassName",
    "Polymorph",
    "Wildcard",
    "StringMixin",
    "MinMaxMixin",
    "NumberMixin",
    "MarshallingError",
)
