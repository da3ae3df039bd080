"""CI checks what it claims: the report-schema tests need jsonschema, which the dev extra installs, and in CI
a missing one fails them instead of skipping them (issue 18.3)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import REPO_ROOT, import_or_fail


def test_a_missing_test_dependency_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # `import jsonschema` now raises ImportError
    monkeypatch.setenv("CI", "true")
    expected = "CI is set and jsonschema is not installed: pip install jsonschema"
    with pytest.raises(pytest.fail.Exception, match=expected):
        import_or_fail("jsonschema")
    for unset in ("", "false", "0"):
        monkeypatch.setenv("CI", unset)
        with pytest.raises(pytest.skip.Exception, match=r"pip install jsonschema"):
            import_or_fail("jsonschema")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=r"pip install jsonschema"):
        import_or_fail("jsonschema")


def test_the_schema_tests_never_skip_silently_and_the_dev_extra_has_jsonschema() -> None:
    tests = sorted(path for path in (REPO_ROOT / "tests").rglob("test_*.py") if path.name != Path(__file__).name)
    skipping = [str(path) for path in tests if 'importorskip("jsonschema")' in path.read_text(encoding="utf-8")]
    assert skipping == []
    users = [path.name for path in tests if "jsonschema: ModuleType" in path.read_text(encoding="utf-8")]
    assert {"test_compare.py", "test_render.py", "test_store.py"} <= set(users)  # the three schema tests, at least
    dev = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(requirement.startswith("jsonschema") for requirement in dev["dev"])


@pytest.mark.parametrize("path", ["corpus.sqlite", "corpus.sqlite-wal", "corpus.sqlite-shm", "c.db-journal",
                                  "reports/r.html", ".hypothesis/examples/x"])
def test_run_outputs_are_ignored_by_git(path: str) -> None:
    # Issue 18.6: `consistency corpus add ... --db corpus.sqlite` (the README's example) left an untracked file.
    if shutil.which("git") is None or not (REPO_ROOT / ".git").exists():
        pytest.skip("git or the repository's .git is absent")
    result = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=REPO_ROOT, check=False)
    assert result.returncode == 0, f"{path} is not ignored by .gitignore"
