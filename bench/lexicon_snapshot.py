"""Record what the cue lexicons say about every text of the devsets and the seed notes.

Used to show that moving the lexicons between code and data files changed no output: run it
before and after, then compare the two files (they must be byte-identical).

    python bench/lexicon_snapshot.py /tmp/before.json
    python bench/lexicon_snapshot.py /tmp/after.json && cmp /tmp/before.json /tmp/after.json

Per text: the tagger's cue hits (group, span, offset) on the cleaned text and its cue feature
row; the relation classifier's per-text cues (topics, axis sides, counts, definitions). Per
devset pair: the pair features with fixed embedding inputs (the cue-driven ones are what
matter here), both ways round. Also the compiled patterns themselves. No encoder is loaded.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from emlit.claims import detect_claims
from emlit.evidence import cues as rcues
from emlit.evidence.features import pair_features
from emlit.lang import detect_lang
from emlit.paths import corpus_dir
from emlit.readers import read_document
from emlit.segment import segment
from emlit.tagging.cues import compiled, match_cues
from emlit.tagging.features import cue_matrix
from emlit.tagging.textprep import clean_text


def texts() -> tuple[list[str], list[tuple[str, str]]]:
    corpus = corpus_dir()
    out: list[str] = []
    for line in (corpus / "devset" / "tagger.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(json.loads(line)["text"])
    pairs = []
    for line in (corpus / "devset" / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pairs.append((row["a"], row["b"]))
            out += [row["a"], row["b"]]
    for path in sorted((corpus / "notes").iterdir()):
        for doc in read_document(path):
            doc.metadata.setdefault("lang", detect_lang(doc.text[:20000]))
            out += [c.text for c in detect_claims(str(path), segment(doc.text, doc.blocks))]
    return list(dict.fromkeys(out)), pairs


def relation_patterns() -> dict[str, Any]:
    """The relation lexicon's compiled patterns, whichever way the module exposes them."""
    lex = rcues.relation_lexicon() if hasattr(rcues, "relation_lexicon") else rcues

    def p(rx: Any) -> list[Any]:
        return [rx.pattern, rx.flags]

    return {
        "topics": {k: p(v) for k, v in lex.TOPICS.items()}
        if hasattr(lex, "TOPICS")
        else {k: p(v) for k, v in lex.topics.items()},
        "axes": [[n, p(a), p(b)] for n, a, b in getattr(lex, "AXES", None) or lex.axes],
        **{
            name: p(getattr(lex, name.upper(), None) or getattr(lex, name))
            for name in ("negation", "contrast", "skeptic", "proponent", "denial")
        },
        "definitions": {
            k: p(v) for k, v in (getattr(lex, "DEFINITION_CUES", None) or lex.definitions).items()
        },
    }


def snapshot() -> dict[str, Any]:
    all_texts, pairs = texts()
    per_text = []
    for text in all_texts:
        cleaned = clean_text(text)
        hits = match_cues(cleaned)
        c = rcues.text_cues(text)
        per_text.append(
            {
                "text": text,
                "tag_hits": [[h.group, h.text, h.start] for h in hits],
                "tag_row": cue_matrix([hits])[0].tolist(),
                "rel": {
                    "topics": sorted(c.topics),
                    "side_a": sorted(c.side_a),
                    "side_b": sorted(c.side_b),
                    "negation": c.negation,
                    "contrast": c.contrast,
                    "skeptic": c.skeptic,
                    "proponent": c.proponent,
                    "definitions": sorted(c.definitions),
                },
            }
        )
    pair_rows = [
        [pair_features(a, b, 0.5, 0.25, -0.5), pair_features(b, a, 0.5, -0.5, 0.25)]
        for a, b in pairs
    ]
    return {
        "tag_patterns": [[g, p.pattern, p.flags] for g, p in compiled()],
        "relation_patterns": relation_patterns(),
        "texts": per_text,
        "pairs": pair_rows,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    snap = snapshot()
    Path(argv[0]).write_text(
        json.dumps(snap, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{len(snap['texts'])} texts, {len(snap['pairs'])} pairs -> {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
