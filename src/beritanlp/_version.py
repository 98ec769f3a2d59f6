"""The single source of the package version (read by pyproject.toml and at run time)."""

__version__ = "0.1.0"
