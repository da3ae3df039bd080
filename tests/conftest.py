"""Shared fixtures and test data: the deterministic fakes of :mod:`consistency.testing`, a tiny BERT NLI model
built on the spot, small benchmark inputs and the paths of the repository's sample data."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

import pytest

from consistency.compare.articles import Article, make_article
from consistency.runtime.device import CPU_BF16_ENV
from consistency.testing import FakeEmbedder, FakeNLI

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
SEED_ARTICLE = REPO_ROOT / "seeds" / "prigozhin_2023-07-10.txt"


@pytest.fixture(autouse=True)
def _float32_on_every_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CPU's auto dtype is bfloat16 on AMX machines (``cpu_has_fast_bfloat16``); tests compare against
    float32 references, so they pin float32 whatever CPU CI runs on. Tests of the detection override it."""
    monkeypatch.setenv(CPU_BF16_ENV, "0")


@pytest.fixture
def fake_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every model a command loads is a fake: the CLI runs end to end without a model."""
    from consistency.runtime.spec import ModelSpec

    monkeypatch.setattr(ModelSpec, "load_nli", lambda self: FakeNLI())
    monkeypatch.setattr(ModelSpec, "load_embedder", lambda self: FakeEmbedder())


@pytest.fixture
def fake_nli() -> FakeNLI:
    return FakeNLI()


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


def shared_data_or_skip(relative: str) -> Path:
    """Path under ../shared/data, or skip the test with a clear message when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: place the shared data beside the checkout (../shared/data) to run this test")
    return path


def import_or_fail(module: str, pip_name: str | None = None) -> ModuleType:
    """Import an optional test dependency of the ``dev`` extra. In CI (the ``CI`` environment variable set, as
    CI services do) a missing one fails the test: a contract that is never checked must not pass as a skip.
    Elsewhere the test skips with the pip command that fixes it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        message = f"{module} is not installed: pip install {pip_name or module} (or: pip install -e '.[dev]')"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"CI is set and {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture
def jsonschema() -> ModuleType:
    """The jsonschema module (in the ``dev`` extra); see :func:`import_or_fail`."""
    return import_or_fail("jsonschema")


# --- a tiny BERT NLI model, built in the test (the real loading path without a download) ---------------

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = "the a man dog cat is not sleeping running park in on red blue car street".split()
FILLER = [f"w{i}" for i in range(120)]
# A non-default label order: index 0 is contradiction, 2 is entailment.
ID2LABEL = {0: "CONTRADICTION", 1: "neutral", 2: "Entailment"}
POSITIONS = 64


def build_model(
    directory: Path, id2label: dict[int, str] = ID2LABEL, temperature: float | None = None, seed: int = 0
) -> Path:
    """Write a tiny BERT sequence classifier and its WordPiece tokenizer into ``directory``."""
    import torch
    from transformers import (  # type: ignore[attr-defined]  # BertTokenizerFast: lazy in transformers 5
        BertConfig,
        BertForSequenceClassification,
        BertTokenizerFast,
    )

    directory.mkdir(parents=True, exist_ok=True)
    vocab = SPECIAL + WORDS + FILLER
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast.from_pretrained(str(directory))
    assert tokenizer("the man")["input_ids"] == [2, 5, 7, 3]  # the vocab file was read
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=POSITIONS,
        initializer_range=0.5,  # wide weights: probabilities that differ from pair to pair
        id2label=id2label,
        label2id={label: index for index, label in id2label.items()},
    )
    if temperature is not None:
        config.consistency_temperature = temperature
    torch.manual_seed(seed)
    BertForSequenceClassification(config).save_pretrained(str(directory))
    tokenizer.save_pretrained(str(directory))
    return directory


# --- small benchmark inputs -------------------------------------------------------------------------

CONTRADICTORY = ("The bridge opened to traffic in 1990. It was built by the city council. "
                 "Thousands of cars cross it every day. The bridge did not open to traffic in 1990.")
CLEAN = "The museum opened in May. It shows paintings from the region. Entry is free on Sundays."
CLEAN_2 = "The mayor visited the school on Monday. Pupils sang for her. She promised a new gym."
CONTRA_2 = "The factory employs 300 workers. Production rose last year. The factory employs 450 workers."

DOC = ("The company reported a profit of 5 million dollars in 2022. Its chief executive is Anna Berg. "
       "The firm opened two new stores in Oslo.")


def write_jsonl(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


# --- a small corpus about one event (the store's tests and their child processes) -----------------------

PLACES = ["Minsk", "Rostov", "Moscow", "Kyiv", "Warsaw", "Vilnius", "Riga", "Tallinn"]


def make_corpus(n: int) -> list[Article]:
    """n small articles about one meeting, disagreeing on numbers and on where someone is."""
    articles = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        negated = "not " if i % 3 == 0 else ""
        text = (f"date 2023-07-{1 + i % 28:02d}\n"
                f"Officials said {10 + i} commanders attended the meeting in {place}.\n"
                f"Prigozhin is {negated}in Belarus, wrote reporter {i}.\n"
                f"The talks in {place} lasted {1 + i % 4} hours.\n"
                f"Reporter {i} filed this story from {place}.")
        articles.append(make_article(f"art{i:03d}", text, source=f"Outlet {i % 5}"))
    return articles
