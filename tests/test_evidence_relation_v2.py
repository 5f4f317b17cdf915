"""Relations built on stance, senses and the phenomenon (issue 10): structure, candidates, model.

Sentences are written for these tests. The fast tests use the rules with made-up stances and
vectors; the slow ones load the encoder and the stance model.
"""

from __future__ import annotations

import numpy as np
import pytest

from emlit.evidence.candidates import Profiles, combined_scores, specific_topics, top_candidates
from emlit.evidence.features import FEATURES, pair_features, same_phenomenon, stance_relation
from emlit.evidence.model import Prediction, _talking_past, stance_probs
from emlit.evidence.stage import agrees

AFFIRMS, DISPUTES, NEUTRAL = (0.9, 0.05, 0.05), (0.05, 0.9, 0.05), (0.05, 0.05, 0.9)

METRIC = "Arithmetic scored with edit distance instead of exact match gives a smooth curve."
JUMP = "Exact-match accuracy on arithmetic stays near chance, then jumps once the model is big."
POLL = "Most researchers at the talks said they believe in emergent properties."


def _pred(relation: str, talking_past: bool = False) -> Prediction:
    return Prediction(relation, 0.9, {relation: 0.9}, talking_past)


def test_stance_relation_probabilities() -> None:
    opp, same, neutral = stance_relation(AFFIRMS, DISPUTES)
    assert opp > 0.8 and same < 0.1 and neutral < 0.1
    opp, same, _ = stance_relation(AFFIRMS, AFFIRMS)
    assert same > 0.8 and opp < 0.1
    assert stance_probs({"affirms": 2.0, "disputes": 1.0, "neutral": 1.0}) == (0.5, 0.25, 0.25)
    assert stance_probs(None) == pytest.approx((1 / 3, 1 / 3, 1 / 3))


def test_features_carry_stance_and_phenomenon() -> None:
    opposed = pair_features(METRIC, JUMP, 0.3, 0.0, 0.0, None, None, DISPUTES, AFFIRMS)
    same = pair_features(METRIC, JUMP, 0.3, 0.0, 0.0, None, None, AFFIRMS, AFFIRMS)
    assert len(opposed) == len(FEATURES)
    k = FEATURES.index("opposed_x_phenomenon")
    assert opposed[k] > 0.5 > same[k]
    assert same[FEATURES.index("same_x_phenomenon")] > 0.5
    # Shared specific topics (metric, arithmetic...) make one phenomenon even at low cosine.
    assert same_phenomenon(METRIC, JUMP, 0.1) >= 0.5
    assert same_phenomenon(POLL, "The cipher task uses rot-13.", 0.1) == 0.0


def test_talking_past_is_opposite_stance_on_disjoint_senses() -> None:
    d1, d2, d3 = frozenset({"D1"}), frozenset({"D2"}), frozenset({"D1", "D3"})
    assert _talking_past(AFFIRMS, DISPUTES, d1, d2)
    assert not _talking_past(AFFIRMS, DISPUTES, d1, d3)  # a shared sense: a real counter
    assert not _talking_past(AFFIRMS, AFFIRMS, d1, d2)  # same side: not a disagreement
    assert not _talking_past(AFFIRMS, NEUTRAL, d1, d2)


def test_links_must_agree_with_the_structure() -> None:
    # A counter: opposite stances about one phenomenon on a shared sense.
    assert agrees(_pred("COUNTERS"), 1.0, DISPUTES, AFFIRMS, ["D4"], ["D3", "D4"])
    assert not agrees(_pred("COUNTERS"), 1.0, AFFIRMS, AFFIRMS, ["D4"], ["D4"])
    assert not agrees(_pred("COUNTERS"), 0.0, DISPUTES, AFFIRMS, ["D4"], ["D4"])
    assert not agrees(_pred("COUNTERS"), 1.0, DISPUTES, AFFIRMS, ["D2"], ["D1"])
    assert not agrees(_pred("COUNTERS", talking_past=True), 1.0, DISPUTES, AFFIRMS, None, None)
    # A support: both on the same side; a neutral claim is rarely evidence.
    assert agrees(_pred("SUPPORTS"), 1.0, AFFIRMS, AFFIRMS, ["D3"], ["D3"])
    assert agrees(_pred("SUPPORTS"), 1.0, DISPUTES, DISPUTES, ["D3"], ["D4"])
    assert not agrees(_pred("SUPPORTS"), 1.0, AFFIRMS, DISPUTES, ["D3"], ["D3"])
    assert not agrees(_pred("SUPPORTS"), 1.0, NEUTRAL, AFFIRMS, ["D3"], ["D3"])


def test_candidates_reach_an_opposite_stance_counter_the_embedding_misses() -> None:
    texts = [JUMP, METRIC, POLL, "Researchers disagreed about what emergence means."]
    stances = [AFFIRMS, DISPUTES, AFFIRMS, NEUTRAL]
    # The poll sentence is the embedding's nearest neighbour of the jump (cosine 0.5); the
    # metric one, which counters it, is far (0.1).
    vecs = np.zeros((4, 4), dtype=np.float32)
    vecs[0, 0] = 1.0
    vecs[1, [0, 2]] = 0.1, 0.995
    vecs[2, [0, 1]] = 0.5, 0.866
    vecs[3, 3] = 1.0
    topics = [specific_topics(t) for t in texts]
    plain = combined_scores(vecs[0], topics[0], stances[0], vecs, topics, stances, 0.0, 0.0)
    assert top_candidates(plain, 1, exclude=[0]) == [2]
    ranked = combined_scores(vecs[0], topics[0], stances[0], vecs, topics, stances, 0.3, 0.6)
    assert top_candidates(ranked, 1, exclude=[0]) == [1]
    # The matrix form gives the same bonuses.
    prof = Profiles(texts, stances)
    bonus = prof.rows([0]).bonus(prof)[0]
    assert bonus[1] > bonus[2] and bonus[3] == 0.0


# -- the trained model, with the encoder and the stance model ---------------------------------

COUNTER_EN = (
    "Scored with a continuous metric such as edit distance, the same outputs improve smoothly, "
    "so the sudden jump is an artefact of exact-match scoring.",
    "On multi-digit addition, accuracy stays near chance for small models and then jumps "
    "abruptly once the model passes a critical size.",
)
COUNTER_ZH = (
    "换成连续的评价指标之后，性能随规模平滑提升，所谓突然出现的能力只是指标造成的假象。",
    "模型规模超过某个临界点后，算术任务的准确率突然从随机水平大幅跃升。",
)
SUPPORT_SAME_STANCE = (
    "On many benchmark tasks, accuracy stays at chance level until a critical model size and "
    "then rises sharply.",
    "Chain-of-thought prompting helps only once models pass a critical size; below it, "
    "accuracy stays near chance.",
)


@pytest.mark.slow
def test_clear_counters_found_in_english_and_chinese() -> None:
    from emlit.evidence.model import classify_texts

    preds = classify_texts([COUNTER_EN[0], COUNTER_ZH[0]], [COUNTER_EN[1], COUNTER_ZH[1]])
    assert [p.relation for p in preds] == ["COUNTERS", "COUNTERS"], preds


@pytest.mark.slow
def test_same_stance_pair_supports_and_opposite_senses_talk_past() -> None:
    from emlit.encoder import get_encoder
    from emlit.evidence.model import load_model

    a, b = SUPPORT_SAME_STANCE
    never = "Nobody trained the model to translate, yet it translates between languages."
    data = "The translation skill is learned from bilingual snippets in the web training data."
    vecs = get_encoder().encode([a, b, never, data])
    model = load_model()
    preds = model.predict(
        [a, never],
        [b, data],
        vecs[[0, 2]],
        vecs[[1, 3]],
        [["D3", "D4"], ["D1"]],
        [["D3"], ["D2"]],
        [AFFIRMS, AFFIRMS],  # stances as the store holds them (a researcher's, say)
        [AFFIRMS, DISPUTES],
    )
    assert preds[0].relation == "SUPPORTS" and not preds[0].talking_past, preds[0]
    assert preds[1].talking_past and preds[1].relation != "SUPPORTS", preds[1]


def test_a_misread_stance_or_a_restatement_makes_no_link() -> None:
    from emlit.evidence.stage import _same_claim, stance_readings_agree

    sceptic = "The sudden jump is a mirage of the metric: with a smooth metric it disappears."
    proponent = "Performance jumps suddenly and unpredictably at a critical scale."
    assert stance_readings_agree(sceptic, DISPUTES) and stance_readings_agree(proponent, AFFIRMS)
    assert not stance_readings_agree(sceptic, AFFIRMS)  # the cues say otherwise
    assert not stance_readings_agree(proponent, DISPUTES)
    assert stance_readings_agree(sceptic, (1.0, 0.0, 0.0))  # a researcher's decision wins
    assert _same_claim("大模型无需精调[15]，即可回答。", "大模型无需精调，即可回答", 0.4)
    assert not _same_claim(sceptic, proponent, 0.6)
