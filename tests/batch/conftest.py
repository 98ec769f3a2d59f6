"""Pipelines with a test component added (each under its own load() key, so the default
pipeline is untouched), patched in as the pipeline of the batch code."""

from __future__ import annotations

import os
import time

import pytest
from spacy.language import Language

import beritanlp
from beritanlp.batch import local
from beritanlp.inputs import DEFAULT_MAX_LENGTH

BOOM = "MELEDAK"  # a record containing this word makes the test component raise
SLOW = "LAMBAT"  # a record containing this word makes the test component sleep for a minute
DIE = "MATI"  # a record containing this word kills the process that runs it


@Language.component("beritanlp_test_boom")
def _boom(doc):
    if BOOM in doc.text:
        raise RuntimeError("komponen uji meledak")
    return doc


@Language.component("beritanlp_test_slow")
def _slow(doc):
    if SLOW in doc.text:
        time.sleep(60)  # a record that never finishes in time
    return doc


@Language.component("beritanlp_test_die")
def _die(doc):
    if DIE in doc.text:
        os._exit(3)  # a worker killed mid-batch (e.g. by the OOM killer)
    return doc


def _with_component(monkeypatch, extra_length: int, factory: str, name: str) -> Language:
    nlp = beritanlp.load(max_length=DEFAULT_MAX_LENGTH + extra_length)
    if name not in nlp.pipe_names:
        nlp.add_pipe(factory, name=name, last=True)
    monkeypatch.setattr(local, "load", lambda **_: nlp)
    return nlp


@pytest.fixture
def boom_pipeline(monkeypatch) -> Language:
    """A pipeline with a component that fails on BOOM."""
    return _with_component(monkeypatch, 7, "beritanlp_test_boom", "boom")


@pytest.fixture
def slow_pipeline(monkeypatch) -> Language:
    """A pipeline with a component that sleeps on SLOW."""
    return _with_component(monkeypatch, 11, "beritanlp_test_slow", "slow")


@pytest.fixture
def dying_pipeline(monkeypatch) -> Language:
    """A pipeline with a component that ends its process on DIE."""
    return _with_component(monkeypatch, 9, "beritanlp_test_die", "die")
