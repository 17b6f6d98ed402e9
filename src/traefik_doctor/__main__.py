"""``python -m traefik_doctor``."""

from traefik_doctor.cli import main_exit

main_exit()
