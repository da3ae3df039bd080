"""The shipped NLI model (models/consistency-nli-minilm-l6): loadable, fp16, small, and accurate enough."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO_ROOT, shared_data_or_skip

from consistency.eval.nli_eval import evaluate_file
from consistency.runtime.nli import label_indices

pytestmark = pytest.mark.real_models

MODEL_DIR = REPO_ROOT / "models" / "consistency-nli-minilm-l6"
MAX_BYTES = 50_000_000  # 50 MB: the whole directory ships inside the wheel
SNLI_300_BAR = 0.72  # measured 0.757 on these 300 pairs (phase 6, 2026-12-03; phase 5: 0.720); a few points under
SNLI_SLICE = 300  # the first 300 lines of snli_test.jsonl


@pytest.fixture(scope="module")
def model_dir() -> Path:
    if not (MODEL_DIR / "config.json").is_file():
        pytest.skip(f"{MODEL_DIR / 'config.json'} is missing: the shipped model is written when training ends "
                    "(python models/train_nli.py --config models/nli-train.toml)")
    return MODEL_DIR


def test_loads_with_plain_transformers(model_dir: Path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir))
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    labels = {str(label).lower() for label in model.config.id2label.values()}
    assert labels == {"entailment", "neutral", "contradiction"}
    assert len(label_indices(model.config.id2label, str(model_dir))) == 3
    temperature = getattr(model.config, "consistency_temperature", None)
    assert temperature is not None and 0.2 <= float(temperature) <= 5.0
    with torch.inference_mode():
        logits = model.float()(**tokenizer("A man is sleeping.", "A man is awake.", return_tensors="pt")).logits
    assert logits.shape == (1, 3)
    assert torch.isfinite(logits).all()


def test_checker_windows_at_the_training_length(model_dir: Path) -> None:
    """Pairs longer than the training length are windowed at it: wider windows scored worse (ConTRoL 0.32 vs 0.41)."""
    import tomllib

    from consistency.runtime.nli import TransformersNLI
    from models.recipe_config import load_config

    average = tomllib.loads((REPO_ROOT / "models" / "nli-average-phase6.toml").read_text())["average"]
    trained_at = load_config(REPO_ROOT / average["heldout_config"])[0]["data"]["max_length"]
    assert TransformersNLI(str(model_dir), device="cpu").max_length == trained_at


def test_weights_are_fp16_safetensors(model_dir: Path) -> None:
    from safetensors import safe_open

    weights = sorted(model_dir.glob("*.safetensors"))
    assert weights, f"no .safetensors file in {model_dir}"
    assert not list(model_dir.glob("*.bin")), "pickled weights must not ship; save with safe_serialization=True"
    dtypes: Counter[str] = Counter()
    for path in weights:
        with safe_open(str(path), framework="pt") as handle:
            for name in handle.keys():
                dtypes[handle.get_slice(name).get_dtype()] += 1
    floating = {dtype for dtype in dtypes if dtype.startswith(("F", "BF"))}
    assert floating == {"F16"}, f"weight dtypes {dict(dtypes)}; export with model.half()"


def test_directory_is_small(model_dir: Path) -> None:
    size = sum(path.stat().st_size for path in model_dir.rglob("*") if path.is_file())
    assert size <= MAX_BYTES, f"{model_dir} is {size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB"


def test_snli_slice_accuracy(model_dir: Path) -> None:
    path = shared_data_or_skip("nli/eval/snli_test.jsonl")
    result = evaluate_file(path, model_path=str(model_dir), limit=SNLI_SLICE)
    assert result.n == SNLI_SLICE
    assert result.accuracy >= SNLI_300_BAR, (
        f"accuracy {result.accuracy:.3f} on the first {SNLI_SLICE} SNLI test pairs is under the bar "
        f"{SNLI_300_BAR:.3f}"
    )
    # No collapse onto one label (the failure the data README warns about): gold is about a third each.
    predicted = [sum(column) for column in zip(*result.confusion, strict=True)]
    assert max(predicted) <= 0.6 * result.n, f"predictions per label {dict(zip(result.labels, predicted))}"
