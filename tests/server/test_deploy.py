"""The deployment examples (examples/deploy/): shown verbatim in docs/server.md, their command
lines accepted by ``beritanlp serve``, and the systemd unit valid for ``systemd-analyze``."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from beritanlp.cli import _parser
from tests.conftest import ROOT

DEPLOY = ROOT / "examples" / "deploy"
DOCS = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["beritanlp.service", "Dockerfile"])
def test_deploy_example_is_shown_verbatim_in_the_docs(name: str) -> None:
    assert (DEPLOY / name).read_text(encoding="utf-8").strip() in DOCS


def _serve_arguments(name: str) -> list[str]:
    text = (DEPLOY / name).read_text(encoding="utf-8")
    if name == "Dockerfile":
        (line,) = [x for x in text.splitlines() if x.startswith("CMD ")]
        argv = list(json.loads(line.removeprefix("CMD ")))
    else:
        (line,) = [x for x in text.splitlines() if x.startswith("ExecStart=")]
        argv = shlex.split(line.removeprefix("ExecStart="))
    assert Path(argv[0]).name == "beritanlp" and argv[1] == "serve"
    return argv[1:]


@pytest.mark.parametrize("name", ["beritanlp.service", "Dockerfile"])
def test_deploy_example_command_is_accepted_by_the_cli(name: str) -> None:
    args = _parser().parse_args(_serve_arguments(name))
    assert args.command == "serve" and args.workers == 2 and args.timeout == 30.0


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_unit_verifies(tmp_path: Path) -> None:
    # the unit names /opt/beritanlp/venv/bin/beritanlp; verify checks that it exists, so point
    # it at this environment's script (or the interpreter, as a stand-in executable)
    script = Path(sys.executable).with_name("beritanlp")
    executable = script if script.exists() else Path(sys.executable)
    text = (DEPLOY / "beritanlp.service").read_text(encoding="utf-8")
    unit = tmp_path / "beritanlp.service"
    unit.write_text(text.replace("/opt/beritanlp/venv/bin/beritanlp", str(executable)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
