"""Saved cue profiles (issue 11): the link stage reads a candidate's cues and words from the
store instead of running the cue lexicon again, and links exactly as it does without them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from emlit.evidence import ann, profile, stage
from emlit.evidence.cues import _text_cues
from emlit.evidence.profile import (
    compute_text_info,
    decode_text_info,
    encode_text_info,
    forget_text_infos,
    known_text_info,
    profile_version,
    text_hash,
    text_info,
)
from emlit.evidence.stage import link_claims, recall_text_infos
from emlit.store import Store
from tests.evidence_support import REPO
from tests.test_evidence_stage import model_links, note_with_stances

pytestmark = pytest.mark.slow

TEXTS = [
    "With a continuous metric, performance on BIG-bench tasks improves smoothly with scale: the sharp jump is a mirage.",
    "换用连续的评价指标之后，所谓的突然跃升消失了，涌现只是度量方式造成的假象。",
    "Abilities are not predictable from smaller models; they appear abruptly, not gradually.",
    "",
]


def devset_texts() -> list[str]:
    """Bilingual claim texts of the relation devset (corpus/devset), a few hundred."""
    texts: list[str] = []
    for path in sorted((REPO / "corpus" / "devset").glob("pairs*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts += [v for k, v in row.items() if k in ("a", "b") and isinstance(v, str)]
    return list(dict.fromkeys(texts))


@pytest.fixture(autouse=True)
def cold() -> Iterator[None]:
    """Each test starts and ends with nothing memoised in this process."""
    forget_text_infos()
    _text_cues.cache_clear()
    yield
    forget_text_infos()
    _text_cues.cache_clear()


def test_a_saved_profile_reads_back_as_the_computed_one() -> None:
    texts = TEXTS + devset_texts()
    assert len(texts) > 100
    infos = [compute_text_info(t) for t in texts]
    assert any(i.cues.side_a or i.cues.side_b for i in infos)  # the sample exercises the axes
    assert any(i.zh for i in infos) and any(i.cues.topics for i in infos)
    for text, info in zip(texts, infos, strict=True):
        assert decode_text_info(encode_text_info(info)) == info, text
    assert decode_text_info("not json") is None
    assert decode_text_info("[1, 2]") is None


def test_the_store_serves_profiles_and_recomputes_stale_ones(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db") as store:
        assert recall_text_infos(store, TEXTS) == len(TEXTS)  # none saved yet
        assert recall_text_infos(store, TEXTS) == 0  # in memory now
        forget_text_infos()
        assert recall_text_infos(store, TEXTS) == 0  # read back from the store
        for t in TEXTS:
            assert known_text_info(t) == compute_text_info(t)

        # A saved row is what text_info answers (the lexicon is not run again) ...
        info = compute_text_info(TEXTS[2])
        cues = replace(info.cues, topics=info.cues.topics | {"doctored"})
        doctored = encode_text_info(replace(info, cues=cues))
        store.put_cue_profiles(profile_version(), [(text_hash(TEXTS[2]), doctored)])
        forget_text_infos()
        assert recall_text_infos(store, [TEXTS[2]]) == 0
        assert "doctored" in text_info(TEXTS[2]).cues.topics
        # ... unless it was saved under another version (other code or lexicon), or is broken:
        # then it is computed again and replaced.
        for version, raw in (("older", doctored), (profile_version(), "{")):
            store.put_cue_profiles(version, [(text_hash(TEXTS[2]), raw)])
            forget_text_infos()
            assert recall_text_infos(store, [TEXTS[2]]) == 1
            assert text_info(TEXTS[2]) == compute_text_info(TEXTS[2])
            saved = store.cue_profiles([text_hash(TEXTS[2])], profile_version())
            assert decode_text_info(saved[text_hash(TEXTS[2])]) == compute_text_info(TEXTS[2])


def _no_lexicon(text: str) -> profile.TextInfo:
    raise AssertionError(f"profile computed, not read from the store: {text[:40]}")


@pytest.mark.parametrize("indexed", [False, True], ids=["exact", "index"])
def test_links_are_the_same_with_saved_profiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indexed: bool
) -> None:
    indexes: list[ann.AnnIndex | None] = []
    if indexed:  # the nearest-neighbour path of big stores, on this small one
        opened = ann.AnnIndex.open

        def small_index(store: Store, model: str) -> ann.AnnIndex | None:
            indexes.append(opened(store, model, build_at=1))
            return indexes[-1]

        monkeypatch.setattr(stage.AnnIndex, "open", small_index)
    store, new, _wei = note_with_stances(tmp_path / "s.db")
    # As before profiles were saved: every text profiled in this process only.
    with monkeypatch.context() as m:
        m.setattr(stage, "recall_text_infos", lambda store, texts: 0)
        before_written = link_claims(store, new)
    before = model_links(store)
    assert before_written == len(before) > 0
    assert store.cue_profiles([text_hash(TEXTS[0])], profile_version()) == {}

    forget_text_infos()
    _text_cues.cache_clear()
    cold_written = link_claims(store, new)  # every profile computed, and saved
    assert (cold_written, model_links(store)) == (before_written, before)
    assert store.cue_profiles([text_hash(TEXTS[0])], profile_version())

    # The same run in a fresh process: every profile now comes from the store.
    forget_text_infos()
    _text_cues.cache_clear()
    monkeypatch.setattr(profile, "compute_text_info", _no_lexicon)
    monkeypatch.setattr(stage, "compute_text_info", _no_lexicon)
    assert link_claims(store, new) == before_written
    assert model_links(store) == before
    assert len(indexes) == (3 if indexed else 0) and all(indexes)
    store.close()
