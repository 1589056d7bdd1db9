"""The run summary: rows per table, API requests per endpoint, seconds, status — for humans and machines."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.table import Table

TStatus = Literal["ok", "failed"]


@dataclass
class RunSummary:
    """What one run did.

    Attributes:
        pipelines: Pipelines the run covered.
        tables: Rows per table in the destination after the run (or loaded by the run where the
            destination cannot be counted).
        requests: ``{"total", "attempts", "retries", "by_endpoint"}`` from the client's counters.
        seconds: Wall-clock duration.
        status: ``ok`` or ``failed``.
        error: The one-line error for a failed run.
        notes: Things the user should know (skipped entities, forbidden media, warnings), each once.
        destination: Where the data went (no credentials).
        details: Per-family diagnostics (e.g. the analytics planner's requests, rows and density).
        verify: The reconciliation with LinkedIn's totals (:mod:`lisync.run.verify`), ``None`` when not run.
    """

    pipelines: list[str]
    tables: dict[str, int] = field(default_factory=dict)
    requests: dict[str, Any] = field(default_factory=lambda: {"total": 0, "by_endpoint": {}})
    seconds: float = 0.0
    status: TStatus = "ok"
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    destination: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    verify: dict[str, Any] | None = None

    def add_note(self, note: str) -> None:
        """Record ``note`` once."""
        if note not in self.notes:
            self.notes.append(note)

    def as_dict(self) -> dict[str, Any]:
        """Return the machine-readable form written by ``--summary-json``."""
        out: dict[str, Any] = {
            "tables": dict(self.tables),
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "status": self.status,
            "pipelines": self.pipelines,
            "destination": self.destination,
            "notes": self.notes,
            "details": self.details,
        }
        if self.verify is not None:
            out["verify"] = self.verify
        if self.error:
            out["error"] = self.error
        return out

    def write_json(self, path: str | Path) -> None:
        """Write :meth:`as_dict` to ``path`` atomically (a reader never sees half a file)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.as_dict(), fh, indent=2, sort_keys=False)
                fh.write("\n")
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def render(self, console: Console) -> None:
        """Print the summary as tables: rows per table, requests per endpoint, totals."""
        rows = Table(title="Rows per table", show_edge=False)
        rows.add_column("table")
        rows.add_column("rows", justify="right")
        for name, count in self.tables.items():
            rows.add_row(name, f"{count:,}")
        console.print(rows)
        reqs = Table(title="API requests per endpoint", show_edge=False)
        reqs.add_column("endpoint")
        reqs.add_column("requests", justify="right")
        for name, count in self.requests.get("by_endpoint", {}).items():
            reqs.add_row(name, f"{count:,}")
        console.print(reqs)
        retries = self.requests.get("retries", 0)
        console.print(
            f"[bold]{self.status}[/bold]: {sum(self.tables.values()):,} rows in {len(self.tables)} tables, "
            f"{self.requests.get('total', 0):,} API requests ({retries:,} retries), {self.seconds:.1f} s"
            + (f" → {self.destination}" if self.destination else ""))
        if self.verify is not None:
            console.print(self.verify.get("line") or f"verify {self.verify.get('status')}")
        for note in self.notes:
            console.print(f"note: {note}")
        if self.error:
            console.print(f"[red]error:[/red] {self.error}")
