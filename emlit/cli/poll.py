"""``emlit poll``: run a belief poll at a talk (contract 5)."""

from __future__ import annotations

import click

from emlit.cli.common import db_path, open_store
from emlit.vocab import POLL_PHASES, VOTE_PHASES


@click.group()
def poll() -> None:
    """Belief polls at talks: create, serve to phones on the LAN, switch phase, report.

    \b
    Example:
        ID=$(emlit poll create --template emergence --title "Talk at X")
        emlit poll serve $ID --host 0.0.0.0 --port 8000
        emlit poll phase $ID post
        emlit poll phase $ID closed
        emlit poll report $ID --format html --out report.html
    """


@poll.command()
@click.option(
    "--template",
    default="emergence",
    show_default=True,
    help="Bundled template name or a YAML file.",
)
@click.option("--title", required=True, help="The talk's title (shown on the phones).")
@click.option(
    "--hide-results",
    is_flag=True,
    help="Hide a running phase's results on the projector until it closes.",
)
@click.pass_context
def create(ctx: click.Context, template: str, title: str, hide_results: bool) -> None:
    """Create a poll in phase 'pre' and print its id (only the id) on stdout.

    \b
    Example:
        emlit poll create --template emergence --title "Reading group, 3 May"
    """
    from emlit.poll.store import create_poll, set_hide_results
    from emlit.poll.templates import load_template

    questionnaire = load_template(template)
    with open_store(ctx) as store:
        new = create_poll(store, questionnaire, title=title)
        if hide_results:
            set_hide_results(store, new.id, True)
    click.echo(new.id)


@poll.command()
@click.argument("poll_id", metavar="POLL")
@click.option(
    "--host",
    default="0.0.0.0",
    show_default=True,
    help="Address to listen on (0.0.0.0: the whole LAN).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
def serve(ctx: click.Context, poll_id: str, host: str, port: int) -> None:
    """Serve the voter page, the projector page and the API until Ctrl-C.

    \b
    Example:
        emlit poll serve 7f3a9c --host 0.0.0.0 --port 8000
    """
    from emlit.poll import lan
    from emlit.poll.store import get_poll

    with open_store(ctx) as store:
        found = get_poll(store, poll_id)
    url = lan.voter_url(host, port)
    click.echo(f"Voter URL: {url}")
    click.echo(lan.qr_terminal(url), nl=False)
    click.echo(f"Admin token: {found.admin_token}")
    click.echo(f"Projector: {url}projector?token={found.admin_token}")
    click.echo(
        f"Phase: {found.phase}   (switch with: emlit poll phase {found.id} post|closed)", nl=True
    )
    from emlit.poll.server import run

    run(db_path(ctx), poll_id, host=host, port=port, voter_url=url)


@poll.command()
@click.argument("poll_id", metavar="POLL")
@click.argument("phase", type=click.Choice(POLL_PHASES))
@click.option(
    "--hide-results/--show-results", default=None, help="Also hide or show running-phase results."
)
@click.pass_context
def phase(ctx: click.Context, poll_id: str, phase: str, hide_results: bool | None) -> None:
    """Switch the poll's phase (works while the server runs).

    \b
    Example:
        emlit poll phase 7f3a9c post
    """
    from emlit.poll.store import set_hide_results, set_phase

    with open_store(ctx) as store:
        if hide_results is not None:
            set_hide_results(store, poll_id, hide_results)
        now = set_phase(store, poll_id, phase)
    click.echo(
        f"{now.id}: phase {now.phase}"
        + (", results hidden until a phase closes" if now.hide_results else "")
    )


@poll.command()
@click.argument("poll_id", metavar="POLL")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json", "csv"]),
    default="md",
    show_default=True,
)
@click.option("--out", default="-", show_default=True, help="Output file ('-' for stdout).")
@click.option(
    "--chart", "charts", multiple=True, help="Also write a slide chart (.png or .svg); repeatable."
)
@click.option(
    "--charts",
    "charts_dir",
    type=click.Path(file_okay=False),
    help="Also write one 16:9 slide per question into this folder (NN-QUESTION.png, 1920x1080).",
)
@click.option(
    "--charts-format",
    type=click.Choice(["png", "svg"]),
    default="png",
    show_default=True,
    help="Format of the --charts slides.",
)
@click.pass_context
def report(
    ctx: click.Context,
    poll_id: str,
    fmt: str,
    out: str,
    charts: tuple[str, ...],
    charts_dir: str | None,
    charts_format: str,
) -> None:
    """Write the poll's report (statistics, transitions, methods paragraph).

    The html report has its charts inline (SVG) and prints cleanly; --charts writes one
    slide-ready chart per question.

    \b
    Example:
        emlit poll report 7f3a9c --format md --out report.md
        emlit poll report 7f3a9c --format html --out report.html --charts slides/
    """
    from emlit.poll import report as reports

    with open_store(ctx) as store:
        reports.write(reports.render(store, poll_id, fmt), out)
        if charts:
            from emlit.poll.charts import write_chart
            from emlit.poll.stats import poll_results

            results = poll_results(store, poll_id)
            for path in charts:
                write_chart(results, path)
                click.echo(f"chart: {path}", err=True)
        if charts_dir:
            from emlit.poll.charts import write_question_charts
            from emlit.poll.stats import poll_results
            from emlit.poll.store import get_poll

            written = write_question_charts(
                poll_results(store, poll_id),
                get_poll(store, poll_id).questionnaire,
                charts_dir,
                charts_format,
            )
            for chart in written:
                click.echo(f"chart: {chart}", err=True)


@poll.command()
@click.argument("poll_ids", metavar="POLL...", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--out", default="-", show_default=True, help="Output file ('-' for stdout).")
@click.pass_context
def pool(ctx: click.Context, poll_ids: tuple[str, ...], fmt: str, out: str) -> None:
    """Pool the same questions over several polls (talks), with each talk's own figures.

    \b
    Example:
        emlit poll pool 7f3a9c 2b81d0 --format md
    """
    from emlit.poll import report as reports

    with open_store(ctx) as store:
        reports.write(reports.render_pool(store, list(poll_ids), fmt), out)


@poll.command(name="import")
@click.argument("csv_path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--template", default="emergence", show_default=True)
@click.option("--title", required=True)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="voter=, phase=, question=, answer=, time= for long files; QUESTION_ID=COLUMN for wide files.",
)
@click.option(
    "--phase",
    "fixed_phase",
    type=click.Choice(VOTE_PHASES),
    default=None,
    help="Phase of every row when the file has no phase column.",
)
@click.pass_context
def import_(
    ctx: click.Context,
    csv_path: str,
    template: str,
    title: str,
    mapping: tuple[str, ...],
    fixed_phase: str | None,
) -> None:
    """Import answers exported from another tool as a new (closed) poll; prints its id.

    \b
    Example:
        emlit poll import answers.csv --title "Survey, spring term"
    """
    from emlit.poll.importer import import_csv, parse_mapping
    from emlit.poll.templates import load_template

    with open_store(ctx) as store:
        summary = import_csv(
            store,
            csv_path,
            load_template(template),
            title=title,
            mapping=parse_mapping(mapping),
            phase=fixed_phase,
        )
    click.echo(summary.poll_id)
    click.echo(
        f"imported {summary.answers} answers from {summary.voters} voters ({summary.rows} rows)",
        err=True,
    )


@poll.command(name="list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List the polls in the database.

    \b
    Example:
        emlit poll list
    """
    from emlit.poll.store import list_polls

    with open_store(ctx) as store:
        rows = list_polls(store)
    for r in rows:
        click.echo(
            f"{r['id']}  {r['phase']:<6}  {r['voters']:>5} voters  {r['answers']:>6} answers  {r['created_at'][:16]}  {r['title']}"
        )
