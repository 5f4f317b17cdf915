"""``emlit tag``: batch definition tagging of JSON lines (contract 1); no database, no network."""

from __future__ import annotations

import sys

import click

from emlit.cli.options import encoder_option


@click.command("tag")
@click.option("--in", "in_path", required=True, help="JSON lines {id, text[, lang]}; '-' = stdin.")
@click.option("--out", "out_path", required=True, help="Output JSON lines; '-' = stdout.")
@click.option(
    "--explain",
    is_flag=True,
    help="Add 'explain' and 'stance_explain' objects (cues, nearest examples).",
)
@encoder_option
def tag(in_path: str, out_path: str, explain: bool) -> None:
    """Tag each claim with the definitions of emergence (D1-D6) it uses, and its stance.

    One output line per input line, same order:
    {"id": ..., "labels": ["D3"], "scores": {"D1": 0.02, ...}, "stance": "affirms",
    "stance_scores": {"affirms": 0.81, "disputes": 0.07, "neutral": 0.12}}: the stance
    toward emergence (contract 9), with calibrated probabilities. A line that is not valid
    JSON, or has no string "text", or an empty one, gets {"id": ..., "error": "..."} and the
    run goes on; the exit status is then 1.

    \b
    Example:
        emlit tag --in claims.jsonl --out tagged.jsonl
    """
    from emlit.errors import EmlitError
    from emlit.stance.model import get_stance_model
    from emlit.tagging.batch import tag_lines
    from emlit.tagging.stage import get_tagger

    try:
        # Binary, so that one line that is not UTF-8 becomes an error line, not a failed run.
        src = sys.stdin.buffer if in_path == "-" else open(in_path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise EmlitError(f"{in_path}: cannot read ({exc.strerror})") from None
    tagger = get_tagger()
    stance_model = get_stance_model()
    try:
        dst = sys.stdout if out_path == "-" else open(out_path, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise EmlitError(f"{out_path}: cannot write ({exc.strerror})") from None
    try:
        errors = tag_lines(src, dst, tagger.tag, explain=explain, stance=stance_model.predict)
    finally:
        if dst is not sys.stdout:
            dst.close()
        if src is not sys.stdin.buffer:
            src.close()
    if errors:
        click.echo(f"emlit tag: {errors} line(s) could not be tagged (see their 'error')", err=True)
        sys.exit(1)
