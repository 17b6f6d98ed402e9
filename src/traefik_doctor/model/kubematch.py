"""Which Go program runs in a container of the Kubernetes manifests, and on which port.

A container is matched to a Go ``main`` package, and every match says how:
1. the ``go-services`` setting, keyed by ``<namespace>/<workload>`` or the workload's name
   (``{"shop/api" = "cmd/api"}``);
2. the ports: the program's listeners that do not bind loopback all have a port the
   container declares (``containerPort``), and exactly one program fits (when several do,
   the one whose folder name is the image's name: ``cmd/api`` for ``.../shop/api:1.4``).
A listener's port follows the container's environment when the Go code reads the address
from a variable the container sets (``API_ADDR=:9000``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from traefik_doctor.goscan.facts import GoProgram, GoScan, GoServer
from traefik_doctor.model.kubernetes import KubeContainer, KubernetesConfig, Workload

if TYPE_CHECKING:
    from traefik_doctor.model.dynamic import Service


@dataclass(frozen=True, slots=True)
class ProgramMatch:
    program: GoProgram
    how: str


def program_dir(program: GoProgram) -> str:
    """The folder of a ``main`` package, relative to the checked directory."""
    return PurePosixPath(program.location.path).parent.as_posix()


def effective_port(server: GoServer, container: KubeContainer | None) -> int | None:
    """The port a Go listener binds in this container (its env may set the address)."""
    if container is not None:
        for name in server.addr.env:
            given = container.env.get(name)
            if given is None:
                continue
            text = given.text.strip()
            tail = text.rsplit(":", 1)[-1]
            if tail.isdigit():
                return int(tail)
    return server.port


def _loopback(server: GoServer) -> bool:
    host = (server.host or "").strip("[]").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def program_for(
    scan: GoScan | None,
    go_services: dict[str, str],
    workload: Workload,
    container: KubeContainer | None,
) -> ProgramMatch | None:
    """The Go program behind a container, or None when it cannot be told."""
    if scan is None or not scan.programs or container is None:
        return None
    obj = workload.obj
    for key in (f"{obj.namespace}/{obj.name}", obj.name):
        mapped = go_services.get(key)
        if mapped is None:
            continue
        wanted = mapped.strip("/")
        for program in scan.programs:
            if wanted in (program_dir(program), program.package.strip("/")):
                return ProgramMatch(program, f"the go-services setting ({key} = {mapped})")
    declared = {port.value for port in container.ports if port.value is not None}
    if not declared:
        return None
    fitting = []
    for program in scan.programs:
        public = [s for s in program.servers if not _loopback(s)]
        ports = {effective_port(s, container) for s in public}
        if public and None not in ports and ports <= declared:
            fitting.append(program)
    if len(fitting) > 1 and container.image is not None:
        image = container.image.text.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
        named = [p for p in fitting if PurePosixPath(program_dir(p)).name == image]
        fitting = named or fitting
    if len(fitting) != 1:
        return None
    shown = ", ".join(str(port) for port in sorted(declared))
    return ProgramMatch(fitting[0], f"the container ports ({shown})")


def listener_on(program: GoProgram, port: int, container: KubeContainer | None) -> GoServer | None:
    return next((s for s in program.servers if effective_port(s, container) == port), None)


def service_program(
    kube: KubernetesConfig, scan: GoScan, service: Service
) -> tuple[GoProgram | None, str, bool]:
    """The Go program behind a Traefik service built from a Kubernetes Service's pods:
    (program, how, whether the service is such a service at all)."""
    if service.qualified not in kube.endpoint_services:
        return None, "", False
    found = kube.programs.get(service.qualified)
    if found is None:
        return None, "", True
    folder, how = found
    program = next((p for p in scan.programs if program_dir(p) == folder), None)
    return program, how, True
