"""Training-time spaCy callbacks for the NER model (loaded by ``spacy train --code``).

``beritanlp.ner_pretrained_tok2vec.v1`` copies token-encoder weights pretrained by
``spacy pretrain configs/ner_pretrain.cfg`` (a stand-alone ``tok2vec`` component with exactly
the ner's encoder settings) into the encoder inside the ``ner`` component. spaCy's own
``[initialize] init_tok2vec`` cannot do this: the encoder is the first layer of the parser's
``tok2vec`` chain, which no reference name reaches.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.util import registry


@registry.callbacks("beritanlp.ner_pretrained_tok2vec.v1")
def create_pretrained_tok2vec(path: str | None) -> Callable[[Language], Language]:
    """After initialisation, load the pretrained encoder weights at ``path`` (None: no-op)."""

    def load_weights(nlp: Language) -> Language:
        if path:
            encoder = nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0]
            encoder.from_bytes(Path(path).read_bytes())
            print(f"[ner_callbacks] loaded pretrained encoder weights from {path}", flush=True)
        return nlp

    return load_weights
