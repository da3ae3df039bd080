"""Progress of long stages on stderr, the one helper every stage uses (segmenting, embedding, NLI scoring,
comparing, the corpus store, the benchmark suites).

On a terminal: a tqdm bar that appears once a stage has run ``DELAY_S`` seconds. Elsewhere (pipes, CI logs,
files): no bar redraws, only occasional plain lines, one per ``LINE_FRACTION`` of the work or per
``LINE_INTERVAL_S`` seconds, whichever comes first::

    embedding: 12,000 / 48,000 claims (25%), 40 s elapsed, ~2 min left

A stage whose estimated total time is ``LONG_S`` or more says so once, up front (measured on the first
``ANNOUNCE_FRACTION`` of the work, and at least ``ANNOUNCE_UPDATES`` updates, or ``ANNOUNCE_AFTER_S`` seconds,
whichever comes first; from an ``update(0)``, which marks the end of the set-up, or else from the first unit
done: set-up before the work, such as tokenising every input, is not extrapolated)::

    scoring: 120,000 NLI inputs, about 14 min on this machine (cpu)

A stage shorter than ``DELAY_S`` prints nothing. ``enabled=False`` (the CLI's ``--no-progress``) silences it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

DELAY_S = 3.0  # stages shorter than this print nothing
LINE_FRACTION = 0.10  # a plain line per tenth of the work ...
LINE_INTERVAL_S = 60.0  # ... or per minute, whichever comes first
LONG_S = 60.0  # an estimate at least this long is stated up front ...
ANNOUNCE_FRACTION = 0.05  # ... once this share of the work is done (the first batches alone mislead) ...
ANNOUNCE_UPDATES = 2  # ... and this many updates (a long batch and a short one: the NLI backend alternates) ...
ANNOUNCE_AFTER_S = 15.0  # ... or this long after the work began, whichever comes first

# Monkeypatched by tests to drive time by hand.
clock: Callable[[], float] = time.monotonic


def duration(seconds: float) -> str:
    """``"40 s"``, ``"2 min 5 s"``, ``"14 min"``, ``"1 h 20 min"``."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 10:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


class Progress:
    """Progress of one stage over ``total`` units (``unit`` is their plural name: "claims", "NLI inputs").

    Use as a context manager and call :meth:`update` with the units done; ``where`` names the device for the
    up-front estimate ("cpu", "cuda")."""

    def __init__(self, what: str, total: int, unit: str, *, enabled: bool = True, stream: TextIO | None = None,
                 where: str | None = None, delay: float = DELAY_S) -> None:
        self.what, self.total, self.unit, self.where, self.delay = what, total, unit, where, delay
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and total > 0
        self.done = 0
        self.start = clock()
        self._last_line_at = self.start
        self._last_line_fraction = 0.0
        self._announced = False
        self._first: tuple[float, int] | None = None  # (time, done) where the work began (an update(0), else the
        # first unit done): the rate is measured from there, so set-up (tokenising every input) is not extrapolated
        self._updates = 0  # updates since then
        self._printed = False
        self._bar: Any = None
        if self.enabled and _is_terminal(self.stream):
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=what, unit=f" {unit}", file=self.stream, delay=delay,
                             mininterval=1.0, dynamic_ncols=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close(finished=kind is None)

    def update(self, n: int = 1) -> None:
        """``n`` more units done; ``update(0)`` before any: the set-up is over, the work begins now."""
        if not self.enabled:
            return
        self.done = min(self.total, self.done + n)
        now = clock()
        elapsed = now - self.start
        if self._first is None and (self.done > 0 or n == 0):
            self._first = (now, self.done)
        elif self._first is not None:
            self._updates += 1
        if elapsed < self.delay or self._first is None or self.done == 0:
            if self._bar is not None:
                self._bar.update(n)
            return
        since, done_then = self._first
        rate = (now - since) / (self.done - done_then) if self.done > done_then else elapsed / self.done
        left = rate * (self.total - self.done)
        measured = self.done > done_then and (
            (self.done >= ANNOUNCE_FRACTION * self.total and self._updates >= ANNOUNCE_UPDATES)
            or now - since >= ANNOUNCE_AFTER_S)
        if not self._announced and measured:
            self._announced = True
            if elapsed + left >= LONG_S:
                where = f" on this machine ({self.where})" if self.where else " on this machine"
                self._write(f"{self.what}: {self.total:,} {self.unit}, about {duration(elapsed + left)}{where}")
        if self._bar is not None:
            self._bar.update(n)
            return
        fraction = self.done / self.total
        if fraction - self._last_line_fraction >= LINE_FRACTION or now - self._last_line_at >= LINE_INTERVAL_S:
            self._last_line_at, self._last_line_fraction = now, fraction
            if self.done < self.total:
                self._write(f"{self.what}: {self.done:,} / {self.total:,} {self.unit} ({int(fraction * 100)}%), "
                            f"{duration(elapsed)} elapsed, ~{duration(left)} left")

    def close(self, finished: bool = True) -> None:
        """End the stage: a last line (plain mode) when any line was printed or the stage was long."""
        if not self.enabled:
            return
        self.enabled = False
        if self._bar is not None:
            self._bar.close()
            return
        elapsed = clock() - self.start
        if finished and (self._printed or elapsed >= self.delay):
            self._write(f"{self.what}: {self.done:,} / {self.total:,} {self.unit} in {duration(elapsed)}")

    def _write(self, line: str) -> None:
        self._printed = True
        if self._bar is not None:
            self._bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)


def track(items: Iterable[T], what: str, unit: str, total: int | None = None, enabled: bool = True,
          stream: TextIO | None = None) -> Iterator[T]:
    """``items``, one :meth:`Progress.update` per item (``total`` defaults to ``len(items)``)."""
    count = total if total is not None else len(items)  # type: ignore[arg-type]
    with Progress(what, count, unit, enabled=enabled, stream=stream) as progress:
        for item in items:
            yield item
            progress.update(1)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
