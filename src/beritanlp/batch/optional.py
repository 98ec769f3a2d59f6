"""Optional dependencies (pyarrow, pandas, dask): :func:`require`."""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError

__all__ = ["require"]

_EXTRA_OF = {"pyarrow": "parquet", "pandas": "pandas", "dask": "dask", "distributed": "dask"}


def require(module: str) -> Any:
    """Import an optional dependency, or fail with the ``pip install`` line that provides it."""
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError as exc:
        extra = _EXTRA_OF.get(module.split(".")[0], "parquet")
        raise ConfigError(
            f"{module} is needed for this (it is an optional dependency): "
            f'pip install "beritanlp[{extra}]"'
        ) from exc
