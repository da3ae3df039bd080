"""The corpus store: incremental add, idempotence, model changes, the report, kill-and-resume."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from conftest import REPO_ROOT, build_model, make_corpus

from consistency.checker import Checker
from consistency.compare import CompareSettings, compare_articles
from consistency.compare.articles import Article, make_article
from consistency.compare.vector_index import faiss_module
from consistency.errors import ConsistencyError
from consistency.render import render
from consistency.runtime.nli import NLIBackend
from consistency.runtime.second_opinion import SecondOpinionNLI
from consistency.scoring import VERDICT_VERSION, ScoringSettings
from consistency.store import corpus_store
from consistency.store.corpus_store import CorpusStore
from consistency.testing import FakeEmbedder, FakeNLI


class JitterEmbedder(FakeEmbedder):
    """FakeEmbedder plus a small fixed per-text offset: no exact ties, so HNSW and exact search agree."""

    def _embed_batch(self, texts):  # type: ignore[no-untyped-def]
        import hashlib

        import numpy as np

        out = super()._embed_batch(texts)
        for row, text in enumerate(texts):
            seed = int(hashlib.md5(text.encode()).hexdigest()[:8], 16)
            out[row] += 0.05 * np.random.default_rng(seed).random(out.shape[1]).astype(np.float32)
        return out


def checker(nli: FakeNLI | None = None, embedder: FakeEmbedder | None = None) -> Checker:
    return Checker(nli=nli or FakeNLI(), embedder=embedder or FakeEmbedder())


def finding_keys(report) -> set[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    out = set()
    for f in report.findings:
        left, right = sorted([(str(f.a.article), f.a.text), (str(f.b.article), f.b.text)])
        out.add((*left, *right))
    return out


def test_add_then_rerun_recomputes_nothing(tmp_path: Path) -> None:
    nli, embedder = FakeNLI(), FakeEmbedder()
    articles = make_corpus(12)
    with CorpusStore(tmp_path / "c.db") as store:
        first = store.add(articles, checker(nli, embedder))
        assert first.articles_added == 12 and first.pairs_scored > 0
        calls, batches = nli.calls, len(embedder.batches)
        again = store.add(articles, checker(nli, embedder))
        assert again.articles_unchanged == 12 and again.articles_added == 0
        assert (nli.calls, len(embedder.batches)) == (calls, batches)
        caught_up = store.update(checker(nli, embedder))
        assert caught_up.pairs_scored == 0 and caught_up.articles_paired == 0
        assert nli.calls == calls
        assert store.integrity_check() == "ok"


def test_adding_one_article_costs_work_for_that_article_only(tmp_path: Path) -> None:
    articles = make_corpus(40)
    with CorpusStore(tmp_path / "c.db") as store:
        store.add(articles[:39], checker())
        nli, embedder = FakeNLI(), FakeEmbedder()
        stats = store.add(articles[39:], checker(nli, embedder))
    new_claims = stats.claims_added
    assert stats.articles_added == 1 and new_claims == 4
    assert sum(len(b) for b in embedder.batches) <= new_claims  # only the new article's sentences
    settings = CompareSettings()
    per_claim = settings.pairing.top_k + settings.pairing.slot_pairs_per_claim
    assert stats.pairs_added <= new_claims * per_claim
    assert len(nli.seen) <= 2 * new_claims * per_claim


@pytest.mark.parametrize("exact_below", [4096, 8])
def test_store_report_contains_batch_compare(tmp_path: Path, exact_below: int, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    if exact_below < 4096:
        if faiss_module() is None:
            pytest.skip("faiss-cpu is not installed")
        import consistency.store.corpus_store

        monkeypatch.setattr(consistency.store.index, "RECENT_MAX", 6)  # HNSW graph plus the exact buffer
    articles = make_corpus(10)
    batch = compare_articles(articles, checker(embedder=JitterEmbedder()))
    with CorpusStore(tmp_path / "c.db", CompareSettings(exact_below=exact_below)) as store:
        for article in articles:  # one at a time, as articles arrive
            store.add([article], checker(embedder=JitterEmbedder()))
        report = store.report(checker(embedder=JitterEmbedder()))
    assert finding_keys(batch) <= finding_keys(report)  # the store keeps pairs that were once neighbours
    assert all(s >= b for srow, brow in zip(report.matrix(), batch.matrix(), strict=True)
               for s, b in zip(srow, brow, strict=True))
    assert [a.id for a in report.articles] == [a.id for a in articles]
    assert {a.id: a.date for a in report.articles} == {a.id: a.date for a in articles}


@pytest.mark.parametrize("exact_below", [4096, 8])
def test_a_removed_article_leaves_the_corpus_as_if_never_added(tmp_path: Path, exact_below: int) -> None:
    # A fact-checker added a retracted article and could only start the corpus again.
    if exact_below < 4096 and faiss_module() is None:
        pytest.skip("faiss-cpu is not installed")
    articles = make_corpus(8)
    settings = CompareSettings(exact_below=exact_below)
    with CorpusStore(tmp_path / "kept.db", settings) as store:
        store.add([a for a in articles if a.id != "art003"], checker())
        kept = finding_keys(store.report(checker()))
    with CorpusStore(tmp_path / "c.db", settings) as store:
        store.add(articles, checker())
        assert any("art003" in key for key in finding_keys(store.report(checker())))
        with pytest.raises(ConsistencyError, match="holds no article 'nope'.*nothing was removed"):
            store.remove(["art003", "nope"])
        assert "art003" in store.article_ids()
        assert store.remove(["art003"]) == {"art003": 4}
        assert "art003" not in store.article_ids() and store.integrity_check() == "ok"
        assert finding_keys(store.report(checker())) == kept
        assert not list(tmp_path.glob("c.db.*.faiss"))
        store.add([make_article("art100", articles[3].text.replace("art", "x"))], checker())  # adding goes on
    with CorpusStore(tmp_path / "c.db", settings) as store:
        assert "art100" in store.article_ids() and store.integrity_check() == "ok"
        assert any("art100" in key for key in finding_keys(store.report(checker())))


def test_removing_more_ids_than_one_statement_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A script removed every article of a feed at once; SQLite caps the variables of one statement.
    monkeypatch.setattr(corpus_store, "LOOKUP_CHUNK", 2)
    articles = make_corpus(6)
    with CorpusStore(tmp_path / "c.db") as store:
        store.add(articles, checker())
        unknown = [f"gone{i}" for i in range(9)]
        with pytest.raises(ConsistencyError, match=r"'gone0', .*'gone4' and 4 more \(the ids"):
            store.remove(["art000", *unknown])
        assert len(store.article_ids()) == 6
        removed = store.remove([a.id for a in articles[:5]])
        assert list(removed) == [a.id for a in articles[:5]] and all(n > 0 for n in removed.values())
        assert store.article_ids() == [articles[5].id] and store.integrity_check() == "ok"


def test_changed_article_replaces_old_version_and_metadata_change_recomputes_nothing(tmp_path: Path) -> None:
    articles = make_corpus(6)
    with CorpusStore(tmp_path / "c.db") as store:
        store.add(articles, checker())
        nli = FakeNLI()
        renamed = Article(**{**articles[0].__dict__, "title": "A new title"})
        stats = store.add([renamed], checker(nli))
        assert stats.articles_unchanged == 1 and nli.calls == 0
        assert store.report(checker()).articles[0].title == "A new title"
        changed = make_article(articles[1].id, articles[1].text.replace("Belarus", "Poland"))
        stats = store.add([changed], checker())
        assert stats.articles_replaced == 1
        assert store.article_ids().count(articles[1].id) == 1
        texts = [t for (t,) in store.db.execute(
            "SELECT c.text FROM claims c JOIN articles a ON a.id=c.article_id WHERE a.ext_id=?", (articles[1].id,))]
        assert any("Poland" in t for t in texts) and not any("Belarus" in t for t in texts)
        assert store.integrity_check() == "ok"


def test_changing_a_model_recomputes_what_depends_on_it(tmp_path: Path) -> None:
    articles = make_corpus(8)
    with CorpusStore(tmp_path / "c.db") as store:
        store.add(articles, checker())
        verdicts = store.counts()["verdicts"]

        other_nli = FakeNLI()
        other_nli.name = "fake-nli-v2"
        embedder = FakeEmbedder()
        stats = store.update(checker(other_nli, embedder))
        assert stats.pairs_scored == verdicts and embedder.batches == []  # same embeddings, new verdicts

        other_embedder = FakeEmbedder(dim=32)
        other_embedder.name = "fake-embedder-32"
        stats = store.update(checker(FakeNLI(), other_embedder))
        assert stats.articles_paired == 8 and stats.texts_embedded > 0
        assert stats.pairs_reused > 0  # text pairs already judged by this NLI model are not re-run
        report = store.report(checker(FakeNLI(), other_embedder))
        assert report.models["embedding"] == "fake-embedder-32"


def test_model_keys_are_the_same_before_and_after_loading(tmp_path: Path) -> None:
    # A loaded checker once keyed verdicts by the bare name ("builtin"): a retrained model in the same
    # place then reused the old model's stored verdicts, and one process filed them under two keys.
    from consistency.runtime.embedding import SentenceTransformerEmbedder
    from consistency.runtime.nli import TransformersNLI
    from consistency.runtime.spec import ModelSpec

    model_dir = build_model(tmp_path / "nli")
    (model_dir / "tokenizer_config.json").write_text('{"model_max_length": 64}')
    unloaded = Checker(nli_model=str(model_dir), embedding_model=str(model_dir))
    loaded = Checker(nli=TransformersNLI(str(model_dir), device="cpu"),
                     embedder=SentenceTransformerEmbedder.__new__(SentenceTransformerEmbedder))
    loaded.embedder.name = loaded.embedder.model_path = str(model_dir)  # its key, without loading it
    assert loaded.nli_key() == unloaded.nli_key() and loaded.nli_key().startswith(f"{model_dir}@")
    assert loaded.embedding_key() == unloaded.embedding_key()
    before = unloaded.nli_key()
    config = json.loads((model_dir / "config.json").read_text())
    (model_dir / "config.json").write_text(json.dumps({**config, "consistency_temperature": 1.1}))  # retrained
    assert unloaded.nli_key() != before
    before = unloaded.nli_key()
    (model_dir / "tokenizer_config.json").write_text('{"model_max_length": 512}')
    windowed = unloaded.nli_key()
    (model_dir / "tokenizer_config.json").write_text('{"model_max_length": 128}')  # same size, new window
    assert len({before, windowed, unloaded.nli_key()}) == 3
    explicit = ModelSpec(str(model_dir), nli_max_length=256)  # --nli-max-length: other scores, other key
    assert explicit.nli_key() == unloaded.nli_key() + "@256tok"
    own_window = ModelSpec(str(model_dir), nli_max_length=128)  # the model's own window: the same scores
    assert own_window.nli_key() == unloaded.nli_key()
    assert TransformersNLI(str(model_dir), device="cpu", max_length=32).key == ModelSpec(
        str(model_dir), nli_max_length=32).nli_key()


def test_within_pairs_are_added_on_request(tmp_path: Path) -> None:
    article = make_article("self", "The meeting lasted three hours. The meeting did not last three hours.")
    other = make_article("other", "Wagner fighters were offered an empty military camp.")
    with CorpusStore(tmp_path / "c.db") as store:
        store.add([article, other], checker())
        assert store.report(checker()).within_findings == ()
    with CorpusStore(tmp_path / "c.db", CompareSettings(within=True)) as store:
        stats = store.update(checker())
        assert stats.articles_paired == 2
        assert len(store.report(checker()).within_findings) == 1


@pytest.mark.skipif(faiss_module() is None, reason="faiss-cpu is not installed")
def test_saved_vector_index_is_reused_and_rebuilt_when_damaged(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import consistency.store.corpus_store

    monkeypatch.setattr(consistency.store.index, "RECENT_MAX", 6)  # the exact buffer is merged into HNSW often
    settings = CompareSettings(exact_below=8)
    db = tmp_path / "c.db"
    articles = make_corpus(30)
    with CorpusStore(db, settings) as store:
        store.add(articles[:20], checker())
    index_file = db.with_name("c.db.fake-embedder.faiss")
    assert index_file.exists()
    with CorpusStore(db, settings) as store:
        store.add(articles[20:25], checker())
        assert len(store._index("fake-embedder")) == 100
    index_file.write_bytes(b"garbage")
    with CorpusStore(db, settings) as store:
        store.add(articles[25:], checker())
        assert len(store._index("fake-embedder")) == 120
        report = store.report(checker())
    assert "unreadable" in caplog.text
    assert report.findings


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    from consistency.errors import InputError

    with pytest.raises(InputError, match="is not a usable corpus database"):
        CorpusStore(bad)


def test_store_json_report_matches_schema(tmp_path: Path, jsonschema: ModuleType) -> None:
    schema = json.loads((REPO_ROOT / "consistency" / "schemas" / "compare.schema.json").read_text(encoding="utf-8"))
    with CorpusStore(tmp_path / "c.db") as store:
        store.add(make_corpus(6), checker())
        data = json.loads(render(store.report(checker()), 'json'))
    jsonschema.validate(data, schema)
    assert data["findings"] and data["stats"]["store"]["articles"] == 6
    assert data["schema"] == "consistency.compare" and data["models"]["store"]  # says what wrote it
    # the models by name, as check and compare give them (the score reminder reads "nli"), and the stored keys
    assert data["models"]["nli"] == checker().nli_name() and not data["models"]["nli"].startswith("builtin@")
    assert data["models"]["nli_key"].startswith(data["models"]["nli"]) and data["models"]["embedding_key"]


# --- kill and resume ------------------------------------------------------------------------------

SLOW_ADD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {tests!r})
    from conftest import make_corpus
    from consistency.testing import FakeEmbedder, FakeNLI
    from consistency.checker import Checker
    from consistency.store.corpus_store import CorpusStore

    class SlowNLI(FakeNLI):
        def _predict_batch(self, payloads):
            time.sleep(0.02)
            return super()._predict_batch(payloads)

    with CorpusStore({db!r}) as store:
        store.add(make_corpus({n}), Checker(nli=SlowNLI(batch_size=2), embedder=FakeEmbedder()),
                  progress=lambda article, what: print(what, article.id, flush=True))
    print("finished", flush=True)
""")


@pytest.mark.parametrize("kill_after", [3, 9])
def test_sigkill_mid_add_leaves_a_store_that_opens_and_resumes(tmp_path: Path, kill_after: int) -> None:
    db = tmp_path / "c.db"
    n = 40
    script = SLOW_ADD.format(tests=str(REPO_ROOT / "tests"), db=str(db), n=n)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    assert process.stdout is not None
    done = 0
    deadline = time.monotonic() + 120
    while done < kill_after and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        done += line.startswith("added")
    time.sleep(0.03)  # land somewhere inside the next article's work
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert done == kill_after

    raw = sqlite3.connect(db)  # opens with plain sqlite3, WAL replayed
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    with CorpusStore(db) as store:
        assert store.integrity_check() == "ok"
        committed = store.article_ids()
        assert kill_after <= len(committed) < n
        assert committed == [f"art{i:03d}" for i in range(len(committed))]
        # every committed article is whole: claims, pairing mark, and a verdict for each of its pairs
        claims = dict(store.db.execute("SELECT a.ext_id, count(c.id) FROM articles a JOIN claims c "
                                       "ON c.article_id=a.id GROUP BY a.id"))
        assert all(claims[a] == 4 for a in committed)
        assert store.db.execute("SELECT count(*) FROM article_models").fetchone()[0] == len(committed)
        assert store._unscored_pairs("fake-embedder", f"fake-nli#v{VERDICT_VERSION}") == []

        stats = store.add(make_corpus(n), checker())
        assert stats.articles_unchanged == len(committed) and stats.articles_added == n - len(committed)
        assert store.article_ids() == [f"art{i:03d}" for i in range(n)]
        assert store.update(checker()).pairs_scored == 0
        assert store.integrity_check() == "ok"
    with CorpusStore(tmp_path / "fresh.db") as fresh:
        fresh.add(make_corpus(n), checker())
        expected = finding_keys(fresh.report(checker()))
    with CorpusStore(db) as store:
        assert finding_keys(store.report(checker())) == expected


# --- CLI ------------------------------------------------------------------------------------------

def test_cli_corpus_add_and_check(fake_models: None, tmp_path: Path) -> None:
    from consistency.cli import main

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": a.id, "text": a.text, "source": a.source})
                                for a in make_corpus(5)) + "\nnot json\n", encoding="utf-8")
    db = tmp_path / "c.db"
    runner = CliRunner()
    added = runner.invoke(main, ["corpus", "add", str(corpus), "--db", str(db)])
    assert added.exit_code == 0, added.output
    assert f"warning: {corpus} line 6: not valid JSON" in added.stderr
    assert added.stdout.startswith(f"{db}: 5 added, 0 replaced, 0 unchanged;")
    assert added.stdout.rstrip().endswith("5 articles in the corpus; 1 input skipped (see the warnings)")
    again = runner.invoke(main, ["corpus", "add", str(corpus), "--db", str(db)])
    assert "0 added, 0 replaced, 5 unchanged" in again.stdout and "(0 new texts embedded)" in again.stdout
    checked = runner.invoke(main, ["corpus", "check", "--db", str(db), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    data = json.loads(checked.stdout)
    assert data["summary"]["articles"] == 5 and data["findings"]
    # what conflicts with one article (a fact-checker had to filter the JSON by hand)
    newest = make_corpus(5)[-1].id
    about = json.loads(runner.invoke(main, ["corpus", "check", "--db", str(db), "--format", "json", "--article",
                                            newest]).stdout)
    expected = [f for f in data["findings"] if newest in (f["a"]["article"], f["b"]["article"])]
    assert about["findings"] == expected and 0 < len(expected) < len(data["findings"])
    assert about["summary"]["articles"] == 5  # the corpus is still described whole
    # ... and says it is narrowed, with the matrix cells of that article only (an OSINT analyst could not tell)
    assert about["summary"]["focus"] == [newest] and data["summary"]["focus"] == []
    assert about["matrix"]["nonzero"] and all(newest in (c["a"], c["b"]) for c in about["matrix"]["nonzero"])
    assert len(about["matrix"]["nonzero"]) < len(data["matrix"]["nonzero"])
    text = runner.invoke(main, ["corpus", "check", "--db", str(db), "--article", newest]).stdout
    assert f"{newest}: {len(expected)} contradiction" in text and "The whole corpus: 5 articles" in text
    unknown = runner.invoke(main, ["corpus", "check", "--db", str(db), "--article", "nope"])
    assert unknown.exit_code == 2 and "no article 'nope' in" in unknown.output
    missing = runner.invoke(main, ["corpus", "check", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1
    assert missing.output.strip() == (f"Error: no corpus database at '{tmp_path / 'none.db'}'; create it with "
                                      f"'consistency corpus add PATH --db {tmp_path / 'none.db'}'")


# --- the scale benchmark (small) --------------------------------------------------------------------

def test_corpus_benchmark_runs_small(tmp_path: Path) -> None:
    from conftest import shared_data_or_skip

    from consistency.eval.corpus_suite import build_corpus, run_size

    docs = shared_data_or_skip("docs")
    corpus = build_corpus(700, docs)
    assert len({a.id for a in corpus}) == 700 and corpus[-1].id.endswith("-wire1")
    assert corpus[-1].text.startswith("According to Wire 1, ")
    metrics = run_size(30, docs, embedder="hashing", incremental=5, workdir=tmp_path)
    assert metrics["articles"] == 30 and metrics["claims"] > 30
    assert metrics["candidate_pairs"] > 0 and metrics["rerun_recomputed"] == 0
    assert metrics["incremental_texts_embedded"] > 0 and metrics["store_rows"]["articles"] == 30
    assert "embedding_dtype" not in metrics  # the hashing stand-in has no dtype


def test_corpus_benchmark_records_the_dtype_its_models_ran_in() -> None:
    """The dtypes come from the models that ran (run_size reads them off the loaded models), not a re-guess."""
    from consistency.eval.corpus_suite import models_dtype

    stand_ins: dict[str, str] = {}
    assert models_dtype(stand_ins, {"claims": 3}) == "float32" and stand_ins == {}
    real: dict[str, str] = {}
    metrics = {"claims": 3, "embedding_dtype": "bfloat16", "nli_dtype": "float32"}
    assert models_dtype(real, metrics) == "float32"  # the record's dtype is the NLI model's
    assert real == {"embedding_dtype": "bfloat16", "nli_dtype": "float32"} and metrics == {"claims": 3}
    embedder_only: dict[str, str] = {}
    assert models_dtype(embedder_only, {"embedding_dtype": "bfloat16"}) == "bfloat16"
    assert embedder_only == {"embedding_dtype": "bfloat16"}


def test_whole_claim_scoring_is_stored_apart_from_view_scoring(tmp_path: Path) -> None:
    claused = "Prigozhin left the meeting in Minsk after three hours and travelled to St Petersburg that night."
    clause = "Prigozhin travelled to St Petersburg that night."
    articles = [*make_corpus(6), make_article("x", claused), make_article("y", "Prigozhin stayed in Minsk that night.")]
    with CorpusStore(tmp_path / "c.db") as store:
        views = FakeNLI()
        store.add(articles, checker(views))
        assert any(clause in pair for pair in views.seen)  # read in its clauses
    with CorpusStore(tmp_path / "c.db", CompareSettings(scoring=ScoringSettings(views=False))) as store:
        whole = FakeNLI()
        assert store.update(checker(whole)).pairs_scored > 0  # the other scoring: recomputed, not reused
        assert claused in {text for pair in whole.seen for text in pair}
        assert not any(clause in pair for pair in whole.seen)  # whole claims only
        again = FakeNLI()
        assert store.update(checker(again)).pairs_scored == 0 and again.calls == 0
    with CorpusStore(tmp_path / "c.db") as store:
        assert store.update(checker(views := FakeNLI())).pairs_scored == 0 and views.calls == 0  # both kept


# --- second opinions and older stores -----------------------------------------------------------------------

class WordNLI(NLIBackend):
    """Contradiction ``clash`` where one text says "open" and the other "closed", else 0.05."""

    def __init__(self, name: str, clash: float) -> None:
        self.name, self.clash = name, clash

    def _predict_batch(self, payloads):  # type: ignore[no-untyped-def]
        out = []
        for premise, hypothesis in payloads:
            words = {w.strip(".").lower() for w in f"{premise} {hypothesis}".split()}
            c = self.clash if {"open", "closed"} <= words else 0.05
            out.append((0.0, 1.0 - c, c))
        return out


BRIDGE = [make_article("one", "The old bridge over the river is open."),
          make_article("two", "The old bridge over the river is closed.")]


def second_opinion_checker() -> Checker:
    return Checker(nli=SecondOpinionNLI(WordNLI("first", 0.9), WordNLI("second", 0.2), weight=0.4),
                   embedder=FakeEmbedder())


def test_a_stored_blend_keeps_what_each_model_thought(tmp_path: Path) -> None:
    """``corpus check`` from stored verdicts gives the same blended finding, note included, as ``compare``."""
    settings = CompareSettings(threshold=0.5)
    compared = compare_articles(BRIDGE, second_opinion_checker(), settings)
    with CorpusStore(tmp_path / "c.db", settings) as store:
        store.add(BRIDGE, second_opinion_checker())
        stored = store.report(second_opinion_checker())
    (live,), (kept,) = (f.finding for f in compared.findings), (f.finding for f in stored.findings)
    note = "blended with a second opinion: first model a->b 90%, b->a 90%; second model a->b 20%, b->a 20%"
    assert note in live.notes and kept.notes == live.notes and kept.score == pytest.approx(live.score)


def as_older_store(path: Path, version: int, *columns: str) -> None:
    """Make the store at ``path`` look as one of store schema ``version`` does: without ``columns`` ("table.column")."""
    db = sqlite3.connect(path)
    for column in columns:
        table, name = column.split(".")
        db.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
    db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(version),))
    db.commit()
    db.close()


def test_a_store_of_schema_1_is_brought_up_to_date_and_keeps_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with CorpusStore(path) as store:
        store.add(make_corpus(4), checker())
    # what a version-1 store looks like: no opinions column, no list items, no stories
    as_older_store(path, 1, "verdicts.opinions", "claims.list_item", "claims.story")
    with CorpusStore(path) as store:
        assert len(store.article_ids()) == 4 and store.report(checker()).findings
        assert store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "4"
        assert store.db.execute("SELECT count(*) FROM verdicts WHERE opinions IS NULL").fetchone()[0] > 0
        assert store.db.execute("SELECT count(*) FROM claims WHERE list_item IS NULL").fetchone()[0] > 0


def test_a_store_of_schema_2_gets_its_list_items_from_the_stored_texts(tmp_path: Path) -> None:
    # A QA walk: an upgraded store kept list_item empty, and adding the file again counted it unchanged, so the
    # upgraded store scored the article's list items unlike a new store.
    listed = make_article("list", "Facts. 1. He never eats meat. 2. He sleeps in the stadium. 3. He owns a dog.")
    path = tmp_path / "old.db"
    with CorpusStore(path) as store:
        store.add([listed], checker())
    as_older_store(path, 2, "claims.list_item", "claims.story")
    with CorpusStore(path) as store:
        items = [row[0] for row in store.db.execute("SELECT list_item FROM claims ORDER BY position")]
    assert items == [1, 2, 3]


def test_a_store_of_schema_3_gets_its_digest_stories_from_the_stored_texts(tmp_path: Path) -> None:
    digest = make_article("digest", "Morning digest\n\n--- Item 1 ---\n\nThe dam held after the storm.\n\n"
                                    "--- Item 2 ---\n\nThe bridge was closed on Monday. Two drivers were hurt.")
    path = tmp_path / "old.db"
    with CorpusStore(path) as store:
        store.add([digest], checker())
        new = [row[0] for row in store.db.execute("SELECT story FROM claims ORDER BY position")]
    assert new == ["Item 1", "Item 2", "Item 2"]
    as_older_store(path, 3, "claims.story")
    with CorpusStore(path) as store:
        stories = [row[0] for row in store.db.execute("SELECT story FROM claims ORDER BY position")]
    assert stories == new


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with CorpusStore(path) as store:
        store.add(make_corpus(2), checker())
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(ConsistencyError, match="store schema 99; this version reads 4: use a new --db file"):
        CorpusStore(path)
    assert path.read_bytes() == before


def test_a_small_corpus_is_checked_whole_as_compare_checks_it(tmp_path: Path) -> None:
    # A new user saw "79 pairs checked" from corpus check and "165 of 165" from compare on the same four articles.
    articles = make_corpus(4)
    compared = compare_articles(articles, checker())
    with CorpusStore(tmp_path / "c.db") as store:
        for article in articles:  # one at a time, as a growing corpus is built
            store.add([article], checker())
        stored = store.report(checker())
    assert stored.stats["cross_pairs"] == stored.stats["possible_cross_pairs"] == compared.stats["cross_pairs"]
    assert finding_keys(stored) == finding_keys(compared)


def test_the_store_report_says_how_many_of_the_possible_pairs_it_checked(tmp_path: Path) -> None:
    articles = make_corpus(5)
    compared = compare_articles(articles, checker())
    with CorpusStore(tmp_path / "c.db") as store:
        store.add(articles, checker())
        stored = store.report(checker())
    possible = compared.stats["possible_cross_pairs"]
    assert stored.stats["possible_cross_pairs"] == possible > 0
    assert 0 < stored.stats["cross_pairs"] == stored.pairs_checked <= possible
    assert f"{stored.stats['cross_pairs']} of {possible} cross-article pairs checked" in render(stored, "text")


def test_corpus_add_warns_about_an_article_without_claims(fake_models: None, tmp_path: Path) -> None:
    # A new user's a.md ("hi") was added as a 0-claim article without a word.
    from consistency.cli import main

    (tmp_path / "a.md").write_text("hi", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The bridge opened on Monday. The ferry stopped running.", encoding="utf-8")
    added = CliRunner().invoke(main, ["corpus", "add", str(tmp_path / "a.md"), str(tmp_path / "b.txt"),
                                      "--db", str(tmp_path / "c.db")])
    assert added.exit_code == 0, added.output
    assert added.stderr.count("no sentence is a claim") == 1 and "warning: a: no sentence is a claim" in added.stderr
    assert "2 articles in the corpus" in added.stdout


def test_the_store_report_reads_in_article_order_whatever_order_they_were_stored_in(tmp_path: Path) -> None:
    # A new user re-added one edited article: it moved from A1 to A4 and its findings flipped a->b / b->a.
    articles = make_corpus(4)
    edited = make_article("art001", articles[1].text.replace("11 commanders", "12 commanders"),
                          source=articles[1].source)
    final = [articles[0], edited, *articles[2:]]

    def oriented(report) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
        return sorted((str(f.a.article), f.a.text, str(f.b.article), f.b.text) for f in report.findings)

    with CorpusStore(tmp_path / "c.db") as store:
        store.add(list(reversed(articles)), checker())
        assert store.add([edited], checker()).articles_replaced == 1
        stored = store.report(checker())
    compared = compare_articles(final, checker())
    assert [a.id for a in stored.articles] == [a.id for a in compared.articles] == [a.id for a in final]
    assert oriented(stored) == oriented(compared) and stored.findings


def test_two_processes_adding_at_once_take_turns_and_pair_each_others_articles(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Two `corpus add` runs at once each planned its article against a store without the other's: both exited 0,
    # and the pairs between the two new articles were never made (re-adding said "unchanged").
    import threading

    base, first_article, second_article = make_corpus(3)
    path = tmp_path / "c.db"
    with CorpusStore(path) as store:
        store.add([base], checker())
    holding = threading.Event()
    released = threading.Event()

    def first_writer() -> None:
        with CorpusStore(path) as first:
            with first.writer():  # another process holds the lock ...
                holding.set()
                released.wait(5)
                first._add([first_article], checker(), None)  # ... and adds its article meanwhile

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert holding.wait(5)
    with caplog.at_level("WARNING", logger="consistency.store.corpus_store"):
        timer = threading.Timer(0.3, released.set)
        timer.start()
        with CorpusStore(path) as second:
            second.add([second_article], checker())  # waits, then plans against the first writer's article
    thread.join(5)
    assert "another process or thread is writing to" in caplog.text and "waiting for it to finish" in caplog.text
    with CorpusStore(path) as store:
        stored = store.report(checker())
        stored_order = [row[0] for row in store.db.execute("SELECT ext_id FROM articles ORDER BY id")]
    assert stored_order == [base.id, first_article.id, second_article.id]  # the second writer waited its turn
    assert stored.stats["cross_pairs"] == stored.stats["possible_cross_pairs"]
    assert finding_keys(stored) == finding_keys(compare_articles([base, first_article, second_article], checker()))


def test_a_different_article_under_a_stored_id_is_refused_and_an_edit_replaces(tmp_path: Path) -> None:
    # A fact-checker added outletB/article.txt to a corpus holding outletA/article.txt: "0 added, 1 replaced",
    # and outlet A's article was gone.
    first, other, third = make_corpus(3)
    stored = make_article("article", first.text, path="outletA/article.txt")
    different = make_article("article", other.text.replace("Officials", "Sources"), path="outletB/article.txt")
    edited = make_article("article", first.text.replace("Officials said", "Officials told reporters"),
                          path="outletA/article.txt")
    with CorpusStore(tmp_path / "c.db") as store:
        store.add([stored, third], checker())
        refused = store.add([different], checker())
        assert refused.refused == [("article", "outletA/article.txt", "outletB/article.txt")]
        assert "0 added, 0 replaced, 0 unchanged, 1 refused" in refused.summary()
        (text,) = store.db.execute("SELECT text FROM articles WHERE ext_id='article'").fetchone()
        assert text == first.text  # kept
        assert store.add([edited], checker()).articles_replaced == 1  # an edit of it replaces it
        assert store.add([different], checker(), replace_any=True).articles_replaced == 1  # on request


def test_cli_corpus_add_refuses_another_article_under_a_taken_name(fake_models: None, tmp_path: Path) -> None:
    from consistency.cli import main

    first, other = make_corpus(2)
    for outlet, article in (("outletA", first), ("outletB", other)):
        (tmp_path / outlet).mkdir()
        (tmp_path / outlet / "article.txt").write_text(article.text, encoding="utf-8")
    db = str(tmp_path / "c.db")
    runner = CliRunner()
    assert runner.invoke(main, ["corpus", "add", str(tmp_path / "outletA" / "article.txt"), "--db", db]).exit_code == 0
    result = runner.invoke(main, ["corpus", "add", str(tmp_path / "outletB" / "article.txt"), "--db", db])
    assert result.exit_code == 1
    assert "0 added, 0 replaced, 0 unchanged, 1 refused" in result.output
    assert (f"error: {tmp_path / 'outletB' / 'article.txt'}: not stored: the id 'article' holds another article "
            f"(from {tmp_path / 'outletA' / 'article.txt'}), and this text is not an edit of it; rename the file to "
            "store both, or pass --replace to replace it") in result.output


def test_a_writer_with_a_lock_timeout_gives_up_with_a_timeout_error(tmp_path: Path) -> None:
    # A web service cannot wait forever for another writer: with lock_timeout it raises TimeoutError instead.
    (article,) = make_corpus(1)
    path = tmp_path / "c.db"
    with CorpusStore(path) as holder, holder.writer():
        started = time.monotonic()
        with CorpusStore(path, lock_timeout=0.3) as impatient:
            with pytest.raises(TimeoutError, match=r"still being written by another process or thread after 0.3 s"):
                impatient.add([article], checker())
        assert 0.25 <= time.monotonic() - started < 5
    with CorpusStore(path, lock_timeout=0.3) as store:  # free again: it adds at once
        assert store.add([article], checker()).articles_added == 1


def test_an_edit_lists_what_changed_and_a_copy_says_whose_it_is(tmp_path: Path) -> None:
    # An OSINT analyst: an outlet's quiet edit replaced the stored version without a word, and a syndicated copy
    # under another name gave no signal; both are news in a corpus of outlets.
    from dataclasses import replace

    first, second = make_corpus(2)
    edited = replace(first, text=first.text.replace("lasted 1 hours", "lasted 5 hours"))
    assert edited.text != first.text
    with CorpusStore(tmp_path / "c.db") as store:
        store.add([first, second], checker())
        stats = store.add([edited, replace(second, id="syndicated")], checker())
    (edit,) = stats.edits
    assert edit.article == first.id and len(edit.removed) == len(edit.added) == 1
    assert "lasted 1 hours" in edit.removed[0] and "lasted 5 hours" in edit.added[0]
    (copy,) = stats.copies
    assert (copy.article, copy.of) == ("syndicated", second.id) and copy.shared == copy.claims > 0
    assert stats.to_dict()["copies"] == [{"article": "syndicated", "of": second.id, "shared": copy.shared,
                                          "claims": copy.claims}]


def test_a_db_path_in_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    # An OSINT walk's typo (--db typo_dir/sub/x.sqlite) silently created the folders and a second corpus
    from consistency.cli import main
    from consistency.store import CorpusStore

    missing = tmp_path / "typo_dir" / "sub" / "x.sqlite"
    with pytest.raises(ConsistencyError, match=f"the folder '{missing.parent}' does not exist; create it"):
        CorpusStore(missing)
    article = tmp_path / "a.txt"
    article.write_text("The bridge opened in 1990.", encoding="utf-8")
    result = CliRunner().invoke(main, ["corpus", "add", str(article), "--db", str(missing)])
    assert result.exit_code == 1 and result.output.startswith(f"Error: --db '{missing}': the folder")
    assert not (tmp_path / "typo_dir").exists()


def test_corpus_check_since_reports_what_involves_articles_stored_since_then(fake_models: None, tmp_path: Path) -> None:
    # An analyst's daily run: "corpus add today/*.txt; corpus check --since <today>" shows today's new conflicts.
    from consistency.cli import main

    texts = {"old": "The bridge opened in 1990.", "older": "The tunnel was dug in 1960.",
             "new": "The bridge opened in 1995.", "newer": "The tunnel was dug in 1966."}
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "c.sqlite"
    added = CliRunner().invoke(main, ["corpus", "add", *(str(tmp_path / f"{n}.txt") for n in texts), "--db", str(db)])
    assert added.exit_code == 0, added.output
    with sqlite3.connect(db) as connection:  # all but "new" were stored on 1 December 2025
        connection.execute("UPDATE articles SET added_at=? WHERE ext_id != 'new'", (1_764_547_200.0,))

    def check(*extra: str) -> tuple[int, dict | None, str]:
        result = CliRunner().invoke(main, ["corpus", "check", "--db", str(db), "-f", "json", "--no-progress", *extra])
        return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None, result.stderr

    _, whole, _ = check()
    assert whole is not None and len(whole["findings"]) == 2
    code, since, _ = check("--since", "2025-12-03")
    assert code == 0 and since is not None and since["summary"]["focus"] == ["new"]
    assert [{f["a"]["article"], f["b"]["article"]} for f in since["findings"]] == [{"old", "new"}]  # not the tunnel
    code, both, _ = check("--since", "2025-12-03T00:00+01:00", "--article", "older")
    assert code == 0 and both is not None and both["summary"]["focus"] == ["older", "new"]
    assert len(both["findings"]) == 2
    code, none, err = check("--since", "2999-01-01")
    assert code == 0 and none is None and "no article stored since 2999-01-01" in err
    code, _, err = check("--since", "yesterday")
    assert code == 2 and "'yesterday' is not a date or time; give one in ISO 8601" in err
    assert len(err.strip().splitlines()) == 1 and err.strip().endswith(" corpus check --help')")  # one line
