"""Trained model files shipped with beritanlp (installed as the ``beritanlp.models`` package).

Each model is a folder with a ``MODEL_CARD.md``; none of them is loaded by executing code
(spaCy ``from_disk``, or plain arrays + JSON). The Stanza models of the optional syntax layer
are a package of their own, ``beritanlp-stanza-id`` (``packages/beritanlp-stanza-id``).
"""
