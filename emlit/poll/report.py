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
import re
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


CHART_MARK = "@@emlit-chart {phase} {what}@@"  # where to_html puts a chart (own paragraph)


def to_markdown(r: dict[str, Any], *, chart_marks: bool = False) -> str:
    """The Markdown report; ``chart_marks`` adds a placeholder paragraph after each question
    and after the own-belief-versus-consensus paragraph, which to_html fills with a chart."""

    def mark(phase: str, what: str) -> list[str]:
        return [CHART_MARK.format(phase=phase, what=what), ""] if chart_marks else []

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
            if "counts" in s or s.get("histogram"):
                lines += mark(phase, qid)
        gap = r["gap"].get(phase) or {}
        if gap.get("consensus") and gap["consensus"]["n_same_respondents"]:
            g = gap["consensus"]
            lines += [
                "**Own belief versus perceived consensus** (same respondents, n = "
                f"{g['n_same_respondents']}): {_pct(g['own_share'])} agree themselves ({_ci(g['own_ci95'])}), "
                f"{_pct(g['perceived_share'])} think most others agree ({_ci(g['perceived_ci95'])}); "
                f"exact McNemar p = {g['mcnemar_p_value']}.",
                "",
                *mark(phase, "gap"),
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


SVG_NS = "http://www.w3.org/2000/svg"
SERIES_COLOURS = ("#0b57d0", "#c45500")  # before / after, own / perceived


def _svg_open(width: int, height: int, title: str) -> str:
    t = html.escape(title, quote=True)
    return (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{t}"><title>{html.escape(title)}</title>'
        "<style>text{font:13px system-ui,sans-serif;fill:#111}.m{fill:#555;font-size:11px}"
        ".v{font-weight:600}</style>"
    )


def svg_bars(
    summary: dict[str, Any] | list[tuple[str, dict[str, Any]]],
    title: str,
    labels: dict[str, str] | None = None,
) -> str:
    """Horizontal bars with Wilson 95% intervals as error bars, as inline SVG (no scripts, no
    external fonts). ``summary`` is one choice summary, or (name, summary) series to compare
    (drawn as grouped bars with a legend)."""
    series = summary if isinstance(summary, list) else [("", summary)]
    options = list(series[0][1]["counts"])
    labels = labels or {}
    names = [labels.get(o, o) for o in options]
    left = min(260, 24 + 7 * max(len(n) for n in names))
    width, plot = left + 470, 360
    bar_h, gap = 16, 12
    group = bar_h * len(series) + gap
    top = 10 + (22 if len(series) > 1 else 0)
    height = top + group * len(options) + 28
    parts = [_svg_open(width, height, title)]
    if len(series) > 1:
        lx = left
        for i, (name, s) in enumerate(series):
            parts.append(
                f'<rect x="{lx}" y="6" width="12" height="12" fill="{SERIES_COLOURS[i % 2]}"/>'
                f'<text x="{lx + 17}" y="16">{html.escape(name)} (n = {s["n"]})</text>'
            )
            lx += 30 + 8 * len(name) + 60
    for tick in (0, 25, 50, 75, 100):
        x = left + plot * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 22}" stroke="#ddd"/>'
            f'<text class="m" x="{x:.1f}" y="{height - 8}" text-anchor="middle">{tick}%</text>'
        )
    for j, (o, name) in enumerate(zip(options, names, strict=True)):
        y0 = top + j * group
        parts.append(
            f'<text x="{left - 8}" y="{y0 + group / 2 - 1:.1f}" text-anchor="end" '
            f'dominant-baseline="middle">{html.escape(name)}</text>'
        )
        for i, (_, s) in enumerate(series):
            y = y0 + i * bar_h
            share = (s["share"].get(o) or 0) if s["n"] else 0
            parts.append(
                f'<rect x="{left}" y="{y}" width="{plot * share:.1f}" height="{bar_h - 3}" '
                f'fill="{SERIES_COLOURS[i % 2]}"/>'
            )
            ci = s["ci95"].get(o) if s["n"] else None
            end = left + plot * share
            if ci:
                x1, x2, ym = left + plot * ci[0], left + plot * ci[1], y + (bar_h - 3) / 2
                end = max(end, x2)
                parts.append(
                    f'<path d="M{x1:.1f} {ym:.1f}H{x2:.1f}M{x1:.1f} {ym - 4:.1f}V{ym + 4:.1f}'
                    f'M{x2:.1f} {ym - 4:.1f}V{ym + 4:.1f}" stroke="#111" stroke-width="1.5" fill="none"/>'
                )
            value = f"{_pct(s['share'].get(o))} ({s['counts'][o]})" if s["n"] else "–"
            parts.append(
                f'<text class="v" x="{end + 6:.1f}" y="{y + bar_h / 2 + 2:.1f}" '
                f'dominant-baseline="middle">{value}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def svg_histogram(summary: dict[str, Any], title: str, markers: list[tuple[str, float]]) -> str:
    """A number question's histogram (counts per bin) with vertical markers, inline SVG."""
    hist = summary["histogram"]
    edges, counts = hist["edges"], hist["counts"]
    width, left, plot_w, plot_h, top = 620, 40, 560, 170, 26
    height = top + plot_h + 40
    lo, hi = edges[0], edges[-1]
    most = max(max(counts), 1)
    bw = plot_w / len(counts)
    parts = [_svg_open(width, height, title)]
    for i, c in enumerate(counts):
        h = plot_h * c / most
        x = left + i * bw
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{top + plot_h - h:.1f}" width="{bw - 4:.1f}" '
            f'height="{h:.1f}" fill="{SERIES_COLOURS[0]}"/>'
            f'<text class="m" x="{x + bw / 2:.1f}" y="{top + plot_h - h - 4:.1f}" '
            f'text-anchor="middle">{c}</text>'
            f'<text class="m" x="{x + bw / 2:.1f}" y="{top + plot_h + 16:.1f}" '
            f'text-anchor="middle">{edges[i]:g}–{edges[i + 1]:g}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#111"/>'
    )
    for k, (name, value) in enumerate(markers):
        x = left + plot_w * (min(max(value, lo), hi) - lo) / (hi - lo or 1)
        colour = ("#b06000", SERIES_COLOURS[1])[k % 2]
        anchor = "end" if x > left + plot_w * 0.6 else "start"
        dx = -4 if anchor == "end" else 4
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{top + plot_h}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{"5 3" if k == 0 else "none"}"/>'
            f'<text class="v" x="{x + dx:.1f}" y="{top - 10 + 14 * k:.1f}" text-anchor="{anchor}">'
            f"{html.escape(name)}</text>"
        )
    parts.append(f'<text class="m" x="{left + plot_w / 2}" y="{height - 4}" text-anchor="middle">')
    parts.append(f"answers (n = {summary['n']})</text></svg>")
    return "".join(parts)


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>"


def html_charts(r: dict[str, Any]) -> dict[str, str]:
    """The inline SVG charts of the HTML report, by the placeholder they replace."""
    texts = {q["id"]: q["text"].get("en") or next(iter(q["text"].values())) for q in r["questions"]}
    out: dict[str, str] = {}
    for phase in VOTE_PHASES:
        for qid, s in r["phases"][phase]["questions"].items():
            if not s["n"]:
                continue
            key = CHART_MARK.format(phase=phase, what=qid)
            title = f"{PHASE_NAMES[phase]}: {texts[qid]} (n = {s['n']})"
            caption = title + ("; whiskers: Wilson 95% intervals" if "counts" in s else "")
            if "counts" in s:
                out[key] = _figure(svg_bars(s, title), caption)
            elif s.get("histogram"):
                gap = (r["gap"].get(phase) or {}).get("consensus_pct") or {}
                markers = [("mean " + format(s["mean"], ".3g"), float(s["mean"]))]
                # contract 5 fixes the id of the predicted-share question
                if qid == "consensus_pct" and gap.get("n_same_respondents"):
                    markers = [
                        (
                            f"mean predicted {_pct(gap['mean_predicted'])}",
                            100 * gap["mean_predicted"],
                        ),
                        (f"actual {_pct(gap['actual'])}", 100 * gap["actual"]),
                    ]
                out[key] = _figure(svg_histogram(s, title, markers), caption)
        g = (r["gap"].get(phase) or {}).get("consensus") or {}
        if g.get("n_same_respondents"):
            n = g["n_same_respondents"]
            own = {
                "n": n,
                "counts": {"agree": round(g["own_share"] * n)},
                "share": {"agree": g["own_share"]},
                "ci95": {"agree": g["own_ci95"]},
            }
            per = {
                "n": n,
                "counts": {"agree": round(g["perceived_share"] * n)},
                "share": {"agree": g["perceived_share"]},
                "ci95": {"agree": g["perceived_ci95"]},
            }
            title = f"{PHASE_NAMES[phase]}: agree themselves versus think most others agree (same {n} people)"
            out[CHART_MARK.format(phase=phase, what="gap")] = _figure(
                svg_bars(
                    [("agree themselves", own), ("think most others agree", per)],
                    title,
                    {"agree": "agree"},
                ),
                title + "; whiskers: Wilson 95% intervals",
            )
    return out


PRINT_CSS = (
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt;color:#000}"
    "h1,h2,h3{break-after:avoid}figure,table,svg{break-inside:avoid}"
    "svg{max-width:100%;height:auto}figcaption{color:#333}"
    "a{color:inherit;text-decoration:none}.noprint{display:none}}"
    "@page{size:A4;margin:16mm 15mm}"
)


def to_html(r: dict[str, Any]) -> str:
    from markdown_it import MarkdownIt

    # The Markdown escapes every free text itself; html=False keeps any stray markup inert.
    body = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .render(to_markdown(r, chart_marks=True))
    )
    charts = html_charts(r)
    for key, figure in charts.items():
        body = body.replace(f"<p>{html.escape(key)}</p>", figure)
    body = re.sub(r"<p>@@emlit-chart [^<]*@@</p>\n?", "", body)  # nothing to draw
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(r['title'])}</title>"
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}"
        "figure{margin:1rem 0}figure svg{max-width:100%;height:auto}"
        "figcaption{color:#444;font-size:.9rem}"
        + PRINT_CSS
        + "</style></head><body>\n"
        + body
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
