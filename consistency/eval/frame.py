"""The frame every benchmark suite shares: the result record, machine facts, file hashes, timers,
peak memory, the calibration-file guard, and saving under ``benchmarks/results/``.

A result record is one flat JSON object: the frame fields (suite, machine, device, dtype, batch size,
model ids, data files and their sha256, ``total_time_in_seconds``, ``samples_per_second``,
``latency_in_seconds``, peak memory) and the suite's own metrics beside them. Timers use
``time.perf_counter`` after a warm-up; on CUDA they call ``torch.cuda.synchronize()`` before reading
the clock, so queued kernels are counted. torch is imported only inside the functions that need it.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from consistency.errors import DataError

T = TypeVar("T")
RESULTS_DIR = Path("benchmarks") / "results"
FRAME_KEYS = (
    "suite", "created", "machine", "device", "dtype", "batch_size", "models", "data_file", "data_sha256", "data",
    "settings", "total_time_in_seconds", "samples_per_second", "latency_in_seconds", "peak_memory_mb",
    "peak_memory_kind",
)


# --- files ----------------------------------------------------------------------------------------


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes (as stored: a .gz file is hashed compressed)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_entry(path: str | Path, n: int) -> dict[str, Any]:
    """How a result names one data file: its path as given, its sha256, and how many items were used."""
    return {"file": str(path), "sha256": file_sha256(path), "n": n}


def read_jsonl(path: str | Path, required: Sequence[str], what: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Rows of a JSONL file (``.gz`` allowed), first ``limit`` only; each must be an object with ``required`` keys.

    ``what`` names the format in error messages ("a ContraDoc file"). Bad input raises :class:`DataError`.
    """
    return [row for _, row in read_jsonl_lines(path, required, what, limit)]


def text_problem(value: object) -> str | None:
    """What is wrong with a field that must hold text ("empty", "a number", "a boolean"), or None when it is
    text."""
    if isinstance(value, str):
        return None if value.strip() else "empty"
    kind = "a boolean" if isinstance(value, bool) else "a number" if isinstance(value, (int, float)) else "not text"
    return f"{json.dumps(value)[:40]}, {kind}"


def read_jsonl_lines(path: str | Path, required: Sequence[str], what: str, limit: int | None = None
                     ) -> list[tuple[int, dict[str, Any]]]:
    """:func:`read_jsonl`'s rows with their line numbers, for messages that name the line (a walk was told "item
    6" of a row on line 7)."""
    path = Path(path)
    keys = ", ".join(required)
    if limit is not None and limit < 1:
        raise DataError(f"limit must be at least 1, got {limit}")
    if not path.exists():
        raise DataError(f"'{path}' does not exist; pass {what}: JSONL with keys {keys}")
    if path.is_dir():
        raise DataError(f"'{path}' is a directory; pass {what} (a JSONL file) inside it")
    rows: list[tuple[int, dict[str, Any]]] = []
    opener: Callable[[], Any] = (
        (lambda: gzip.open(path, "rt", encoding="utf-8-sig")) if path.suffix == ".gz"
        else (lambda: path.open(encoding="utf-8-sig"))  # a byte-order mark (Windows editors) is read past
    )
    try:
        with opener() as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(f"{path}: line {number} is not valid JSON ({exc.msg}); expected {what}, "
                                    f"one JSON object per line with keys {keys}") from exc
                if not isinstance(row, dict):
                    raise DataError(f"{path}: line {number} is a JSON {type(row).__name__}, not an object; "
                                    f"expected keys {keys}")
                missing = [key for key in required if key not in row]
                if missing:
                    raise DataError(f"{path}: line {number} has keys [{', '.join(map(str, row))}]; expected {keys} "
                                    f"({what})")
                rows.append((number, row))
                if limit is not None and len(rows) >= limit:
                    break
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError) as exc:
        raise DataError(f"'{path}' cannot be read as UTF-8 JSONL: {exc}; pass {what}, gzipped only when "
                        "its name ends in .gz") from exc
    if not rows:
        raise DataError(f"'{path}' is empty; expected {what}: one JSON object per line with keys {keys}")
    return rows


def head_by_label(items: Sequence[T], label: Callable[[T], Any], limit: int | None) -> list[T]:
    """The first ``limit`` items taking the labels in turn (file order within each label); all when None.

    Deterministic, and a small limit keeps both classes even when the file is sorted by label (ContraDoc is).
    """
    if limit is None or limit >= len(items):
        return list(items)
    groups: dict[Any, list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(label(item), []).append(index)
    chosen: set[int] = set()
    depth = 0
    while len(chosen) < limit:
        for group in groups.values():
            if depth < len(group) and len(chosen) < limit:
                chosen.add(group[depth])
        depth += 1
    return [items[index] for index in sorted(chosen)]


def check_calibration_file(reported: Sequence[str | Path], dev: str | Path) -> None:
    """Refuse to pick a threshold on a file that is also reported: same path, or same bytes (sha256).

    Raises :class:`DataError` naming both files and the fix.
    """
    dev_path = Path(dev)
    if not dev_path.is_file():
        raise DataError(f"calibration file '{dev}' does not exist or is not a file; pass --calibrate-on DEV_FILE "
                        "with a labelled file other than the one reported, or --threshold X")
    dev_hash = file_sha256(dev_path)
    for path in reported:
        path = Path(path)
        same_path = path.exists() and path.resolve() == dev_path.resolve()
        if same_path or (path.is_file() and file_sha256(path) == dev_hash):
            why = "it is the same file" if same_path else f"it has the same content (sha256 {dev_hash[:12]})"
            raise DataError(
                f"refusing to calibrate the threshold on '{dev}': {why} as the reported file '{path}', so the "
                "figures would be tuned on the data they report; pass --calibrate-on with a different labelled "
                "file, or a fixed --threshold X"
            )


def refuse_shared_items(reported: Sequence[Sequence[str]], dev: Sequence[str], dev_path: str | Path) -> None:
    """Refuse a calibration file that holds items of a reported file (``reported``: each file's item texts;
    ``dev``: the calibration file's): a walk's dev file of 9 reported documents and one other raised the reported
    balanced accuracy from 0.900 to 1.000. Raises :class:`DataError` with the count and the fix."""
    reported_texts = {text for texts in reported for text in texts}
    shared = sum(1 for text in set(dev) if text in reported_texts)
    if shared:
        raise DataError(f"refusing to calibrate the threshold on '{dev_path}': {shared} of its {len(set(dev))} items "
                        "are also in a reported file, so the figures would be tuned on the data they report; pass "
                        "--calibrate-on with items you do not report, or a fixed --threshold X")


def require_both_classes(labels: Sequence[bool], dev: str | Path, positive: str, negative: str) -> None:
    """Refuse a calibration file whose items are all of one class: any threshold is then "best" there.
    ``labels``: True for ``positive`` items. Raises :class:`DataError` naming the file and the fix."""
    if labels and (all(labels) or not any(labels)):
        held = positive if labels[0] else negative
        raise DataError(f"calibration file '{dev}' holds only {held} items ({len(labels)}); a threshold needs both "
                        f"{positive} and {negative} items: pass --calibrate-on with both, or a fixed --threshold X")


def progress_bar(items: Sequence[T], description: str, enabled: bool) -> Iterable[T]:
    """``items``, with progress on stderr when ``enabled`` (:mod:`consistency.progress`)."""
    if not enabled:
        return items
    from consistency.progress import track

    return track(items, description, "items")


# --- machine, device, dtype ------------------------------------------------------------------------


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine_info(device: str | None = None) -> dict[str, Any]:
    """Platform, Python, CPU model and cores, torch version, and the GPU's name when ``device`` is CUDA."""
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu_model(),
        "cpu_cores": os.cpu_count(),
    }
    try:
        import torch
    except ImportError:
        return info
    info["code"] = code_info()
    if hasattr(os, "getloadavg"):  # a busy machine's timings are not an idle one's
        info["load_average_1min"] = round(os.getloadavg()[0], 2)
    info["torch"] = torch.__version__
    info["torch_threads"] = torch.get_num_threads()
    if device_kind(device) == "cuda" and torch.cuda.is_available():
        index = torch.device(str(device)).index or 0
        info["gpu"] = torch.cuda.get_device_name(index)  # never nvidia-smi
        info["cuda"] = torch.version.cuda
    return info


def code_info() -> dict[str, Any]:
    """The package version, and where it runs from a git checkout, its commit and whether files differ from it
    (``dirty``): which code made a saved result."""
    from consistency import __version__

    info: dict[str, Any] = {"version": __version__}
    root = Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=5, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=5, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return info
    info["commit"], info["dirty"] = commit, bool(status.strip())
    return info


def device_kind(device: str | None) -> str:
    """'cuda' for cuda / cuda:N, else the device name ('cpu', 'mps'); None counts as cpu."""
    name = str(device or "cpu")
    return "cuda" if name.startswith("cuda") else name


def backend_device(backend: Any) -> str:
    """The device a backend runs on (its ``device`` attribute; 'cpu' when it has none)."""
    return str(getattr(backend, "device", None) or "cpu")


# --- timing and memory -----------------------------------------------------------------------------


def synchronize(device: str | None) -> None:
    """Wait for queued GPU work so that a timer reads the real end (CUDA, MPS; no-op on the CPU)."""
    kind = device_kind(device)
    if kind == "cuda":
        import torch

        torch.cuda.synchronize(torch.device(str(device)))
    elif kind == "mps":
        import torch

        torch.mps.synchronize()


@contextmanager
def stopwatch(device: str | None = None) -> Iterator[list[float]]:
    """``with stopwatch(device) as elapsed: ...`` then ``elapsed[0]`` holds the seconds (synchronised on CUDA)."""
    elapsed = [0.0]
    synchronize(device)
    started = time.perf_counter()
    try:
        yield elapsed
    finally:
        synchronize(device)
        elapsed[0] = time.perf_counter() - started


def reset_peak_memory(device: str | None) -> None:
    """Start a fresh CUDA peak (torch.cuda.reset_peak_memory_stats); the CPU's peak RSS cannot be reset."""
    if device_kind(device) == "cuda":
        import torch

        torch.cuda.reset_peak_memory_stats(torch.device(str(device)))


def peak_memory(device: str | None) -> tuple[float, str]:
    """(megabytes, what was measured): CUDA max_memory_allocated since the last reset, else the process's peak RSS."""
    if device_kind(device) == "cuda":
        import torch

        return (torch.cuda.max_memory_allocated(torch.device(str(device))) / 2**20,
                "cuda max_memory_allocated since reset")
    try:
        import resource
    except ImportError:  # Windows
        return 0.0, "unavailable"
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, kilobytes on Linux
    return rss * scale / 2**20, "process peak RSS (getrusage maxrss, whole run so far)"


# --- the record ------------------------------------------------------------------------------------


@dataclass
class Timing:
    """Wall time of the measured part and how many samples it covered."""

    seconds: float
    samples: int
    latencies: Sequence[float] = ()

    def fields(self) -> dict[str, float]:
        latency = (sum(self.latencies) / len(self.latencies)) if self.latencies else (
            self.seconds / self.samples if self.samples else 0.0)
        return {
            "total_time_in_seconds": round(self.seconds, 4),
            "samples_per_second": round(self.samples / self.seconds, 4) if self.seconds > 0 else 0.0,
            "latency_in_seconds": round(latency, 6),
        }


def now_utc() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def make_record(
    suite: str,
    *,
    device: str,
    dtype: str,
    batch_size: int | None,
    models: Mapping[str, str | int],
    data: Sequence[dict[str, Any]],
    timing: Timing,
    metrics: dict[str, Any],
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One flat result object: the frame fields, then the suite's metrics (which must not reuse a frame key)."""
    clash = sorted(set(metrics) & set(FRAME_KEYS))
    if clash:
        raise ValueError(f"metric names {clash} clash with frame fields")
    memory, memory_kind = peak_memory(device)
    record: dict[str, Any] = {
        "suite": suite,
        "created": now_utc(),
        "machine": machine_info(device),
        "device": device,
        "dtype": dtype,
        "batch_size": batch_size,
        "models": dict(models),
        "data_file": data[0]["file"] if data else None,
        "data_sha256": data[0]["sha256"] if data else None,
        "data": list(data),
        "settings": dict(settings or {}),
        **timing.fields(),
        "peak_memory_mb": round(memory, 1),
        "peak_memory_kind": memory_kind,
    }
    record.update(metrics)
    return record


def result_path(record: dict[str, Any], directory: str | Path = RESULTS_DIR, tag: str | None = None) -> Path:
    """``<directory>/<suite>-<YYYY-MM-DD>-<device>[-<tag>].json`` (date of the run, UTC)."""
    date = str(record.get("created") or now_utc())[:10]
    parts = [str(record["suite"]), date, device_kind(record.get("device"))]
    if tag:
        parts.append("".join(c if c.isalnum() or c in "._-" else "_" for c in tag))
    return Path(directory) / ("-".join(parts) + ".json")


def save_record(record: dict[str, Any], directory: str | Path = RESULTS_DIR, tag: str | None = None) -> Path:
    """Write the record as indented JSON under ``directory``; returns the path. An earlier result of the same
    name is kept: the new one gets the first free ``-2``, ``-3`` ... suffix."""
    path = first_free(result_path(record, directory, tag))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot write benchmark result '{path}': {exc.strerror}; pass --results-dir DIR") from exc
    return path


def first_free(path: Path) -> Path:
    """``path``, or ``<stem>-2<suffix>``, ``-3`` ... when it exists."""
    number = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return candidate


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Aligned plain-text table: first column left, the others right."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]


def fmt(value: float | None, digits: int = 3) -> str:
    """A number for a table; '-' for None."""
    return "-" if value is None else f"{value:.{digits}f}"


def frame_lines(record: dict[str, Any]) -> list[str]:
    """The frame as a few human lines, for the head of every table."""
    machine = record.get("machine", {})
    gpu = f", GPU {machine['gpu']}" if machine.get("gpu") else ""
    models = ", ".join(f"{k} {v}" for k, v in record.get("models", {}).items())
    lines = [
        f"suite {record['suite']} - {record['created']}",
        f"machine: {machine.get('cpu')} ({machine.get('cpu_cores')} cores{gpu}), torch {machine.get('torch', '-')}",
        f"device {record['device']}, dtype {record['dtype']}, batch size {record['batch_size']}; models: {models}",
    ]
    split = record.get("settings", {}).get("split")
    for entry in record.get("data", []):
        lines.append(f"data: {entry['file']} (sha256 {entry['sha256'][:12]}, {entry['n']} items"
                     + (f" of split '{split}')" if split else ")"))
    lines.append(
        f"time {record['total_time_in_seconds']:.2f} s, {record['samples_per_second']:.2f} samples/s, "
        f"latency {record['latency_in_seconds'] * 1000:.1f} ms; peak memory {record['peak_memory_mb']:.0f} MB "
        f"({record['peak_memory_kind']})"
    )
    return lines
