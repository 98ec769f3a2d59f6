"""The gazetteer's own matchers against spaCy's ``SpanRuler`` with the same patterns (issue 15).

    python benchmarks/bench_gazetteer_ruler.py [--data ../shared/data] [--n 500] [--rounds 3]

The question: should ``beritanlp_gazetteer`` use spaCy's ``span_ruler`` instead of its two
``PhraseMatcher`` objects? A ``SpanRuler`` can only find the raw matches; the ``nostart``
context check, ``blocked_after``/``extend_after`` and the merge policy have no ruler setting,
so a ruler-based gazetteer is "ruler + the same code after it". This script builds exactly
that: a ``SpanRuler`` holding the same forms (exact forms as ``ORTH`` phrase patterns, the
``lower`` rows as ``LOWER`` token patterns, the label standing for label, canonical and
``nostart``), and feeds its spans to the gazetteer's own filtering code. It reports

* whether the two give the same matches (``doc.spans["gazetteer"]``) and the same ``doc.ents``
  on ``--n`` articles of ``news/articles.jsonl`` (drawn as scripts/proof_unchanged.py draws
  them: seed 15), after sections and sentences;
* the time to build the matchers (the ruler alone, and the ruler where the gazetteer sits: after
  sections and sentences, which ``SpanRuler.add_patterns`` runs on every pattern text);
* the time to match and filter, and for the whole component (matching + merging into
  ``doc.ents``), best of ``--rounds``, as ratios ruler / gazetteer.

Falls back to the bundled example when ../shared/data is absent.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from bench_components import arguments, articles, best_of  # this folder is on sys.path


def ruler_patterns(gazetteer: Any) -> list[dict[str, Any]]:
    """The gazetteer's forms as SpanRuler patterns (label = the gazetteer's match key)."""
    from beritanlp.components.gazetteer import _forms

    exact, lower = _forms(gazetteer.entries, gazetteer.settings.prefix_variants)
    tokenizer = gazetteer.nlp.tokenizer
    patterns: list[dict[str, Any]] = []
    for key, forms in exact.items():
        patterns += [{"label": key, "pattern": form} for form in forms]
    for key, forms in lower.items():
        for form in forms:
            words = [{"LOWER": t.lower_} for t in tokenizer(form)]
            patterns.append({"label": key, "pattern": words})
    return patterns


class RulerMatches:
    """Stands in for the gazetteer's ``_Compiled``: ``exact(doc)`` gives the ruler's matches
    as ``(match_id, start, end)``, the rest is the gazetteer's own code."""

    def __init__(self, ruler: Any, compiled: Any, nlp: Any) -> None:
        self.ruler = ruler
        self.keys = compiled.keys
        self.ids = {nlp.vocab.strings[k]: k for k in compiled.keys}
        self.lower: list[Any] = []

    def exact(self, doc: Any) -> list[tuple[int, int, int]]:
        return [(self.ids[s.label_], s.start, s.end) for s in self.ruler.match(doc)]


def main() -> None:
    args = arguments(__doc__ or "")

    import beritanlp.components.gazetteer
    import beritanlp.components.sections
    import beritanlp.components.sentences  # noqa: F401
    from beritanlp.lang import blank

    nlp = blank()
    nlp.add_pipe("beritanlp_sections")
    nlp.add_pipe("beritanlp_sentences")
    gazetteer = nlp.add_pipe("beritanlp_gazetteer")
    texts = articles(args.data, args.n, args.seed)
    with nlp.select_pipes(disable=["beritanlp_gazetteer"]):
        docs = list(nlp.pipe(texts))
    tokens = sum(len(d) for d in docs)

    # -- building (each twice: the first build also fills the vocabulary) ------------------------
    def build_own() -> float:
        gc.collect()
        start = time.perf_counter()
        gazetteer.initialize()
        return time.perf_counter() - start

    def build_ruler(pipeline: Any) -> tuple[Any, float]:
        config = {"spans_key": None, "annotate_ents": False}
        ruler = pipeline.add_pipe("span_ruler", config=config)
        gc.collect()
        start = time.perf_counter()
        ruler.add_patterns(patterns)
        return ruler, time.perf_counter() - start

    build_first = build_own()
    build_again = build_own()
    compiled = gazetteer.compiled
    patterns = ruler_patterns(gazetteer)
    build_ruler(blank())
    ruler, build_alone = build_ruler(blank())
    placed = blank()
    placed.add_pipe("beritanlp_sections")
    placed.add_pipe("beritanlp_sentences")
    _, build_placed = build_ruler(placed)

    # the ruler's matches go through the gazetteer's own code (a copy of the component)
    ruled = type(gazetteer)(nlp, "ruled", gazetteer.settings)
    ruled._compiled = RulerMatches(ruler, compiled, nlp)

    # -- the same output? -----------------------------------------------------------------------
    def out(component: Any, doc: Any) -> tuple[Any, Any]:
        done = component(doc.copy())
        key = component.settings.spans_key
        spans = [(s.start, s.end, s.label_, s.kb_id_) for s in done.spans[key]]
        return spans, [(e.start, e.end, e.label_, e.kb_id_) for e in done.ents]

    differ = [i for i, doc in enumerate(docs) if out(gazetteer, doc) != out(ruled, doc)]
    matches = sum(len(gazetteer.matches(doc)) for doc in docs)

    # -- speed -----------------------------------------------------------------------------------
    match_own = best_of(args.rounds, lambda ds: [gazetteer.matches(d) for d in ds], docs)
    match_ruler = best_of(args.rounds, lambda ds: [ruled.matches(d) for d in ds], docs)
    whole_own = best_of(args.rounds, lambda ds: [gazetteer(d) for d in ds], docs)
    whole_ruler = best_of(args.rounds, lambda ds: [ruled(d) for d in ds], docs)

    print(f"{len(docs)} articles, {tokens:,} tokens, {matches:,} gazetteer matches")
    print(f"patterns: {len(patterns):,} ({compiled.size:,} forms)")
    print(f"same matches and entities: {len(docs) - len(differ)} of {len(docs)} articles")
    if differ:
        print(f"  differ: articles {differ[:10]}")
    rows = [
        ("build: gazetteer matchers (first)", build_first, build_again),
        ("build: gazetteer matchers (again)", build_again, build_again),
        ("build: SpanRuler alone", build_alone, build_again),
        ("build: SpanRuler after sections+sentences", build_placed, build_again),
        ("match + filter: gazetteer", match_own, match_own),
        ("match + filter: SpanRuler", match_ruler, match_own),
        ("whole component: gazetteer", whole_own, whole_own),
        ("whole component: SpanRuler-based", whole_ruler, whole_own),
    ]
    print(f"\n{'':<44} {'seconds':>9} {'ratio':>7} {'tokens/s':>11}")
    for name, seconds, base in rows:
        rate = f"{tokens / seconds:>11,.0f}" if not name.startswith("build") else ""
        print(f"{name:<44} {seconds:>9.3f} {seconds / base:>7.2f} {rate}")


if __name__ == "__main__":
    main()
