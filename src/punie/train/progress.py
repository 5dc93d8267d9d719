"""A rich progress bar for training: step, loss, validation loss, tokens/s and ETA."""

from __future__ import annotations

import sys
from typing import Any


class TrainProgress:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress: Any = None
        self._task: Any = None

    def start(self, total: int, done: int, valid: float) -> None:
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("training"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "loss {task.fields[loss]}  valid {task.fields[valid]}  {task.fields[rate]} tok/s  ETA"
            ),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
        )
        self._progress.start()
        self._task = self._progress.add_task(
            "train", total=total, completed=done, loss="-", valid=f"{valid:.3f}", rate="-"
        )

    def update(self, done: int, loss: float, valid: float, rate: float) -> None:
        if self._progress is not None:
            self._progress.update(
                self._task, completed=done, loss=f"{loss:.3f}", valid=f"{valid:.3f}", rate=f"{rate:.0f}"
            )

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
