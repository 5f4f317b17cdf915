"""The statistics of a poll (core: no web imports). ``poll_results`` is the public entry point.

``poll_results(store, poll_id)`` returns the numbers that ``emlit poll report --format json``
writes (contract 5) and that the projector page and the TUI show; the report module adds the
prose (the methods paragraph) and the published reference. ``analyse`` does the same from
plain data, ``pool_results`` pools the same question over several polls (talks).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from emlit.poll.templates import Question, Questionnaire
from emlit.vocab import VOTE_PHASES

if TYPE_CHECKING:
    from emlit.store import Store

BOOTSTRAP_REPS = 2000
DIGITS = 4

Row = tuple[str, str, str, str, str]  # voter, phase, question, answer, answered_at


def poll_results(
    store: Store, poll_id: str, *, seed: int = 0, reps: int = BOOTSTRAP_REPS
) -> dict[str, Any]:
    """Everything about one poll as a JSON-ready dict (the json report, contract 5).

    ``reps`` bootstrap resamples (the live projector asks for fewer, to stay quick)."""
    from emlit.poll import store as polls

    poll = polls.get_poll(store, poll_id)
    result = analyse(poll.questionnaire, polls.votes(store, poll_id), seed=seed, reps=reps)
    log = polls.phase_log(store, poll_id)
    head = {
        "poll": poll.id,
        "title": poll.title,
        "template": poll.template,
        "phase": poll.phase,
        "source": poll.source,
        "created_at": poll.created_at,
        "phase_log": [{"phase": p, "at": at} for p, at in log],
    }
    return {**head, **result}


def analyse(
    questionnaire: Questionnaire,
    rows: Iterable[Row],
    *,
    seed: int = 0,
    reps: int = BOOTSTRAP_REPS,
) -> dict[str, Any]:
    """Per-phase summaries, transitions, drop-out, belief/consensus gap, surprisingly popular."""
    answers = _by_phase_question(rows)
    phases: dict[str, Any] = {}
    for phase in VOTE_PHASES:
        per_q = answers.get(phase, {})
        voters = set().union(*per_q.values()) if per_q else set()
        phases[phase] = {
            "voters": len(voters),
            "questions": {
                q.id: summarise(q, list(per_q.get(q.id, {}).values()))
                for q in questionnaire.questions
                if phase in q.phases
            },
        }
    transitions = {
        q.id: transition(
            q,
            answers.get("pre", {}).get(q.id, {}),
            answers.get("post", {}).get(q.id, {}),
            questionnaire.analysis.get("positive", "agree"),
        )
        for q in questionnaire.questions
        if q.kind == "choice" and set(VOTE_PHASES) <= set(q.phases)
    }
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "questions": [
            {"id": q.id, "kind": q.kind, "text": q.text, "wording_sha256": q.wording_sha256()}
            for q in questionnaire.questions
        ],
        "phases": phases,
        "transitions": transitions,
        "dropout": dropout(answers),
        "gap": {
            p: belief_gap(questionnaire, answers.get(p, {}), seed=seed, reps=reps)
            for p in VOTE_PHASES
        },
        "surprisingly_popular": {
            p: surprisingly_popular(questionnaire, answers.get(p, {})) for p in VOTE_PHASES
        },
    }


def _by_phase_question(rows: Iterable[Row]) -> dict[str, dict[str, dict[str, str]]]:
    out: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for voter, phase, question, answer, _ in rows:
        out[phase][question][voter] = answer
    return out


# -- one question ------------------------------------------------------------------------


def wilson(count: int, n: int) -> list[float] | None:
    """The Wilson score 95% interval (statsmodels), or None when nobody answered."""
    if n == 0:
        return None
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(count, n, alpha=0.05, method="wilson")
    return [round(float(lo), DIGITS), round(float(hi), DIGITS)]


def choice_summary(options: Sequence[str], answers: Sequence[str]) -> dict[str, Any]:
    counts = Counter(a for a in answers if a in options)
    n = sum(counts.values())
    return {
        "n": n,
        "counts": {o: counts.get(o, 0) for o in options},
        "share": {o: round(counts.get(o, 0) / n, DIGITS) if n else None for o in options},
        "ci95": {o: wilson(counts.get(o, 0), n) for o in options},
    }


def number_summary(answers: Sequence[str], lo: float | None, hi: float | None) -> dict[str, Any]:
    values = np.array([float(a) for a in answers], dtype=float)
    n = len(values)
    out: dict[str, Any] = {"n": n, "mean": None, "sd": None, "median": None, "ci95_mean": None}
    if n:
        out["mean"] = round(float(values.mean()), DIGITS)
        out["median"] = round(float(np.median(values)), DIGITS)
        out["min"], out["max"] = float(values.min()), float(values.max())
    if n >= 2:
        from scipy import stats as st

        sd = float(values.std(ddof=1))
        half = float(st.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
        out["sd"] = round(sd, DIGITS)
        out["ci95_mean"] = [
            round(float(values.mean()) - half, DIGITS),
            round(float(values.mean()) + half, DIGITS),
        ]
    if n and lo is not None and hi is not None:
        edges = np.linspace(lo, hi, 11)
        hist, _ = np.histogram(values, bins=edges)
        out["histogram"] = {
            "edges": [round(float(e), DIGITS) for e in edges],
            "counts": [int(c) for c in hist],
        }
    return out


def summarise(q: Question, answers: Sequence[str]) -> dict[str, Any]:
    if q.kind == "choice":
        return choice_summary(q.option_ids, answers)
    if q.kind == "number":
        return number_summary(answers, q.min, q.max)
    return {"n": len(answers), "answers": sorted(answers)}


# -- pre -> post ---------------------------------------------------------------------------


def transition(
    q: Question, pre: dict[str, str], post: dict[str, str], positive: str
) -> dict[str, Any]:
    """Transition matrix on voters who answered in both phases, with McNemar/Bowker/Stuart-Maxwell."""
    options = q.option_ids
    paired = sorted(set(pre) & set(post))
    matrix = {a: {b: 0 for b in options} for a in options}
    for voter in paired:
        matrix[pre[voter]][post[voter]] += 1
    table = np.array([[matrix[a][b] for b in options] for a in options], dtype=float)
    moved_from = {}
    for a in options:
        row_n = int(table[options.index(a)].sum())
        moved_from[a] = {
            "n": row_n,
            "share": {b: round(matrix[a][b] / row_n, DIGITS) if row_n else None for b in options},
            "moved": round(1 - matrix[a][a] / row_n, DIGITS) if row_n else None,
        }
    out: dict[str, Any] = {
        "n_paired": len(paired),
        "options": options,
        "matrix": matrix,
        "moved_from": moved_from,
        "mcnemar": _mcnemar(options, matrix, positive) if positive in options and paired else None,
    }
    out.update(
        _square_tests(options, table) if paired else {"bowker": None, "stuart_maxwell": None}
    )
    return out


def _mcnemar(
    options: Sequence[str], matrix: dict[str, dict[str, int]], positive: str
) -> dict[str, Any]:
    """Exact McNemar test of `positive` versus every other answer, before and after."""
    from statsmodels.stats.contingency_tables import mcnemar

    others = [o for o in options if o != positive]
    a = matrix[positive][positive]
    b = sum(matrix[positive][o] for o in others)
    c = sum(matrix[o][positive] for o in others)
    d = sum(matrix[o][p] for o in others for p in others)
    res = mcnemar([[a, b], [c, d]], exact=True)
    return {
        "positive": positive,
        "table": [[a, b], [c, d]],
        "statistic": float(res.statistic),
        "p_value": _p(float(res.pvalue)),
        "exact": True,
    }


def _square_tests(options: Sequence[str], table: np.ndarray) -> dict[str, Any]:
    """Bowker symmetry and Stuart-Maxwell marginal homogeneity (statsmodels SquareTable).

    Options nobody chose in either phase are dropped first: they carry no information and
    make the Stuart-Maxwell covariance matrix singular.
    """
    from statsmodels.stats.contingency_tables import SquareTable

    keep = [i for i in range(len(options)) if table[i].sum() + table[:, i].sum() > 0]
    sub = table[np.ix_(keep, keep)]
    out: dict[str, Any] = {
        "bowker": None,
        "stuart_maxwell": None,
        "tested_options": [options[i] for i in keep],
    }
    if len(keep) < 2:
        return out
    square = SquareTable(sub, shift_zeros=False)
    for key, fn in (("bowker", square.symmetry), ("stuart_maxwell", square.homogeneity)):
        try:
            res = fn()
        except (np.linalg.LinAlgError, ValueError, ZeroDivisionError):
            continue
        stat, p = float(res.statistic), float(res.pvalue)
        if math.isfinite(stat) and math.isfinite(p):
            out[key] = {"statistic": round(stat, DIGITS), "df": int(res.df), "p_value": _p(p)}
    return out


def dropout(answers: dict[str, dict[str, dict[str, str]]]) -> dict[str, Any]:
    """How many pre voters answered again after the talk, and how many came only after."""
    pre = set().union(*answers.get("pre", {}).values()) if answers.get("pre") else set()
    post = set().union(*answers.get("post", {}).values()) if answers.get("post") else set()
    paired = pre & post
    return {
        "pre_voters": len(pre),
        "post_voters": len(post),
        "paired": len(paired),
        "dropped": len(pre - post),
        "dropout_rate": round(len(pre - post) / len(pre), DIGITS) if pre else None,
        "ci95_dropout": wilson(len(pre - post), len(pre)),
        "new_in_post": len(post - pre),
    }


# -- own belief versus perceived consensus -------------------------------------------------


def belief_gap(
    q: Questionnaire,
    answers: dict[str, dict[str, str]],
    *,
    seed: int = 0,
    reps: int = BOOTSTRAP_REPS,
) -> dict[str, Any] | None:
    """Own belief against perceived consensus, on the same respondents."""
    b_id, c_id, pct_id = (q.analysis.get(k) for k in ("belief", "consensus", "consensus_pct"))
    positive = q.analysis.get("positive", "agree")
    if not b_id or b_id not in answers:
        return None
    belief = answers[b_id]
    out: dict[str, Any] = {"positive": positive}
    if c_id and c_id in answers:
        both = sorted(set(belief) & set(answers[c_id]))
        n = len(both)
        own = sum(belief[v] == positive for v in both)
        perceived = sum(answers[c_id][v] == positive for v in both)
        from statsmodels.stats.contingency_tables import mcnemar

        yes_no = sum(belief[v] == positive and answers[c_id][v] != positive for v in both)
        no_yes = sum(belief[v] != positive and answers[c_id][v] == positive for v in both)
        out["consensus"] = {
            "n_same_respondents": n,
            "own_share": round(own / n, DIGITS) if n else None,
            "own_ci95": wilson(own, n),
            "perceived_share": round(perceived / n, DIGITS) if n else None,
            "perceived_ci95": wilson(perceived, n),
            "gap": round((perceived - own) / n, DIGITS) if n else None,
            "mcnemar_p_value": _p(float(mcnemar([[0, yes_no], [no_yes, 0]], exact=True).pvalue))
            if n
            else None,
        }
    if pct_id and pct_id in answers:
        both = sorted(set(belief) & set(answers[pct_id]))
        out["consensus_pct"] = pct_gap(
            [belief[v] == positive for v in both],
            [float(answers[pct_id][v]) / 100 for v in both],
            seed=seed,
            reps=reps,
        )
    return out


def pct_gap(
    agree: Sequence[bool],
    predicted: Sequence[float],
    *,
    seed: int = 0,
    reps: int = BOOTSTRAP_REPS,
) -> dict[str, Any]:
    """Mean predicted share minus actual share on the same respondents, bootstrap 95% interval."""
    n = len(agree)
    out: dict[str, Any] = {
        "n_same_respondents": n,
        "mean_predicted": None,
        "actual": None,
        "gap": None,
        "ci95_bootstrap": None,
    }
    if not n:
        return out
    a = np.asarray(agree, dtype=float)
    p = np.asarray(predicted, dtype=float)
    out["mean_predicted"] = round(float(p.mean()), DIGITS)
    out["actual"] = round(float(a.mean()), DIGITS)
    out["gap"] = round(float(p.mean() - a.mean()), DIGITS)
    if n >= 2 and reps > 0:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, n, size=(reps, n))  # resample respondents, keeping pairs
        gaps = p[idx].mean(axis=1) - a[idx].mean(axis=1)
        lo, hi = np.percentile(gaps, [2.5, 97.5])
        out["ci95_bootstrap"] = [round(float(lo), DIGITS), round(float(hi), DIGITS)]
        out["bootstrap_reps"] = reps
        out["bootstrap_seed"] = seed
    return out


def surprisingly_popular(
    q: Questionnaire, answers: dict[str, dict[str, str]]
) -> dict[str, Any] | None:
    """Actual share of each belief minus the share who predicted it to be the majority view.

    The "surprisingly popular" answer (Prelec et al. 2017) is the one whose actual share most
    exceeds its predicted share.
    """
    b_id, c_id = q.analysis.get("belief"), q.analysis.get("consensus")
    if not b_id or not c_id or b_id not in answers or c_id not in answers:
        return None
    question = q.question(b_id)
    if question is None:
        return None
    options = question.option_ids
    actual = choice_summary(options, list(answers[b_id].values()))
    predicted = choice_summary(options, list(answers[c_id].values()))
    if not actual["n"] or not predicted["n"]:
        return None
    by_option = {
        o: {
            "actual": actual["share"][o],
            "predicted": predicted["share"][o],
            "difference": round(actual["share"][o] - predicted["share"][o], DIGITS),
        }
        for o in options
    }
    best = max(options, key=lambda o: by_option[o]["difference"])
    return {"by_option": by_option, "answer": best if by_option[best]["difference"] > 0 else None}


# -- several talks ---------------------------------------------------------------------------


def pool_results(store: Store, poll_ids: Sequence[str]) -> dict[str, Any]:
    """The same questions pooled over several polls, with each talk's own figures beside them."""
    from emlit.poll import store as polls

    per_poll = {pid: poll_results(store, pid) for pid in poll_ids}
    questionnaires = {pid: polls.get_poll(store, pid).questionnaire for pid in poll_ids}
    pooled: dict[str, Any] = {}
    for phase in VOTE_PHASES:
        pooled[phase] = {}
        qids = sorted({qid for r in per_poll.values() for qid in r["phases"][phase]["questions"]})
        for qid in qids:
            qs = [questionnaires[p].question(qid) for p in poll_ids]
            kinds = {q.kind for q in qs if q}
            if kinds != {"choice"}:
                continue
            options = list(dict.fromkeys(o for q in qs if q for o in q.option_ids))
            counts = Counter[str]()
            by_poll = {}
            for pid in poll_ids:
                s = per_poll[pid]["phases"][phase]["questions"].get(qid)
                if not s:
                    continue
                counts.update(s["counts"])
                by_poll[pid] = {"n": s["n"], "counts": s["counts"], "share": s["share"]}
            answers = [o for o, c in counts.items() for _ in range(c)]
            entry = choice_summary(options, answers)
            entry["by_poll"] = by_poll
            entry["wording_differs"] = len({q.wording_sha256() for q in qs if q}) > 1
            entry["homogeneity"] = _chi2_between_polls(options, by_poll)
            pooled[phase][qid] = entry
    return {
        "polls": list(poll_ids),
        "titles": {p: r["title"] for p, r in per_poll.items()},
        "phases": pooled,
    }


def _chi2_between_polls(options: Sequence[str], by_poll: dict[str, Any]) -> dict[str, Any] | None:
    """Do the talks differ? Pearson chi-square on the talks x options table."""
    rows = [[s["counts"].get(o, 0) for o in options] for s in by_poll.values() if s["n"]]
    table = np.array(rows, dtype=float)
    if len(rows) < 2:
        return None
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return None
    from scipy.stats import chi2_contingency

    res = chi2_contingency(table)
    return {
        "chi2": round(float(res.statistic), DIGITS),
        "df": int(res.dof),
        "p_value": _p(float(res.pvalue)),
    }


def _p(p: float) -> float:
    """p-values keep 4 significant digits (rounding to decimals would turn 3e-8 into 0)."""
    return float(f"{p:.4g}")
