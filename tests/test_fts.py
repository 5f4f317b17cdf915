from __future__ import annotations

from emlit import fts
from emlit.models import Claim, ParsedDocument


def test_index_tokens_splits_han_into_bigrams_and_keeps_words():
    assert fts.index_tokens("涌现能力 Emergent") == "涌现 现能 能力 力 emergent"


def test_han_next_to_latin_or_digits_is_split_off():
    assert fts.index_tokens("175B参数规模时突然") == "175b 参数 数规 规模 模时 时突 突然 然"


def test_match_query_builds_phrase_of_bigrams():
    assert fts.match_query("涌现能力") == '"涌现 现能 能力"'
    assert fts.match_query("涌") == '"涌"*'
    assert fts.match_query("scaling law") == '"scaling" AND "law"'
    assert fts.match_query("  ，。 ") is None


def _store_claims(store, texts):
    claims = [
        Claim(id=f"c{i}", text=t, lang="zh", start=0, end=len(t)) for i, t in enumerate(texts)
    ]
    doc = ParsedDocument(path="x.md", format="markdown", text="\n".join(texts), blocks=[])
    store.save_document(doc, path="/x.md", display_path="x.md", content_hash="h", claims=claims)


def test_chinese_search_finds_substrings_not_scattered_characters(store):
    _store_claims(
        store,
        [
            "小模型中没有出现但是大模型中出现的能力被称为涌现能力",
            "能力的涌现并不总是可以预测",  # has 涌现 and 能力, but not 涌现能力
            "Schaeffer et al. argue emergent abilities are a mirage",
        ],
    )
    found = [c["text"] for c in store.claims(search="涌现能力")]
    assert found == ["小模型中没有出现但是大模型中出现的能力被称为涌现能力"]
    assert len(store.claims(search="涌现")) == 2
    assert len(store.claims(search="现")) == 2  # single character: prefix on bigrams
    assert len(store.claims(search="预测")) == 1  # at the end of a run


def test_english_search_is_stemmed(store):
    _store_claims(
        store, ["Emergent abilities vanish under linear metrics", "Scaling laws are smooth"]
    )
    assert [c["text"] for c in store.claims(search="ability")] == [
        "Emergent abilities vanish under linear metrics"
    ]
    assert len(store.claims(search="scaling laws smooth")) == 1
    assert store.claims(search="!!!") == []
