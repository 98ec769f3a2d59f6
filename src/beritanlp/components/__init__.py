"""The pipeline components, one module each, each a registered spaCy factory.

Importing a module registers its factory (``beritanlp_<name>``); :func:`beritanlp.load` imports
the modules of :data:`PIPELINE` itself (no ``spacy_factories`` entry points: see
``docs/design.md``). This package declares the default pipeline and its order; it imports
nothing at import time.
"""

from __future__ import annotations

__all__ = ["COMPONENT_MODULES", "PIPELINE"]

#: The default pipeline, in order: (component name, factory name). The factory is registered when
#: ``beritanlp.components.<module>`` is imported (see ``COMPONENT_MODULES``).
PIPELINE: tuple[tuple[str, str], ...] = (
    ("sections", "beritanlp_sections"),
    ("sentences", "beritanlp_sentences"),
    ("ner", "beritanlp_ner"),  # the trained model in models/ner-id, sourced (see components/ner.py)
    ("gazetteer", "beritanlp_gazetteer"),
    ("entity_consistency", "beritanlp_entity_consistency"),  # one answer per name per article
    ("entity_repair", "beritanlp_entity_repair"),  # persons announced by a role, trimmed roles
    ("canonical_names", "beritanlp_canonical_names"),  # acronyms, aliases, short names
    ("roles", "beritanlp_roles"),  # after canonical_names: a tagged acronym is a name in a role
    ("quotes", "beritanlp_quotes"),  # speakers are canonical person names
    ("stemmer", "beritanlp_stemmer"),  # after the entities: it protects them from stemming
    ("dates", "beritanlp_dates"),  # before the dateline: the dateline reads its date from the dates
    ("dateline", "beritanlp_dateline"),
    ("topic", "beritanlp_topic"),
    ("keywords", "beritanlp_keywords"),  # after the entities and stems it ranks
)

COMPONENT_MODULES = {
    "beritanlp_sections": "sections",
    "beritanlp_sentences": "sentences",
    "beritanlp_ner": "ner",
    "beritanlp_gazetteer": "gazetteer",
    "beritanlp_entity_consistency": "entity_consistency",
    "beritanlp_entity_repair": "entity_repair",
    "beritanlp_canonical_names": "canonical_names",
    "beritanlp_roles": "roles",
    "beritanlp_quotes": "quotes",
    "beritanlp_stemmer": "stemmer",
    "beritanlp_dateline": "dateline",
    "beritanlp_dates": "dates",
    "beritanlp_topic": "topic",
    "beritanlp_keywords": "keywords",
}
