"""models.device_bundle: the int8 start model round trip and the parts it is cut in."""

from __future__ import annotations

from pathlib import Path

import torch

from models.device_bundle import dequantize, quantize, write_parts


def test_int8_round_trip_is_within_half_a_step_per_row() -> None:
    torch.manual_seed(0)
    tensors = {"w": torch.randn(16, 32) * torch.linspace(0.01, 3, 16)[:, None], "b": torch.randn(32)}
    packed = quantize(tensors)
    assert packed["w"].dtype == torch.int8 and packed["w.scale"].shape == (16, 1) and packed["b"].dtype == torch.half
    back = dequantize(packed)
    assert set(back) == {"w", "b"}
    step = tensors["w"].abs().amax(dim=1, keepdim=True) / 127
    # half a step of rounding, plus the fp16 scale's own rounding (a relative 2^-11 of the value)
    assert bool(((back["w"] - tensors["w"]).abs() <= step * 0.5 + tensors["w"].abs() * 2**-10).all())
    assert torch.allclose(back["b"], tensors["b"], atol=1e-2)


def test_parts_join_back_in_order(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    parts = write_parts(data, tmp_path / "blob.xz", part_bytes=3000)
    assert [p.name for p in parts] == ["blob.xz.000", "blob.xz.001", "blob.xz.002", "blob.xz.003"]
    assert b"".join(p.read_bytes() for p in sorted(tmp_path.glob("blob.xz.*"))) == data
