"""CHANGES.md is written for users: versions with their state, sections by
kind of change, no private names, and every difference from Flask-RESTful
also in the migration guide."""

from __future__ import annotations

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHANGES = (ROOT / "CHANGES.md").read_text()
MIGRATING = (ROOT / "docs" / "guide" / "migrating.md").read_text()

SECTIONS = {
    "Added",
    "Changed",
    "Deprecated",
    "Removed",
    "Fixed",
    "Differences from Flask-RESTful",
    "Differences from Flask-RESTX",
}


def versions() -> list[tuple[str, str, str]]:
    """``(version, state line, body)`` for each ``## Version`` section."""
    parts = re.split(r"^## Version (\S+)\n\n(.*)\n", CHANGES, flags=re.M)
    return [(parts[i], parts[i + 1], parts[i + 2]) for i in range(1, len(parts), 3)]


def bullets(text: str) -> list[str]:
    """The list items of ``text``, each on one line."""
    return [
        " ".join(item.split())
        for item in re.findall(r"^- (.*?)(?=^- |^#|^\S|\Z)", text, re.S | re.M)
    ]


def test_versions_newest_first_each_unreleased_or_dated() -> None:
    from packaging.version import Version

    found = versions()
    numbers = [Version(v) for v, _, _ in found]
    assert numbers == sorted(numbers, reverse=True)
    assert Version("0.1.0") in numbers
    for version, state, _ in found:
        assert (
            state == "Unreleased"
            or re.fullmatch(r"Released \d{4}-\d{2}-\d{2}", state)
            or version == "0.1.0"  # never published on its own
        ), (version, state)


def test_sections_are_by_kind_of_change() -> None:
    for version, _, body in versions():
        headings = re.findall(r"^### (.*)$", body, re.M)
        assert headings, version
        assert set(headings) <= SECTIONS, (version, headings)
        for section in re.split(r"^### .*$", body, flags=re.M)[1:]:
            assert bullets(section), version


def test_no_private_names_or_development_notes() -> None:
    for item in bullets(CHANGES):
        # `_state.py`, `_CACHE`, `module._helper`; not `__version__`.
        assert not re.search(r"`(?:[^`]*[./])?_[A-Za-z][^`]*`", item), item
        for word in ("tests/", "test_", ".ci/", "refactor", "split into"):
            assert word not in item, (word, item)


def test_every_difference_is_in_the_migration_guide() -> None:
    guide = " ".join(MIGRATING.split())
    differences = []
    for _, _, body in versions():
        for section in re.split(r"^(?=### )", body, flags=re.M):
            if section.startswith("### Differences from Flask-RESTful"):
                differences.extend(bullets(section))
    assert len(differences) > 20
    for item in differences:
        assert item in guide, item


def test_the_migration_guide_links_the_list() -> None:
    assert "(../changes.md#differences-from-flask-restful)" in MIGRATING
    assert "### Differences from Flask-RESTful" in CHANGES
