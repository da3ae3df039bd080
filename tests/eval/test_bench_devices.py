"""The device paths of the benchmark frame: CUDA timers and memory (mocked here, real where a GPU exists),
and the dtype sweep of the speed suite on a real (tiny, random) transformers model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from conftest import CLEAN, CLEAN_2, CONTRA_2, CONTRADICTORY, build_model, write_jsonl

from consistency.checker import Checker
from consistency.eval import frame
from consistency.eval.speed_suite import default_dtypes, run_speed
from consistency.runtime.nli import TransformersNLI
from consistency.testing import FakeEmbedder


def test_cuda_timers_synchronise_and_read_cuda_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(torch.cuda, "synchronize", lambda device=None: calls.append(f"sync {device}"))
    monkeypatch.setattr(torch.cuda, "reset_peak_memory_stats", lambda device=None: calls.append("reset"))
    monkeypatch.setattr(torch.cuda, "max_memory_allocated", lambda device=None: 3 * 2**20)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=0: f"Fake GPU {index}")
    with frame.stopwatch("cuda:1") as elapsed:
        calls.append("work")
    assert calls == ["sync cuda:1", "work", "sync cuda:1"] and elapsed[0] >= 0
    frame.reset_peak_memory("cuda")
    assert calls[-1] == "reset"
    assert frame.peak_memory("cuda") == (3.0, "cuda max_memory_allocated since reset")
    assert frame.machine_info("cuda:1")["gpu"] == "Fake GPU 1"
    calls.clear()
    with frame.stopwatch("cpu"):
        pass
    assert calls == []  # no CUDA call on the CPU
    assert frame.peak_memory("cpu")[1].startswith("process peak RSS")
    assert "gpu" not in frame.machine_info("cpu")


def test_dtype_sweep_per_device() -> None:
    assert default_dtypes("cuda:0") == ("float32", "float16", "bfloat16")
    assert default_dtypes("cpu") == ("float32", "bfloat16")  # float16 is refused on the CPU


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_model(tmp_path_factory.mktemp("bench-tiny-nli"))


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "articles.jsonl",
                       [{"article": text} for text in (CONTRADICTORY, CLEAN, CLEAN_2, CONTRA_2)])


def _speed(device: str, tiny_model: Path, articles: Path, dtypes: tuple[str, ...]) -> dict[str, Any]:
    nli = TransformersNLI(str(tiny_model), device=device, batch_size=4)
    checker = Checker(nli=nli, embedder=FakeEmbedder())
    return run_speed(checker, articles, batch_sizes=(1, 32), dtypes=dtypes, n_pairs=8, n_sentences=8,
                     n_articles=2, sizes=(4,))


def test_speed_sweeps_dtypes_of_a_real_model_on_cpu(tiny_model: Path, articles: Path) -> None:
    record = _speed("cpu", tiny_model, articles, ("float32", "bfloat16"))
    rows = record["nli_throughput"]
    assert [(r["dtype"], r["batch_size"]) for r in rows] == [
        ("float32", 1), ("float32", 32), ("bfloat16", 1), ("bfloat16", 32)]
    assert record["dtype"] == "float32" and record["nli_pairs_per_second_batch_32"]
    assert record["nli_weights_mb"] and record["nli_parameters"]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_speed_on_cuda(tiny_model: Path, articles: Path) -> None:
    record = _speed("cuda", tiny_model, articles, ("float32", "float16", "bfloat16"))
    assert {r["dtype"] for r in record["nli_throughput"]} == {"float32", "float16", "bfloat16"}
    assert record["peak_memory_kind"] == "cuda max_memory_allocated since reset"
    assert "gpu" in record["machine"]
