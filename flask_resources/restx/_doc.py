"""Placeholder for H5's documentation decorators (``DocMixin``); the lead
takes H5's module at merge."""

from __future__ import annotations


class DocMixin:
    """Flask-RESTX's documentation decorators, shared by ``Namespace`` and
    ``Api`` (placeholder: H5 writes them)."""
