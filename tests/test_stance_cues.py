"""The stance cues' negation scope and the label-free prior estimate (fast: no model)."""

from __future__ import annotations

import numpy as np

from emlit.stance.cues import find_cues
from emlit.stance.train import em_prior, shrunk_bias


def _groups(text: str, lang: str = "en") -> set[str]:
    return {c.group for c in find_cues(text, lang)}


def test_negated_predictability_is_an_affirming_cue_not_a_disputing_one() -> None:
    g = _groups("Where the skill shows up cannot be predicted from the small models alone.")
    assert "unpredictable" in g and "predictable" not in g and "negation" not in g
    assert "predictable" in _groups("Accuracy rises smoothly and predictably with scale.")


def test_not_trained_for_is_the_untrained_cue_not_a_denial() -> None:
    g = _groups("It was never explicitly trained to translate, yet it does.")
    assert "untrained" in g and "negation" not in g
    assert "negation" in _groups("It is not emergent at all.")
    zh = _groups("这种能力并非通过专门训练获得，而是模型自己学会的。", "zh")
    assert "untrained" in zh and "denial" not in zh and "negation" not in zh
    assert "denial" in _groups("这并非涌现，只是指标造成的。", "zh")


def test_definitions_and_conditionals_have_their_own_cues() -> None:
    assert "defined_term" in _groups("Emergent abilities are abilities absent in small models.")
    assert "defined_term" in _groups("涌现能力是指在小模型中不存在的能力。", "zh")
    assert "conditional" in _groups("If the jumps come from the metric, they are not real.")
    assert "conditional" in _groups("如果换一种指标，曲线就会变平滑。", "zh")
    assert "persists" in _groups("The jumps persist even under continuous metrics.")


def test_em_prior_recovers_the_class_balance_of_unlabelled_rows() -> None:
    rng = np.random.default_rng(0)
    true = np.array([0.4, 0.1, 0.5])
    y = rng.choice(3, size=4000, p=true)
    # a classifier calibrated under a balanced prior: it names the true class 70% of the time
    # (each other class 15%) and says 0.7 for the class it names
    other = (y + rng.integers(1, 3, size=len(y))) % 3
    named = np.where(rng.random(len(y)) < 0.7, y, other)
    probs = np.full((len(y), 3), 0.15)
    probs[np.arange(len(y)), named] = 0.7
    est = em_prior(probs)
    assert abs(est.sum() - 1) < 1e-9
    assert np.abs(est - true).max() < 0.05
    assert np.abs(probs.mean(axis=0) - true).max() > 0.05  # the naive average is biased


def _scores(y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Scores of a classifier calibrated under a balanced prior (as in the test above)."""
    other = (y + rng.integers(1, 3, size=len(y))) % 3
    named = np.where(rng.random(len(y)) < 0.7, y, other)
    probs = np.full((len(y), 3), 0.15)
    probs[np.arange(len(y)), named] = 0.7
    return probs


def test_shrunk_prior_keeps_a_shift_the_documents_agree_on_and_drops_one_they_do_not() -> None:
    rng = np.random.default_rng(1)
    # five documents with the same prior (few disputes): the shift is kept nearly whole
    same = np.concatenate([rng.choice(3, size=400, p=[0.4, 0.1, 0.5]) for _ in range(5)])
    docs = np.repeat(np.arange(5), 400)
    prior, bias, factor = shrunk_bias(_scores(same, rng), docs)
    assert prior[1] < 0.2 and bias[1] < -0.8 and factor[1] > 0.9
    # five documents that disagree (one mostly disputes, four with none): the disputes shift is
    # noisy across documents and shrinks toward the balanced prior
    mixes = [[0.1, 0.8, 0.1]] + [[0.5, 0.0, 0.5]] * 4
    mixed = np.concatenate([rng.choice(3, size=400, p=p) for p in mixes])
    prior, bias, factor = shrunk_bias(_scores(mixed, rng), docs)
    raw = np.log(prior * 3)
    assert factor[1] < 0.8 and abs(bias[1]) < abs(raw[1])
    # one document: no spread between documents can be measured, so no shift is applied
    _, bias, factor = shrunk_bias(_scores(same[:400], rng), docs[:400])
    assert not bias.any() and not factor.any()
