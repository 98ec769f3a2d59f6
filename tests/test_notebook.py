"""notebooks/quickstart.ipynb runs top to bottom (so it never rots)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "quickstart.ipynb"


def test_notebook_quickstart_executes_without_errors() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("beritanlp-article" in h for h in html), "the article's HTML view is shown"
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3, "topics per outlet, top entities, articles per month"
    # the committed notebook carries no outputs (no corpus text in the repository)
    committed = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in committed.cells if cell.cell_type == "code")
