"""What a user installs: the wheel and the sdist, their metadata, the
version and the license.

The builds run in process with hatchling (the build backend), into a
temporary folder; ``tox -e package`` also checks them with
``twine check --strict`` and imports the wheel installed alone in a fresh
virtual environment.
"""

from __future__ import annotations

import email
import email.message
import pathlib
import re
import tarfile
import typing as t
import zipfile

import pytest

import flask_resources

ROOT = pathlib.Path(__file__).resolve().parent.parent
REPOSITORY = "https://github.com/flask-resources/flask-resources"

pytest.importorskip("hatchling", reason="builds with hatchling")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pathlib.Path]:
    from hatchling.builders.sdist import SdistBuilder
    from hatchling.builders.wheel import WheelBuilder

    out = tmp_path_factory.mktemp("dist")
    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(out))
    (sdist,) = SdistBuilder(str(ROOT)).build(directory=str(out))
    return {"wheel": pathlib.Path(wheel), "sdist": pathlib.Path(sdist)}


@pytest.fixture(scope="module")
def metadata(built: dict[str, pathlib.Path]) -> email.message.Message:
    with zipfile.ZipFile(built["wheel"]) as wheel:
        (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(wheel.read(name))


def sdist_names(built: dict[str, pathlib.Path]) -> set[str]:
    with tarfile.open(built["sdist"]) as sdist:
        # Strip the "flask_resources-<version>/" every member starts with.
        return {name.partition("/")[2] for name in sdist.getnames()}


def test_version_is_the_metadata_version(metadata: email.message.Message) -> None:
    assert metadata["Version"] == flask_resources.__version__


def test_version_is_pep_440_and_unreleased_until_dated() -> None:
    from packaging.version import Version

    version = Version(flask_resources.__version__)
    changes = (ROOT / "CHANGES.md").read_text()
    top = re.search(r"^## Version (\S+)\n\n(\S.*)$", changes, re.M)
    assert top is not None
    assert Version(top.group(1)) == Version(version.base_version)
    # A dev version while the top section says Unreleased, the plain version
    # once it is dated.
    assert version.is_devrelease == (top.group(2) == "Unreleased")


def test_license_in_wheel_and_sdist(
    built: dict[str, pathlib.Path], metadata: email.message.Message
) -> None:
    license_text = (ROOT / "LICENSE").read_text()
    assert "Redistribution and use in source and binary forms" in license_text
    assert metadata["License-Expression"] == "BSD-3-Clause"
    assert metadata.get_all("License-File") == ["LICENSE"]
    with zipfile.ZipFile(built["wheel"]) as wheel:
        (name,) = [n for n in wheel.namelist() if n.endswith("/licenses/LICENSE")]
        assert wheel.read(name).decode() == license_text
    assert "LICENSE" in sdist_names(built)


def test_project_urls_and_classifiers(metadata: email.message.Message) -> None:
    urls = dict(
        t.cast(str, value).split(", ", 1)
        for value in metadata.get_all("Project-URL") or []
    )
    assert set(urls) == {"Documentation", "Changes", "Source", "Issue tracker"}
    assert all(url.startswith(REPOSITORY) for url in urls.values())
    classifiers = metadata.get_all("Classifier") or []
    for prefix in (
        "Development Status :: ",
        "Environment :: Web Environment",
        "Intended Audience :: Developers",
        "Topic :: Internet :: WWW/HTTP :: WSGI :: Application",
        "Framework :: Flask",
        "Typing :: Typed",
    ):
        assert any(c.startswith(prefix) for c in classifiers), prefix


def test_readme_links_work_on_a_package_index(
    metadata: email.message.Message,
) -> None:
    assert metadata["Description-Content-Type"] == "text/markdown"
    readme = t.cast(str, metadata.get_payload())
    targets = re.findall(r"\]\(([^)]*)\)", readme)
    assert targets
    # A relative link only resolves in the repository, not on an index.
    assert [url for url in targets if not url.startswith("https://")] == []


def test_sdist_carries_the_tests_docs_and_the_benchmarks_the_docs_cite(
    built: dict[str, pathlib.Path],
) -> None:
    names = sdist_names(built)
    cited = set()
    for page in (ROOT / "docs").rglob("*.md"):
        cited.update(re.findall(r"benchmarks/[\w./]+\.(?:py|md)", page.read_text()))
    assert cited
    assert cited <= names
    for name in ("README.md", "CHANGES.md", "tox.ini", "tests/conftest.py"):
        assert name in names


def test_wheel_holds_the_package_only(built: dict[str, pathlib.Path]) -> None:
    with zipfile.ZipFile(built["wheel"]) as wheel:
        tops = {name.split("/", 1)[0] for name in wheel.namelist()}
    assert tops == {
        "flask_resources",
        f"flask_resources-{flask_resources.__version__}.dist-info",
    }
