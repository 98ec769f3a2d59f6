"""Stanza models for beritanlp's syntax layer (data files only; see ``MODEL_CARD.md``).

beritanlp locates this folder with :func:`importlib.util.find_spec` and never imports it.
"""
