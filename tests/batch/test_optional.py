"""Tests of beritanlp.batch.optional: a missing extra names its pip install line."""

from __future__ import annotations

import sys

import pytest

from beritanlp.batch import require
from beritanlp.errors import ConfigError


def test_batch_missing_optional_dependency_message(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # makes the import fail
    with pytest.raises(ConfigError, match=r'pip install "beritanlp\[parquet\]"'):
        require("pyarrow.parquet")
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ConfigError, match=r'pip install "beritanlp\[dask\]"'):
        require("distributed")
