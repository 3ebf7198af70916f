"""Sphinx configuration for the flask-resources documentation."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "flask-resources"
author = "flask-resources developers"
copyright = "2026, flask-resources developers"

extensions = [
    "sphinx.ext.autodoc",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "furo"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
myst_heading_anchors = 3
nitpicky = False
