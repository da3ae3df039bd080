"""Where and in which precision the models run: the device and dtype policy, in one place.

``None``/'auto' device picks cuda, then mps, then cpu, and logs the choice; 'auto' dtype is float16 on a GPU,
bfloat16 on a CPU with AMX and float32 on other CPUs. Never ``.half()`` implicitly.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from consistency.errors import ModelError

logger = logging.getLogger(__name__)


DEVICE_NAMES = ("cpu", "cuda", "mps")  # and "cuda:N"
DTYPE_NAMES = {"float32": "float32", "fp32": "float32", "float16": "float16", "fp16": "float16",
               "bfloat16": "bfloat16", "bf16": "bfloat16"}  # a dtype's names, each with torch's name for it


def check_names(device: str | None, dtype: str | None) -> None:
    """Refuse a device or dtype that names nothing (``ValueError``, as any bad setting), before a model loads;
    whether a named device is there is only known when it is used (``ModelError``)."""
    for name, value in (("device", device), ("dtype", dtype)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} must be a name (a string such as 'cpu' or 'float32'), not {value!r}")
    if device not in (None, "", "auto", *DEVICE_NAMES) and not re.fullmatch(r"cuda:\d+", str(device)):
        raise ValueError(f"unknown device {device!r}; use one of auto, cpu, cuda, cuda:N, mps")
    if dtype not in (None, "", "auto", *DTYPE_NAMES):
        raise ValueError(f"unknown dtype {dtype!r}; use one of auto, float32, float16, bfloat16")


def pick_device(device: str | None) -> str:
    """``None``/'auto' picks cuda, then mps, then cpu, and logs the choice."""
    import torch

    if device in (None, "", "auto"):
        if torch.cuda.is_available():
            chosen = "cuda"
        elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            chosen = "mps"
        else:
            chosen = "cpu"
        logger.info("device: %s (auto)", chosen)
        return chosen
    if device not in DEVICE_NAMES and not str(device).startswith("cuda:"):
        raise ModelError(f"unknown device '{device}'; use one of auto, cpu, cuda, cuda:N, mps")
    if str(device).startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"device '{device}' was asked for but torch sees no CUDA GPU; use --device cpu or auto "
                         "(in Python: device=\"cpu\" or None)")
    if device == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ModelError("device 'mps' was asked for but it is not available; use --device cpu or auto (in Python: "
                         "device=\"cpu\" or None)")
    return str(device)


def dtype_name(dtype: Any) -> str:
    """'float32' for torch.float32 and 'float32'; 'n/a' for None (a backend without a dtype, like a fake)."""
    if dtype is None:
        return "n/a"
    return str(dtype).removeprefix("torch.")


CPU_BF16_ENV = "CONSISTENCY_CPU_BF16"  # "1"/"0": force or forbid bfloat16 as the CPU's auto dtype


def cpu_has_fast_bfloat16() -> bool:
    """True on a CPU with AMX bfloat16 tiles (recent Intel Xeons), where the NLI model runs ~2.9x faster in
    bfloat16 at the same accuracy (benchmarks/README.md); elsewhere bfloat16 is slower than float32.
    ``CONSISTENCY_CPU_BF16=0`` or ``1`` overrides the detection."""
    forced = os.environ.get(CPU_BF16_ENV, "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    try:
        import torch

        cpu = torch.cpu
        return bool(cpu._is_amx_tile_supported() and cpu._is_avx512_bf16_supported())
    except Exception:  # older torch without these probes, or another architecture
        return False


@functools.cache
def _log_auto_dtype_once(name: str) -> None:
    """Log the CPU's auto dtype once per process, not once per model loaded."""
    logger.info("dtype: %s (auto, CPU)", name)


def torch_dtype(dtype: str | None, device: str) -> Any:
    """Resolve a dtype name. ``auto``: float16 on a GPU; on the CPU bfloat16 where it has AMX
    (``cpu_has_fast_bfloat16``), else float32. fp16 on CPU is refused (slow and lossy)."""
    import torch

    table = {name: getattr(torch, torch_name) for name, torch_name in DTYPE_NAMES.items()}
    if dtype in (None, "", "auto"):
        if device != "cpu":
            return torch.float16
        chosen = torch.bfloat16 if cpu_has_fast_bfloat16() else torch.float32
        _log_auto_dtype_once(dtype_name(chosen))
        return chosen
    if dtype not in table:
        raise ModelError(f"unknown dtype '{dtype}'; use one of auto, float32, float16, bfloat16")
    if device == "cpu" and table[dtype] is torch.float16:
        raise ModelError("float16 is not supported on the CPU; use --dtype float32 or bfloat16 there (in Python: "
                         "dtype=\"float32\" or \"bfloat16\")")
    return table[dtype]


@contextmanager
def quiet_loading() -> Iterator[None]:
    """Hide transformers' per-tensor "Loading weights" progress bars and huggingface_hub's connection warnings
    ("... thrown while requesting HEAD https://huggingface.co/...", printed before the one-line error for an
    id that is not cached on an offline machine) while a model loads; the previous settings are restored."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    hub_logger = logging.getLogger("huggingface_hub")
    hub_level = hub_logger.level
    hub_logger.setLevel(max(logging.ERROR, hub_level))
    try:
        yield
    finally:
        hub_logger.setLevel(hub_level)
        if was_enabled:
            hf_logging.enable_progress_bar()
