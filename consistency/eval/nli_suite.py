"""NLI pair files (``consistency bench nli``): the frame around :func:`consistency.nli_eval.evaluate_file`.

Accuracy, macro-F1, per-class scores, confusion and ECE come from :mod:`consistency.eval.nli_eval`; this
adds the machine, dtype, data hash and a warm-up before the timed pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from consistency.checker import nli_names
from consistency.render.report import models_to_dict
from consistency.runtime.device import dtype_name
from consistency.runtime.nli import NLIBackend

from .frame import Timing, backend_device, data_entry, frame_lines, make_record, reset_peak_memory


def run_nli(nli: NLIBackend, path: str | Path, limit: int | None = None, split: str | None = None,
            items: bool = False) -> dict[str, Any]:
    """Evaluate ``nli`` on a labelled pair file (first ``limit`` pairs; only ``split``'s pairs when given); returns
    the result record, with the accuracy per phenomenon when the file has a ``phenomenon`` field, and each pair's
    prediction and probabilities under ``items`` when asked."""
    from consistency.eval.nli_eval import evaluate_file, read_pairs

    first = read_pairs(path, limit=1)[0]  # fail on a bad file before the warm-up
    nli.predict([(first.premise, first.hypothesis)])
    device = backend_device(nli)
    reset_peak_memory(device)
    result = evaluate_file(path, nli=nli, limit=limit, split=split, keep_items=items)
    metrics = {key: value for key, value in result.to_dict().items() if key not in ("device", "batch_size")}
    return make_record("nli", device=device, dtype=dtype_name(getattr(nli, "dtype", None)),
                       batch_size=nli.batch_size, models=models_to_dict(nli_names(nli)),
                       data=[data_entry(path, result.n)], timing=Timing(result.seconds, result.n), metrics=metrics,
                       settings={"limit": limit, "split": split})


def format_nli(record: dict[str, Any]) -> str:
    """The frame, then nli_eval's summary table and per-class detail."""
    from consistency.eval.nli_eval import format_detail, format_phenomena, format_table

    result = _result(record)
    phenomena = format_phenomena(result)
    return "\n".join([*frame_lines(record), "", format_table([result]), "", format_detail(result),
                      *(["", phenomena] if phenomena else [])])


def _result(record: dict[str, Any]) -> Any:
    """Rebuild the EvalResult from a record (for the shared table formatters)."""
    from consistency.eval.nli_eval import ClassMetrics, EvalResult

    return EvalResult(
        file=record["file"], model=record["model"], scheme=record["scheme"], labels=tuple(record["labels"]),
        n=record["n"], accuracy=record["accuracy"], macro_f1=record["macro_f1"],
        per_class={label: ClassMetrics(m["precision"], m["recall"], m["f1"], m["support"])
                   for label, m in record["per_class"].items()},
        confusion=tuple(tuple(row) for row in record["confusion"]),
        contradiction_precision=record["contradiction_precision"],
        contradiction_recall=record["contradiction_recall"], ece=record["ece"], seconds=record["seconds"],
        pairs_per_second=record["pairs_per_second"], device=record["device"], batch_size=record["batch_size"],
        by_phenomenon=record.get("by_phenomenon"),
    )
