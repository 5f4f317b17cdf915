"""`emlit poll create / phase / report / list / import / serve` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from emlit.cli.main import cli
from emlit.poll.store import get_poll
from emlit.store import Store
from tests.poll_support import CLI, eventually, free_port


def run(db: Path, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.stdout


def test_create_prints_only_the_id(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    out = run(db, "poll", "create", "--template", "emergence", "--title", "Talk A")
    assert re.fullmatch(r"[0-9a-f]{8}\n", out)
    with Store(db) as store:
        poll = get_poll(store, out.strip())
    assert (poll.title, poll.phase, poll.template) == ("Talk A", "pre", "emergence")
    assert [q.id for q in poll.questionnaire.questions][:4] == [
        "belief",
        "consensus",
        "consensus_pct",
        "definition",
    ]


def test_phase_report_and_list(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    poll_id = run(db, "poll", "create", "--title", "Talk <b>B</b>").strip()
    assert run(db, "poll", "phase", poll_id, "post") == f"{poll_id}: phase post\n"
    assert "post" in run(db, "poll", "list")
    data = json.loads(run(db, "poll", "report", poll_id, "--format", "json"))
    assert data["poll"] == poll_id and data["phase"] == "post"
    assert set(data["phases"]) == {"pre", "post"}
    html_out = run(db, "poll", "report", poll_id, "--format", "html")
    assert "<b>B</b>" not in html_out and "&lt;b&gt;B&lt;/b&gt;" in html_out
    assert "<script" not in html_out and "http" not in html_out.split("<body>")[1].replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_csv_report_has_one_row_per_answer_with_wording_hash(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from emlit.poll.server import create_app

    db = tmp_path / "p.db"
    poll_id = run(db, "poll", "create", "--title", "CSV").strip()
    client = TestClient(create_app(str(db), poll_id))
    voter = "csv-voter-00000000001"
    assert (
        client.post(
            "/api/vote", json={"voter": voter, "question": "belief", "answer": "agree"}
        ).status_code
        == 200
    )
    assert (
        client.post(
            "/api/vote",
            json={"voter": voter, "question": "comment", "answer": "=cmd|' /C calc'!A0 <i>hi</i>"},
        ).status_code
        == 200
    )
    rows = list(csv.DictReader(io.StringIO(run(db, "poll", "report", poll_id, "--format", "csv"))))
    assert len(rows) == 2
    assert {r["question"] for r in rows} == {"belief", "comment"}
    assert all(r["voter"].startswith("v") and voter not in r["voter"] for r in rows)
    assert len({r["voter"] for r in rows}) == 1
    comment = next(r for r in rows if r["question"] == "comment")
    assert comment["answer"].startswith("'=")  # a spreadsheet will not run it
    assert all(re.fullmatch(r"[0-9a-f]{64}", r["question_sha256"]) for r in rows)
    md = run(db, "poll", "report", poll_id, "--format", "md")
    assert "&lt;i&gt;hi&lt;/i&gt;" in md and "<i>" not in md


def test_charts_are_written(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from emlit.poll.server import create_app

    db = tmp_path / "p.db"
    poll_id = run(db, "poll", "create", "--title", "Charts").strip()
    client = TestClient(create_app(str(db), poll_id))
    for i, a in enumerate(["agree", "disagree", "unsure", "agree"]):
        client.post(
            "/api/vote", json={"voter": f"chart-voter-{i:010d}", "question": "belief", "answer": a}
        )
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    run(
        db,
        "poll",
        "report",
        poll_id,
        "--format",
        "md",
        "--out",
        str(tmp_path / "r.md"),
        "--chart",
        str(png),
        "--chart",
        str(svg),
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert "<svg" in svg.read_text()[:500]
    assert "Poll report: Charts" in (tmp_path / "r.md").read_text()


def test_html_report_has_inline_charts_and_slides_per_question(tmp_path: Path) -> None:
    from PIL import Image
    from starlette.testclient import TestClient

    from emlit.poll.server import create_app

    db = tmp_path / "p.db"
    poll_id = run(db, "poll", "create", "--title", "Slides 涌现").strip()
    client = TestClient(create_app(str(db), poll_id))
    for i, (b, c, pct) in enumerate(
        [("agree", "agree", 80), ("unsure", "agree", 60), ("disagree", "unsure", 30)]
    ):
        voter = f"slides-voter-{i:010d}"
        for q, a in (("belief", b), ("consensus", c), ("consensus_pct", pct), ("definition", "D3")):
            assert (
                client.post(
                    "/api/vote", json={"voter": voter, "question": q, "answer": a}
                ).status_code
                == 200
            )
    html_out = run(db, "poll", "report", poll_id, "--format", "html")
    body = html_out.split("<body>")[1]
    # one chart after each answered question, one for own belief versus consensus
    assert body.count("<svg") == 5 and "@@" not in body
    assert (
        body.index("(<code>belief</code>")
        < body.index("<svg")
        < body.index("(<code>consensus</code>")
    )
    assert "agree themselves versus think most others agree" in body
    assert "@media print" in html_out and "break-inside:avoid" in html_out
    assert "<script" not in html_out
    slides = tmp_path / "slides"
    run(
        db,
        "poll",
        "report",
        poll_id,
        "--format",
        "md",
        "--out",
        str(tmp_path / "r.md"),
        "--charts",
        str(slides),
    )
    names = sorted(p.name for p in slides.iterdir())
    assert names == [
        "01-belief.png",
        "02-consensus.png",
        "03-consensus_pct.png",
        "04-definition.png",
        "05-field.png",
        "06-career_stage.png",
    ]
    for name in names:
        with Image.open(slides / name) as im:
            assert im.size == (1920, 1080)
    run(db, "poll", "report", poll_id, "--charts", str(slides), "--charts-format", "svg")
    first = (slides / "02-consensus.svg").read_bytes()
    run(db, "poll", "report", poll_id, "--charts", str(slides), "--charts-format", "svg")
    assert (slides / "02-consensus.svg").read_bytes() == first  # deterministic
    assert "agree themselves" in first.decode()


def test_bad_input_gives_one_line_errors(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    for args, needle in [
        (["poll", "create", "--template", "nosuch", "--title", "x"], "no such template"),
        (["poll", "phase", "deadbeef", "post"], "no poll with id 'deadbeef'"),
        (["poll", "report", "deadbeef", "--format", "md"], "no poll with id"),
        (["poll", "create", "--title", "  "], "--title: must not be empty"),
    ]:
        out = subprocess.run([*CLI, "--db", str(db), *args], capture_output=True, text=True)
        assert out.returncode == 1, out
        assert needle in out.stderr and "Traceback" not in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1


def test_import_wide_csv_and_pool(tmp_path: Path) -> None:
    from emlit.poll.stats import pool_results

    db = tmp_path / "p.db"
    src = tmp_path / "menti.csv"
    src.write_text(
        "Respondent,When,Q1,Q2\nr1,before,Agree,Most agree\nr2,before,不确定,agree\nr1,after,unsure,\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(
        cli,
        [
            "--db",
            str(db),
            "poll",
            "import",
            str(src),
            "--title",
            "Old talk",
            "--map",
            "voter=Respondent",
            "--map",
            "phase=When",
            "--map",
            "belief=Q1",
            "--map",
            "consensus=Q2",
        ],
        catch_exceptions=False,
    )
    assert out.exit_code == 0, out.output
    imported = out.stdout.strip()
    data = json.loads(run(db, "poll", "report", imported, "--format", "json"))
    assert data["phases"]["pre"]["questions"]["belief"]["counts"] == {
        "agree": 1,
        "disagree": 0,
        "unsure": 1,
    }
    assert data["transitions"]["belief"]["matrix"]["agree"]["unsure"] == 1
    assert data["source"] == "import:menti.csv" and data["phase"] == "closed"
    second = tmp_path / "long.csv"
    second.write_text(
        "id,phase,item,value\na,pre,belief,disagree\nb,pre,belief,agree\n", encoding="utf-8"
    )
    other = (
        run(
            db,
            "poll",
            "import",
            str(second),
            "--title",
            "Long",
            "--map",
            "voter=id",
            "--map",
            "phase=phase",
            "--map",
            "question=item",
            "--map",
            "answer=value",
        )
        .strip()
        .splitlines()[0]
    )
    with Store(db) as store:
        pooled = pool_results(store, [imported, other])
    belief = pooled["phases"]["pre"]["belief"]
    assert belief["n"] == 4 and belief["counts"] == {"agree": 2, "disagree": 1, "unsure": 1}
    assert belief["by_poll"][other]["counts"]["disagree"] == 1
    assert (
        json.loads(run(db, "poll", "pool", imported, other, "--format", "json"))["phases"]["pre"][
            "belief"
        ]
        == belief
    )
    md = run(db, "poll", "pool", imported, other)
    assert "| **pooled** | 4 | 50.0% (15.0–85.0%) |" in md


def test_import_rejects_a_bad_cell_and_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    src = tmp_path / "bad.csv"
    src.write_text("r,Q1\n1,agree\n2,maybe\n", encoding="utf-8")
    out = subprocess.run(
        [
            *CLI,
            "--db",
            str(db),
            "poll",
            "import",
            str(src),
            "--title",
            "x",
            "--map",
            "voter=r",
            "--map",
            "belief=Q1",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert "line 3, column 'Q1': 'maybe' is not an option of 'belief'" in out.stderr
    assert run(db, "poll", "list") == ""


def served_phase(base: str) -> str | bool | None:
    """The phase GET /api/poll reports (None when closed), or False while the server is down."""
    try:
        phase: str | None = httpx.get(base + "/api/poll", timeout=2).json()["phase"]
    except httpx.TransportError:
        return False
    return phase


def test_serve_prints_url_qr_and_token_and_phase_switches_live(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    poll_id = run(db, "poll", "create", "--title", "Live").strip()
    port = free_port()
    proc = subprocess.Popen(  # the database named by $EMLIT_DB this time, not --db
        [*CLI, "poll", "serve", poll_id, "--host", "0.0.0.0", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "EMLIT_DB": str(db)},
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        while not lines or not lines[-1].startswith("Phase:"):
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            lines.append(line.rstrip("\n"))
        url = lines[0].removeprefix("Voter URL: ")
        assert re.fullmatch(rf"http://\d+\.\d+\.\d+\.\d+:{port}/", url) and "0.0.0.0" not in url
        assert sum("█" in ln or "▀" in ln or "▄" in ln for ln in lines) >= 10  # the QR code
        token = next(ln for ln in lines if ln.startswith("Admin token: ")).split(": ", 1)[1]
        with Store(db) as store:
            assert get_poll(store, poll_id).admin_token == token
        base = f"http://127.0.0.1:{port}"
        eventually(lambda: served_phase(base) == "pre", "the server answers in phase pre", 20)
        run(db, "poll", "phase", poll_id, "post")
        # another process changed the phase: GET /api/poll follows once its 0.3 s cache expires
        eventually(lambda: served_phase(base) == "post", "GET /api/poll shows phase post")
        vote = {"voter": "live-voter-0000000001", "question": "belief", "answer": "unsure"}
        assert httpx.post(base + "/api/vote", json=vote).json()["phase"] == "post"
        assert httpx.get(base + f"/projector?token={token}").status_code == 200
        assert httpx.get(base + "/qr.svg").text.startswith("<svg")
        run(db, "poll", "phase", poll_id, "closed")
        assert httpx.post(base + "/api/vote", json=vote).status_code == 409  # checked at commit
        eventually(lambda: served_phase(base) is None, "GET /api/poll shows the poll closed")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


@pytest.mark.parametrize("hidden", [True, False])
def test_projector_results_hidden_until_phase_closes(tmp_path: Path, hidden: bool) -> None:
    from starlette.testclient import TestClient

    from emlit.poll.server import create_app

    db = tmp_path / "p.db"
    poll_id = run(
        db, "poll", "create", "--title", "Hide", *(["--hide-results"] if hidden else [])
    ).strip()
    with Store(db) as store:
        token = get_poll(store, poll_id).admin_token
    client = TestClient(create_app(str(db), poll_id))
    client.post(
        "/api/vote",
        json={"voter": "hide-voter-0000000001", "question": "belief", "answer": "agree"},
    )
    pre = client.get("/api/results").json()["phases"]["pre"]
    assert pre["hidden"] is hidden and (pre["questions"] == {}) is hidden
    assert (
        client.get("/api/results", headers={"X-Emlit-Token": token}).json()["phases"]["pre"][
            "hidden"
        ]
        is False
    )
    client.post("/api/admin/phase", json={"phase": "post"}, headers={"X-Emlit-Token": token})

    def pre_shown() -> dict:  # results are cached for up to a second; {} until then
        phases: dict = client.get("/api/results").json()["phases"]
        return phases if phases["pre"]["hidden"] is False else {}

    after = eventually(pre_shown, "pre-talk results shown once pre has closed")
    assert after["pre"]["questions"]["belief"]["counts"]["agree"] == 1
    assert after["post"]["hidden"] is hidden
