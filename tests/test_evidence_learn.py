"""`emlit train --model relation|stance`: link and stance decisions refit their models, with
versions beside the store and rollback, as tag decisions do for the tagger.

The bundled training sets are cut to small slices (passed in, never patched into the modules,
whose caches other tests share) so a refit takes seconds.
Sentences are written for this test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from emlit.cli.main import cli
from emlit.errors import EmlitError
from emlit.models import Block, Claim, ParsedDocument
from emlit.store import Store

pytestmark = pytest.mark.slow

CLAIMS = {
    "a.md": [
        "Exact-match scoring hides steady progress on arithmetic, so the jump is an artefact.",
        "Nobody trained the model to translate, yet it translates.",
        "Most researchers at the talks believe in emergent abilities.",
    ],
    "b.md": [
        "Arithmetic accuracy stays at chance until a critical size, then jumps.",
        "The translation skill comes from bilingual snippets in the web training data.",
        "Chain-of-thought helps only once models pass a critical size.",
    ],
    "c.md": [
        "模型规模超过临界点后，算术准确率突然大幅跃升。",
        "换用连续指标后，性能平滑提升，所谓的跃升只是假象。",
        "调查显示，多数研究者认为大模型具有涌现能力。",
    ],
}


def make_store(path: Path) -> Store:
    store = Store(path)
    for doc, texts in CLAIMS.items():
        text, claims = "", []
        for i, t in enumerate(texts):
            lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in t) else "en"
            cid = f"{doc[0]}{i}"
            claims.append(Claim(id=cid, text=t, lang=lang, start=len(text), end=len(text) + len(t)))
            text += t + "\n"
        parsed = ParsedDocument(
            path=doc, format="markdown", text=text, blocks=[Block(0, len(text), "paragraph")]
        )
        store.save_document(
            parsed, path=f"/x/{doc}", display_path=doc, content_hash=doc, claims=claims
        )
    return store


def small_pairs() -> list:
    from emlit.evidence.devset import load_pairs

    return load_pairs(split="train")[:60]


def small_items() -> list:
    from emlit.stance.model import training_items

    return training_items()[:80]


def test_relation_model_refits_from_link_decisions_and_rolls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from emlit.evidence import learn
    from emlit.evidence.model import load_model

    db = tmp_path / "s.db"
    with make_store(db) as store:
        with pytest.raises(EmlitError, match="no human link decisions"):
            learn.train(store)
        store.set_human_link("a0", "b0", "COUNTERS", True)
        store.set_human_link("c1", "c0", "COUNTERS", True)
        store.set_human_link("c0", "b0", "SUPPORTS", True)
        store.set_human_link("b2", "b0", "SUPPORTS", True)
        store.set_human_link("a2", "b1", "SUPPORTS", False)  # rejected: no evidence
        store.set_human_link("c2", "a2", "SUPPORTS", True)
        rows = store.human_link_decisions()
        assert {(r["source"], r["relation"]) for r in rows} >= {("a2", "UNRELATED")}
    # The CLI refits on the bundled pairs; this test gives it a slice of them.
    original = learn.train
    monkeypatch.setattr(
        learn, "train", lambda store, **kw: original(store, base_pairs=small_pairs(), **kw)
    )
    runner = CliRunner()
    out = runner.invoke(
        cli, ["--db", str(db), "train", "--model", "relation", "--json"], catch_exceptions=False
    )
    assert out.exit_code == 0, out.output
    report = json.loads(out.output.strip().splitlines()[-1])
    assert report["n_decided"] == 6 and report["n_held"] == 1 and report["before"]
    trained = learn.model_for_store(str(db))
    bundled = load_model()
    assert trained is not bundled and "+human." in trained.version
    assert trained.coef.shape == bundled.coef.shape
    assert (trained.coef != bundled.coef).any()
    listed = runner.invoke(cli, ["--db", str(db), "train", "--model", "relation", "--list"])
    assert "* r001-" in listed.output
    back = runner.invoke(cli, ["--db", str(db), "train", "--model", "relation", "--rollback"])
    assert back.exit_code == 0 and "the bundled model" in back.output
    assert learn.model_for_store(str(db)) is bundled
    assert (tmp_path / "s.db.models" / "relation" / f"{report['model_id']}.json").exists()
    # The report as text: the same shape as the tagger's, with how to undo it.
    text = runner.invoke(cli, ["--db", str(db), "train", "--model", "relation"]).output
    assert "6 human relation decisions: 5 for fitting, 1 held out" in text
    assert "  before  " in text and "  after   " in text and "(bundled set + 5 decisions)" in text
    assert "saved r002-" in text and "put it in use for this store's linking" in text
    assert text.rstrip().endswith("undo: emlit train --model relation --rollback")


def test_stance_model_refits_from_stance_decisions_and_rolls_back(tmp_path: Path) -> None:
    from emlit.stance import learn

    db = tmp_path / "s.db"
    decided = {
        "a0": "disputes",
        "b0": "affirms",
        "b1": "disputes",
        "c1": "disputes",
        "c0": "affirms",
    }
    with make_store(db) as store:
        with pytest.raises(EmlitError, match="no human stance decisions"):
            learn.train(store)
        for cid, stance in decided.items():
            store.set_human_stance(cid, stance)
        report = learn.train(store, base_items=small_items())
        assert report.n_decided == 5 and report.n_held == 1 and report.before and report.after
        assert report.restanced == len(store.claim_ids())
        rows = {cid: store.stances(cid) for cid in store.claim_ids()}
        machine = [r for rs in rows.values() for r in rs if r["provenance"] == "model"]
        assert machine and all("+human." in r["model"] for r in machine)
        # Human decisions stay in effect.
        assert store.stances_for(list(decided)) == decided
        # The refitted model keeps the bundled model's prior of real writing.
        from emlit.stance.model import get_stance_model

        bundled = get_stance_model().weights.prior_bias
        refitted = learn.stance_model_for_store(str(db)).weights.prior_bias
        assert bundled is not None and refitted is not None and bundled.any()
        assert refitted.tolist() == pytest.approx(bundled.tolist())
        old, new, n = learn.rollback(store)
        assert old == report.model_id and new is None and n == len(store.claim_ids())
        machine = [
            r for cid in store.claim_ids() for r in store.stances(cid) if r["provenance"] == "model"
        ]
        assert machine and not any("+human." in r["model"] for r in machine)
