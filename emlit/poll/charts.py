"""Slide-ready charts of a poll (PNG or SVG) with matplotlib, imported only when asked for:
``write_chart`` (own belief, perceived consensus and belief after the talk in one chart) and
``write_question_charts`` (one 16:9 slide per question)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from emlit.errors import EmlitError
from emlit.plotfonts import cjk_font_for
from emlit.poll.templates import Question, Questionnaire


def write_chart(results: dict[str, Any], path: str, *, question: str = "belief") -> None:
    """Bars of one question's shares before and after the talk, with Wilson 95% intervals.

    For the emergence template the pre-talk perceived consensus is drawn beside own belief,
    which is the picture the talk is about.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".svg"):
        raise EmlitError(f"{path}: a chart must be .png or .svg")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    series: list[tuple[str, dict[str, Any]]] = []
    pre = results["phases"]["pre"]["questions"]
    post = results["phases"]["post"]["questions"]
    if pre.get(question, {}).get("n"):
        series.append((f"own belief, before (n={pre[question]['n']})", pre[question]))
    if pre.get("consensus", {}).get("n") and question == "belief":
        series.append((f"think most others, before (n={pre['consensus']['n']})", pre["consensus"]))
    if post.get(question, {}).get("n"):
        series.append((f"own belief, after (n={post[question]['n']})", post[question]))
    if not series:
        raise EmlitError(f"question {question!r}: no answers yet, nothing to chart")
    options = list(series[0][1]["counts"])
    x = np.arange(len(options))
    width = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(10, 5.6), dpi=150)
    for i, (label, s) in enumerate(series):
        shares = np.array([s["share"][o] or 0 for o in options]) * 100
        lo = np.array([(s["ci95"][o] or [0, 0])[0] for o in options]) * 100
        hi = np.array([(s["ci95"][o] or [0, 0])[1] for o in options]) * 100
        pos = x + (i - (len(series) - 1) / 2) * width
        ax.bar(pos, shares, width, label=label)
        ax.errorbar(
            pos, shares, yerr=[shares - lo, hi - shares], fmt="none", ecolor="black", capsize=4
        )
    ax.set_xticks(x, options, fontsize=14)
    ax.set_ylabel("share of respondents (%)", fontsize=13)
    ax.set_ylim(0, 100)
    ax.set_title(results["title"], fontsize=15)
    ax.legend(
        fontsize=11,
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.09),
        ncol=len(series),
    )
    ax.spines[["top", "right"]].set_visible(False)
    fig.text(0.99, 0.01, "bars: Wilson 95% intervals", ha="right", fontsize=9, color="#555")
    fig.tight_layout()
    try:
        fig.savefig(path, format=suffix[1:], metadata={"Date": None} if suffix == ".svg" else None)
    except OSError as exc:
        raise EmlitError(f"{path}: cannot write chart: {exc.strerror}") from None
    finally:
        plt.close(fig)


# -- one slide per question ---------------------------------------------------------------

SLIDE_INCHES = (40 / 3, 7.5)  # 16:9
SLIDE_DPI = 144  # 1920 x 1080 pixels
COLOURS = ("#0b57d0", "#c45500")
PHASE_NAMES = {"pre": "before the talk", "post": "after the talk"}


def write_question_charts(
    results: dict[str, Any], questionnaire: Questionnaire, folder: str | Path, fmt: str = "png"
) -> list[Path]:
    """One 16:9 slide per choice or number question (1920 x 1080 as PNG), named
    ``NN-QUESTION.png`` in question order: shares before and after the talk with Wilson
    intervals; for the perceived-consensus question, own belief against perceived consensus
    with the gap as the headline; for a number question, a histogram. Free-text questions
    get none (their answers are not shown on slides)."""
    folder = Path(folder)
    if fmt not in ("png", "svg"):
        raise EmlitError(f"--charts-format: {fmt!r} is not one of png, svg")
    if folder.exists() and not folder.is_dir():
        raise EmlitError(f"{folder}: is a file; --charts takes a folder")
    if not folder.parent.exists():
        raise EmlitError(f"{folder}: folder {folder.parent} does not exist")
    texts = [str(results.get("title", ""))]
    for q in questionnaire.questions:
        texts += [_en(q.text), *(_en(o.label) for o in q.options)]
    cjk = cjk_font_for(texts, folder)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(exist_ok=True)
    rc = {
        "svg.hashsalt": "emlit-poll",
        "svg.fonttype": "none",
        "font.family": ["DejaVu Sans", *([cjk] if cjk else [])],
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    written: list[Path] = []
    with plt.rc_context(cast(Any, rc)):
        for i, q in enumerate(questionnaire.questions, 1):
            if q.kind not in ("choice", "number"):
                continue
            path = folder / f"{i:02d}-{q.id}.{fmt}"
            fig = plt.figure(figsize=SLIDE_INCHES, dpi=SLIDE_DPI)
            try:
                _question_slide(fig, results, questionnaire, q)
                meta: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": None}
                fig.savefig(path, format=fmt, dpi=SLIDE_DPI, metadata=meta)
            except OSError as exc:
                raise EmlitError(f"{path}: cannot write chart: {exc.strerror}") from None
            finally:
                plt.close(fig)
            written.append(path)
    return written


def _en(text: dict[str, str]) -> str:
    return text.get("en") or next(iter(text.values()), "")


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _series(results: dict[str, Any], q: Question) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for phase in ("pre", "post"):
        s = results["phases"][phase]["questions"].get(q.id)
        if s and s.get("n"):
            out.append((f"{PHASE_NAMES[phase]} (n = {s['n']})", s))
    return out


def _question_slide(fig: Any, results: dict[str, Any], qn: Questionnaire, q: Question) -> None:
    analysis = qn.analysis
    title = _wrap(_en(q.text), 55)
    fig.text(0.04, 0.95, title, fontsize=24, fontweight="bold", va="top", linespacing=1.15)
    headline = ""
    series = _series(results, q)
    labels = {o.id: _en(o.label) for o in q.options}
    options = [o.id for o in q.options]
    gap_phase = next(
        (
            p
            for p in ("pre", "post")
            if ((results["gap"].get(p) or {}).get("consensus") or {}).get("n_same_respondents")
        ),
        None,
    )
    if q.id == analysis.get("consensus") and gap_phase and analysis.get("belief"):
        g = results["gap"][gap_phase]["consensus"]
        qs = results["phases"][gap_phase]["questions"]
        belief = qn.question(analysis["belief"])
        if belief is not None:
            labels = {o.id: _en(o.label) for o in belief.options}
            options = [o.id for o in belief.options]
        series = [
            (f"own belief (n = {qs[analysis['belief']]['n']})", qs[analysis["belief"]]),
            (f"think most colleagues believe (n = {qs[q.id]['n']})", qs[q.id]),
        ]
        headline = (
            f"{_pct(g['own_share'])} agree themselves, {_pct(g['perceived_share'])} think most "
            f"colleagues agree: {_pts(g['gap'])} points ({PHASE_NAMES[gap_phase]}, the same "
            f"{g['n_same_respondents']} people)"
        )
    pct = (results["gap"].get("pre") or {}).get("consensus_pct") or {}
    if q.id == analysis.get("consensus_pct") and pct.get("n_same_respondents"):
        ci = pct.get("ci95_bootstrap")
        headline = (
            f"predicted {_pct(pct['mean_predicted'])} agree, actually {_pct(pct['actual'])}: "
            f"{_pts(pct['gap'])} points"
            + (f" (bootstrap 95% CI {_pts(ci[0])} to {_pts(ci[1])})" if ci else "")
        )
    line = 1.15 / 72 / SLIDE_INCHES[1]  # a line of one point, as a fraction of the height
    top = 0.95 - 24 * line * (title.count("\n") + 1)
    if headline:
        headline = _wrap(headline, 80)
        fig.text(0.04, top - 0.015, headline, fontsize=19, color="#b06000", va="top")
        top -= 0.045 + 19 * line * (headline.count("\n") + 1)
    sub = f"{results.get('title', '')} · emlit poll {results.get('poll', '')}"
    fig.text(0.04, 0.025, sub, fontsize=11, color="#555")
    left = 0.08
    if q.kind == "choice":  # room for the longest option label (18 pt, wrapped at 30)
        longest = max(len(ln) for o in options for ln in _wrap(labels.get(o, o), 30).split("\n"))
        left = min(0.42, 0.05 + longest * 0.56 * 18 / 72 / SLIDE_INCHES[0])
    ax = fig.add_axes((left, 0.12, 0.96 - left, top - 0.17))
    if not series:
        ax.axis("off")
        fig.text(0.5, 0.45, "no answers yet", fontsize=22, ha="center", va="center", color="#555")
        return
    if q.kind == "choice":
        _choice_axes(ax, series, options, labels)
        fig.text(
            0.96, 0.025, "whiskers: Wilson 95% intervals", fontsize=11, color="#555", ha="right"
        )
    else:
        markers = []
        if q.id == analysis.get("consensus_pct") and pct.get("n_same_respondents"):
            markers = [
                ("mean predicted", 100 * pct["mean_predicted"], "#b06000", "--"),
                ("actual share agreeing", 100 * pct["actual"], COLOURS[1], "-"),
            ]
        _histogram_axes(ax, series, markers, q.unit)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _pts(x: float) -> str:
    return f"{100 * x:+.0f}"


def _choice_axes(
    ax: Any, series: list[tuple[str, dict[str, Any]]], options: list[str], labels: dict[str, str]
) -> None:
    import numpy as np

    k = len(series)
    height = 0.8 / k
    y = np.arange(len(options))
    for i, (name, s) in enumerate(series):
        shares = np.array([(s["share"].get(o) or 0) for o in options]) * 100
        lo = np.array([(s["ci95"].get(o) or [0, 0])[0] for o in options]) * 100
        hi = np.array([(s["ci95"].get(o) or [0, 0])[1] for o in options]) * 100
        pos = y + (i - (k - 1) / 2) * height
        ax.barh(pos, shares, height * 0.92, color=COLOURS[i % 2], label=name)
        ax.errorbar(
            shares,
            pos,
            xerr=[shares - lo, hi - shares],
            fmt="none",
            ecolor="#111",
            elinewidth=1.6,
            capsize=5,
        )
        for o, p, sh, h in zip(options, pos, shares, hi, strict=True):
            ax.text(
                max(sh, h) + 1.2,
                p,
                f"{sh:.0f}% ({s['counts'][o]})",
                va="center",
                fontsize=15 if k > 1 else 17,
                fontweight="bold",
            )
    ax.set_yticks(y, [_wrap(labels.get(o, o), 30) for o in options], fontsize=18)
    ax.invert_yaxis()
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fontsize=13)
    ax.grid(axis="x", color="#ddd", zorder=0)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    if k > 1:
        ax.legend(
            fontsize=15,
            frameon=False,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncol=k,
            borderaxespad=0.2,
        )


def _histogram_axes(
    ax: Any,
    series: list[tuple[str, dict[str, Any]]],
    markers: list[tuple[str, float, str, str]],
    unit: str | None,
) -> None:
    import numpy as np

    k = len(series)
    edges = series[0][1]["histogram"]["edges"]
    centres = (np.array(edges[:-1]) + np.array(edges[1:])) / 2
    width = (edges[1] - edges[0]) * 0.85 / k
    for i, (name, s) in enumerate(series):
        counts = s["histogram"]["counts"]
        pos = centres + (i - (k - 1) / 2) * width
        ax.bar(pos, counts, width * 0.95, color=COLOURS[i % 2], label=name)
        for p, c in zip(pos, counts, strict=True):
            ax.text(p, c, str(c), ha="center", va="bottom", fontsize=13)
    for name, x, colour, style in markers:
        ax.axvline(x, color=colour, lw=2.5, ls=style, label=f"{name}: {x:.0f}{unit or ''}")
    ax.set_xticks(edges, [f"{e:g}" for e in edges], fontsize=14)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel(f"answer{f' ({unit})' if unit else ''}", fontsize=15)
    ax.set_ylabel("people", fontsize=15)
    ax.tick_params(axis="y", labelsize=13)
    ax.legend(fontsize=14, frameon=False, loc="upper left")
