from __future__ import annotations

import pytest

from practica.lib.testing import Cast, make_cast


@pytest.fixture
def cast(db: None) -> Cast:
    """The named cast (see practica/lib/testing.py)."""
    return make_cast()
