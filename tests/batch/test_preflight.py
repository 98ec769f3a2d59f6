"""Tests of beritanlp.batch.preflight: an input that cannot be read, or lacks the text field,
fails before anything is written (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from beritanlp.batch import FieldMap, InputReadError, annotate_file, formats, iter_input
from beritanlp.errors import ConfigError
from tests.batch.helpers import jsonl_bytes, text


def test_batch_not_parquet_fails_before_writing(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    source = tmp_path / "in.parquet"
    source.write_bytes(b"this is not a parquet file " * 20)
    with pytest.raises(InputReadError, match=r"in\.parquet"):
        annotate_file(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_batch_unreadable_input_fails_before_writing(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(jsonl_bytes(3)) + b"\n")
    real_open = open

    def deny(path, *args, **kwargs):  # chmod does not stop root, so refuse in open()
        if Path(path) == source:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(formats, "open", deny, raising=False)
    with pytest.raises(InputReadError, match="Permission denied"):
        annotate_file(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_batch_wrong_text_field_fails_at_once_naming_the_columns(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"kode": ["k1", "k2"], "isi": [text(1), text(2)]})
    frame.to_csv(tmp_path / "in.csv", index=False)
    frame.to_parquet(tmp_path / "in.parquet")
    lines = [json.dumps({"kode": f"k{i}", "isi": text(i)}) for i in range(5)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    for name in ("in.csv", "in.parquet", "in.jsonl"):
        with pytest.raises(ConfigError, match=r"'text'.*isi, kode"):
            list(iter_input(tmp_path / name))
        with pytest.raises(ConfigError, match=r"'body'.*isi, kode"):
            annotate_file(tmp_path / name, tmp_path / f"out-{name}", fields=FieldMap(text="body"))
        assert not (tmp_path / f"out-{name}").exists()
    # a named optional field must exist too (the default names may be absent)
    with pytest.raises(ConfigError, match=r"'nomor'.*isi, kode"):
        list(iter_input(tmp_path / "in.csv", fields=FieldMap(text="isi", id="nomor")))
    ok = list(iter_input(tmp_path / "in.csv", fields=FieldMap(text="isi", id="kode")))
    assert [r.item["id"] for r in ok] == ["k1", "k2"]
