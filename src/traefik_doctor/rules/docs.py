"""Rule documentation, rendered from the rules' own docstrings (their single source).

``traefik-doctor rule CODE`` prints one rule; ``traefik-doctor rules --format markdown`` the
whole reference, which is also committed as docs/rules.md (a test keeps the two equal).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from traefik_doctor.rules.base import Rule, doc_sections


def header(rule: Rule) -> str:
    prod = f" (under `--profile prod`: {rule.prod_severity.value})" if rule.prod_severity else ""
    fix = "a fix is described" if rule.fixable else "no automatic fix"
    return f"Default severity: {rule.severity.value}{prod}; {fix}."


def explain(rule: Rule) -> str:
    """One rule as Markdown, its sections at level 2."""
    return f"# {rule.name} ({rule.code})\n\n{header(rule)}\n\n{rule.doc.strip()}\n"


def reference(rules: Iterable[Rule]) -> str:
    """Every rule: an index table, then each rule with its sections one level down."""
    rules = list(rules)
    lines = [
        "# traefik-doctor rules",
        "",
        "Generated from the rules' docstrings by `traefik-doctor rules --format markdown`;"
        " do not edit by hand.",
        "",
        "| code | name | severity | prod | what it checks |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        prod = rule.prod_severity.value if rule.prod_severity else ""
        summary = rule.summary.replace("|", "\\|")
        lines.append(
            f"| [{rule.code}](#{rule.code.lower()}) | {rule.name} | {rule.severity.value}"
            f" | {prod} | {summary} |"
        )
    for rule in rules:
        body = re.sub(r"^## ", "### ", rule.doc.strip(), flags=re.MULTILINE)
        lines += ["", f"## {rule.code}", "", f"`{rule.name}`. {header(rule)}", "", body]
    return "\n".join(lines) + "\n"


def listing(rules: Iterable[Rule]) -> list[dict[str, object]]:
    """The rules as data (``rules --format json``)."""
    return [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": rule.severity.value,
            "prod_severity": rule.prod_severity.value if rule.prod_severity else None,
            "fixable": rule.fixable,
            "summary": rule.summary,
            "doc": doc_sections(rule.doc),
        }
        for rule in rules
    ]
