"""Turn reqparse parsers, output fields and URL converters into JSON Schema.

marshmallow schemas are not converted here: apispec's ``MarshmallowPlugin``
does that.
"""

from __future__ import annotations

from .converters import converter_schema as converter_schema
from .converters import rule_parameters as rule_parameters
from .fields import DescribedModel as DescribedModel
from .fields import FieldsConverter as FieldsConverter
from .fields import ModelParts as ModelParts
from .reqparse import ParserArgument as ParserArgument
from .reqparse import parser_arguments as parser_arguments
from .reqparse import type_schema as type_schema
