"""What ``pyproject.toml`` promises: pins that match the models, every import of ``src/``
declared, training libraries only in the ``train`` extra, and the Stanza models in a package of
their own (``packages/beritanlp-stanza-id``), so the ``beritanlp`` wheel stays small.

CI also builds the wheel itself and checks its size (``scripts/check_wheel.py``, ``.ci/run``).
"""

from __future__ import annotations

import ast
import json
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from beritanlp.components.syntax import EXPECTED_FILES, MODEL_PACKAGE

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]
MODEL_PROJECT = ROOT / "packages" / "beritanlp-stanza-id"
MODEL_FOLDER = MODEL_PROJECT / MODEL_PACKAGE
#: the largest wheel CI accepts (scripts/check_wheel.py --max-mb)
MAX_WHEEL_BYTES = 25_000_000


def _project(path: Path = ROOT) -> dict[str, Any]:
    return dict(tomllib.loads((path / "pyproject.toml").read_text(encoding="utf-8"))["project"])


def _requirements(extra: str | None = None) -> dict[str, Requirement]:
    project = _project()
    lines = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def _imported_modules() -> dict[str, set[str]]:
    """Top-level modules imported anywhere in ``src/beritanlp`` (function bodies included),
    other than the standard library and beritanlp itself: module -> files."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "src" / "beritanlp").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("beritanlp", "__future__"):
                    found.setdefault(top, set()).add(path.name)
    return found


def test_packaging_spacy_range_is_the_ner_models() -> None:
    meta = json.loads((ROOT / "models" / "ner-id" / "meta.json").read_text(encoding="utf-8"))
    assert _requirements()["spacy"].specifier == SpecifierSet(meta["spacy_version"])


def test_packaging_stanza_extra_is_the_models_range() -> None:
    meta = json.loads((MODEL_FOLDER / "meta.json").read_text(encoding="utf-8"))
    assert _requirements("stanza")["stanza"].specifier == SpecifierSet(meta["stanza_version"])
    # the first Stanza that reads every model file with weights_only=True only is 1.12.2
    assert "1.12.1" not in SpecifierSet(meta["stanza_version"])


def test_packaging_every_import_of_src_is_declared() -> None:
    declared = set(_requirements())
    for extra in _project()["optional-dependencies"]:
        declared |= set(_requirements(extra))
    known = metadata.packages_distributions()  # import name -> distributions, where installed
    missing = {}
    for module, files in _imported_modules().items():
        dists = {canonicalize_name(d) for d in known.get(module, [module])}
        if not dists & declared:
            missing[module] = sorted(files)
    assert not missing, f"imported by src/ but not declared in pyproject.toml: {missing}"


def test_packaging_training_libraries_only_in_the_train_extra() -> None:
    imported = _imported_modules()
    for module in ("sklearn", "scipy", "floret"):
        assert module not in imported, (module, imported.get(module))
    core = _requirements()
    assert "scikit-learn" not in core and "scipy" not in core
    assert {"scikit-learn", "scipy", "floret"} <= set(_requirements("train"))
    # dev installs everything the tests and the training scripts need
    assert any(r.name == "beritanlp" and "train" in r.extras for r in _requirements("dev").values())
    # threadpoolctl is imported by src/, so it is a dependency of its own
    assert "threadpoolctl" in imported and "threadpoolctl" in core


def test_packaging_every_subpackage_is_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(config["setuptools"]["packages"])
    src = ROOT / "src"
    found = {
        ".".join(init.parent.relative_to(src).parts)
        for init in (src / "beritanlp").rglob("__init__.py")
    }
    assert found <= listed, f"missing from [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["setuptools"]["package-dir"]["beritanlp.models"] == "models"


def test_packaging_the_wheel_leaves_the_stanza_models_out() -> None:
    # what the wheel packs (src/beritanlp and models/ as beritanlp.models), uncompressed,
    # is already under the wheel limit; CI measures the built wheel itself
    files = [
        p
        for folder in (ROOT / "src" / "beritanlp", ROOT / "models")
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    assert not [p for p in files if p.suffix == ".pt"]
    assert sum(p.stat().st_size for p in files) <= MAX_WHEEL_BYTES


def test_packaging_the_model_package_is_data_only() -> None:
    project = _project(MODEL_PROJECT)
    assert project["name"] == "beritanlp-stanza-id"
    assert not project.get("dependencies")
    # its one module holds a docstring and nothing else: no code to run
    init = ast.parse((MODEL_FOLDER / "__init__.py").read_text(encoding="utf-8"))
    assert len(init.body) == 1 and isinstance(init.body[0], ast.Expr)
    meta = json.loads((MODEL_FOLDER / "meta.json").read_text(encoding="utf-8"))
    assert meta["files"] == list(EXPECTED_FILES)
    for name in (*EXPECTED_FILES, "MODEL_CARD.md"):
        assert (MODEL_FOLDER / name).is_file(), name
    config = tomllib.loads((MODEL_PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    data = config["tool"]["setuptools"]["package-data"][MODEL_PACKAGE]
    assert {"*.pt", "meta.json"} <= set(data)
