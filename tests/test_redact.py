"""Secrets never reach a report: every output format of every command, and the masking
rules themselves (what counts as a secret, carets that still point at the right token)."""

from __future__ import annotations

from pathlib import Path

import pytest

from traefik_doctor.cli import main
from traefik_doctor.redact import MASK, redact_line, redact_text

HASH = "$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"
PLAIN = "plaintextpassword"
KEY_LINE = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"

DYNAMIC = f"""\
http:
  routers:
    r: {{entryPoints: [web], rule: "Host(`a.test`)", service: s, middlewares: [auth, dig]}}
    t: {{entryPoints: [web], rule: "Host(`t.test`)", service: s, middlewares: [flow]}}
  middlewares:
    auth:
      basicAuth:
        users:
          - "admin:{HASH}"
          - "bob:{PLAIN}"
    flow:
      basicAuth: {{users: ["carol:{PLAIN}2", "dave:{HASH}"]}}
    dig:
      digestAuth:
        users:
          - "erin:realm:{PLAIN}3"
  services:
    s: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:9001"}}]}}}}
tls:
  certificates:
    - certFile: |
        -----BEGIN CERTIFICATE-----
        MIIBszCCAVmgAwIBAgIUBBBB
        -----END CERTIFICATE-----
      keyFile: |
        -----BEGIN PRIVATE KEY-----
        {KEY_LINE}
        -----END PRIVATE KEY-----
"""

SECRETS = (HASH, PLAIN, KEY_LINE, "IgXLP6ewTrSuBkTrqE8wj")


def _lines(text: str) -> tuple[list[str], object]:
    rows = text.splitlines()
    return rows, lambda n: rows[n - 1] if 1 <= n <= len(rows) else ""


def test_self_evident_secrets_are_masked() -> None:
    assert HASH not in redact_text(f"users admin:{HASH} here")
    assert redact_text("Authorization: Bearer abcdef123456789") == f"Authorization: Bearer {MASK}"
    assert redact_text('password = "hunter22"') == f'password = "{MASK}"'
    assert redact_text("token: abc.def") == f"token: {MASK}"
    assert redact_text(f"traefik.http.middlewares.a.basicauth.users=bob:{PLAIN},x:y") == (
        f"traefik.http.middlewares.a.basicauth.users=bob:{MASK},x:{MASK}"
    )
    # Not secrets: paths, names that merely contain the words, ordinary messages.
    for text in (
        "keyFile: /etc/certs/key.pem",
        "passHostHeader: false",
        "the secret is readable in the file",
        "rule: Host(`a.test`) && PathPrefix(`/api`)",
        "tokenFile: secrets/token",
    ):
        assert redact_text(text) == text


@pytest.mark.parametrize(
    ("document", "number", "expected"),
    [
        (f'users:\n  - "bob:{PLAIN}"\n', 2, f'  - "bob:{MASK}"'),
        (f"basicAuth:\n  users:\n    - admin:{HASH}\n    - bob:{PLAIN}\n", 4, f"    - bob:{MASK}"),
        (f'users = [\n  "bob:{PLAIN}",\n]\n', 2, f'  "bob:{MASK}",'),
        (f"keyFile: |\n  -----BEGIN PRIVATE KEY-----\n  {KEY_LINE}\n", 3, MASK),
        # a list that is not `users` stays readable
        ('entryPoints:\n  - "web:8080"\n', 2, '  - "web:8080"'),
        ("users:\n  - bob:x\nservices:\n  - a:b\n", 4, "  - a:b"),
    ],
)
def test_frame_lines_use_the_lines_above(document: str, number: int, expected: str) -> None:
    _, lines = _lines(document)
    masked, _ = redact_line(lines, number)  # type: ignore[arg-type]
    assert masked == expected


def test_caret_positions_follow_the_mask() -> None:
    line = f'    flow: {{users: ["carol:{PLAIN}", "dave:x"]}}'
    masked, moved = redact_line(lambda n: line, 1)
    start = line.index('"dave')
    assert masked[moved(start) :].startswith('"dave:')
    assert moved(0) == 0


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "dynamic").mkdir()
    (tmp_path / "traefik.yml").write_text(
        "entryPoints:\n  web: {address: ':8000'}\nproviders:\n  file: {directory: dynamic}\n"
    )
    (tmp_path / "dynamic" / "a.yml").write_text(DYNAMIC)
    (tmp_path / "compose.yaml").write_text(
        "services:\n  app:\n    image: app\n    labels:\n"
        '      - "traefik.enable=true"\n'
        f'      - "traefik.http.middlewares.c.basicauth.users=zed:{PLAIN}4"\n'
    )
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_no_format_prints_a_secret(
    project: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", str(project), "--format", fmt, "--color", "never"])
    out = capsys.readouterr().out
    assert code == 1
    assert "MW005" in out  # the finding is there, its secret is not
    for secret in SECRETS:
        assert secret not in out, (fmt, secret)


def test_route_and_graph_print_no_secret(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["route", str(project), "GET", "http://a.test:8000/", "--format", "json"],
        ["route", str(project), "GET", "http://t.test:8000/"],
        ["graph", str(project), "--format", "mermaid"],
        ["graph", str(project), "--format", "html", "--output", str(tmp_path / "g.html")],
    ):
        main(argv)
    out = capsys.readouterr().out + (tmp_path / "g.html").read_text()
    for secret in SECRETS:
        assert secret not in out, secret


def test_diff_prints_no_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Users added, removed and rehashed between two projects: the names show, never the
    secrets, in text and JSON."""
    for side, users in (("a", [f"admin:{HASH}"]), ("b", [f"bob:{PLAIN}", "admin:$apr1$x$y"])):
        folder = tmp_path / side
        folder.mkdir()
        listed = ", ".join(f'"{u}"' for u in users)
        (folder / "dyn.yml").write_text(
            "http:\n  middlewares:\n    auth:\n      basicAuth:\n"
            f"        users: [{listed}]\n    gone:\n      digestAuth:\n"
            f'        users: ["{side}:realm:{PLAIN}{side}"]\n'
        )
    for fmt in ("text", "json"):
        assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b"), "--format", fmt]) == 1
        out = capsys.readouterr().out
        assert "bob:" in out and "admin:" in out
        for secret in (*SECRETS, "$apr1$x$y"):
            assert secret not in out, (fmt, secret)


def test_fix_diff_prints_no_secret(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fix next to the users list: its diff's context lines are masked like code frames."""
    dynamic = project / "dynamic" / "a.yml"
    dynamic.write_text(
        dynamic.read_text()
        .replace("    auth:\n", "    auth:\n      # noted\n", 1)
        .replace(
            "    flow:\n", "    old:\n      ipWhiteList: {sourceRange: [10.0.0.0/8]}\n    flow:\n"
        )
    )
    main(["fix", str(project), "--diff"])
    out = capsys.readouterr().out
    assert "+      ipAllowList" in out  # the fix is shown
    for secret in SECRETS:
        assert secret not in out, secret
