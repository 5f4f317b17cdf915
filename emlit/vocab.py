"""The project's vocabularies, each defined once; every other module imports them from here.

Plain tuples of strings, no imports: the store, the stages, the CLI, the TUI and the poll
all name the same things the same way.
"""

from __future__ import annotations

# The six senses of "emergence" (../shared/seeds/README.md; prose in corpus/definitions.yaml).
DEFINITIONS = ("D1", "D2", "D3", "D4", "D5", "D6")

# Stance of a claim toward emergence in the sense(s) it uses (contract 9).
STANCES = ("affirms", "disputes", "neutral")

# Relations. Evidence between two claims; what the links table holds (a claim may also cite a
# work as evidence); what the pair classifier decides between (contract 2).
SUPPORTS, COUNTERS, UNRELATED, CITES = "SUPPORTS", "COUNTERS", "UNRELATED", "CITES_AS_EVIDENCE"
EVIDENCE_RELATIONS = (SUPPORTS, COUNTERS)
LINK_RELATIONS = (SUPPORTS, COUNTERS, CITES)
PAIR_RELATIONS = (SUPPORTS, COUNTERS, UNRELATED)
# A comment of the researcher's on a Zotero highlight: a fact of the source, not evidence. It
# is kept with the document (metadata["annotations"]), not in links, where a row would hide
# the model's SUPPORTS/COUNTERS on the pair (human) or be wiped by `emlit demo` (curated).
COMMENTS_ON = "COMMENTS_ON"

# Provenance: who made a row. A human row is never overwritten by a machine re-run.
HUMAN = "human"
TAG_PROVENANCE = ("rule", "model", HUMAN)  # rule: curated map; model: the tagger
LINK_PROVENANCE = ("curated", "model", HUMAN)
CLAIM_PROVENANCE = ("machine", "curated")  # machine: found by ingest; curated: corpus/evidence

# A human decision on a link: it holds, or the pair is no evidence at all.
LINK_STATES = ("confirmed", "rejected")

# Poll phases: votes are taken in pre and post; closed takes none.
VOTE_PHASES = ("pre", "post")
POLL_PHASES = (*VOTE_PHASES, "closed")
