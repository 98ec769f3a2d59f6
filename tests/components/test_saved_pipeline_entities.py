"""A pipeline of sections, sentences, ner, gazetteer and entity_consistency saved with
``nlp.to_disk`` and loaded with ``spacy.load`` gives the same output (issue 15).

The saved folder must be self-contained: the data files the components use are copied into it,
so the loaded pipeline works after the files it was built from are gone. (The whole default
pipeline is saved and loaded in ``test_saved_pipeline.py``.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import beritanlp.components.entity_consistency
import beritanlp.components.gazetteer
import beritanlp.components.sections
import beritanlp.components.sentences  # noqa: F401
from beritanlp.components import ner as ner_module
from beritanlp.components.gazetteer import DEFAULT_FILES
from beritanlp.lang import blank

NAMES = (
    "Koperasi Sinar Tani Makmur\tORG\tKoperasi Sinar Tani Makmur\n"
    "KSTM\tORG\tKoperasi Sinar Tani Makmur\tnoupper\n"
)
DATELINE = "Goa, India (Xinhua) – "
EXTRA = "Pengurus KSTM bertemu perwakilan SCO di Goa. "  # a name of the own list, in the body
#: the components that save their settings and data files (ner is saved by spaCy)
SAVED = ("sections", "sentences", "gazetteer", "entity_consistency")


def _build(names: Path) -> Language:
    if not (ner_module.default_model_dir() / "ner" / "model").is_file():
        pytest.skip("NER model not trained")
    files = [str(names), *DEFAULT_FILES]
    nlp = blank()
    nlp.add_pipe("beritanlp_sections", name="sections")
    nlp.add_pipe("beritanlp_sentences", name="sentences")
    ner_module.add_ner(nlp)
    nlp.add_pipe("beritanlp_gazetteer", name="gazetteer", config={"files": files})
    nlp.add_pipe(
        "beritanlp_entity_consistency",
        name="entity_consistency",
        config={"gazetteer_files": files},
    )
    return nlp


def _output(doc: Doc) -> dict[str, Any]:
    return {
        "tokens": [(t.idx, t.text) for t in doc],
        "sent_starts": [t.i for t in doc if t.is_sent_start],
        "ents": [(e.start_char, e.end_char, e.label_, e.kb_id_) for e in doc.ents],
        "sections": [(s.start_char, s.end_char, s.label_) for s in doc.spans["sections"]],
        "gazetteer": [
            (s.start_char, s.end_char, s.label_, s.kb_id_) for s in doc.spans["gazetteer"]
        ],
    }


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_saved_entity_pipeline_gives_the_same_output(seed_text: str, tmp_path: Path) -> None:
    names = tmp_path / "names.tsv"
    names.write_text(NAMES, encoding="utf-8")
    nlp = _build(names)
    assert DATELINE in seed_text
    text = seed_text.replace(DATELINE, DATELINE + EXTRA)
    expected = _output(nlp(text))
    own = [(text[a:b], kb) for a, b, _, kb in expected["gazetteer"] if text[a:b] == "KSTM"]
    assert own == [("KSTM", "Koperasi Sinar Tani Makmur")]  # the list of one's own is used

    nlp.to_disk(tmp_path / "pipeline")
    names.unlink()  # the saved pipeline carries its own copy
    again = spacy.load(tmp_path / "pipeline")
    assert (
        again.pipe_names
        == nlp.pipe_names
        == [
            "sections",
            "sentences",
            "ner",
            "ner_linebreaks",
            "gazetteer",
            "entity_consistency",
        ]
    )
    assert _output(again(text)) == expected
    for name in SAVED:
        assert again.get_pipe(name).settings == nlp.get_pipe(name).settings  # type: ignore[attr-defined]

    # saved again from the loaded pipeline: the same files, byte for byte
    again.to_disk(tmp_path / "again")
    for name in SAVED:
        assert _files(tmp_path / "again" / name) == _files(tmp_path / "pipeline" / name), name
