"""Small helpers shared by the `punie data` commands: a rich progress bar that stays quiet on small inputs."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PROGRESS_THRESHOLD = 500  # show a bar only for inputs at least this large


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """Yield `advance(step=1)`; draws a rich progress bar on stderr when `total` is large."""
    if total < PROGRESS_THRESHOLD:
        yield lambda step=1: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda step=1: progress.advance(task, step)
