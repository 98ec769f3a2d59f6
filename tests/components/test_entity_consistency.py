"""One answer per name per article (components/entity_consistency.py, issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Span

import beritanlp.components.entity_consistency
import beritanlp.components.sections
import beritanlp.components.sentences  # noqa: F401
from beritanlp.components.entity_consistency import (
    EntityConsistency,
    EntityConsistencySettings,
    furniture_regions,
)
from beritanlp.errors import ConfigError
from beritanlp.lang import blank


@pytest.fixture(scope="module")
def nlp():
    nlp = blank()
    nlp.add_pipe("beritanlp_sections")
    nlp.add_pipe("beritanlp_sentences")
    return nlp


def _run(nlp, text: str, ents: list[tuple[str, str, int]], **settings) -> list[tuple[str, str]]:
    """Tag the n-th occurrence of each (text, label, n), run the component, list the result."""
    component = nlp.create_pipe("beritanlp_entity_consistency", config=settings)
    return _apply(nlp, component, text, ents)


def _apply(nlp, component, text: str, ents: list[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """:func:`_run` with a given component."""
    doc = nlp(text)
    spans = []
    for surface, label, nth in ents:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = spans
    doc = component(doc)
    return [(e.text, e.label_) for e in doc.ents]


def test_everywhere_finds_every_mention(nlp) -> None:
    text = (
        "Thanit Tiansivarat tiba di Bangkok. Kata Thanit, karyanya dipamerkan. "
        "Thanit Tiansivarat lalu pulang."
    )
    out = _run(nlp, text, [("Thanit Tiansivarat", "PER", 0)])
    assert out.count(("Thanit Tiansivarat", "PER")) == 2
    assert ("Thanit", "PER") in out


def test_earlier_mentions_are_found_too(nlp) -> None:
    text = "Kata Lavrov, pertemuan itu penting. Menteri Sergei Lavrov kemudian pergi."
    out = _run(nlp, text, [("Sergei Lavrov", "PER", 0)])
    assert ("Lavrov", "PER") in out and ("Sergei Lavrov", "PER") in out


def test_one_label_per_name(nlp) -> None:
    text = "Persija menang. Pelatih Persija senang. Suporter Persija datang."
    out = _run(nlp, text, [("Persija", "ORG", 0), ("Persija", "LOC", 1), ("Persija", "ORG", 2)])
    assert out == [("Persija", "ORG")] * 3


def test_ordinary_words_do_not_spread(nlp) -> None:
    text = "Qin Gang tiba. Gang sempit itu ramai. Qin Gang pulang."
    out = _run(nlp, text, [("Qin Gang", "PER", 0)])
    assert ("Gang", "PER") not in out


def test_sentence_initial_word_used_in_lower_case_is_not_a_name(nlp) -> None:
    text = "Massa berkumpul di depan gedung. Jumlah massa terus bertambah."
    assert _run(nlp, text, [("Massa", "PER", 0)]) == []
    text = "Melansir Reuters, harga naik. Media itu melansir data baru."
    assert _run(nlp, text, [("Melansir Reuters", "ORG", 0)]) == [("Reuters", "ORG")]


def test_furniture_is_never_an_entity(nlp) -> None:
    text = "Presiden Jokowi tiba di Bali.\nBaca juga: Jokowi Resmikan Tol Bali\nIa disambut."
    out = _run(nlp, text, [("Jokowi", "PER", 0), ("Bali", "LOC", 0), ("Jokowi", "PER", 1)])
    assert out == [("Jokowi", "PER"), ("Bali", "LOC")]
    assert furniture_regions("a\n[Gambas:Video 20detik]\nb") == [(2, 24)]


def test_dateline_place_is_loc_and_source_org(nlp) -> None:
    text = "RIO DE JANEIRO, KOMPAS.com - Presiden Lula tiba di Brasilia pada Senin pagi."
    out = _run(nlp, text, [("RIO DE JANEIRO", "ORG", 0), ("KOMPAS.com", "LOC", 0)])
    assert ("RIO DE JANEIRO", "LOC") in out and ("KOMPAS.com", "ORG") in out


def test_steps_can_be_switched_off(nlp) -> None:
    text = "Thanit Tiansivarat tiba. Thanit Tiansivarat pulang."
    out = _run(nlp, text, [("Thanit Tiansivarat", "PER", 0)], everywhere=False)
    assert out == [("Thanit Tiansivarat", "PER")]


def test_everywhere_is_linear_on_repeated_names(nlp) -> None:
    text = "Budi Santoso, " * 3000
    doc = nlp(text)
    doc.ents = [Span(doc, 0, 2, label="PER")]
    component = nlp.create_pipe("beritanlp_entity_consistency")
    doc = component(doc)
    assert len(doc.ents) == 3000


# -- settings, your own word lists, saving ------------------------------------------------------
EVENT_TEXT = "Tim itu juara Kejurnas Sumatra. Pelatih dari Sumatra senang."


def test_settings_declared_once(nlp) -> None:
    from beritanlp.components.base import settings_to_json

    component = nlp.create_pipe("beritanlp_entity_consistency")
    assert component.settings == EntityConsistencySettings()
    assert component.settings == EntityConsistency(nlp, "x").settings
    assert nlp.get_factory_meta("beritanlp_entity_consistency").default_config == (
        settings_to_json(EntityConsistencySettings())
    )
    with pytest.raises(ConfigError, match="min_mentions"):
        EntityConsistency(nlp, "x", min_mentions=-1)


def test_own_event_words_file(nlp, tmp_path: Path) -> None:
    ents = [("Sumatra", "LOC", 0), ("Sumatra", "LOC", 1)]
    assert _run(nlp, EVENT_TEXT, ents) == [("Sumatra", "LOC")] * 2
    own = tmp_path / "events.txt"
    own.write_text("# my event words\nKejurnas\n", encoding="utf-8")
    # after "Kejurnas" Sumatra is part of the event's name: only the later mention is a place
    assert _run(nlp, EVENT_TEXT, ents, event_words=str(own)) == [("Sumatra", "LOC")]


def test_to_disk_carries_the_data_files(tmp_path: Path) -> None:
    import spacy

    own = tmp_path / "events.txt"
    own.write_text("Kejurnas\n", encoding="utf-8")
    pipeline = blank()
    pipeline.add_pipe("beritanlp_sections")
    pipeline.add_pipe("beritanlp_entity_consistency", config={"event_words": str(own)})
    pipeline.to_disk(tmp_path / "pipeline")
    folder = tmp_path / "pipeline" / "beritanlp_entity_consistency"
    assert (folder / "event_words.txt").read_text(encoding="utf-8") == "Kejurnas\n"
    assert (folder / "furniture_patterns.json").is_file()
    assert len(list((folder / "gazetteer_files").iterdir())) == len(
        EntityConsistencySettings().gazetteer_files
    )
    own.unlink()  # the saved pipeline does not need the original file
    again = spacy.load(tmp_path / "pipeline")
    component = again.get_pipe("beritanlp_entity_consistency")
    assert component.settings.event_words == str(own)
    assert component.data.event_words == frozenset({"Kejurnas"})
    doc = again(EVENT_TEXT)
    first, second = (doc.char_span(i, i + 7) for i in _starts(EVENT_TEXT, "Sumatra"))
    doc.ents = [Span(doc, s.start, s.end, label="LOC") for s in (first, second)]
    assert [(e.text, e.start) for e in component(doc).ents] == [("Sumatra", second.start)]


def _starts(text: str, word: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(word, i)]


#: a dateline shape of one's own: a place and an outlet, but no ``source`` group
OWN_DATELINE = {"patterns": [{"pattern": r"(?P<place>[A-Z][A-Z ]+), [\w.]+ -"}]}
DATELINE_TEXT = "RIO DE JANEIRO, KOMPAS.com - Presiden Lula tiba di Brasilia pada Senin pagi."
DATELINE_ENTS = [("RIO DE JANEIRO", "ORG", 0), ("KOMPAS.com", "LOC", 0)]


def test_own_dateline_patterns_are_used_and_saved(nlp, tmp_path: Path) -> None:
    import json

    import spacy

    own = tmp_path / "datelines.json"
    own.write_text(json.dumps(OWN_DATELINE), encoding="utf-8")
    # the bundled shapes read the source (ORG), the own one only the place
    assert ("KOMPAS.com", "ORG") in _run(nlp, DATELINE_TEXT, DATELINE_ENTS)
    out = _run(nlp, DATELINE_TEXT, DATELINE_ENTS, dateline_patterns=str(own))
    assert ("RIO DE JANEIRO", "LOC") in out and ("KOMPAS.com", "LOC") in out

    pipeline = blank()
    pipeline.add_pipe("beritanlp_sections")
    pipeline.add_pipe("beritanlp_entity_consistency", config={"dateline_patterns": str(own)})
    pipeline.to_disk(tmp_path / "pipeline")
    folder = tmp_path / "pipeline" / "beritanlp_entity_consistency"
    assert json.loads((folder / "dateline_patterns.json").read_text(encoding="utf-8")) == (
        OWN_DATELINE
    )
    own.unlink()
    loaded = spacy.load(tmp_path / "pipeline").get_pipe("beritanlp_entity_consistency")
    assert loaded.settings.dateline_patterns == str(own)
    assert _apply(nlp, loaded, DATELINE_TEXT, DATELINE_ENTS) == out


def test_pipeline_saved_before_dateline_patterns_existed_loads(nlp, tmp_path: Path) -> None:
    import json

    import spacy

    pipeline = blank()
    pipeline.add_pipe("beritanlp_sections")
    pipeline.add_pipe("beritanlp_sentences")
    pipeline.add_pipe("beritanlp_entity_consistency")
    pipeline.to_disk(tmp_path / "pipeline")
    folder = tmp_path / "pipeline" / "beritanlp_entity_consistency"
    settings = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
    del settings["dateline_patterns"]  # as saved before the setting existed
    (folder / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    (folder / "dateline_patterns.json").unlink()
    component = spacy.load(tmp_path / "pipeline").get_pipe("beritanlp_entity_consistency")
    assert component.settings == EntityConsistencySettings()  # the bundled patterns
    assert ("KOMPAS.com", "ORG") in _apply(nlp, component, DATELINE_TEXT, DATELINE_ENTS)
