"""Tests of flask_resources.restx (a package, so its module names may
repeat those of the core tests)."""
