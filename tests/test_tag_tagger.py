"""The tagger's decisions on clear cases (sentences written for this test, not from the devset)."""

from __future__ import annotations

import json

import pytest

from emlit.tagging.devset import load_devset
from emlit.tagging.stage import get_tagger
from emlit.tagging.tagger import Tagger

pytestmark = pytest.mark.slow

CLEAR_CASES = [
    # (expected labels, text)
    (["D1"], "Nobody explicitly trained the system to summarise legal contracts, yet it does so."),
    (["D2"], "Its knack for trivia questions was simply acquired from the pre-training corpus."),
    (["D3"], "The 7B model cannot solve these riddles, but the 175B model can."),
    (["D4"], "The capability appeared abruptly, in a way no one could have forecast."),
    (
        ["D5"],
        "The puzzles were written after the cutoff, so nothing like them was in the training data.",
    ),
    (
        ["D6"],
        "The developers were unaware that their web scrape contained thousands of chess games.",
    ),
    ([], "Emergent behaviour in termite mounds arises from simple local rules."),
    ([], "Held-out loss follows a smooth power law in training compute."),
    (["D1"], "没有人专门训练这个模型写诗，它却写得有模有样。"),
    (["D2"], "这种常识问答能力其实是从预训练语料里学来的。"),
    (["D3"], "只有参数规模超过百亿的模型才会做多位数乘法，小模型做不到。"),
    (["D4"], "这种能力是突然出现的，事先没有任何人能够预测。"),
    (["D5"], "这些题目是在训练截止之后新出的，模型不可能在训练数据中见过。"),
    (["D6"], "开发者并不知道爬取的网页中含有大量棋谱。"),
    ([], "白蚁巢穴的复杂结构是一种生物学上的涌现现象。"),
    ([], "近两年各种开源大模型纷纷涌现。"),
]


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    return get_tagger()


def test_clear_cases_are_not_in_the_devset() -> None:
    dev = {it.text for it in load_devset()}
    assert not dev & {text for _, text in CLEAR_CASES}


@pytest.mark.parametrize(("expected", "text"), CLEAR_CASES)
def test_clear_case(tagger: Tagger, expected: list[str], text: str) -> None:
    [result] = tagger.tag([text])
    assert result.labels == expected, result.scores
    assert all(0.0 <= s <= 1.0 for s in result.scores.values())


@pytest.mark.parametrize(
    "text",
    [
        # Once a known miss (D3 scored 0.20); passing a scale threshold is now a D3 cue and
        # the extra training set has such mixtures (docs/tagger.md, "Errors").
        "Once models pass a critical size, accuracy leaps from chance to near perfect.",
        "Only models past a certain scale show it, and then the jump is sudden.",
        "模型规模超过临界点后，准确率从随机水平一下子跃升到接近满分，小模型则毫无迹象。",
    ],
)
def test_mixture_gets_both_labels(tagger: Tagger, text: str) -> None:
    [r] = tagger.tag([text])
    assert r.labels == ["D3", "D4"], r.scores


CHINESE_CLEAR_CASES = [
    (labels, text) for labels, text in CLEAR_CASES if "\u4e00" <= text[0] <= "\u9fff"
]


@pytest.mark.parametrize(("expected", "text"), CHINESE_CLEAR_CASES)
def test_traditional_script_is_read_like_simplified(
    tagger: Tagger, expected: list[str], text: str
) -> None:
    import opencc

    traditional = opencc.OpenCC("s2t.json").convert(text)
    assert traditional != text  # the case really is written differently
    [simplified_result, traditional_result] = tagger.tag([text, traditional], ["zh", "zh"])
    assert traditional_result.labels == simplified_result.labels == expected
    for definition, score in simplified_result.scores.items():
        assert traditional_result.scores[definition] == pytest.approx(score, abs=1e-6)


def test_only_chinese_is_folded_to_simplified(tagger: Tagger) -> None:
    [zh] = tagger.prepare(["參數越多，模型的推理能力越強。"], [None])
    assert (zh.lang, zh.text) == ("zh", "参数越多，模型的推理能力越强。")
    # The same characters quoted in an English sentence stay as written.
    [en] = tagger.prepare(["The slogan 參數越多 means more parameters."], ["en"])
    assert "參數越多" in en.text


def test_explanation_names_cue_and_nearest_examples(tagger: Tagger) -> None:
    [r] = tagger.tag(["这种能力并没有经过专门训练，而是自发出现的。"])
    assert r.lang == "zh"
    assert "D1" in r.explain["cues"]
    assert r.explain["similarity_space"] == "embedding"  # the multilingual encoder reads it
    nearest = r.explain["nearest"]
    assert len(nearest) == 3
    assert nearest[0]["similarity"] >= nearest[-1]["similarity"] > 0
    json.dumps(r.explain)  # stored as JSON


def test_markup_is_stripped_and_long_text_still_tagged(tagger: Tagger) -> None:
    plain = "Abilities that nobody trained for appear suddenly in larger models."
    marked = "> **Abilities** that [nobody](https://x.org) trained for <span>appear suddenly</span> in larger models."
    long_text = plain + " " + "Filler words about the weather. " * 400
    a, b, c = tagger.tag([plain, marked, long_text])
    assert a.labels == b.labels and a.scores == b.scores
    # The filler dilutes the text's vector, so the borderline senses may differ; every label
    # of the long text is one the sentence uses (D1 "nobody trained for", D3 "larger models",
    # D4 "suddenly"), and its clearest sense, D1, is still found.
    assert "D1" in a.labels and "D1" in c.labels
    assert set(a.labels) <= {"D1", "D3", "D4"} and set(c.labels) <= {"D1", "D3", "D4"}
    assert "note" in c.explain and "4000" in c.explain["note"]


def test_markup_only_text_gets_no_labels(tagger: Tagger) -> None:
    [r] = tagger.tag(["![diagram.png|700](https://example.org/a.png) <br/>"])
    assert r.labels == [] and set(r.scores.values()) == {0.0}
    assert r.explain["note"] == "no text left after stripping markup"


def test_default_encoder_reads_chinese_and_minilm_does_not(tagger: Tagger) -> None:
    from emlit.encoder import MINILM, get_encoder

    assert tagger.encoder.reads_chinese
    assert tagger.encoder.unk_ratio("小模型中没有出现但是大模型中出现的能力") == 0.0
    minilm = get_encoder(MINILM)
    assert minilm.unk_ratio("小模型中没有出现但是大模型中出现的能力") > 0.4
    assert minilm.unk_ratio("abilities present in larger models") == 0.0
    assert not minilm.reads_chinese


def test_a_tagger_on_minilm_routes_chinese_through_cues_and_ngrams() -> None:
    from emlit.encoder import MINILM, get_encoder

    other = Tagger(get_encoder(MINILM))
    [zh, en] = other.tag(
        ["这种能力并没有经过专门训练，而是自发出现的。", "Nobody trained it for this."]
    )
    assert zh.explain["similarity_space"] == "char-ngram" and zh.explain["encoder"] is None
    assert en.explain["similarity_space"] == "embedding"
    assert "D1" in zh.labels
