"""`emlit train`: the tagger learns from the researcher's decisions, which nothing overwrites.

The slow tests refit on a small slice of the bundled training items (monkeypatched) so they
take seconds, with the caches of this process and of the disk kept apart from other tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from emlit.cli.main import cli, main
from emlit.errors import EmlitError
from emlit.models import Block, Claim, ParsedDocument
from emlit.store import Store
from emlit.tagging import devset, learn, stage
from emlit.tagging.devset import Item

# Sentences written for this test: (document, labels, text).
CLAIMS = [
    ("a.md", ["D1"], "Nobody trained the network to translate, yet it translates."),
    ("a.md", ["D3"], "Only the largest checkpoints can add five-digit numbers."),
    ("a.md", [], "We trained six models with the same tokenizer."),
    ("b.md", ["D4"], "The skill shows up all at once, with no warning from the smaller runs."),
    ("b.md", ["D2"], "它的常识其实都是从预训练语料里学来的。"),
    ("b.md", ["D5"], "这些题目从未出现在任何训练数据里。"),
    ("c.md", ["D6"], "开发者并不清楚训练语料里到底有什么，所以才觉得这种能力是涌现的。"),
    ("c.md", ["D3", "D4"], "参数量一过临界点，准确率就从随机水平猛然跳升。"),
    ("c.md", [], "损失随算力按幂律平滑下降。"),
    ("d.md", ["D1"], "没有人专门教过模型做这件事，它却学会了。"),
]


def make_store(path: Path) -> Store:
    store = Store(path)
    docs: dict[str, list[tuple[str, str]]] = {}
    for i, (doc, _, text) in enumerate(CLAIMS):
        docs.setdefault(doc, []).append((f"k{i}", text))
    for doc, rows in docs.items():
        text, claims = "", []
        for cid, t in rows:
            lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in t) else "en"
            claims.append(Claim(id=cid, text=t, lang=lang, start=len(text), end=len(text) + len(t)))
            text += t + "\n"
        parsed = ParsedDocument(
            path=doc, format="markdown", text=text, blocks=[Block(0, len(text), "paragraph")]
        )
        store.save_document(
            parsed, path=f"/x/{doc}", display_path=doc, content_hash=doc, claims=claims
        )
    return store


def human_rows(store: Store) -> list[tuple[str, str, int]]:
    return sorted(
        (cid, r["label"], int(r["assigned"]))
        for cid in store.claim_ids()
        for r in store.tags(cid)
        if r["provenance"] == "human"
    )


def test_human_tag_decisions_are_read_with_effective_labels(tmp_path: Path) -> None:
    with make_store(tmp_path / "h.db") as store:
        assert store.human_tag_decisions() == []
        store.save_machine_tags(
            {"k1": [{"label": "D3", "assigned": True, "score": 0.9, "provenance": "model"}]}
        )
        store.set_human_tag("k1", "D4", True)  # added
        store.set_human_tag("k0", "D1", True)  # accepted
        store.set_human_tag("k2", "D3", False)  # rejected
        rows = {r["id"]: r for r in store.human_tag_decisions()}
        assert set(rows) == {"k0", "k1", "k2"}
        assert rows["k1"]["decided"] == {"D4": True}
        assert rows["k1"]["labels"] == ["D3", "D4"]  # the machine's D3 stands, unrejected
        assert rows["k2"]["labels"] == [] and rows["k2"]["document"] == "a.md"
        items = learn.human_items(store)
        assert {it.origin for it in items} == {"human"}
        assert {it.work for it in items} == {"doc:a.md"}


def test_held_out_decisions_are_whole_documents() -> None:
    items = [
        Item(
            f"i{i}", "t", "en", (), f"d{i % 5}.md", "human", work=f"doc:d{i % 5}.md", origin="human"
        )
        for i in range(50)
    ]
    fit, held = learn.split_by_document(items, 0.2)
    assert len(fit) + len(held) == 50 and len(held) >= 10
    assert not {it.work for it in fit} & {it.work for it in held}
    assert learn.split_by_document(items, 0.0) == (items, [])
    one_doc = [Item(f"j{i}", "t", "en", (), "x", "human", work="doc:x") for i in range(10)]
    fit, held = learn.split_by_document(one_doc, 0.2)
    assert len(held) == 2 and len(fit) == 8


@pytest.fixture
def small_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Item]:
    """A small bundled set, fitted in seconds, with caches that other tests never see."""
    items = devset.training_items()
    small = [it for i, it in enumerate(items) if i % 6 == 0]
    monkeypatch.setattr(devset, "training_items", lambda: small)
    monkeypatch.setenv("EMLIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(stage, "_TAGGERS", {})
    monkeypatch.setattr(learn, "_LOADED", {})
    return small


@pytest.mark.slow
def test_train_learns_keeps_human_rows_and_rolls_back(
    tmp_path: Path, small_bundle: list[Item]
) -> None:
    db = tmp_path / "t.db"
    with make_store(db) as store:
        stage.tag_claims(store, store.claim_ids(), lambda n: None)
        # The researcher's review: every claim decided (label by label, as the TUI writes).
        for i, (_, labels, _) in enumerate(CLAIMS):
            for lab in ("D1", "D2", "D3", "D4", "D5", "D6"):
                store.set_human_tag(f"k{i}", lab, lab in labels)
        before = human_rows(store)
        [bundled] = {r["model"] for r in store.tags("k0") if r["provenance"] == "model"}
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "train"])
    assert result.exit_code == 0, result.output
    assert "held out" in result.output and "saved t001-" in result.output
    assert "emlit train --rollback" in result.output

    with Store(db) as store:
        assert human_rows(store) == before  # training and re-tagging never touch them
        for i, (_, labels, _) in enumerate(CLAIMS):  # and they stay in effect
            assert store.labels_for([f"k{i}"])[f"k{i}"] == sorted(labels)
        machine = {r["model"] for cid in store.claim_ids() for r in store.tags(cid)} - {None}
        [trained] = machine
        assert trained.startswith(bundled + "+human.")
        assert learn.active_model(str(db))["version"] == trained
        assert (Path(str(db) + ".models") / "registry.json").exists()
        # A re-tag (as ingest does) keeps the human rows in effect and uses the trained model.
        stage.tag_claims(store, store.claim_ids(), lambda n: None)
        assert human_rows(store) == before
        assert {r["model"] for r in store.tags("k3")} == {trained, None}

    listed = runner.invoke(cli, ["--db", str(db), "train", "--list", "--json"])
    data = json.loads(listed.output)
    assert data["active"].startswith("t001-") and len(data["models"]) == 1

    back = runner.invoke(cli, ["--db", str(db), "train", "--rollback"])
    assert back.exit_code == 0, back.output
    assert "the bundled model" in back.output
    with Store(db) as store:
        assert human_rows(store) == before
        assert {r["model"] for r in store.tags("k0")} == {bundled, None}
    assert learn.active_model(str(db)) is None
    assert (Path(str(db) + ".models") / f"{data['active']}.pkl").exists()  # kept for later
    with pytest.raises(EmlitError, match="nothing to roll back"):
        runner.invoke(cli, ["--db", str(db), "train", "--rollback"], catch_exceptions=False)


def test_train_without_decisions_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_store(tmp_path / "e.db").close()
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "e.db"), "train"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("emlit: error: no human tag decisions") and "emlit tui" in err
