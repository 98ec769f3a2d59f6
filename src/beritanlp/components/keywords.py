"""Keyphrases of a news article (``beritanlp_keywords``).

The component writes ``doc._.beritanlp_keywords = [{"text": str, "score": float}, ...]``: at most
``top_k`` keyphrases, best first, scores in (0, 1] (the best is 1).

Candidates are content words and runs of 2 to ``max_ngram`` consecutive content words inside
one sentence (noun-phrase-like n-grams: no punctuation or stop word inside). A content word has
letters, is not a stop word (spaCy's Indonesian list and ``data/keyword_stopwords.txt``), is at
least ``min_chars`` long (acronyms excepted) and, with ``skip_verbs``, is not an affixed verb
(``meningkatkan``). Fixed compounds of ``data/keyword_compounds.txt`` (``kerja sama``, ``luar
negeri``) count as one word although a part is a stop word. A word is counted by its stem
(``token._.beritanlp_stem``, lower-cased; the stemmer runs before), so ``pertemuan`` and
``bertemu`` are
one term. Text comes from the title, lead, body and captions (never boilerplate or the
dateline); each occurrence counts ``section_weights[kind]``.

A term's score is ``(1 + log tf) * idf``, with the IDF of the stem from the news corpus
(``models/keywords-id/idf.json``: document frequencies over 6,000 articles); a phrase takes the
mean IDF of its words times ``phrase_bonus`` and must occur ``min_phrase_count`` times unless it
is capitalised (a name). Terms inside an entity of ``doc.ents`` (when the NER ran) are
multiplied by ``entity_boost``, and phrases do not cross an entity's edge; a person entity
(``person_labels``) is one term under its canonical name (``span._.beritanlp_canonical``: ``Lavrov``
counts for ``Sergei Lavrov``). A phrase with at
least ``absorb_ratio`` of the occurrences of a shorter part replaces it (``Qin`` → ``Qin
Gang``); a term covered by a better selected one is dropped. ``text`` is the most frequent
surface form of the term in the article, never a bare stem.

The IDF table is read when the component is built (at ``beritanlp.load()``) and checked: a
missing ``idf.json`` raises :class:`~beritanlp.errors.ModelNotFoundError`, a damaged one (not
JSON, not ``{"n_docs": int >= 1, "df": {stem: int >= 0}}``)
:class:`~beritanlp.errors.ResourceError`, both naming the file.

Settings: :class:`KeywordsSettings`. ``idf`` names the IDF directory (``""``: the bundled one),
``stopwords`` and ``compounds`` the word lists, bundled names or paths of your own (see
:mod:`beritanlp.resources`). ``nlp.to_disk`` writes the IDF table the component uses
(``idf/idf.json``) and the word lists (``stopwords.txt``, ``compounds.txt``) beside
``settings.json``; ``from_disk`` reads them back, checking the table as at load.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.lang.id.stop_words import STOP_WORDS
from spacy.tokens import Doc

from .. import extensions
from ..errors import ModelNotFoundError, ResourceError
from ..records import Keyword
from ..resources import DataFiles, parse_lines, word_set
from .base import DataFileComponent, Settings, register_factory

__all__ = [
    "FACTORY_NAME",
    "IDF_FILE",
    "KeywordIdf",
    "Keywords",
    "KeywordsSettings",
    "default_idf_dir",
    "load_idf",
    "make_keywords",
    "read_idf",
    "save_idf",
    "term_keys",
]

logger = logging.getLogger(__name__)

FACTORY_NAME = "beritanlp_keywords"
IDF_FILE = "idf.json"
TRAIN_COMMAND = "python scripts/train_topic.py --data ../shared/data"
DEFAULT_STOPWORDS = "keyword_stopwords.txt"
DEFAULT_COMPOUNDS = "keyword_compounds.txt"
DEFAULT_SECTION_WEIGHTS = {"title": 3.0, "lead": 2.0, "body": 1.0, "caption": 0.5}
_SKIP_KINDS = frozenset({"boilerplate", "dateline"})
_CACHE_SIZE = 100_000  # (word, stem) → is a content word


def default_idf_dir() -> Path:
    """``beritanlp/models/keywords-id`` as installed."""
    return Path(str(importlib_resources.files("beritanlp.models") / "keywords-id"))


class KeywordIdf:
    """Document frequencies of lower-cased stems: ``idf(term) = log((n + 1) / (df + 1)) + 1``."""

    def __init__(self, n_docs: int, df: Mapping[str, int]) -> None:
        self.n_docs = n_docs
        self.df = dict(df)
        self.max_idf = math.log((n_docs + 1) / 1) + 1.0

    def idf(self, term: str) -> float:
        """The IDF of ``term`` (unseen terms: as if seen once)."""
        return math.log((self.n_docs + 1) / (self.df.get(term, 1) + 1)) + 1.0


def load_idf(path: str | Path | None = None) -> KeywordIdf:
    """The IDF table in ``path`` (default: the bundled ``keywords-id``), read once per process."""
    return _load_idf(str(Path(path) if path else default_idf_dir()))


@lru_cache(maxsize=8)
def _load_idf(key: str) -> KeywordIdf:
    return read_idf(key)


def read_idf(path: str | Path) -> KeywordIdf:
    """The IDF table in the directory ``path``, read and checked now (not cached)."""
    key = str(path)
    file = Path(key) / IDF_FILE
    if not file.is_file():
        raise ModelNotFoundError(
            f"the keyword IDF table {file} is missing (expected {IDF_FILE} in {key}). "
            f"Build it with `{TRAIN_COMMAND}` from the repository root, or reinstall beritanlp."
        )
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        detail = " ".join(str(exc).split())[:200]
        raise _damaged_idf(file, f"{type(exc).__name__}: {detail}") from exc
    if not isinstance(data, dict):
        raise _damaged_idf(file, "not a JSON object")
    n_docs, df = data.get("n_docs"), data.get("df")
    if not (_is_count(n_docs) and n_docs >= 1):  # type: ignore[operator]
        raise _damaged_idf(file, f'"n_docs" {n_docs!r} is not a whole number >= 1')
    if not isinstance(df, dict):
        raise _damaged_idf(file, '"df" is not a JSON object of stem: document count')
    for term, count in df.items():
        if not _is_count(count):
            raise _damaged_idf(file, f"the count of {term!r} is {count!r}, not a whole number")
    return KeywordIdf(n_docs, df)  # type: ignore[arg-type]


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _damaged_idf(file: Path, why: str) -> ResourceError:
    return ResourceError(
        f"the keyword IDF table {file} is damaged or was not written by "
        f"scripts/train_topic.py ({why}). Rebuild it with `{TRAIN_COMMAND}` from the "
        f"repository root, or reinstall beritanlp."
    )


def save_idf(
    path: str | Path,
    df: Mapping[str, int],
    n_docs: int,
    min_df: int = 3,
    source: str = "scripts/train_topic.py: document frequencies of lower-cased stems "
    "(beritanlp_stemmer) over articles of ../shared/data news/articles.jsonl",
) -> None:
    """Write ``idf.json`` (terms with at least ``min_df`` documents)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    kept = {t: int(n) for t, n in sorted(df.items()) if n >= min_df}
    data = {"_source": source, "n_docs": n_docs, "min_df": min_df, "df": kept}
    (path / IDF_FILE).write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def _stopwords(name: str) -> frozenset[str]:
    extra = word_set(name) if name else frozenset()
    return frozenset(STOP_WORDS) | extra


#: The settings that name data files (saved with the component by ``to_disk``).
_DATA_SETTINGS = ("stopwords", "compounds")
_IDF_DIR = "idf"


@dataclass(frozen=True, slots=True)
class KeywordsSettings(Settings):
    """Settings of ``beritanlp_keywords``."""

    #: the IDF directory holding ``idf.json`` ("" = the bundled ``beritanlp/models/keywords-id``)
    idf: str = ""
    #: how many keyphrases
    top_k: int = 10
    #: the longest phrase, in words
    max_ngram: int = 3
    #: the shortest word, in characters (acronyms excepted)
    min_chars: int = 3
    #: how often a phrase that is not a name must occur
    min_phrase_count: int = 2
    #: score factor of a phrase (times the mean IDF of its words)
    phrase_bonus: float = 1.2
    #: score factor of a term inside an entity
    entity_boost: float = 1.5
    #: the weight of an occurrence, by section kind (other kinds: 1)
    section_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SECTION_WEIGHTS))
    #: data file of stop words besides spaCy's Indonesian list ("" = none; bundled name or path)
    stopwords: str = DEFAULT_STOPWORDS
    #: drop affixed verbs (``meningkatkan``), which are rarely keyphrases
    skip_verbs: bool = True
    #: data file of fixed compounds kept whole (``kerja sama``; "" = none)
    compounds: str = DEFAULT_COMPOUNDS
    #: a phrase with at least this share of a part's occurrences replaces it (``Qin`` → ``Qin
    #: Gang``)
    absorb_ratio: float = 0.6
    #: entities counted as one term under their canonical name
    person_labels: tuple[str, ...] = ("PER", "PERSON")

    def check(self) -> None:
        self.require_int("top_k", least=0)
        self.require_int("max_ngram", least=1)
        self.require_file(*_DATA_SETTINGS, optional=True)


_VERB_PREFIXES = ("me", "di", "ber", "ter", "mem", "men", "meng", "meny")


def _looks_verbal(lower: str, key: str) -> bool:
    """An affixed verb (``meningkatkan``, ``disepakati``, ``berjanji``): a lower-case word with a
    verbal prefix whose stem is shorter than the word."""
    return lower != key and lower.startswith(_VERB_PREFIXES) and len(key) < len(lower) - 1


def _is_content(
    text: str, key: str, stops: frozenset[str], min_chars: int, skip_verbs: bool = False
) -> bool:
    if not any(c.isalpha() for c in text):
        return False
    lower = text.lower()
    if lower in stops or key in stops:
        return False
    if skip_verbs and text == lower and _looks_verbal(lower, key):
        return False
    if len(text) < min_chars and not (text.isupper() and len(text) >= 2):
        return False
    return all(c.isalnum() or c in "-'’." for c in text)


def term_keys(doc: Doc, stopwords: str = DEFAULT_STOPWORDS, min_chars: int = 3) -> list[str]:
    """The unigram keys (lower-cased stems) of the content words of ``doc`` outside
    boilerplate and the dateline (what the IDF table counts)."""
    stops = _stopwords(stopwords)
    index = extensions.section_index(doc)
    out = []
    for token in doc:
        if index and extensions.section_of_token(doc, token.i, index) in _SKIP_KINDS:
            continue
        key = (token._.beritanlp_stem or token.text).lower()
        if _is_content(token.text, key, stops, min_chars):
            out.append(key)
    return out


class Keywords(DataFileComponent):
    """spaCy component writing ``doc._.beritanlp_keywords`` (see the module docstring).

    The IDF table is read when the component is built (at ``beritanlp.load()``): a missing or
    damaged table fails there, naming the file, not at the first document. ``initialize`` reads
    the IDF table and word lists the settings name (again); ``to_disk`` writes the settings, the
    IDF table (``idf/idf.json``) and the word lists, ``from_disk`` reads them back, checking the
    table as at load; ``exclude`` may hold ``settings``, ``data`` and ``idf``."""

    SETTINGS = KeywordsSettings
    DATA_SETTINGS = _DATA_SETTINGS
    settings: KeywordsSettings
    _idf: KeywordIdf

    def _install(self, settings: KeywordsSettings, data: DataFiles | None) -> None:
        super()._install(settings, data)
        self.section_weights = dict(settings.section_weights)
        self.person_labels = frozenset(settings.person_labels)
        self._content_cache: dict[tuple[str, str], bool] = {}

    def _load_parts(self, folder: Path | None, exclude: frozenset[str]) -> None:
        if folder is None:
            self._idf = load_idf(self.settings.idf or None)
        elif "idf" not in exclude:
            self._idf = read_idf(folder / _IDF_DIR)

    def _save_parts(self, folder: Path, exclude: frozenset[str]) -> None:
        if "idf" not in exclude:
            source = "a beritanlp_keywords component saved with nlp.to_disk"
            save_idf(folder / _IDF_DIR, self._idf.df, self._idf.n_docs, 0, source)

    def _lines(self, setting: str) -> tuple[str, ...]:
        return tuple(line for f in self.data_files[setting] for line in parse_lines(f.text))

    @property
    def idf(self) -> KeywordIdf:
        """The IDF table (read when the component was built)."""
        return self._idf

    @cached_property
    def compounds(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """First word → the compounds (word tuples) that start with it, longest first."""
        table: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for line in self._lines("compounds"):
            words = tuple(line.lower().split())
            if len(words) > 1:
                table[words[0]].append(words)
        return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in table.items()}

    @cached_property
    def stops(self) -> frozenset[str]:
        return frozenset(STOP_WORDS) | {w.lower() for w in self._lines("stopwords")}

    def keywords(self, doc: Doc) -> list[dict[str, Any]]:
        """The ranked keyphrases of ``doc``."""
        if not len(doc) or self.settings.top_k == 0:
            return []
        idf = self.idf
        stops = self.stops
        compounds = self.compounds
        # token columns from one Doc.to_array call: plain lists from here on (no Token objects)
        text = extensions.doc_text(doc)
        columns = doc.to_array([IDX, LENGTH, SENT_START]).tolist()
        starts = [row[0] for row in columns]
        words = [text[start : start + length] for start, length, _ in columns]
        sent_start = [row[2] == 1 for row in columns]
        n_tokens = len(words)
        lowers = [w.lower() for w in words]
        stems = doc._.beritanlp_stems
        keys = [(stems[i] or words[i]).lower() for i in range(n_tokens)] if stems else lowers
        kinds: list[str | None] = ["body"] * n_tokens
        index = extensions.section_index(doc)
        if index:
            kinds = [None] * n_tokens
            for first, end, kind in index:
                kinds[first:end] = [kind] * (end - first)
        weights = [self.section_weights.get(k or "body", 1.0) for k in kinds]
        caps = [w[:1].isupper() for w in words]
        in_ent = [False] * n_tokens
        boundary = [False] * (n_tokens + 1)  # phrases never cross an entity's edge
        # a person is one term under its canonical name, whichever form a mention uses
        person_at: dict[int, tuple[int, str]] = {}
        for ent in doc.ents:
            in_ent[ent.start : ent.end] = [True] * (ent.end - ent.start)
            boundary[ent.start] = boundary[ent.end] = True
            if ent.label_ in self.person_labels:
                person_at[ent.start] = (ent.end, ent._.beritanlp_canonical or ent.text)
        names: dict[tuple[str, ...], str] = {}  # person term -> its canonical name

        # occurrences weighted by section: float counts
        tf: defaultdict[tuple[str, ...], float] = defaultdict(float)
        surfaces: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        capitalised: dict[tuple[str, ...], bool] = {}
        in_entity: dict[tuple[str, ...], bool] = {}
        # (first token, last token, key) of the words of the current content-word run
        run: list[tuple[int, int, str]] = []
        max_ngram = self.settings.max_ngram

        def flush() -> None:
            for n in range(1, min(max_ngram, len(run)) + 1):
                for i in range(len(run) - n + 1):
                    part = run[i : i + n]
                    key = tuple(p[2] for p in part)
                    first, last = part[0][0], part[-1][1]
                    tf[key] += weights[first]
                    surfaces[key][text[starts[first] : starts[last] + len(words[last])]] += 1
                    all_caps = all(caps[p[0]] for p in part)
                    capitalised[key] = capitalised.get(key, True) and all_caps
                    ents = all(in_ent[p[0]] for p in part)
                    in_entity[key] = in_entity.get(key, False) or ents
            run.clear()

        cache = self._content_cache
        i = 0
        while i < n_tokens:
            if kinds[i] in _SKIP_KINDS or kinds[i] is None:
                flush()
                i += 1
                continue
            if sent_start[i] or boundary[i] or "\n" in words[i]:
                flush()
            if i in person_at:
                flush()
                end, name = person_at[i]
                person = name.lower()
                names[(person,)] = name
                run.append((i, end - 1, person))
                flush()
                i = end
                continue
            compound = _compound_at(lowers, i, compounds)
            if compound:
                run.append((i, i + compound - 1, " ".join(lowers[i : i + compound])))
                i += compound
                continue
            content = cache.get((words[i], keys[i]))
            if content is None:
                content = _is_content(
                    words[i], keys[i], stops, self.settings.min_chars, self.settings.skip_verbs
                )
                if len(cache) >= _CACHE_SIZE:
                    cache.clear()
                cache[(words[i], keys[i])] = content
            if content:
                run.append((i, i, keys[i]))
            else:
                flush()
            i += 1
        flush()

        scores: dict[tuple[str, ...], float] = {}
        for key, count in tf.items():
            if len(key) > 1:
                if len(set(key)) < len(key):
                    continue
                if surfaces[key].total() < self.settings.min_phrase_count and not capitalised[key]:
                    continue
                term_idf = sum(idf.idf(k) for k in key) / len(key) * self.settings.phrase_bonus
            else:
                term_idf = idf.idf(key[0])
            score = (1.0 + math.log(count)) * term_idf if count >= 1 else count * term_idf
            if in_entity.get(key):
                score *= self.settings.entity_boost
            scores[key] = score
        # a phrase that carries most occurrences of its parts replaces them (Qin → Qin Gang)
        absorbed: set[tuple[str, ...]] = set()
        for key in sorted(scores, key=len, reverse=True):
            if len(key) == 1 or key in absorbed:
                continue
            for n in range(1, len(key)):
                for i in range(len(key) - n + 1):
                    part = key[i : i + n]
                    if part in scores and tf[key] >= self.settings.absorb_ratio * tf[part]:
                        scores[key] = max(scores[key], scores[part])
                        absorbed.add(part)
        scored = [(score, key) for key, score in scores.items() if key not in absorbed]
        scored.sort(key=lambda item: (-item[0], item[1]))

        chosen: list[tuple[float, tuple[str, ...]]] = []
        for score, key in scored:
            if any(_covers(other, key) or _covers(key, other) for _, other in chosen):
                continue
            chosen.append((score, key))
            if len(chosen) >= self.settings.top_k:
                break
        if not chosen:
            return []
        best = chosen[0][0]
        return [
            {"text": names.get(key) or _surface(surfaces[key]), "score": round(score / best, 4)}
            for score, key in chosen
        ]

    def __call__(self, doc: Doc) -> Doc:
        doc._.beritanlp_keywords = tuple(Keyword(**k) for k in self.keywords(doc))
        return doc


def _compound_at(
    lowers: list[str], i: int, compounds: Mapping[str, tuple[tuple[str, ...], ...]]
) -> int:
    """The length (tokens) of the fixed compound starting at token ``i``, or 0."""
    options = compounds.get(lowers[i])
    if not options:
        return 0
    for words in options:
        n = len(words)
        if tuple(lowers[i : i + n]) == words:
            return n
    return 0


def _covers(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether ``shorter`` is a contiguous part of ``longer`` (and shorter than it)."""
    n = len(shorter)
    if n >= len(longer):
        return False
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _surface(forms: Counter[str]) -> str:
    """The most frequent surface form (ties: the capitalised one, then the first seen)."""
    return max(forms.items(), key=lambda item: (item[1], item[0][:1].isupper()))[0]


make_keywords = register_factory(
    FACTORY_NAME, KeywordsSettings, Keywords, assigns=["doc._.beritanlp_keywords"], requires=[]
)
