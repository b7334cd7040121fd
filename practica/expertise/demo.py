"""The expertise feature's part of the demo (called by practica.demo after the communities)."""

from __future__ import annotations


def load_demo() -> None:
    """Create this feature's demo content through its services."""
