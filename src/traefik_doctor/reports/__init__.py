"""Report writers by format name; the CLI picks one with ``--format``.

The registry is an explicit dict, not plugin discovery, so the set of formats is what this
file says and mypy checks each entry against ``Writer``.
"""

from __future__ import annotations

from traefik_doctor.reports.base import Report, RuleInfo, Writer, summary_counts
from traefik_doctor.reports.github import GithubWriter
from traefik_doctor.reports.json import JsonWriter
from traefik_doctor.reports.junit import JunitWriter
from traefik_doctor.reports.sarif import SarifWriter
from traefik_doctor.reports.text import TextWriter

WRITERS: dict[str, Writer] = {
    "text": TextWriter(),
    "json": JsonWriter(),
    "sarif": SarifWriter(),
    "junit": JunitWriter(),
    "github": GithubWriter(),
}

__all__ = ["WRITERS", "Report", "RuleInfo", "Writer", "summary_counts"]
