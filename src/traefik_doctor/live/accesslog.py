"""Traefik's JSON access log, read bounded: only the tail of the file and only the records of
requests started since the run began, indexed by the kept ``X-Diag-Id`` header
(``request_X-Diag-Id``, facts §9)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

MAX_TAIL = 8 * 1024 * 1024
ID_KEY = "request_X-Diag-Id"


@dataclass(slots=True)
class AccessLog:
    path: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None

    def find(
        self, diag_id: str, host: str | None = None, path: str | None = None
    ) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.by_id.get(diag_id)
        if found is not None or not self.records or ID_KEY in self.records[-1]:
            return found
        # The header is not kept: the last record with the same host and path.
        record: dict[str, Any]
        for record in reversed(self.records):
            if path is not None and record.get("RequestPath") != path:
                continue
            if host is not None and str(record.get("RequestHost", "")).lower() != host.lower():
                continue
            return record
        return None


def start_time(record: dict[str, Any]) -> float | None:
    text = record.get("StartUTC")
    if not isinstance(text, str):
        return None
    cleaned = text.rstrip("Z")
    if "." in cleaned:
        head, frac = cleaned.split(".", 1)
        cleaned = f"{head}.{frac[:6]}"
    try:
        return datetime.fromisoformat(cleaned + "+00:00").timestamp()
    except ValueError:
        return None


def log_size(path: Path) -> int:
    """Where the log ends now: records written after this are the run's."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def read_access_log(
    path: Path, since: float, max_bytes: int = MAX_TAIL, start: int = 0
) -> AccessLog:
    """The records of ``path`` whose ``StartUTC`` is at or after ``since`` (epoch seconds),
    reading from byte ``start`` (where the log ended when the run began: a line boundary,
    Traefik writes whole lines) and at most the last ``max_bytes`` bytes."""
    log = AccessLog(path)
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            if start > size:  # rotated or truncated since: read it from the beginning
                start = 0
            offset = max(start, size - max_bytes)
            handle.seek(offset)
            data = handle.read(max_bytes)
    except OSError as exc:
        log.error = f"cannot read the access log {path}: {exc.strerror or exc}"
        return log
    lines = data.split(b"\n")
    if offset > start:
        lines = lines[1:]  # a partial first line
    for raw in lines:
        line = raw.strip()
        if not line.startswith(b"{"):
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        started = start_time(record)
        if started is not None and started < since - 1.0:
            continue
        log.records.append(record)
        diag = record.get(ID_KEY)
        if isinstance(diag, str):
            log.by_id[diag] = record
    return log


def describe(record: dict[str, Any]) -> str:
    keys = (
        "RouterName",
        "ServiceName",
        "ServiceURL",
        "OriginStatus",
        "DownstreamStatus",
        "Duration",
        "entryPointName",
    )
    parts = []
    for key in keys:
        if key not in record:
            continue
        value = record[key]
        if key == "Duration" and isinstance(value, int):
            parts.append(f"Duration={value / 1e9:.3f}s")
        else:
            parts.append(f"{key}={value}")
    if "RouterName" not in record:
        parts.insert(0, "no RouterName")
    return " ".join(parts)
