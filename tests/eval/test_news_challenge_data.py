"""Schema and provenance of the hand-written news challenge set (benchmarks/data/news_challenge.jsonl).

The schema checks need only the file. The provenance checks (every premise is a real sentence of the
measurement-side FRANK article or of the ClaimDiff line its ``origin`` names) read the shared news data
and skip when it is absent.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

try:
    from consistency.eval.article_split import is_measurement_article, is_measurement_key
except ImportError:  # the module's place before the package was restructured
    from consistency.benchmarking.article_split import (  # type: ignore[no-redef]
        is_measurement_article,
        is_measurement_key,
    )

REPO_ROOT = Path(__file__).resolve().parents[2]
CHALLENGE = REPO_ROOT / "benchmarks" / "data" / "news_challenge.jsonl"
DOCS = Path(os.environ.get("CONSISTENCY_BENCH_DOCS", REPO_ROOT.parent / "shared" / "data" / "docs"))

FIELDS = {"premise", "hypothesis", "label", "source", "split", "phenomenon", "id", "origin"}
CONTRADICTION_PHENOMENA = {"number", "number_word", "age", "date", "place", "polarity", "antonym"}
OTHER_PHENOMENA = {
    "coreference",
    "different_entity",
    "list_rows",
    "negation_unrelated",
    "change_over_time",
    "attribution",
    "specificity",
}
ORIGIN = re.compile(
    r"^(?:frank:(?P<key>[0-9a-f]{10})|claimdiff:(?P<file>ClaimDiff-[a-z]+-train\.jsonl):(?P<line>\d+))$"
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def pairs() -> list[dict[str, str]]:
    with CHALLENGE.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_fields_and_values(pairs: list[dict[str, str]]) -> None:
    assert len(pairs) >= 300
    for pair in pairs:
        assert set(pair) == FIELDS, pair["id"]
        assert all(isinstance(v, str) and v.strip() for v in pair.values()), pair["id"]
        assert pair["source"] == "news_challenge"
        assert pair["split"] in {"dev", "report"}
        assert re.fullmatch(r"nc-\d{4}", pair["id"])
        assert ORIGIN.match(pair["origin"]), pair["id"]
        assert pair["phenomenon"] in CONTRADICTION_PHENOMENA | OTHER_PHENOMENA, pair["id"]
        if pair["phenomenon"] in CONTRADICTION_PHENOMENA:
            assert pair["label"] == "contradiction", pair["id"]
        else:
            assert pair["label"] in {"entailment", "neutral"}, pair["id"]


def test_every_phenomenon_present_and_halves_balanced(pairs: list[dict[str, str]]) -> None:
    halves = Counter((p["phenomenon"], p["split"]) for p in pairs)
    for phenomenon in CONTRADICTION_PHENOMENA | OTHER_PHENOMENA:
        dev, report = halves[phenomenon, "dev"], halves[phenomenon, "report"]
        assert dev + report >= 25, phenomenon
        assert abs(dev - report) <= 2, (phenomenon, dev, report)


def test_ids_unique_and_no_pair_duplicated(pairs: list[dict[str, str]]) -> None:
    assert len({p["id"] for p in pairs}) == len(pairs)
    keys = [(_norm(p["premise"]).lower(), _norm(p["hypothesis"]).lower()) for p in pairs]
    assert len(set(keys)) == len(keys)
    assert all(premise != hypothesis for premise, hypothesis in keys)


def test_frank_origins_are_measurement_side(pairs: list[dict[str, str]]) -> None:
    keys = {m["key"] for p in pairs if (m := ORIGIN.match(p["origin"])) and m["key"]}
    assert keys
    assert all(is_measurement_key(key) for key in keys)


def test_premises_are_real_sentences_of_their_origin(pairs: list[dict[str, str]]) -> None:
    frank, claimdiff = DOCS / "frank.jsonl.gz", DOCS / "claimdiff"
    if not frank.exists() or not claimdiff.is_dir():
        pytest.skip(f"shared news data not found under {DOCS}")
    wanted = {m["key"] for p in pairs if (m := ORIGIN.match(p["origin"])) and m["key"]}
    articles: dict[str, str] = {}  # origin key -> whitespace-normalised text of a measurement-side article
    with gzip.open(frank, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["article"]
            key = hashlib.sha1(text.encode()).hexdigest()[:10]
            if key in wanted and key not in articles:
                assert is_measurement_article(text), key
                articles[key] = _norm(text)
    claim_files: dict[str, list[str]] = {}
    for pair in pairs:
        match = ORIGIN.match(pair["origin"])
        assert match
        if match["key"]:
            assert match["key"] in articles, pair["id"]
            assert _norm(pair["premise"]) in articles[match["key"]], pair["id"]
        else:
            lines = claim_files.setdefault(match["file"], (claimdiff / match["file"]).read_text("utf-8").splitlines())
            record = json.loads(lines[int(match["line"]) - 1])
            assert _norm(pair["premise"]) in {_norm(record["claim_a"]), _norm(record["claim_b"])}, pair["id"]
