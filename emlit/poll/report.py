"""Reports of a poll: Markdown, self-contained HTML (inline SVG charts), JSON and CSV.

The numbers come from emlit.poll.stats; the words (the methods paragraph) and the published
reference are added here, where the report is assembled (``report_results``).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
from pathlib import Path
from typing import Any

from emlit.errors import EmlitError
from emlit.paths import survey_dir
from emlit.poll import store as polls
from emlit.poll.stats import BOOTSTRAP_REPS, poll_results
from emlit.store import Store
from emlit.vocab import VOTE_PHASES

FORMATS = ("md", "html", "json", "csv")
PHASE_NAMES = {"pre": "Before the talk", "post": "After the talk"}


def render(store: Store, poll_id: str, fmt: str) -> str:
    if fmt not in FORMATS:
        raise EmlitError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return to_csv(store, poll_id)
    results = report_results(store, poll_id)
    if fmt == "json":
        return json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return to_markdown(results)
    return to_html(results)


def report_results(store: Store, poll_id: str) -> dict[str, Any]:
    """The statistics with the methods paragraph and the reference comparison: the json report.

    Keys keep their order (statistics, then ``methods``, then ``reference``), so the json
    report reads the same as it always has.
    """
    results = poll_results(store, poll_id)
    results["methods"] = methods_paragraph(results)
    results["reference"] = compare_reference(results)
    return results


def render_pool(store: Store, poll_ids: list[str], fmt: str) -> str:
    """Several talks pooled (emlit.poll.stats.pool_results) as JSON or Markdown."""
    from emlit.poll.stats import pool_results

    if len(set(poll_ids)) != len(poll_ids):
        raise EmlitError("POLL: a poll is named twice; each talk counts once")
    pooled = pool_results(store, poll_ids)
    if fmt == "json":
        return json.dumps(pooled, ensure_ascii=False, indent=2) + "\n"
    lines = ["# Pooled polls", ""]
    lines += [f"- `{pid}`: {_md(title)}" for pid, title in pooled["titles"].items()]
    for phase in VOTE_PHASES:
        for qid, s in pooled["phases"][phase].items():
            if not s["n"]:
                continue
            lines += ["", f"## {PHASE_NAMES[phase]}: `{qid}` (n = {s['n']})", ""]
            opts = list(s["counts"])
            lines += [
                "| talk | n | " + " | ".join(opts) + " |",
                "| --- | ---: |" + " ---: |" * len(opts),
            ]
            for pid, t in s["by_poll"].items():
                lines.append(
                    f"| `{pid}` | {t['n']} | "
                    + " | ".join(_pct(t["share"][o]) for o in opts)
                    + " |"
                )
            lines.append(
                f"| **pooled** | {s['n']} | "
                + " | ".join(f"{_pct(s['share'][o])} ({_ci(s['ci95'][o])})" for o in opts)
                + " |"
            )
            h = s["homogeneity"]
            if h:
                lines += [
                    "",
                    f"Do the talks differ? Pearson χ² = {h['chi2']} (df {h['df']}), p = {h['p_value']}.",
                ]
            if s["wording_differs"]:
                lines += ["", "**Note:** the question's wording differs between these polls."]
    return "\n".join(lines) + "\n"


# -- methods ----------------------------------------------------------------------------------


def methods_paragraph(result: dict[str, Any]) -> str:
    """A methods paragraph stating n, the intervals and the tests used."""
    pre, post = result["phases"]["pre"], result["phases"]["post"]
    drop = result["dropout"]
    parts = [
        f"Answers were collected anonymously on the audience's phones with emlit "
        f"(poll {result['poll']}, questionnaire '{result['template']}'); each device kept a random "
        f"voter token so that answers given before and after the talk could be paired, and a "
        f"repeated answer replaced the earlier one. {pre['voters']} people answered before the talk "
        f"and {post['voters']} after it ({drop['paired']} answered both; drop-out "
        f"{_pct_or_na(drop['dropout_rate'])} of the pre-talk voters).",
        "Shares are given with Wilson score 95% intervals.",
    ]
    if any(t["n_paired"] for t in result["transitions"].values()):
        parts.append(
            "Pre-to-post changes are reported as transition matrices on paired voters, tested with "
            "the exact McNemar test (the 'agree' answer against all others), Bowker's test of "
            "symmetry and the Stuart-Maxwell test of marginal homogeneity."
        )
    if any(g and g.get("consensus_pct", {}).get("ci95_bootstrap") for g in result["gap"].values()):
        parts.append(
            f"The gap between the predicted share of colleagues who agree and the actual share was "
            f"computed on respondents who answered both questions, with a percentile bootstrap "
            f"interval ({BOOTSTRAP_REPS} resamples of respondents)."
        )
    return " ".join(parts)


def _pct_or_na(x: float | None) -> str:
    """A share in running prose: "n/a" where a table cell would show a dash."""
    return "n/a" if x is None else f"{100 * x:.1f}%"


# -- reference (seed 003) ---------------------------------------------------------------------


def load_reference(name: str = "rogers2024") -> dict[str, Any]:
    path = survey_dir() / "reference" / f"{name}.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EmlitError(f"{path}: cannot read reference results: {exc}") from None
    return data


def compare_reference(results: dict[str, Any], name: str = "rogers2024") -> dict[str, Any] | None:
    """This talk's headline shares beside the published ones (emergence template only)."""
    if results.get("template") != "emergence":
        return None
    ref = load_reference(name)["published"]
    pre = results["phases"]["pre"]["questions"]
    moved = results["transitions"].get("belief", {}).get("moved_from", {}).get("agree", {})
    rows = []
    for qid, label in (("belief", "agree themselves"), ("consensus", "think most others agree")):
        here = pre.get(qid, {})
        rows.append(
            {
                "what": label,
                "question": qid,
                "this_talk": {
                    "n": here.get("n", 0),
                    "share": (here.get("share") or {}).get("agree"),
                    "ci95": (here.get("ci95") or {}).get("agree"),
                },
                "reference": {"n": ref[qid]["n"], "share": ref[qid]["share"]["agree"]},
            }
        )
    for to, key in (("disagree", "to_disagree"), ("unsure", "to_unsure")):
        rows.append(
            {
                "what": f"first agreed, then {to}",
                "question": "belief",
                "this_talk": {"n": moved.get("n", 0), "share": (moved.get("share") or {}).get(to)},
                "reference": {
                    "n": ref["post_belief"]["n"],
                    "share": ref["post_belief"]["moved_from_agree"][key],
                },
            }
        )
    return {"name": name, "rows": rows}


# -- CSV --------------------------------------------------------------------------------------


def pseudonym(salt: str, voter: str) -> str:
    """A stable per-poll pseudonym: the device token itself is never exported."""
    return "v" + hashlib.sha256(f"{salt}:{voter}".encode()).hexdigest()[:12]


def to_csv(store: Store, poll_id: str) -> str:
    poll = polls.get_poll(store, poll_id)
    hashes = {q.id: q.wording_sha256() for q in poll.questionnaire.questions}
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["poll", "voter", "phase", "question", "answer", "answered_at", "question_sha256"])
    for voter, phase, question, answer, at in polls.votes(store, poll_id):
        out.writerow(
            [
                poll.id,
                pseudonym(poll.voter_salt, voter),
                phase,
                question,
                _csv_safe(answer),
                at,
                hashes.get(question, ""),
            ]
        )
    return buf.getvalue()


def _csv_safe(text: str) -> str:
    """Free text that starts like a formula is prefixed so spreadsheets do not run it."""
    return (
        "'" + text
        if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text)
        else text
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# -- Markdown ---------------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _ci(ci: list[float] | None) -> str:
    return "–" if not ci else f"{100 * ci[0]:.1f}–{100 * ci[1]:.1f}%"


def _pts(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:+.1f} points"


def _pts_ci(ci: list[float] | None) -> str:
    return "–" if not ci else f"{100 * ci[0]:+.1f} to {100 * ci[1]:+.1f} points"


def _md(text: Any) -> str:
    """Free text in a Markdown table cell: HTML-escaped, no pipes or newlines."""
    return html.escape(str(text)).replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def to_markdown(r: dict[str, Any]) -> str:
    lines = [
        f"# Poll report: {_md(r['title'])}",
        "",
        f"Poll `{r['poll']}`, questionnaire `{r['template']}`, phase now: {r['phase']}.",
        "",
    ]
    texts = {q["id"]: q["text"].get("en") or next(iter(q["text"].values())) for q in r["questions"]}
    for phase in VOTE_PHASES:
        body = r["phases"][phase]
        if not body["voters"]:
            continue
        lines += [f"## {PHASE_NAMES[phase]} ({body['voters']} voters)", ""]
        for qid, s in body["questions"].items():
            if not s["n"]:
                continue
            lines += [f"### {_md(texts[qid])} (`{qid}`, n = {s['n']})", ""]
            if "counts" in s:
                lines += [
                    "| answer | count | share | Wilson 95% CI |",
                    "| --- | ---: | ---: | --- |",
                ]
                lines += [
                    f"| {o} | {c} | {_pct(s['share'][o])} | {_ci(s['ci95'][o])} |"
                    for o, c in s["counts"].items()
                ]
            elif "mean" in s:
                lines.append(
                    f"mean {s['mean']}, median {s['median']}, sd {s['sd']}, 95% CI of the mean {s['ci95_mean']}"
                )
            else:
                lines += [f"- {_md(a)}" for a in s["answers"]] or ["(no answers)"]
            lines.append("")
        gap = r["gap"].get(phase) or {}
        if gap.get("consensus") and gap["consensus"]["n_same_respondents"]:
            g = gap["consensus"]
            lines += [
                "**Own belief versus perceived consensus** (same respondents, n = "
                f"{g['n_same_respondents']}): {_pct(g['own_share'])} agree themselves ({_ci(g['own_ci95'])}), "
                f"{_pct(g['perceived_share'])} think most others agree ({_ci(g['perceived_ci95'])}); "
                f"exact McNemar p = {g['mcnemar_p_value']}.",
                "",
            ]
        pct = gap.get("consensus_pct") or {}
        if pct.get("n_same_respondents"):
            lines += [
                f"**Predicted versus actual share agreeing** (n = {pct['n_same_respondents']}): predicted "
                f"{_pct(pct['mean_predicted'])}, actual {_pct(pct['actual'])}, gap {_pts(pct['gap'])} "
                f"(bootstrap 95% CI {_pts_ci(pct['ci95_bootstrap'])}).",
                "",
            ]
        sp = r["surprisingly_popular"].get(phase)
        if sp:
            lines += [
                "**Surprisingly popular** (actual minus predicted share): "
                + ", ".join(
                    f"{o} {100 * v['difference']:+.1f} pts" for o, v in sp["by_option"].items()
                )
                + (f"; surprisingly popular answer: **{sp['answer']}**." if sp["answer"] else "."),
                "",
            ]
    for qid, t in r["transitions"].items():
        if not t["n_paired"]:
            continue
        opts = t["options"]
        lines += [
            f"## Before → after: `{qid}` ({t['n_paired']} paired voters)",
            "",
            "| before \\ after | " + " | ".join(opts) + " | moved |",
            "| --- |" + " ---: |" * (len(opts) + 1),
        ]
        for a in opts:
            lines.append(
                f"| {a} | "
                + " | ".join(str(t["matrix"][a][b]) for b in opts)
                + f" | {_pct(t['moved_from'][a]['moved'])} |"
            )
        tests = []
        if t["mcnemar"]:
            tests.append(
                f"exact McNemar ({t['mcnemar']['positive']} vs other) p = {t['mcnemar']['p_value']}"
            )
        for key, name in (("bowker", "Bowker symmetry"), ("stuart_maxwell", "Stuart–Maxwell")):
            if t.get(key):
                tests.append(
                    f"{name} χ² = {t[key]['statistic']} (df {t[key]['df']}), p = {t[key]['p_value']}"
                )
        lines += ["", "; ".join(tests) + ".", ""]
    d = r["dropout"]
    lines += [
        f"**Drop-out:** {d['pre_voters']} voted before, {d['post_voters']} after, {d['paired']} both; "
        f"{d['dropped']} did not vote again ({_pct(d['dropout_rate'])}), {d['new_in_post']} only voted after.",
        "",
    ]
    if r.get("reference"):
        lines += [
            "## Compared with Rogers (2024)",
            "",
            "| | this talk | Rogers 2024 |",
            "| --- | --- | --- |",
        ]
        for row in r["reference"]["rows"]:
            here, ref = row["this_talk"], row["reference"]
            lines.append(
                f"| {row['what']} | {_pct(here['share'])} (n = {here['n']}) | {_pct(ref['share'])} (n = {ref['n']}) |"
            )
        lines.append("")
    lines += ["## Methods", "", r["methods"], ""]
    return "\n".join(lines)


# -- HTML -------------------------------------------------------------------------------------


def svg_bars(summary: dict[str, Any], title: str) -> str:
    """A horizontal bar chart with Wilson intervals, as inline SVG (no scripts, no fonts)."""
    options = list(summary["counts"])
    row_h, left, width = 34, 120, 420
    height = 30 + row_h * len(options)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {left + width + 130} {height}" role="img" '
        f'aria-label="{html.escape(title, quote=True)}" width="{left + width + 130}" height="{height}">'
    ]
    for i, o in enumerate(options):
        y = 20 + i * row_h
        share = summary["share"][o] or 0
        parts.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="14">{html.escape(o)}</text>'
        )
        parts.append(f'<rect x="{left}" y="{y}" width="{width}" height="24" fill="#eee"/>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{width * share:.1f}" height="24" fill="#0b57d0"/>'
        )
        ci = summary["ci95"][o]
        if ci:
            parts.append(
                f'<line x1="{left + width * ci[0]:.1f}" x2="{left + width * ci[1]:.1f}" y1="{y + 12}" y2="{y + 12}" stroke="#111" stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{left + width + 8}" y="{y + 17}" font-size="14">{_pct(summary["share"][o])} ({summary["counts"][o]})</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def to_html(r: dict[str, Any]) -> str:
    from markdown_it import MarkdownIt

    charts = []
    texts = {q["id"]: q["text"].get("en") or next(iter(q["text"].values())) for q in r["questions"]}
    for phase in VOTE_PHASES:
        for qid, s in r["phases"][phase]["questions"].items():
            if "counts" in s and s["n"]:
                title = f"{PHASE_NAMES[phase]}: {texts[qid]} (n = {s['n']})"
                charts.append(
                    f"<figure>{svg_bars(s, title)}<figcaption>{html.escape(title)}</figcaption></figure>"
                )
    # The Markdown escapes every free text itself; html=False keeps any stray markup inert.
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(to_markdown(r))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(r['title'])}</title>"
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}"
        "figure{margin:1rem 0}figcaption{color:#444;font-size:.9rem}</style></head><body>\n"
        + body
        + "\n<h2>Charts</h2>\n"
        + "\n".join(charts)
        + "\n</body></html>\n"
    )


def write(text: str, out: str | None) -> None:
    if out in (None, "-"):
        print(text, end="")
        return
    assert out is not None
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise EmlitError(f"{out}: cannot write report: {exc.strerror}") from None
