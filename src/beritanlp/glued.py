"""Glued words from scraping: where to split them, without changing the text.

Scrapers drop the space where a link was removed: ``dariCarscoops``, ``kepadaAFPbahwa``,
``PresidenPrabowoSubianto``, ``KejagungRI``, ``MendikbudristekNadiem``, ``Souzaakhirnya``. The news
tokenizer (``lang.py``) asks :func:`split_points` for each token and splits it into several tokens
with no whitespace between them, so ``doc.text`` and every character offset stay as they were.

A token is split only where the evidence is clear (issue 13):

1. **lower → Upper** (``dari|Carscoops``, ``Presiden|Prabowo``): the piece before the change is an
   ordinary Indonesian word (a root of the stemming dictionary or an affixed form of one, or a
   stop word) or a role word (``data/roles.txt``); a capitalised first piece must have at least
   four letters (``TikTok``, ``YouTube`` and ``OnePlus`` have none of these). Or the piece after
   the change is a known name word and the piece before has at least three letters.
2. **UPPER run → lower word** (``AFP|bahwa``): an acronym of two or more capitals followed by an
   ordinary word of at least three letters.
3. **Capitalised → CAPS tail** (``Kejagung|RI``): a known acronym of two to four capitals at the
   end.
4. **Name + lower-case word** (``Souza|akhirnya``): the document uses the first piece as a word of
   its own elsewhere, and the rest is an ordinary word of at least three letters (``-nya`` alone
   is a clitic, not a word: ``Jakartanya`` stays whole).

Names that are written in camel case stay whole: ``data/glued_keep.txt`` lists the ones the rules
would otherwise split (brands such as ``WhatsApp``, ``McDonald``, ``PlayStation``), and rule 1 never
splits after a first piece of fewer than four letters.

Word knowledge comes from the dictionary of :mod:`beritanlp.lexicon` (``is_common_word``: the
bundled roots and stem corrections, the module below the tokenizer and the components) and from
the gazetteer's and public figures' name words.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from spacy.lang.id.stop_words import STOP_WORDS

from .lexicon import is_common_word, role_phrases, role_words
from .resources import read_lines, read_tsv

__all__ = ["MAX_CHARS", "split_points"]

#: A glued word is a few words long; longer tokens are left whole (this also bounds the work per
#: token, so the splitter is linear in the text whatever it holds).
MIN_CHARS = 4
MAX_CHARS = 64

_RUN = re.compile(r"[A-Z]+|[a-z]+")
_ALPHA = re.compile(r"[A-Za-z]+\Z")
# function words that scraping glues onto the end of a name (rule 5); four letters or more, so
# that name endings such as -dan (Ramadan), -ini (Mancini) never count
_GLUE_WORDS = frozenset(
    {
        "yang",
        "pada",
        "untuk",
        "kini",
        "saat",
        "sebagaimana",
        "bahwa",
        "juga",
        "tidak",
        "sudah",
        "telah",
        "dalam",
        "dengan",
        "oleh",
        "secara",
        "sebagai",
        "tersebut",
        "menjadi",
        "merupakan",
        "kepada",
        "setelah",
        "sejak",
        "hingga",
        "karena",
        "ketika",
        "sementara",
        "bersama",
        "kembali",
        "melalui",
        "kemudian",
        "langsung",
        "sebelumnya",
        "mengatakan",
        "menyebut",
    }
)
# three-letter words that do glue onto names (Oppoini, Jokowiitu): short, so only these
_STOP_WORDS_3 = frozenset({"ini", "itu", "dan", "yang", "ke", "di", "dari", "pun", "pada"})
_GAZETTEER_FILES = (
    "gazetteer/countries.tsv",
    "gazetteer/media.tsv",
    "gazetteer/organisations.tsv",
    "gazetteer/parties.tsv",
    "gazetteer/regions_id.tsv",
    "gazetteer/state_bodies.tsv",
    "gazetteer/world_places.tsv",
    "gazetteer/public_figures.tsv",
)


@lru_cache(maxsize=1)
def _keep() -> frozenset[str]:
    return frozenset(read_lines("glued_keep.txt"))


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    """Words of three letters or more of the role phrases (lower case)."""
    return frozenset(word for word in role_words(role_phrases()) if len(word) >= 3)


def _gazetteer_names() -> list[str]:
    """Every name of the gazetteer files (read through the cached ``read_tsv``)."""
    return [row[0] for name in _GAZETTEER_FILES for row in read_tsv(name)]


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """Capitalised words of gazetteer names (``Prabowo``, ``Subianto``, ``Jakarta``)."""
    return frozenset(
        word
        for name in _gazetteer_names()
        for word in name.split()
        if len(word) >= 3 and word[0].isupper() and _ALPHA.match(word)
    )


@lru_cache(maxsize=1)
def _acronyms() -> frozenset[str]:
    """Gazetteer names of two to four capitals (``RI``, ``KPK``, ``AFP``)."""
    return frozenset(
        name
        for name in _gazetteer_names()
        if 2 <= len(name) <= 4 and name.isupper() and name.isalpha()
    )


@lru_cache(maxsize=50_000)
def _is_word(piece: str) -> bool:
    """An ordinary Indonesian word (root, affixed form of a root, or stop word)."""
    lower = piece.lower()
    if lower in STOP_WORDS:
        return True
    if len(lower) < 3:
        return False
    return is_common_word(lower)


def _lower_word(piece: str) -> bool:
    """A lower-case ordinary word of at least three letters (not the clitic ``nya`` alone)."""
    return (
        len(piece) >= 3
        and piece.islower()
        and piece not in ("nya", "lah", "kah", "pun")
        and (_is_word(piece) or (piece.endswith("nya") and len(piece) > 5 and _is_word(piece[:-3])))
    )


def _segments(token: str) -> list[tuple[int, str]]:
    """Words inside a camel-case token: ``Presiden|Prabowo``, ``kepada|AFP|bahwa``, ``DKI|Jakarta``.

    A run of capitals before lower case gives its last capital to the lower-case run
    (``DKIJakarta``) unless the lower-case run is an ordinary word of its own (``AFPbahwa``)."""
    runs = [(m.start(), m.group()) for m in _RUN.finditer(token)]
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(runs):
        start, run = runs[i]
        nxt = runs[i + 1] if i + 1 < len(runs) else None
        if run.isupper() and nxt is not None:
            lower = nxt[1]
            if len(run) >= 2 and _lower_word(lower):
                out += [(start, run), nxt]
            elif len(run) >= 2:
                out += [(start, run[:-1]), (start + len(run) - 1, run[-1] + lower)]
            else:
                out.append((start, run + lower))
            i += 2
        else:
            out.append((start, run))
            i += 1
    return out


def split_points(token: str, doc_words: frozenset[str] | set[str] = frozenset()) -> list[int]:
    """Character offsets (inside ``token``) where it should be split; empty when it stays whole.

    ``doc_words``: the capitalised words the document uses as tokens of their own (rule 4).
    """
    if not MIN_CHARS <= len(token) <= MAX_CHARS or token in _keep() or not _ALPHA.match(token):
        return []
    segments = _segments(token)
    points: list[int] = []
    if len(segments) > 1:
        names = _name_words()
        roles = _role_words()
        for k in range(1, len(segments)):
            _, prev = segments[k - 1]
            start, piece = segments[k]
            # the part of the token since the last split: that is the word before the change
            last = points[-1] if points else 0
            before = token[last:start]
            if prev[-1].islower() and piece[0].isupper():
                capital_first = before[0].isupper()
                word_before = (
                    (len(before) >= 4 or not capital_first)
                    and len(before) >= 2
                    and (_is_word(before) or before.lower() in roles)
                )
                if piece.isupper() and len(piece) >= 2 and k == len(segments) - 1:
                    # rule 3: a known acronym at the end (KejagungRI)
                    if piece in _acronyms() and len(before) >= 3:
                        points.append(start)
                    elif word_before:
                        points.append(start)
                    continue
                after = token[start:]
                rest_name = piece in names or piece in doc_words
                if (
                    word_before
                    or (rest_name and len(before) >= 3 and not capital_first)
                    or (rest_name and capital_first and (before in names or before in doc_words))
                    or (capital_first and len(before) >= 5 and piece in names)
                ):
                    points.append(start)
                elif capital_first and before in names and len(after) >= 3 and (after[0].isupper()):
                    points.append(start)
                elif (
                    capital_first
                    and (before in names or before in doc_words)
                    and (len(piece) >= 5 and _is_word(piece))
                ):
                    points.append(start)  # GoogleIlustrasi: a name, then an ordinary word
            elif prev.isupper() and len(prev) >= 2 and piece[0].isupper() and piece[1:].islower():
                # rule 2b: ACRONYM or CAPS WORD + Name (DPRAhmad, CEOHermes, PRESIDENPrabowo)
                if (
                    len(piece) >= 3
                    and piece[1:] not in ("nya", "lah", "kah", "pun")
                    and (
                        prev in _acronyms()
                        or prev.lower() in _role_words()
                        or piece in _name_words()
                        or piece in doc_words
                    )
                ):
                    points.append(start)
            elif prev.isupper() and len(prev) >= 2 and piece.islower():
                # rule 2: ACRONYMword (AFPbahwa); the word must be an ordinary word
                if _lower_word(piece):
                    points.append(start)
    if doc_words:
        # rule 4, on every piece: Name + ordinary word, the name used on its own in the document
        bounds = [0, *points, len(token)]
        for a, b in itertools.pairwise(bounds):
            piece = token[a:b]
            if len(piece) < 8 or not (piece[0].isupper() and piece[1:].islower()):
                continue
            for k in range(4, len(piece) - 3):
                rest = piece[k:]
                if piece[:k] in doc_words and (
                    _lower_word(rest) and (len(rest) >= 4 or rest in _STOP_WORDS_3)
                ):
                    points.append(a + k)
                    break
        points.sort()
    # rule 5, on the last piece: Name + a word that glues onto names (Trampkini, Angelesdan is
    # not: "dan" is too short to trust; Subiantomenggagas, Anadolusebagaimana)
    last = points[-1] if points else 0
    piece = token[last:]
    if len(piece) >= 8 and piece[0].isupper() and piece[1:].islower():
        for k in range(4, len(piece) - 3):
            rest = piece[k:]
            if rest in _GLUE_WORDS or (
                len(rest) >= 7
                and rest.startswith(("me", "ber", "di", "ter"))
                and _is_word(rest)
                and not _is_word(piece[:k].lower())
            ):
                points.append(last + k)
                break
    return sorted(set(points))
