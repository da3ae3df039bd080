"""Speed on this machine: NLI pairs/s and embedder sentences/s against batch size and dtype, end-to-end
articles/s with the time of each stage, peak memory, and what pair selection saves on long articles.

Text comes from real news articles (a JSONL file whose rows have ``article`` or ``text``; the runner uses
FRANK's CNN/DailyMail and BBC articles, ``docs/frank.jsonl.gz``, distinct articles in file order).

* NLI: the first ``n_pairs`` pairs of consecutive claims; one "pair" is one (premise, hypothesis)
  classification including tokenisation (the checker classifies each candidate pair twice, once per
  direction). Each batch size gets an untimed warm-up batch first.
* dtype: float32 and bfloat16 on the CPU (float16 is refused there); float32, float16 and bfloat16 on
  CUDA. A backend that is not a ``TransformersNLI`` (a fake in tests) is measured in its own dtype only.
* End to end: ``Checker.check`` on ``n_articles`` articles after a warm-up; stage times from
  ``Report.timings`` (each stage ends by copying results to the host, so they are synchronised).
* Pairing: articles of 20, 50, 100 and 200 sentences made by concatenating whole articles and cutting
  at the n-th claim; candidate pairs against all pairs: pairs, seconds, and the share of the
  contradictions found by all pairs (score at or above the checker's threshold) that candidates find.
* Peak memory: ``torch.cuda.max_memory_allocated`` after a reset, per measurement, on CUDA; the
  process's peak RSS (``getrusage``; it only grows) on the CPU.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from consistency.checker import Checker
from consistency.errors import DataError
from consistency.runtime.device import dtype_name
from consistency.runtime.embedding import Embedder, SentenceTransformerEmbedder
from consistency.runtime.nli import NLIBackend, TransformersNLI
from consistency.text.segment import segment

from .frame import (
    Timing,
    data_entry,
    device_kind,
    fmt,
    frame_lines,
    make_record,
    peak_memory,
    read_jsonl,
    render_table,
    reset_peak_memory,
    stopwatch,
)
from .metrics import r4
from .pipeline import checker_facts, scoring_checker, warm_up

FORMAT = "a JSONL file of articles (key article or text), e.g. FRANK's docs/frank.jsonl.gz"
DEFAULT_BATCH_SIZES = (1, 8, 32, 64)
DEFAULT_SIZES = (20, 50, 100, 200)
STAGES = ("segment", "embed", "pair", "nli", "report")


def default_dtypes(device: str) -> tuple[str, ...]:
    """float32 + bfloat16 on the CPU, float32 + float16 + bfloat16 on CUDA, float32 + float16 on MPS."""
    kind = device_kind(device)
    if kind == "cuda":
        return ("float32", "float16", "bfloat16")
    if kind == "mps":
        return ("float32", "float16")
    return ("float32", "bfloat16")


def read_articles(path: str | Path, limit: int | None = None) -> list[str]:
    """Distinct article texts in file order (first ``limit``)."""
    seen: dict[str, None] = {}
    for number, row in enumerate(read_jsonl(path, (), FORMAT), start=1):
        text = row.get("article", row.get("text"))
        if not isinstance(text, str):
            raise DataError(f"{path}: line {number} has keys [{', '.join(map(str, row))}]; expected {FORMAT}")
        if text.strip():
            seen.setdefault(text.strip(), None)
        if limit is not None and len(seen) >= limit:
            break
    if not seen:
        raise DataError(f"'{path}' holds no article text; expected {FORMAT}")
    return list(seen)


def consecutive_pairs(articles: Sequence[str], n: int) -> list[tuple[str, str]]:
    """The first ``n`` (claim, next claim) pairs of the articles, in order."""
    pairs: list[tuple[str, str]] = []
    for article in articles:
        claims = segment(article).claims
        pairs += [(a.text, b.text) for a, b in zip(claims, claims[1:], strict=False)]
        if len(pairs) >= n:
            break
    if not pairs:
        raise DataError("the articles have no two consecutive claims to pair; pass longer articles")
    return pairs[:n]


def sentences(articles: Sequence[str], n: int) -> list[str]:
    """The first ``n`` claims of the articles."""
    out: list[str] = []
    for article in articles:
        out += [c.text for c in segment(article).claims]
        if len(out) >= n:
            break
    return out[:n]


def build_article(articles: Sequence[str], n_sentences: int) -> tuple[str, int, int]:
    """Concatenate whole articles (as paragraphs) and cut after the ``n_sentences``-th claim.

    Returns (text, claims it has, articles used); fewer claims only when the articles run out.
    """
    used: list[str] = []
    count = 0
    for article in articles:
        used.append(article)
        count += len(segment(article).claims)
        if count >= n_sentences:
            break
    text = "\n\n".join(used)
    claims = segment(text).claims
    if len(claims) > n_sentences:
        text = text[: claims[n_sentences - 1].end]
        claims = segment(text).claims
    return text, len(claims), len(used)


def throughput(backend: NLIBackend | Embedder, items: Sequence[Any], batch_sizes: Sequence[int], device: str,
               unit: str) -> list[dict[str, Any]]:
    """``unit`` ("pairs" or "sentences") per second of an NLI backend or an embedder on ``items`` at each batch
    size (warm-up batch first, untimed); the backend's own batch size is restored."""
    run = backend.predict if isinstance(backend, NLIBackend) else backend.embed
    rows = []
    saved = backend.batch_size
    try:
        for size in batch_sizes:
            backend.batch_size = size
            run(list(items[:size]))
            reset_peak_memory(device)
            with stopwatch(device) as elapsed:
                run(list(items))
            memory, _ = peak_memory(device)
            rows.append({"batch_size": size, unit: len(items), "seconds": round(elapsed[0], 4),
                         f"{unit}_per_second": round(len(items) / elapsed[0], 2) if elapsed[0] > 0 else None,
                         "peak_memory_mb": round(memory, 1)})
    finally:
        backend.batch_size = saved
    return rows


def nli_throughput(backend: NLIBackend, pairs: Sequence[tuple[str, str]], batch_sizes: Sequence[int],
                   device: str) -> list[dict[str, Any]]:
    """Pairs per second of ``backend`` on ``pairs`` at each batch size."""
    return throughput(backend, pairs, batch_sizes, device, "pairs")


def embed_throughput(embedder: Embedder, texts: Sequence[str], batch_sizes: Sequence[int],
                     device: str) -> list[dict[str, Any]]:
    """Sentences per second of ``embedder`` at each batch size."""
    return throughput(embedder, texts, batch_sizes, device, "sentences")


def _nli_in_dtype(nli: NLIBackend, dtype: str) -> NLIBackend | None:
    """``nli`` itself when it already runs in ``dtype``; a fresh TransformersNLI in ``dtype``; None if impossible."""
    current = dtype_name(getattr(nli, "dtype", None))
    if current == dtype:
        return nli
    if not isinstance(nli, TransformersNLI):
        return None
    return TransformersNLI(nli.model_name, device=nli.device, dtype=dtype, batch_size=nli.batch_size,
                           max_length=nli.max_length, temperature=nli.temperature)


def _embedder_in_dtype(embedder: Embedder, dtype: str) -> Embedder | None:
    """The checker's embedder for float32; a sentence-transformers copy cast explicitly to ``dtype``; else None."""
    if not isinstance(embedder, SentenceTransformerEmbedder):
        return embedder if dtype in ("float32", "n/a") else None
    if dtype == "float32":
        return embedder
    from consistency.runtime.device import torch_dtype

    copy = SentenceTransformerEmbedder(embedder.model_path, device=embedder.device, batch_size=embedder.batch_size)
    copy.model.to(torch_dtype(dtype, str(copy.device)))  # explicit: this is the dtype sweep
    copy.name = embedder.name
    return copy


def model_size(nli: NLIBackend) -> dict[str, Any]:
    """Size on disk of the NLI model directory (all files, and the weight files), and its parameter count."""
    out: dict[str, Any] = {"nli_model_path": None, "nli_model_size_mb": None, "nli_weights_mb": None,
                           "nli_parameters": None}
    model = getattr(nli, "model", None)
    if model is not None and hasattr(model, "parameters"):
        out["nli_parameters"] = int(sum(p.numel() for p in model.parameters()))
    path = Path(str(getattr(nli, "model_name", "")))
    if str(path) and path.is_dir():
        files = [f for f in path.rglob("*") if f.is_file()]
        out["nli_model_path"] = str(path)
        out["nli_model_size_mb"] = round(sum(f.stat().st_size for f in files) / 2**20, 2)
        out["nli_weights_mb"] = round(sum(f.stat().st_size for f in files
                                          if f.suffix in (".safetensors", ".bin", ".pt", ".onnx")) / 2**20, 2)
    return out


def end_to_end(checker: Checker, articles: Sequence[str], device: str) -> tuple[Timing, dict[str, Any]]:
    """``checker.check`` on each article (already warmed up): wall time and the mean time of each stage."""
    latencies: list[float] = []
    stages = dict.fromkeys(STAGES, 0.0)
    claims = pairs = 0
    reset_peak_memory(device)
    with stopwatch(device) as total:
        for number, article in enumerate(articles):
            with stopwatch(device) as elapsed:
                report = checker.check(article, source=f"article-{number}")
            latencies.append(elapsed[0])
            for stage in STAGES:
                stages[stage] += report.timings.get(stage, 0.0)
            claims += len(report.claims)
            pairs += report.pairs_checked
    memory, _ = peak_memory(device)
    n = len(articles)
    staged = sum(stages.values())
    summary = {
        "articles": n,
        "articles_per_second": round(n / total[0], 4) if total[0] > 0 else None,
        "claims_per_article": round(claims / n, 2),
        "pairs_per_article": round(pairs / n, 2),
        "stage_seconds_per_article": {s: round(v / n, 6) for s, v in stages.items()},
        "stage_share": {s: round(v / staged, 4) if staged else None for s, v in stages.items()},
        "peak_memory_mb": round(memory, 1),
    }
    return Timing(total[0], n, latencies), summary


def pairing_scaling(checker: Checker, articles: Sequence[str], sizes: Sequence[int],
                    device: str) -> list[dict[str, Any]]:
    """Candidate pairs against all pairs on articles of each size (in claims)."""
    threshold = checker.settings.threshold
    rows = []
    for size in sizes:
        text, n_claims, used = build_article(articles, size)
        found: dict[str, set[tuple[int, int]]] = {}
        row: dict[str, Any] = {"sentences": n_claims, "articles_concatenated": used,
                               "pairs_possible": n_claims * (n_claims - 1) // 2}
        for pairing in ("candidates", "all"):
            scorer = scoring_checker(checker, pairing)
            with stopwatch(device) as elapsed:
                report = scorer.check(text, source=f"{n_claims}-sentences")
            found[pairing] = {(f.a.index, f.b.index) for f in report.findings if f.score >= threshold}
            row[f"{pairing}_pairs"] = report.pairs_checked
            row[f"{pairing}_seconds"] = round(elapsed[0], 4)
            row[f"{pairing}_nli_seconds"] = round(report.timings.get("nli", 0.0), 4)
            row[f"{pairing}_contradictions"] = len(found[pairing])
        kept = found["candidates"] & found["all"]
        row["contradictions_found_by_candidates"] = len(kept)
        row["contradictions_found_share"] = r4(len(kept) / len(found["all"])) if found["all"] else None
        row["pairs_share"] = r4(row["candidates_pairs"] / row["pairs_possible"]) if row["pairs_possible"] else None
        rows.append(row)
    return rows


def _check_speed_options(batch_sizes: Sequence[int], n_pairs: int, n_sentences: int, n_articles: int,
                         sizes: Sequence[int]) -> None:
    if not batch_sizes or min(batch_sizes) < 1:
        raise DataError(f"batch sizes must be positive integers, got {list(batch_sizes)}")
    if min(n_pairs, n_sentences, n_articles) < 1:
        raise DataError("n_pairs, n_sentences and n_articles must be at least 1")
    if sizes and min(sizes) < 2:
        raise DataError(f"article sizes must be at least 2 sentences, got {list(sizes)}")


def dtype_sweep(kind: str, backend: NLIBackend | Embedder, items: Sequence[Any], batch_sizes: Sequence[int],
                dtypes: Sequence[str], device: str, skipped: list[str], note: Callable[[str], None]
                ) -> list[dict[str, Any]]:
    """Throughput per dtype and batch size of the checker's NLI backend (``kind`` "NLI") or embedder, one copy
    in each dtype at a time; a dtype the backend cannot change to is listed in ``skipped``."""
    rows: list[dict[str, Any]] = []
    for dtype in dtypes:
        copy: NLIBackend | Embedder | None
        if isinstance(backend, NLIBackend):
            copy = _nli_in_dtype(backend, dtype)
        else:
            copy = _embedder_in_dtype(backend, dtype)
        if copy is None:
            skipped.append(f"{kind} in {dtype}: backend {type(backend).__name__} has no dtype to change")
            continue
        if isinstance(copy, NLIBackend):
            shown = dtype_name(copy.dtype)
        else:
            shown = dtype if isinstance(copy, SentenceTransformerEmbedder) else "n/a"
        note(f"{kind} throughput, {shown}")
        unit = "pairs" if isinstance(copy, NLIBackend) else "sentences"
        rows += [{"dtype": shown, **row} for row in throughput(copy, items, batch_sizes, device, unit)]
        del copy
        gc.collect()  # drop this dtype's copy before loading the next
    return rows


def run_speed(
    checker: Checker,
    articles_path: str | Path,
    *,
    batch_sizes: Sequence[int] = DEFAULT_BATCH_SIZES,
    dtypes: Sequence[str] | None = None,
    n_pairs: int = 256,
    n_sentences: int = 512,
    n_articles: int = 20,
    sizes: Sequence[int] = DEFAULT_SIZES,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The speed suite; returns the result record (frame: end to end over ``n_articles`` articles)."""
    _check_speed_options(batch_sizes, n_pairs, n_sentences, n_articles, sizes)
    note = progress or (lambda _message: None)
    articles = read_articles(articles_path)
    pairs = consecutive_pairs(articles, n_pairs)
    texts = sentences(articles, n_sentences)

    warm_up(checker)
    facts = checker_facts(checker)
    device = facts["device"]
    wanted = list(dtypes) if dtypes is not None else list(default_dtypes(device))
    skipped: list[str] = []
    nli_rows = dtype_sweep("NLI", checker.nli, pairs, batch_sizes, wanted, device, skipped, note)
    if not nli_rows:  # a backend without a dtype (a fake): measured as it is
        nli_rows = [{"dtype": facts["dtype"], **row} for row in nli_throughput(checker.nli, pairs, batch_sizes, device)]
    embed_rows = dtype_sweep("embedder", checker.embedder, texts, batch_sizes, wanted, device, skipped, note)

    note(f"end to end, {min(n_articles, len(articles))} articles")
    timing, e2e = end_to_end(checker, articles[:n_articles], device)
    note(f"pairing on articles of {', '.join(map(str, sizes))} sentences")
    scaling = pairing_scaling(checker, articles, sizes, device)

    own = facts["dtype"]
    at = {row["batch_size"]: row["pairs_per_second"] for row in nli_rows if row["dtype"] == own}
    metrics: dict[str, Any] = {
        "n": e2e["articles"],
        "articles_per_second": e2e["articles_per_second"],
        "nli_pairs_per_second_batch_1": at.get(1),
        "nli_pairs_per_second_batch_32": at.get(32),
        **model_size(checker.nli),
        "nli_throughput": nli_rows,
        "embedder_throughput": embed_rows,
        "end_to_end": e2e,
        "pairing_scaling": scaling,
        "skipped": skipped,
    }
    return make_record("speed", device=device, dtype=facts["dtype"], batch_size=facts["batch_size"],
                       models=facts["models"], data=[data_entry(articles_path, len(articles))], timing=timing,
                       metrics=metrics, settings={"batch_sizes": list(batch_sizes), "dtypes": wanted,
                                                  "n_pairs": len(pairs), "n_sentences": len(texts),
                                                  "n_articles": e2e["articles"], "sizes": list(sizes)})


def format_speed(record: dict[str, Any]) -> str:
    """The human tables of a speed record."""
    lines = frame_lines(record)
    size = record.get("nli_model_size_mb")
    params = record.get("nli_parameters")
    lines += ["", f"NLI model size on disk: {fmt(size, 1)} MB (weights {fmt(record.get('nli_weights_mb'), 1)} MB)"
              + (f", {params / 1e6:.1f} M parameters" if params else "")]
    lines.append(f"NLI pairs/s ({record['dtype']}): batch 1 {fmt(record['nli_pairs_per_second_batch_1'], 1)}, "
                 f"batch 32 {fmt(record['nli_pairs_per_second_batch_32'], 1)}")
    lines += ["", f"NLI throughput ({record['settings']['n_pairs']} pairs of consecutive claims; one pair = one "
                  "direction, tokenisation included)"]
    lines += render_table(["dtype", "batch", "pairs/s", "seconds", "peak MB"],
                          [[r["dtype"], str(r["batch_size"]), fmt(r["pairs_per_second"], 1), fmt(r["seconds"], 2),
                            fmt(r["peak_memory_mb"], 0)] for r in record["nli_throughput"]])
    lines += ["", f"Embedder throughput ({record['settings']['n_sentences']} sentences)"]
    lines += render_table(["dtype", "batch", "sentences/s", "seconds", "peak MB"],
                          [[r["dtype"], str(r["batch_size"]), fmt(r["sentences_per_second"], 1), fmt(r["seconds"], 2),
                            fmt(r["peak_memory_mb"], 0)] for r in record["embedder_throughput"]])
    e2e = record["end_to_end"]
    lines += ["", f"End to end: {e2e['articles']} articles, {fmt(e2e['articles_per_second'], 2)} articles/s, "
                  f"{e2e['claims_per_article']:.1f} claims and {e2e['pairs_per_article']:.1f} pairs per article"]
    lines += render_table(["stage", "ms/article", "share"],
                          [[s, fmt(1000 * e2e["stage_seconds_per_article"][s], 1), fmt(e2e["stage_share"][s], 3)]
                           for s in STAGES])
    lines += ["", "Pairing: concatenated articles; candidates vs all pairs (contradictions at the checker's "
                  "threshold)"]
    lines += render_table(
        ["sentences", "cand pairs", "all pairs", "cand s", "all s", "all contra", "cand finds", "share"],
        [[str(r["sentences"]), str(r["candidates_pairs"]), str(r["all_pairs"]), fmt(r["candidates_seconds"], 2),
          fmt(r["all_seconds"], 2), str(r["all_contradictions"]),
          str(r["contradictions_found_by_candidates"]),
          fmt(r["contradictions_found_share"])] for r in record["pairing_scaling"]])
    for line in record.get("skipped", []):
        lines.append(f"skipped: {line}")
    return "\n".join(lines)
