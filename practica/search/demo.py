"""The search feature's part of the demo.

Search has no content of its own: the demo's people are indexed by the signals in
``practica.search.people`` and every other type by its own services calling
``practica.search.index.update`` while the demo loads. Nothing to create here.
"""

from __future__ import annotations


def load_demo() -> None:
    """Nothing to create: the index fills as the other apps' demos write (see above)."""
