"""Slide-ready charts of a poll (PNG or SVG) with matplotlib, imported only when asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emlit.errors import EmlitError


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
