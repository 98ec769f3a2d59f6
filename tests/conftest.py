"""Shared fixtures: the bundled seed article and the optional ../shared/data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = ROOT / "examples" / "xinhua-sco-2023-05-04.txt"
# CI lays shared/ beside the checkout; BERITANLP_SHARED_DATA overrides.
SHARED_DATA = Path(os.environ.get("BERITANLP_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ../shared/data folder; tests that use it are skipped when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture(scope="session")
def nlp():
    import beritanlp

    return beritanlp.load()
