"""``traefik-doctor fix``: apply the edits rules attach to their findings.

The data model (``edits``) and the helpers rules use to build edits (``targets``) import
nothing heavy; ruamel.yaml and tomlkit are imported only by the editors, when ``fix`` runs.
"""
