"""A report names the code that made it (a fact-checker's walk: the same command on the same file gave other
findings after a change, and nothing in the saved report said which build made which)."""

from __future__ import annotations

import re
import subprocess
import tomllib

from conftest import REPO_ROOT

from consistency import __version__
from consistency.build_info import code_version
from consistency.checker import Checker
from consistency.render import render
from consistency.testing import FakeEmbedder, FakeNLI


def test_the_version_is_pyprojects_and_the_commit_is_the_checkouts() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert __version__ == project["version"]
    found = re.fullmatch(r"(\d+\.\d+\.\d+) \(git ([0-9a-f]{12})(, modified)?\)", code_version())
    assert found is not None and found.group(1) == __version__  # the tests run from a git checkout
    head = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert found.group(2) == head


def test_a_saved_report_carries_it() -> None:
    report = Checker(nli=FakeNLI(), embedder=FakeEmbedder()).check("The bridge opened in 1990. It closed in 1991.")
    assert report.models["consistency"] == code_version()
    assert f"consistency: {code_version()}" in render(report, "markdown")
    assert f"consistency: {code_version()}" in render(report, "html")
    assert f'"consistency": "{code_version()}"' in render(report, "json")
