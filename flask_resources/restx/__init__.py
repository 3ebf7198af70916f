"""Flask-RESTX's API over flask-resources: change ``flask_restx`` to
``flask_resources.restx`` in the imports and get OpenAPI 3.1."""

from __future__ import annotations

import importlib
import typing as t

from .api import Api as Api
from .errors import RestError as RestError
from .errors import SpecsError as SpecsError
from .errors import ValidationError as ValidationError
from .errors import abort as abort
from .namespace import Namespace as Namespace
from .resource import Resource as Resource

#: The Flask-RESTX release whose API this package follows; code comparing
#: ``flask_restx.__version__`` sees the version it was written against.
__version__ = "1.3.2"
__description__ = (
    "Flask-RESTX's API (namespaces, models, expect, masks) over"
    " flask-resources, documented with OpenAPI 3.1"
)

if t.TYPE_CHECKING:
    from . import apidoc as apidoc
    from . import cors as cors
    from . import inputs as inputs
    from . import model as model
    from . import reqparse as reqparse
    from . import swagger as swagger
    from . import utils as utils
    from .model import Model as Model
    from .model import OrderedModel as OrderedModel
    from .model import SchemaModel as SchemaModel
    from .swagger import Swagger as Swagger

__all__ = (
    "Api",
    "Mask",
    "Model",
    "Namespace",
    "OrderedModel",
    "Resource",
    "RestError",
    "SchemaModel",
    "SpecsError",
    "Swagger",
    "ValidationError",
    "__description__",
    "__version__",
    "abort",
    "apidoc",
    "cors",
    "fields",
    "inputs",
    "marshal",
    "marshal_with",
    "marshal_with_field",
    "reqparse",
)

# Imported on first use, as flask_resources does for its own names: only
# what an app touches is loaded (the model module loads jsonschema), and a
# module that cannot load fails where it is used. Each maps to its module
# and the attribute there (``None``: the module itself).
_LAZY = {
    "apidoc": ("apidoc", None),
    "model": ("model", None),
    "mask": ("mask", None),
    "marshalling": ("marshalling", None),
    "swagger": ("swagger", None),
    "utils": ("utils", None),
    "cors": ("cors", None),
    "fields": ("fields", None),
    "inputs": ("inputs", None),
    "reqparse": ("reqparse", None),
    "marshal": ("marshalling", "marshal"),
    "marshal_with": ("marshalling", "marshal_with"),
    "marshal_with_field": ("marshalling", "marshal_with_field"),
    "Mask": ("mask", "Mask"),
    "Model": ("model", "Model"),
    "OrderedModel": ("model", "OrderedModel"),
    "SchemaModel": ("model", "SchemaModel"),
    "Swagger": ("swagger", "Swagger"),
}


def __getattr__(name: str) -> t.Any:
    entry = _LAZY.get(name)
    if entry is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module_name, attribute = entry
    # Not ``from . import ...``: that would ask this function again.
    module = importlib.import_module(f"{__name__}.{module_name}")
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later lookups find it without this function
    return value
