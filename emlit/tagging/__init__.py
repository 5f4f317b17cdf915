"""Definition tagging: which of the six senses of "emergence" (D1-D6) a claim uses.

``Tagger`` (emlit.tagging.tagger) is the library entry point; ``emlit tag`` (contract 1)
and the ``tag`` stage of ``emlit ingest`` (emlit.tagging.stage) are thin layers over it.
Heavy libraries (torch, sentence-transformers, scikit-learn) load only when a Tagger is
built, never on import of this package.
"""
