"""The pipeline components, one module each, each a registered spaCy factory.

Importing a module registers its factory (``beritanlp_<name>``); :func:`beritanlp.load` imports
them all. Order in the default pipeline: sections → sentences → stemmer.
"""
