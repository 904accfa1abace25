"""Who may do what in the console: the roles' permissions, read from permissions.yml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

PERMISSIONS_FILE = Path(__file__).parent / "permissions.yml"


@lru_cache(maxsize=1)
def role_permissions() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(PERMISSIONS_FILE.read_text(encoding="utf-8"))
    return {role: frozenset(names) for role, names in data["roles"].items()}


def roles() -> tuple[str, ...]:
    return tuple(role_permissions())


def allowed(role: str, permission: str) -> bool:
    return permission in role_permissions().get(role, frozenset())
