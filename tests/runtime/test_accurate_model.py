"""The optional accurate NLI model (models/consistency-nli-accurate): the name 'accurate' finds it installed or
in a checkout, a missing one is a one-line error with the install command, and the folder ships what the
package declares (fp16 shards under 100 MB) and reads news pairs better than the built-in model."""

from __future__ import annotations

import sys
import tomllib
import types
from fnmatch import fnmatch
from pathlib import Path

import pytest
from conftest import REPO_ROOT, shared_data_or_skip

from consistency.errors import ModelError
from consistency.runtime import resolve
from consistency.runtime.resolve import ACCURATE_INSTALL, ACCURATE_NLI_NAME, NLI_MODEL_ENV, resolve_nli_model

PACKAGE_ROOT = REPO_ROOT / "models" / "consistency-nli-accurate"
MODEL_DIR = PACKAGE_ROOT / "consistency_nli_accurate"
MAX_SHARD_BYTES = 100_000_000
SNLI_300_BAR = 0.78  # measured 0.817 on these 300 pairs (teacher round 1b, float32, 2026-12-04)


def test_accurate_resolves_to_the_installed_package_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(NLI_MODEL_ENV, raising=False)
    fake = types.ModuleType("consistency_nli_accurate")
    fake.get_model_path = lambda: tmp_path  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "consistency_nli_accurate", fake)
    assert resolve_nli_model(ACCURATE_NLI_NAME) == str(tmp_path)
    monkeypatch.setenv(NLI_MODEL_ENV, ACCURATE_NLI_NAME)
    assert resolve_nli_model(None) == str(tmp_path)


def test_accurate_falls_back_to_the_checkout_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "consistency_nli_accurate", None)  # import fails: not installed
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setattr(resolve, "ACCURATE_CHECKOUT_DIR", tmp_path)
    assert resolve_nli_model(ACCURATE_NLI_NAME) == str(tmp_path)


def test_a_missing_accurate_model_is_one_line_with_the_install_command(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "consistency_nli_accurate", None)
    monkeypatch.setattr(resolve, "ACCURATE_CHECKOUT_DIR", tmp_path / "absent")
    with pytest.raises(ModelError) as info:
        resolve_nli_model(ACCURATE_NLI_NAME)
    message = str(info.value)
    assert "\n" not in message and ACCURATE_INSTALL in message and "accurate NLI model is not installed" in message


def test_other_names_pass_through() -> None:
    assert resolve_nli_model("org/some-nli-model") == "org/some-nli-model"
    assert resolve_nli_model("/models/mine") == "/models/mine"


# --- the committed folder ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_dir() -> Path:
    if not (MODEL_DIR / "config.json").is_file():
        pytest.fail(f"{MODEL_DIR} has no config.json: write it with python -m models.package_accurate")
    return MODEL_DIR


def test_the_package_declares_every_file_of_the_folder(model_dir: Path) -> None:
    """pip install ./models/consistency-nli-accurate must carry every file the model needs."""
    config = tomllib.loads((PACKAGE_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = config["package-data"]["consistency_nli_accurate"]
    assert config["packages"] == ["consistency_nli_accurate"]
    for path in model_dir.iterdir():
        if path.is_file() and path.suffix != ".py":
            assert any(fnmatch(path.name, p) for p in patterns), f"{path.name} is not in the package data {patterns}"
    assert (model_dir / "README.md").is_file(), "the model card is the folder's README.md"


def test_shards_are_fp16_safetensors_under_100_mb(model_dir: Path) -> None:
    from safetensors import safe_open

    shards = sorted(model_dir.glob("*.safetensors"))
    assert len(shards) >= 2 and (model_dir / "model.safetensors.index.json").is_file()
    for shard in shards:
        assert shard.stat().st_size < MAX_SHARD_BYTES, f"{shard.name} is {shard.stat().st_size / 1e6:.1f} MB"
        with safe_open(str(shard), framework="pt") as handle:
            dtypes = {handle.get_slice(name).get_dtype() for name in handle.keys()}
        assert {d for d in dtypes if d.startswith(("F", "BF"))} == {"F16"}, f"{shard.name}: {dtypes}"


@pytest.mark.real_models
def test_accurate_model_reads_the_plain_belarus_conflict_and_snli(model_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from consistency.eval.nli_eval import evaluate_file
    from consistency.runtime.nli import TransformersNLI

    monkeypatch.setitem(sys.modules, "consistency_nli_accurate", None)  # the checkout's folder, as in CI
    nli = TransformersNLI(ACCURATE_NLI_NAME, device="cpu", dtype="float32")
    assert nli.model_name == str(model_dir) and nli.max_length == 128
    # The sample's tension in one sentence each (0.91 measured). Its own two-sentence quote ("he's in St
    # Petersburg. He is not on the territory of Belarus.") it reads as entailment: a known weakness (card).
    [scores] = nli.predict([("Prigozhin agreed to live in exile in Belarus.", "Prigozhin is in St Petersburg.")])
    assert scores.contradiction > 0.5, scores
    result = evaluate_file(shared_data_or_skip("nli/eval/snli_test.jsonl"), nli=nli, limit=300)
    assert result.accuracy >= SNLI_300_BAR, f"accuracy {result.accuracy:.3f} on 300 SNLI test pairs"
