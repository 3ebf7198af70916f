"""Check the built wheel as a user gets it: ``python tests/check_dist.py DIR``.

``tox -e package`` builds the sdist, the wheel from it and runs this on
them: both hold LICENSE, and the wheel, installed alone in a fresh virtual
environment and imported away from the checkout, has a ``__version__``
equal to its metadata version.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile

CHECK = """
import importlib.metadata, pathlib, flask_resources
installed = importlib.metadata.version("flask-resources")
version = flask_resources.__version__
assert version == installed, (version, installed)
assert "site-packages" in pathlib.Path(flask_resources.__file__).parts
print(f"the wheel alone imports: __version__ {version}, its metadata's")
"""


def main(folder: str) -> None:
    dist = pathlib.Path(folder)
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    with tarfile.open(sdist) as archive:
        assert any(n.endswith("/LICENSE") for n in archive.getnames())
    with tempfile.TemporaryDirectory() as home:
        env = pathlib.Path(home, "venv")
        venv.create(env, with_pip=True)
        python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, str(wheel.resolve())], check=True)
        # Run from an empty folder, so that only the installed wheel imports.
        subprocess.run([str(python), "-I", "-c", CHECK], cwd=home, check=True)


if __name__ == "__main__":
    main(sys.argv[1])
