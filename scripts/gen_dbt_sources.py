#!/usr/bin/env python3
"""Write dbt/models/staging/src_lisync.yml from lisync's table contract (run from anywhere)."""

from __future__ import annotations

from pathlib import Path

from lisync.warehouse.dbt_sources import SOURCES_PATH, render_sources

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / SOURCES_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_sources(), encoding="utf-8")
    print(f"wrote {target}")
