"""Scale of cross-article comparison: corpora of 100, 1,000 and 10,000 articles of real news text.

Corpus: the 499 distinct news articles of FRANK (CNN/Daily Mail and BBC XSum) and 186 pseudo-articles
from ClaimDiff (the claims quoted from one news article, grouped by its title, dated by the record),
685 real articles in a fixed shuffled order. Larger corpora add derived articles: copy ``c`` of a real
article, every sentence rewritten as "According to Wire c, <sentence>". This keeps the text real and
every sentence unique (no cache can skip work: the cost measured is that of new text), while copies of
one story are near neighbours of each other, as syndicated wire copy is in a real news corpus.

Per size, in a fresh child process (so peak RSS is that size's own):

* ``compare``: the batch pipeline over the whole corpus (segment, embed, pair, NLI, report), with
  stage timings, claims, candidate pairs, findings;
* ``corpus add``: a store seeded with all but the last ``incremental`` articles (their embeddings
  reused from the compare run, so seeding is not timed as embedding), then the last articles added one
  at a time with fresh embeddings: the latency of one incremental add at that corpus size, and a rerun
  of the whole add, which must recompute nothing.

Models: the embedding model is real by default (``--embedder hashing`` swaps in a bag-of-words hashing
stand-in for sizes where real embedding would take hours on a CPU). NLI cannot be run for real on
millions of pairs on a CPU: the pairs are scored by a rule stand-in (negation or number mismatch
between overlapping claims), and when a real NLI model is given its throughput is measured on a
bounded sample of the candidate pairs and the NLI time of all pairs is estimated from it.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consistency.compare.articles import Article, make_article
from consistency.errors import DataError
from consistency.runtime.embedding import Embedder
from consistency.testing import STOP_WORDS, FakeEmbedder, FakeNLI

from .frame import Timing, data_entry, fmt, make_record, render_table
from .selection_recall import RECALL_MAX_ARTICLES, selection_recall

SIZES = (100, 1000, 10000)
FRANK = Path("frank.jsonl.gz")
CLAIMDIFF = (Path("claimdiff") / "ClaimDiff-weak-train.jsonl", Path("claimdiff") / "ClaimDiff-strength-train.jsonl")
INCREMENTAL = 10
_LOWER_FIRST = {"The", "A", "An", "It", "He", "She", "They", "We", "In", "On", "At", "But", "And", "This", "That",
                "There", "These", "Those", "His", "Her", "Their", "Its", "After", "When", "While", "As", "If"}
NLI_SAMPLE = 256



# --- the corpus -----------------------------------------------------------------------------------

def _lines(path: Path) -> int:
    """How many records a JSONL file (``.gz`` allowed) holds: its non-blank lines (a walk saw the counts of the
    shared files, 499 and 1,857, saved for other files)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())


def missing_corpus_files(docs_dir: str | Path) -> list[str]:
    """The corpus files (FRANK's, ClaimDiff's) that ``docs_dir`` lacks, by their names under it."""
    return [str(name) for name in (FRANK, *CLAIMDIFF) if not (Path(docs_dir) / name).is_file()]


def corpus_files(docs_dir: str | Path) -> list[Path]:
    """FRANK's file, then ClaimDiff's, under ``docs_dir``; :class:`DataError` naming those that are missing."""
    missing = missing_corpus_files(docs_dir)
    if missing:
        raise DataError(f"benchmark data missing: {', '.join(str(Path(docs_dir) / name) for name in missing)}; "
                        "pass --docs pointing at shared/data/docs")
    return [Path(docs_dir) / name for name in (FRANK, *CLAIMDIFF)]


def real_articles(docs_dir: str | Path) -> list[Article]:
    """The 685 real news articles (FRANK, ClaimDiff), in a fixed shuffled order."""
    frank, *claimdiff = corpus_files(docs_dir)
    articles: dict[str, Article] = {}
    with gzip.open(frank, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = record["article"]
            key = "frank-" + hashlib.sha256(text.encode()).hexdigest()[:10]
            source = "BBC (XSum)" if record.get("dataset") == "bbc" else "CNN/Daily Mail"
            articles.setdefault(key, make_article(key, text, source=source))
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for path in claimdiff:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                for side in ("a", "b"):
                    group = (record[f"article_{side}"], record["topic"], record["date"])
                    claims = grouped.setdefault(group, [])
                    if record[f"claim_{side}"] not in claims:
                        claims.append(record[f"claim_{side}"])
    for (title, _topic, date), claims in sorted(grouped.items()):
        key = "claimdiff-" + hashlib.sha256(title.encode()).hexdigest()[:10]
        articles.setdefault(key, make_article(key, "\n\n".join(claims), title=title, date=date))
    ordered = sorted(articles.values(), key=lambda a: a.id)
    random.Random(0).shuffle(ordered)
    return ordered


def derived_article(base: Article, copy: int) -> Article:
    """Copy ``copy`` of a real article: every sentence attributed to "Wire copy" (unique text, same story)."""
    from consistency.text.segment import segment

    paragraphs: dict[int, list[str]] = {}
    for claim in segment(base.text).claims:
        first, _, rest = claim.text.partition(" ")
        sentence = f"{first.lower()} {rest}" if first in _LOWER_FIRST else claim.text
        paragraphs.setdefault(claim.paragraph, []).append(f"According to Wire {copy}, {sentence}")
    text = "\n\n".join(" ".join(p) for _, p in sorted(paragraphs.items()))
    return make_article(f"{base.id}-wire{copy}", text, title=base.title, source=f"Wire {copy}", date=base.date)


def build_corpus(n: int, docs_dir: str | Path) -> list[Article]:
    """``n`` articles: the real ones first, then derived copies of them."""
    pool = real_articles(docs_dir)
    out = list(pool[:n])
    copy = 1
    while len(out) < n:
        for base in pool[: n - len(out)]:
            out.append(derived_article(base, copy))
        copy += 1
    return out


# --- stand-in models ------------------------------------------------------------------------------

CORPUS_STOP_WORDS = STOP_WORDS | {"according", "wire"}  # the derived wire copies' attribution is not content


def HashingEmbedder(dim: int = 384) -> FakeEmbedder:  # noqa: N802  (a stand-in model, named as one)
    """Bag-of-words hashing into 384 dimensions: a cheap stand-in for the embedding model at scale."""
    return FakeEmbedder(dim, batch_size=1024, name="hashing-384", record=False, stop_words=CORPUS_STOP_WORDS,
                        hash_hex_digits=8)


def RuleNLI() -> FakeNLI:  # noqa: N802
    """Rule stand-in for NLI at scale (:func:`consistency.testing.fake_nli_scores`): overlapping claims with a
    negation mismatch or no number in common contradict; a hypothesis whose words are all in the premise is
    entailed. No model, no GPU."""
    return FakeNLI(batch_size=4096, name="rule-nli", record=False, min_overlap=0.6, stop_words=CORPUS_STOP_WORDS,
                   disjoint_numbers=True, entailment_keeps_polarity=False)


class MemoEmbedder(Embedder):
    """Serves vectors computed earlier (by text); embeds the rest with ``inner``. Counts what it embedded."""

    def __init__(self, inner: Embedder, memo: dict[str, np.ndarray]) -> None:
        self.inner, self.memo = inner, memo
        self.name = inner.name
        self.batch_size = 100_000
        self.embedded = 0

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in texts if t not in self.memo]
        if todo:
            for text, vector in zip(todo, self.inner.embed(todo), strict=True):
                self.memo[text] = vector
            self.embedded += len(todo)
        return np.stack([self.memo[t] for t in texts])


# --- one size (runs in a child process) -----------------------------------------------------------

def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(
    n: int, docs_dir: str | Path, embedder: str = "real", nli_model: str | None = None, incremental: int = INCREMENTAL,
    workdir: str | Path | None = None,
) -> dict[str, Any]:
    """Measure compare and incremental corpus add at corpus size ``n`` (see the module docstring)."""
    clock = time.perf_counter()
    articles = build_corpus(n, docs_dir)
    build_seconds = time.perf_counter() - clock
    if embedder == "real":
        from consistency.runtime.embedding import SentenceTransformerEmbedder

        base: Embedder = SentenceTransformerEmbedder(device="cpu")
        base.embed(["warm-up sentence"])
    else:
        base = HashingEmbedder()
    memo: dict[str, np.ndarray] = {}
    metrics = _measure_compare(articles, docs_dir, base, memo, nli_model, real_embedder=embedder == "real")
    metrics["corpus_build_seconds"] = round(build_seconds, 2)
    if n <= RECALL_MAX_ARTICLES:
        metrics["selection_recall"] = _measure_recall(articles, base, memo, nli_model)
    print("compare measured: " + json.dumps(metrics), file=sys.stderr, flush=True)
    metrics.update(_measure_store(articles, base, memo, incremental, Path(workdir or tempfile.mkdtemp(
        prefix="corpus-bench-"))))
    return metrics


def _measure_compare(articles: Sequence[Article], docs_dir: str | Path, base: Embedder, memo: dict[str, np.ndarray],
                     nli_model: str | None, real_embedder: bool) -> dict[str, Any]:
    """Compare the whole corpus once (rule NLI, embeddings memoised for the store run): time, memory, counts."""
    from consistency.checker import Checker
    from consistency.compare import CompareSettings, compare_articles
    from consistency.runtime.device import dtype_name

    checker = Checker(nli=RuleNLI(), embedder=MemoEmbedder(base, memo))
    settings = CompareSettings()
    clock = time.perf_counter()
    report = compare_articles(articles, checker, settings)
    compare_seconds = time.perf_counter() - clock
    metrics: dict[str, Any] = {
        "articles": len(articles),
        "real_articles": min(len(articles), len(real_articles(docs_dir))),
        "claims": report.claims,
        "candidate_pairs": report.pairs_checked,
        "pairs_per_claim": round(report.pairs_checked / max(1, report.claims), 2),
        "findings": len(report.findings),
        "compare_seconds": round(compare_seconds, 2),
        "compare_stage_seconds": {k: round(v, 2) for k, v in report.timings.items()},
        "compare_peak_rss_mb": round(_peak_rss_mb(), 1),
        "index": report.stats.get("index"),
    }
    if real_embedder:
        metrics["embedding_dtype"] = dtype_name(getattr(base, "dtype", None))
    if nli_model:
        metrics.update(_nli_estimate(nli_model, report, articles, settings, checker))
    return metrics


def _measure_recall(articles: Sequence[Article], base: Embedder, memo: dict[str, np.ndarray], nli_model: str | None
                    ) -> dict[str, Any]:
    """The pair selection's recall against every cross-article pair (:mod:`consistency.eval.selection_recall`)."""
    from consistency.compare import CompareSettings

    nli: Any = _real_nli(nli_model) if nli_model else RuleNLI()
    clock = time.perf_counter()
    result = selection_recall(articles, MemoEmbedder(base, memo), CompareSettings(), nli, model_sample=bool(nli_model))
    result["seconds"] = round(time.perf_counter() - clock, 1)
    print("selection recall measured: " + json.dumps(result), file=sys.stderr, flush=True)
    return result


def _forget_tail(memo: dict[str, np.ndarray], tail: Sequence[Article]) -> None:
    """Drop the timed articles' texts from the embedding memo, so they are embedded afresh."""
    from consistency.text.segment import segment

    for article in tail:
        for text in article.text.split("\n"):
            memo.pop(text, None)
        for claim in segment(article.text).claims:
            memo.pop(claim.text, None)


def _measure_store(articles: Sequence[Article], base: Embedder, memo: dict[str, np.ndarray], incremental: int,
                   work: Path) -> dict[str, Any]:
    """Seed a store with all but the last ``incremental`` articles, then time adding those one by one, a re-run
    of the whole corpus (nothing to recompute) and the stored report."""
    from consistency.checker import Checker
    from consistency.compare import CompareSettings
    from consistency.store.corpus_store import CorpusStore

    n = len(articles)
    db = work / f"corpus-{n}.db"
    for stale in work.glob(f"corpus-{n}.db*"):
        stale.unlink()
    seed, tail = articles[: n - incremental], articles[n - incremental :]
    _forget_tail(memo, tail)
    with CorpusStore(db, CompareSettings()) as store:
        clock = time.perf_counter()
        seeded = store.add(seed, Checker(nli=RuleNLI(), embedder=MemoEmbedder(base, memo)))
        seed_seconds = time.perf_counter() - clock
        latencies = []
        fresh = MemoEmbedder(base, memo)
        added_pairs = 0
        for article in tail:
            clock = time.perf_counter()
            stats = store.add([article], Checker(nli=RuleNLI(), embedder=fresh))
            latencies.append(time.perf_counter() - clock)
            added_pairs += stats.pairs_added
        clock = time.perf_counter()
        rerun = store.add(articles, Checker(nli=RuleNLI(), embedder=MemoEmbedder(base, memo)))
        rerun_seconds = time.perf_counter() - clock
        clock = time.perf_counter()
        stored_report = store.report(Checker(nli=RuleNLI(), embedder=fresh))
        report_seconds = time.perf_counter() - clock
        counts = store.counts()
    return {
        "store_seed_seconds": round(seed_seconds, 2),
        "store_seed_articles_per_second": round(len(seed) / seed_seconds, 2) if seed_seconds else None,
        "store_seed_pairs": seeded.pairs_added,
        "incremental_articles": len(tail),
        "incremental_add_seconds_mean": round(float(np.mean(latencies)), 4),
        "incremental_add_seconds_max": round(float(np.max(latencies)), 4),
        "incremental_pairs_per_article": round(added_pairs / max(1, len(tail)), 1),
        "incremental_texts_embedded": fresh.embedded,
        "rerun_seconds": round(rerun_seconds, 2),
        "rerun_recomputed": rerun.texts_embedded + rerun.pairs_scored + rerun.articles_added,
        "store_report_seconds": round(report_seconds, 2),
        "store_findings": len(stored_report.findings),
        "store_rows": counts,
        "store_megabytes": round(sum(p.stat().st_size for p in work.glob(f"corpus-{n}.db*")) / 2**20, 1),
        "peak_rss_mb_after_store": round(_peak_rss_mb(), 1),
    }


@functools.lru_cache(maxsize=1)
def _real_nli(nli_model: str) -> Any:
    """The real NLI model on the CPU, loaded once per process (the recall and the throughput estimate share it)."""
    from consistency.runtime.nli import TransformersNLI

    return TransformersNLI(nli_model, device="cpu")


def _nli_estimate(nli_model: str, report: Any, articles: Sequence[Article], settings: Any, checker: Any
                  ) -> dict[str, Any]:
    """Throughput of a real NLI model on a bounded sample of this corpus's candidate pairs, and the
    NLI time all candidate pairs would take at that rate."""
    from consistency.compare import cross_candidate_pairs, embed_claims, flatten, segment_articles
    from consistency.runtime.device import dtype_name
    from consistency.scoring import pair_views, view_inputs

    records = segment_articles(articles)
    claims = flatten(records)
    vectors = embed_claims([c.text for c in claims], checker.embedder)
    pairs = cross_candidate_pairs(claims, vectors, settings)
    sample = random.Random(0).sample(pairs, min(NLI_SAMPLE, len(pairs)))
    nli = _real_nli(nli_model)
    inputs = view_inputs(pair_views(claims, sample, settings.scoring.views))  # what compare really classifies
    nli.predict(inputs[:16])
    clock = time.perf_counter()
    nli.predict(inputs)
    seconds = time.perf_counter() - clock
    rate = len(inputs) / seconds
    per_pair = len(inputs) / max(1, len(sample))
    return {"nli_model": nli_model, "nli_dtype": dtype_name(nli.dtype), "nli_sample_pairs": len(sample),
            "nli_inputs_per_pair": round(per_pair, 2),
            "nli_inputs_per_second": round(rate, 1),
            "nli_seconds_estimated_all_pairs": round(per_pair * len(pairs) / rate, 1)}


def models_dtype(models: dict[str, str], metrics: dict[str, Any]) -> str:
    """Move the dtypes the real models ran in (``embedding_dtype``, ``nli_dtype``, as ``run_size`` read them
    off the loaded models) from ``metrics`` into ``models``; the record's dtype is the NLI model's, else the
    embedder's, else float32 (only the stand-ins ran)."""
    for key in ("embedding_dtype", "nli_dtype"):
        if key in metrics:
            models[key] = str(metrics.pop(key))
    return models.get("nli_dtype") or models.get("embedding_dtype") or "float32"


def _child(arguments: str) -> None:
    """Entry point of the child process: run one size, print one JSON line."""
    options = json.loads(arguments)
    sizes_data = options.pop("data")
    metrics = run_size(**options)
    models = {"embedding": "all-MiniLM-L6-v2" if options["embedder"] == "real" else "hashing-384 (stand-in)",
              "nli": "rule-nli (stand-in)" + (f"; throughput of {options['nli_model']}" if options.get("nli_model")
                                              else "")}
    dtype = models_dtype(models, metrics)
    record = make_record(
        "corpus", device="cpu", dtype=dtype, batch_size=None, models=models, data=sizes_data,
        timing=Timing(seconds=metrics["compare_seconds"], samples=metrics["articles"]), metrics=metrics,
        settings={"incremental": options.get("incremental", INCREMENTAL), "top_k": 5, "wide_neighbours": 24},
    )
    print("RESULT " + json.dumps(record), flush=True)


def child_failure(output: str) -> str:
    """The one line that says why a measuring child failed: its error's own message when it raised one of the
    package's errors (a walk read traceback fragments inside the one-line error), else its last lines."""
    lines = output.strip().splitlines()
    for line in reversed(lines):
        for prefix in ("consistency.errors.", "ModelError: ", "DataError: ", "InputError: "):
            if line.startswith(prefix):
                return line.split(": ", 1)[1] if ": " in line else line
    return " | ".join(lines[-3:])


def run_suite(
    sizes: Sequence[int], docs_dir: str | Path, embedder: str = "real", nli_model: str | None = None,
    incremental: int = INCREMENTAL, workdir: str | Path | None = None, timeout: float | None = None,
) -> list[dict[str, Any]]:
    """One record per size, each measured in its own child process."""
    docs = Path(docs_dir)
    data = [data_entry(path, _lines(path)) for path in corpus_files(docs)]
    records = []
    for n in sizes:
        if n <= incremental:
            raise DataError(f"corpus size {n} must be larger than --incremental ({incremental})")
        options = {"n": n, "docs_dir": str(docs), "embedder": embedder, "nli_model": nli_model,
                   "incremental": incremental, "workdir": str(workdir) if workdir else None, "data": data}
        code = ("from consistency.eval.corpus_suite import _child; import sys; _child(sys.argv[1])")
        done = subprocess.run([sys.executable, "-c", code, json.dumps(options)], capture_output=True, text=True,
                              timeout=timeout)
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode != 0 or not lines:
            raise DataError(f"corpus benchmark at {n} articles failed (exit {done.returncode}): "
                            + child_failure(done.stderr or done.stdout))
        records.append(json.loads(lines[-1][len("RESULT "):]))
    return records


def corpus_table(records: Sequence[dict[str, Any]]) -> list[str]:
    """The suite's results as a table."""
    header = ["articles", "claims", "pairs", "pairs/claim", "findings", "compare s", "embed s", "pair s", "nli s",
              "peak MB", "add 1 s", "rerun s", "store MB"]
    rows = []
    for r in records:
        stages = r["compare_stage_seconds"]
        rows.append([str(r["articles"]), str(r["claims"]), str(r["candidate_pairs"]), fmt(r["pairs_per_claim"], 1),
                     str(r["findings"]), fmt(r["compare_seconds"], 1), fmt(stages.get("embed"), 1),
                     fmt(stages.get("pair"), 1), fmt(stages.get("nli"), 1), fmt(r["compare_peak_rss_mb"], 0),
                     fmt(r["incremental_add_seconds_mean"], 3), fmt(r["rerun_seconds"], 1),
                     fmt(r["store_megabytes"], 1)])
    return render_table(header, rows)


def format_corpus(records: Sequence[dict[str, Any]]) -> str:
    """The records as text: the frame of the first, then one table row per corpus size."""
    from .frame import frame_lines

    if not records:
        return "no corpus sizes were measured"
    head = frame_lines(records[0])[:3]
    notes = [
        "compare s: the whole batch pipeline; add 1 s: one incremental `corpus add` at that corpus size "
        "(mean of the last articles); rerun s: the whole add again (nothing recomputed)",
        f"NLI: {records[0]['models'].get('nli')}; embedding: {records[0]['models'].get('embedding')}",
    ]
    estimates = [
        f"{r['articles']} articles: real NLI ({r['nli_model']}) reads {r['nli_inputs_per_pair']} inputs per pair "
        f"(both directions, clause views) at {r['nli_inputs_per_second']} inputs/s on this machine, so all "
        f"{r['candidate_pairs']} candidate pairs would take ~{r['nli_seconds_estimated_all_pairs']:.0f} s"
        for r in records if r.get("nli_seconds_estimated_all_pairs") is not None
    ]
    recalls = [recall_line(r["articles"], r["selection_recall"]) for r in records if r.get("selection_recall")]
    extra = [*estimates, *recalls]
    return "\n".join([*head, *notes, "", *corpus_table(records), *([""] + extra if extra else [])]) + "\n"


def recall_line(articles: int, r: dict[str, Any]) -> str:
    """One line on the pair selection's recall (:mod:`consistency.eval.selection_recall`)."""
    line = (f"{articles} articles: selection recall {fmt(r['planted_recall'], 3)} on planted cross-article "
            f"conflicts ({r['planted_found_selected']} of the {r['planted_found_all_pairs']} that checking all "
            f"{r['cross_pairs_all']:,} cross-article pairs finds; {r['cross_pairs_selected']:,} pairs selected)")
    if r.get("model_recall_estimated") is not None:
        low, high = r["model_recall_interval"]
        line += (f"; all model findings: {r['model_findings_selected']} among the selected pairs, "
                 f"~{r['model_findings_left_out_estimated']:,.0f} estimated among the pairs left out "
                 f"({r['model_sample_findings']} in a sample of {r['model_sample_left_out']}), recall "
                 f"~{fmt(r['model_recall_estimated'], 3)} ({fmt(low, 3)}-{fmt(high, 3)}); mean similarity "
                 f"{fmt(r['similarity_selected_findings'], 2)} selected vs "
                 f"{fmt(r['similarity_left_out_findings'], 2)} left out")
    return line
