"""Tests of the command line (beritanlp / python -m beritanlp)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from beritanlp import __version__
from beritanlp.cli import main
from tests.conftest import SEED_PATH


def test_cli_analyze_json(capsys) -> None:
    assert main(["analyze", str(SEED_PATH)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"].startswith("China-Rusia")
    assert data["caption"].endswith("(Xinhua/Javed Dar)")


def test_cli_analyze_pretty(capsys) -> None:
    assert main(["analyze", str(SEED_PATH), "--format", "pretty"]) == 0
    out = capsys.readouterr().out
    assert "title      China-Rusia" in out and "boilerplate" in out


def test_cli_stdin_and_options(monkeypatch, capsys) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"JAKARTA - Presiden berjanji."), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["analyze", "-", "--tokens", "--title", "T", "--published", "2024-01-02"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "T" and data["published"] == "2024-01-02"
    assert any(t["stem"] == "janji" for t in data["tokens"])


def test_cli_errors_are_clear(tmp_path, capsys) -> None:
    assert main(["analyze", str(tmp_path / "missing.txt")]) == 1
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    assert main(["analyze", str(bad)]) == 1
    assert "UTF-8" in capsys.readouterr().err
    assert main(["analyze", str(SEED_PATH), "--published", "besok"]) == 1


def test_cli_version_and_module() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "beritanlp", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"beritanlp {__version__}"


def test_cli_no_command_prints_help() -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert main([]) == 2


def test_cli_berita_error_is_one_line_without_traceback(monkeypatch, capsys, tmp_path) -> None:
    """Issue 14, section 5: any BeritaError (here a corrupted model, as load() reports it)
    becomes one line on standard error and exit 1, from every subcommand."""
    from beritanlp import api, batch
    from beritanlp.batch import local
    from beritanlp.errors import ResourceError

    def broken(*args, **kwargs):
        raise ResourceError("models/ner-id/model is truncated;\nreinstall beritanlp")

    monkeypatch.setattr(api, "load", broken)
    monkeypatch.setattr(local, "load", broken)
    assert main(["analyze", str(SEED_PATH)]) == 1
    err = capsys.readouterr().err
    assert err == "beritanlp: error: [E004] models/ner-id/model is truncated; reinstall beritanlp\n"
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Satu."}) + "\n")
    assert main(["batch", str(source), "-o", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("beritanlp: error: [E004] models/ner-id") and err.count("\n") == 1
    monkeypatch.setattr(batch, "archive_stats", broken)
    assert main(["stats", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("beritanlp: error: ") and err.count("\n") == 1


def test_cli_unexpected_berita_error_is_caught_at_the_top(monkeypatch, capsys) -> None:
    from beritanlp import cli
    from beritanlp.errors import BeritaError

    def boom(args):
        raise BeritaError("something went wrong")

    monkeypatch.setattr(cli, "_run_stats", boom)
    assert main(["stats", "x"]) == 1
    assert capsys.readouterr().err == "beritanlp: error: [E000] something went wrong\n"
