"""Progress on stderr (issue 18.4): plain, occasional lines when stderr is not a terminal; a bar when it is."""

from __future__ import annotations

import io

import numpy as np
import pytest

from consistency import progress as progress_module
from consistency.progress import Progress, duration, track
from consistency.testing import FakeEmbedder


class Clock:
    """Time by hand: each tick advances ``step`` seconds."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_are_few_and_say_where_the_stage_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "clock", Clock(step=0.05))  # 48,000 claims in 750 batches: ~37 s
    stream = io.StringIO()
    with Progress("embedding", 48_000, "claims", stream=stream) as progress:
        for _ in range(750):
            progress.update(64)
    lines = stream.getvalue().splitlines()
    assert 8 <= len(lines) <= 12  # one per tenth of the work, no redraws
    assert "\r" not in stream.getvalue()
    assert lines[0].startswith("embedding: ") and " / 48,000 claims (" in lines[0] and "elapsed, ~" in lines[0]
    assert lines[-1].startswith("embedding: 48,000 / 48,000 claims in ")


def test_a_long_stage_states_its_expected_time_up_front(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "clock", Clock(step=0.5))  # 2,000 batches: ~17 min
    stream = io.StringIO()
    with Progress("scoring", 120_000, "NLI inputs", stream=stream, where="cpu") as progress:
        for _ in range(2_000):
            progress.update(60)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "scoring: 120,000 NLI inputs, about 17 min on this machine (cpu)"
    assert len(lines) <= 1 + 10 + 1000 // 60 + 1  # the estimate, tenths, one a minute, the last line


def test_a_short_stage_prints_nothing_and_disabled_prints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "clock", Clock(step=0.001))
    stream = io.StringIO()
    with Progress("embedding", 100, "claims", stream=stream) as progress:
        progress.update(100)
    assert stream.getvalue() == ""
    monkeypatch.setattr(progress_module, "clock", Clock(step=10.0))
    with Progress("embedding", 100, "claims", stream=stream, enabled=False) as progress:
        progress.update(50)
    assert stream.getvalue() == ""


def test_a_terminal_gets_a_bar_not_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "clock", Clock(step=1.0))
    stream = Terminal()
    with Progress("NLI", 10, "NLI inputs", stream=stream, delay=0.0) as progress:
        for _ in range(10):
            progress.update(1)
    assert "10/10" in stream.getvalue() and "%|" in stream.getvalue()  # tqdm's bar


def test_the_embedder_reports_progress_on_a_non_terminal_stream(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(progress_module, "clock", Clock(step=0.2))
    embedder = FakeEmbedder()
    embedder.batch_size = 8
    texts = [f"claim number {i} about the meeting" for i in range(800)]
    vectors = embedder.embed(texts, progress=True)
    np.testing.assert_allclose(vectors, FakeEmbedder().embed(texts))  # same rows, same order
    err = capsys.readouterr().err.splitlines()
    assert 5 <= len(err) <= 13 and all(line.startswith("embedding: ") for line in err)
    assert err[-1].startswith("embedding: 800 / 800 claims in ")


def test_track_and_duration() -> None:
    assert list(track([1, 2, 3], "docs", "documents", enabled=False)) == [1, 2, 3]
    assert [duration(s) for s in (4.26, 40, 125, 840, 4800)] == ["4.3 s", "40 s", "2 min 5 s", "14 min", "1 h 20 min"]


def test_checking_a_long_article_reports_each_slow_stage_in_plain_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from consistency.checker import Checker
    from consistency.testing import FakeNLI

    monkeypatch.setattr(progress_module, "clock", Clock(step=0.5))  # every step of every stage looks slow
    text = "\n\n".join(f"The council said {n} people attended the meeting in Minsk on day {n}. "
                       f"Officials later denied that the meeting in Minsk took place on day {n}." for n in range(40))
    Checker(nli=FakeNLI(), embedder=FakeEmbedder(), progress=True).check(text)
    err = capsys.readouterr().err.splitlines()
    stages = [line.split(":")[0] for line in err]
    assert {"embedding", "scoring"} <= set(stages)
    assert all(stages.count(stage) <= 14 for stage in set(stages))  # occasional lines, not one per batch
    assert not any("\r" in line for line in err)
    monkeypatch.setattr(progress_module, "clock", Clock(step=5.0))  # segmenting a huge text: one line at its end
    Checker(nli=FakeNLI(), embedder=FakeEmbedder(), progress=True).check(text)
    assert f"segmenting: {len(text):,} / {len(text):,} characters in 10 s\n" in capsys.readouterr().err
    Checker(nli=FakeNLI(), embedder=FakeEmbedder(), progress=False).check(text)
    assert capsys.readouterr().err == ""


def test_the_up_front_estimate_leaves_out_set_up_time_and_waits_for_a_share_of_the_work(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A long article said "about 23 min" and took 11: seconds of tokenising before the first batch, and the
    # first (longest) batches, were extrapolated to the whole run.
    clock = Clock(step=0.0)
    monkeypatch.setattr(progress_module, "clock", clock)
    stream = io.StringIO()
    with Progress("scoring", 1_000, "NLI inputs", stream=stream, where="cpu") as progress:
        clock.now = 30.0  # set-up before the first input is done
        for _ in range(100):
            clock.now += 1.0  # then 10 inputs a second
            progress.update(10)
    first = stream.getvalue().splitlines()[0]
    # announced at 5% of the work (35 s): 0.1 s per input since the first 10, so 35 s + 95 s
    assert first == "scoring: 1,000 NLI inputs, about 2 min 10 s on this machine (cpu)"


def test_the_estimate_is_measured_from_the_start_of_the_work_over_a_long_and_a_short_batch(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # An OSINT analyst's runs said "about 5 min 37 s" for 44 s of scoring: the NLI backend reports work weighted by
    # padded length and runs the longest batch first, then the shortest; measured from the first unit done, the
    # rate was the shortest batch's time over its tiny weight.
    clock = Clock(step=0.0)
    monkeypatch.setattr(progress_module, "clock", clock)
    stream = io.StringIO()
    # 40 batches from both ends: weights 20, 1, 19, 2, ... (sum 420 units), times 2.0 s and 0.5 s alternating
    weights = [w for pair in zip(range(20, 10, -1), range(1, 11), strict=True) for w in pair] * 2
    with Progress("scoring", sum(weights), "NLI inputs", stream=stream, where="cpu") as progress:
        clock.now = 30.0  # tokenising
        progress.update(0)
        for n, weight in enumerate(weights):
            clock.now += 2.0 if n % 2 == 0 else 0.5
            progress.update(weight)
    first = stream.getvalue().splitlines()[0]
    # the real run: 40 batches, 50 s after set-up; announced after a long and a short batch (21 units in 2.5 s)
    assert first == "scoring: 420 NLI inputs, about 1 min 20 s on this machine (cpu)"
