"""The stance model on clear cases (our own sentences, English and Chinese), contract 9 in
``emlit tag``, and stance inside the ingest tag stage (cached, human decisions kept)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from emlit.cli.main import cli
from emlit.models import Claim, ParsedDocument
from emlit.stance.model import get_stance_model, stance_version
from emlit.store import Store
from emlit.vocab import STANCES

pytestmark = pytest.mark.slow

CLEAR = [
    (
        "The sudden jumps are a mirage of the metric: scored with a continuous measure, "
        "accuracy improves smoothly and predictably with scale.",
        "en",
        "disputes",
    ),
    (
        "It is just in-context learning plus memorisation of the training data, nothing "
        "more than that.",
        "en",
        "disputes",
    ),
    (
        "Nobody trained the model for arithmetic, yet once it passed a critical size the "
        "ability suddenly appeared.",
        "en",
        "affirms",
    ),
    (
        "In this survey, an ability is called emergent if it is absent in smaller models "
        "and present in larger ones.",
        "en",
        "neutral",
    ),
    (
        "所谓的涌现只是评价指标造成的海市蜃楼，换成连续指标后，性能随规模平滑、可预测地提升。",
        "zh",
        "disputes",
    ),
    ("模型规模超过临界点之后，多步推理能力突然出现，而小模型完全没有这种能力。", "zh", "affirms"),
    ("本文把涌现能力定义为在小模型中不存在、但在大模型中出现的能力。", "zh", "neutral"),
]


# Clear cases of the kinds the first model got wrong (docs/stance.md, "What fails"): a metric
# artefact named as such, affirmations phrased with a negation, definitions that borrow one
# side's vocabulary. Our own sentences; none is in the training rows.
HARDER = [
    (
        "The emergent jump on multi-digit addition is a metric artefact: scored by token edit "
        "distance instead of exact match, the same outputs improve smoothly with size.",
        "en",
        "disputes",
    ),
    (
        "Emergent abilities are defined as abilities that are absent in small models and "
        "appear once a model passes a certain scale.",
        "en",
        "neutral",
    ),
    (
        "Multi-step arithmetic could not have been foreseen from the small models: it stays "
        "at chance below a hundred billion parameters and then appears abruptly.",
        "en",
        "affirms",
    ),
    (
        "这种“涌现”其实是指标选择造成的海市蜃楼：改用逐词评分后，曲线随规模平滑上升。",
        "zh",
        "disputes",
    ),
    ("涌现能力是指在小模型中不存在、而在大模型中出现的能力。", "zh", "neutral"),
    ("没有人专门训练模型做三位数加法，但规模超过临界点之后，它突然就会了。", "zh", "affirms"),
]


def test_harder_clear_cases_in_both_languages() -> None:
    model = get_stance_model()
    results = model.predict([t for t, _, _ in HARDER], [lang for _, lang, _ in HARDER])
    assert [r.stance for r in results] == [s for _, _, s in HARDER]
    # the deciding cue of the artefact sentence names the artefact group
    assert results[0].explain["cue"] and "artefact" in results[0].explain["cue"]


def test_the_real_writing_prior_shifts_the_scores_and_favours_no_stance_less() -> None:
    """The prior (fewer disputes in real writing) is applied by default and can be left out."""
    model = get_stance_model()
    text = ["Some say the jumps are real, others that they are not; the question is open."]
    with_prior = model.predict(text, ["en"])[0].scores
    without = model.predict(text, ["en"], prior=False)[0].scores
    assert with_prior != without
    bias = model.weights.prior_bias
    assert bias is not None and bias[STANCES.index("disputes")] < 0
    assert with_prior["disputes"] / with_prior["neutral"] < without["disputes"] / without["neutral"]


def test_clear_cases_in_both_languages_with_calibrated_scores_and_reasons() -> None:
    model = get_stance_model()
    results = model.predict([t for t, _, _ in CLEAR], [lang for _, lang, _ in CLEAR])
    assert [r.stance for r in results] == [s for _, _, s in CLEAR]
    for r in results:
        assert set(r.scores) == set(STANCES)
        assert abs(sum(r.scores.values()) - 1) < 1e-3 and r.scores[r.stance] == max(
            r.scores.values()
        )
        assert r.explain["model"] == stance_version() and len(r.explain["nearest"]) == 3
        assert {"id", "text", "stance", "similarity"} <= set(r.explain["nearest"][0])
    assert "mirage" in results[0].explain["cue"] and "artefact" in results[0].explain["cue"]
    assert any(c["text"] == "海市蜃楼" for c in results[4].explain["cues"])


def test_emlit_tag_lines_gain_stance_and_its_scores(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [
        json.dumps({"id": f"s{i}", "text": t, "lang": lang}) for i, (t, lang, _) in enumerate(CLEAR)
    ]
    src.write_text("\n".join([*lines, "not json"]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["tag", "--in", str(src), "--out", str(dst), "--explain"], catch_exceptions=False
    )
    assert result.exit_code == 1  # the bad line
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [o["stance"] for o in out[:-1]] == [s for _, _, s in CLEAR]
    for o in out[:-1]:
        assert set(o["stance_scores"]) == set(STANCES)
        assert abs(sum(o["stance_scores"].values()) - 1) < 1e-3
        assert "cues" in o["stance_explain"] and "labels" in o and "scores" in o
    assert "stance" not in out[-1] and "error" in out[-1]


def _store_with_claims(path: Path) -> Store:
    store = Store(path)
    text = " ".join(t for t, _, _ in CLEAR[:4])
    claims, at = [], 0
    for i, (t, lang, _) in enumerate(CLEAR[:4]):
        start = text.index(t, at)
        claims.append(Claim(f"k{i}", t, lang, start, start + len(t), None, None))
        at = start + len(t)
    doc = ParsedDocument(path="n.md", format="markdown", text=text, blocks=[], title="n")
    store.save_document(doc, path="/n.md", display_path="n.md", content_hash="h", claims=claims)
    return store


def test_the_tag_stage_stores_stance_cached_and_keeps_human_decisions(tmp_path: Path) -> None:
    from emlit.tagging.stage import tag_claims

    with _store_with_claims(tmp_path / "t.db") as store:
        store.set_human_stance("k0", "neutral")  # the researcher disagrees with the model
        tag_claims(store, ["k0", "k1", "k2", "k3"], lambda n: None)
        rows = {cid: store.stances(cid) for cid in ("k0", "k1", "k2", "k3")}
        assert store.stances_for(["k0", "k1", "k2", "k3"]) == {
            "k0": "neutral",
            "k1": "disputes",
            "k2": "affirms",
            "k3": "neutral",
        }
        assert rows["k0"][0]["provenance"] == "human" and rows["k0"][1]["stance"] == "disputes"
        machine = rows["k2"][0]
        assert machine["model"] == stance_version() and machine["provenance"] == "model"
        assert abs(sum(machine["scores"].values()) - 1) < 1e-3 and machine["explanation"]["cues"]
        encoder = get_stance_model().encoder
        calls = encoder.encode_calls
        tag_claims(store, ["k0", "k1", "k2", "k3"], lambda n: None)  # cached: no encoding
        assert encoder.encode_calls == calls
        assert store.stances_for(["k0"]) == {"k0": "neutral"}
