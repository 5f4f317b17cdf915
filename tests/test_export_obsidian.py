"""Contract 14: the evidence map as Obsidian notes and as a JSON Canvas.

A small curated map (two works, five claims, three links) is exported into a vault folder and
read back as Obsidian would: frontmatter as YAML, ``[[wikilinks]]`` by file name. The folder
is shared with the user's own notes, so the tests also check what emlit must never touch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

from emlit.cli.main import cli, main
from emlit.errors import EmlitError
from emlit.evidence.curated import load_curated_map
from emlit.graph.build import build_graph
from emlit.graph.canvas import debate_canvas
from emlit.graph.export import export
from emlit.graph.notenames import note_names, safe_name
from emlit.store import Store

BIB = """
@article{alpha2022,
  author = {Alpha, Ann and Gamma, Gil},
  title = {Abilities Appear at Scale, Don't They},
  journal = {Journal of Tests},
  year = {2022}
}

@article{beta2023,
  author = {Beta, Bob},
  title = {It Was the Metric: A "Mirage"?},
  journal = {Journal of Tests},
  year = {2023}
}
"""

CLAIMS = {
    "a": "{id: a, cite: beta2023, lang: en, section: '§2', page: 3, definitions: [D4], "
    "text: 'The sharp jumps come from the choice of metric, not from the models.'}",
    "b": "{id: b, cite: alpha2022, lang: en, definitions: [D3, D4], "
    "text: 'Abilities appear suddenly once models pass a critical size.'}",
    "c": "{id: c, cite: alpha2022, lang: zh, definitions: [D3], "
    "text: '模型规模超过临界点后，能力会突然出现：这是“涌现”吗？'}",
    # Markdown and Obsidian syntax in a claim must stay text: no link, tag or embed.
    "d": "{id: d, cite: beta2023, lang: en, definitions: [], "
    "text: 'See [[Mirage]] and ![[x]] | #hashtag costs $5 <b>*: why?'}",
    "e": "{id: e, cite: alpha2022, lang: en, definitions: [D1], "
    "text: 'Nobody trained the model for arithmetic.'}",
}
LINKS = """
links:
  - {source: a, target: b, relation: COUNTERS, established_by: beta2023}
  - {source: c, target: b, relation: SUPPORTS, established_by: alpha2022}
  - {source: d, target: a, relation: SUPPORTS, established_by: beta2023}
"""
# (source, field in the source's note, target, field in the target's note)
EVIDENCE = [
    ("a", "counters", "b", "countered_by"),
    ("c", "supports", "b", "supported_by"),
    ("d", "supports", "a", "supported_by"),
]
WIKILINK = re.compile(r"\[\[([^\]|#^]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]")


def load_map(store: Store, folder: Path, claims: list[str]) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "bibliography.bib").write_text(BIB, encoding="utf-8")
    lines = "\n".join(f"  - {CLAIMS[c]}" for c in claims)
    (folder / "claims.yaml").write_text(f"claims:\n{lines}\n", encoding="utf-8")
    # Links whose two ends are both kept.
    wanted = [
        ln
        for ln in LINKS.strip().splitlines()
        if "source:" not in ln or _link_ends(ln) <= set(claims)
    ]
    (folder / "links.yaml").write_text("\n".join(wanted) + "\n", encoding="utf-8")
    load_curated_map(store, folder)


def _link_ends(line: str) -> set[str]:
    return set(re.findall(r"(?:source|target): (\w+)", line))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "map.db")
    load_map(s, tmp_path / "evidence", list(CLAIMS))
    yield s
    s.close()


def ids(store: Store) -> dict[str, str]:
    """Local name (a..e) -> stored claim id."""
    by_text = {c["text"]: c["id"] for c in store.claims()}
    return {
        name: by_text[yaml.safe_load(CLAIMS[name])["text"]]
        for name in CLAIMS
        if yaml.safe_load(CLAIMS[name])["text"] in by_text
    }


def target(wikilink: str) -> str:
    """The note name a ``[[wikilink]]`` (the whole string) points at."""
    match = WIKILINK.fullmatch(wikilink)
    assert match, wikilink
    return match.group(1)


def notes(folder: Path) -> dict[str, Path]:
    """Note file name without .md -> path, for every note of the vault."""
    return {p.stem: p for p in folder.rglob("*.md")}


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    head = text[4 : text.index("\n---\n", 4)]
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


def claim_notes(folder: Path) -> dict[str, Path]:
    """Claim id -> its note."""
    return {front(p)["id"]: p for p in (folder / "claims").glob("*.md")}


def state(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder``: (SHA-256, mtime in ns)."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def age(folder: Path) -> None:
    """Set every file's mtime an hour back, so any rewrite shows as a new mtime."""
    for p in folder.rglob("*"):
        if p.is_file():
            t = p.stat().st_mtime - 3600
            os.utime(p, (t, t))


# -- notes -------------------------------------------------------------------------------


def test_frontmatter_is_yaml_with_the_contract_fields(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "vault" / "emlit"
    (tmp_path / "vault").mkdir()
    done = export(store, "obsidian", out)
    assert done.warnings == []
    local = ids(store)
    by_id = claim_notes(out)
    assert set(by_id) == set(local.values())
    all_notes = notes(out)
    for name, cid in local.items():
        fm = front(by_id[cid])
        assert list(fm)[:7] == ["id", "type", "definitions", "stance", "work", "page", "section"]
        assert all(re.fullmatch(r"[a-z_]+", k) for k in fm), fm
        assert fm["type"] == "claim" and fm["provenance"] == "curated"
        assert fm["stance"] == "unknown"
        assert fm["definitions"] == yaml.safe_load(CLAIMS[name])["definitions"]
        assert fm["tags"][0] == "emlit/claim"
        work_fm = front(all_notes[target(fm["work"])])
        assert work_fm["type"] == "work"
        assert work_fm["id"] == yaml.safe_load(CLAIMS[name])["cite"]
    a = front(by_id[local["a"]])
    assert (a["page"], a["section"], a["lang"]) == (3, "§2", "en")
    assert front(by_id[local["b"]])["page"] is None
    beta = front(all_notes[target(a["work"])])
    assert beta["title"] == 'It Was the Metric: A "Mirage"?'
    assert (beta["authors"], beta["year"]) == (["Beta, Bob"], 2023)
    definitions = {front(p)["id"] for p in (out / "definitions").glob("*.md")}
    assert definitions == {"D1", "D2", "D3", "D4", "D5", "D6"}


def test_stance_comes_from_the_graph_when_there_is_one(store: Store, tmp_path: Path) -> None:
    from emlit.graph.obsidian import vault_notes

    g = build_graph(store)
    node = f"claim:{ids(store)['a']}"
    g.nodes[node]["stance"] = "disputes"
    path = note_names(g)[node] + ".md"
    fm = yaml.safe_load(vault_notes(g)[path].decode().split("---\n")[1])
    assert fm["stance"] == "disputes"


def test_every_wikilink_resolves_and_links_go_both_ways(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "emlit"
    export(store, "obsidian", out)
    all_notes = notes(out)
    stems = [p.stem.casefold() for p in out.rglob("*.md")]
    assert len(stems) == len(set(stems)), "names must be unique (Obsidian links by file name)"
    links = 0
    for path in all_notes.values():
        assert not re.search(r'[*"\\<>:|?#^\[\]]', path.name), path.name
        for linked in WIKILINK.findall(path.read_text(encoding="utf-8")):
            assert linked in all_notes, f"{path.name}: [[{linked}]] resolves to no note"
            links += 1
    assert links > 20
    local, by_id = ids(store), claim_notes(out)
    stem = {name: by_id[cid].stem for name, cid in local.items()}
    for src, field, tgt, back in EVIDENCE:
        assert f"[{field}:: [[{stem[tgt]}]]]" in by_id[local[src]].read_text(encoding="utf-8")
        assert f"[{back}:: [[{stem[src]}]]]" in by_id[local[tgt]].read_text(encoding="utf-8")
    # The claim with Markdown in its text links only to its work and the claim it supports.
    d = by_id[local["d"]].read_text(encoding="utf-8")
    assert "Mirage" in d and "[[Mirage]]" not in d and r"\#hashtag" in d
    assert not re.search(r"(?<!\\)#hashtag", d)
    work = target(front(by_id[local["d"]])["work"])
    assert set(WIKILINK.findall(d.split("\n---\n", 1)[1])) == {work, stem["a"]}


def test_user_notes_are_never_touched(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "emlit"
    (out / "claims").mkdir(parents=True)
    mine = {
        out / "my thoughts.md": "My own note about [[Mirage]].\n",
        out / "claims" / "mine.md": "---\nid: mine\n---\nmine\n",
    }
    for path, text in mine.items():
        path.write_text(text, encoding="utf-8")
    age(out)
    before = state(out)
    export(store, "obsidian", out)
    later = out / "works" / "later.md"
    later.write_text("written after the first export\n", encoding="utf-8")
    before_second = state(out)
    export(store, "obsidian", out)
    after = state(out)
    for rel in ("my thoughts.md", "claims/mine.md"):
        assert after[rel] == before[rel]
    assert after["works/later.md"] == before_second["works/later.md"]
    manifest = json.loads((out / ".emlit-manifest.json").read_text(encoding="utf-8"))
    assert not {"my thoughts.md", "claims/mine.md", "works/later.md"} & set(manifest["files"])


def test_a_user_note_under_an_emlit_name_stops_the_export(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "emlit"
    export(store, "obsidian", out)
    first = sorted((out / "claims").glob("*.md"))[0]
    (out / ".emlit-manifest.json").unlink()  # as if another tool had written the folder
    age(out)
    before = state(out)
    with pytest.raises(EmlitError, match=re.escape(str(out / "claims"))) as exc:
        export(store, "obsidian", out)
    assert "not written by emlit" in str(exc.value) and first.name in str(exc.value)
    assert state(out) == before  # nothing written, nothing lost

    other = tmp_path / "other"
    (other / "claims").mkdir(parents=True)
    (other / "claims" / first.name.upper()).write_text("mine\n", encoding="utf-8")
    with pytest.raises(EmlitError, match="differs only in case"):
        export(store, "obsidian", other)
    assert [p.name for p in other.rglob("*")] == ["claims", first.name.upper()]


def test_a_second_export_changes_nothing(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "emlit"
    export(store, "obsidian", out)
    age(out)
    before = state(out)
    done = export(store, "obsidian", out)
    assert state(out) == before
    assert "0 written" in done.summary and "0 removed" in done.summary


def test_notes_of_vanished_claims(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "emlit"
    export(store, "obsidian", out)
    local = ids(store)
    by_id = claim_notes(out)
    gone, edited = by_id[local["e"]], by_id[local["d"]]
    with edited.open("a", encoding="utf-8") as fh:
        fh.write("\nMy comment: this is a joke claim.\n")
    edited_bytes = edited.read_bytes()

    load_map(store, tmp_path / "evidence", ["a", "b", "c"])
    assert set(ids(store)) == {"a", "b", "c"}
    done = export(store, "obsidian", out)
    assert not gone.exists()
    assert edited.read_bytes() == edited_bytes
    assert len(done.warnings) == 1 and str(edited) in done.warnings[0]
    assert "edited since emlit wrote it" in done.warnings[0]
    # The notes that are left no longer link to the removed ones.
    all_notes = notes(out)
    for path in all_notes.values():
        if path != edited:
            assert all(t in all_notes for t in WIKILINK.findall(path.read_text(encoding="utf-8")))
    # The edited note is still known as emlit's: the claim coming back does not collide.
    load_map(store, tmp_path / "evidence", list(CLAIMS))
    again = export(store, "obsidian", out)
    assert edited.read_bytes() == edited_bytes and gone.exists()
    assert len(again.warnings) == 1 and str(edited) in again.warnings[0]


def test_an_edited_note_is_kept_with_a_warning(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "emlit"
    export(store, "obsidian", out)
    note = claim_notes(out)[ids(store)["a"]]
    note.write_text(note.read_text(encoding="utf-8") + "\n- [ ] check §3\n", encoding="utf-8")
    kept = note.read_bytes()
    done = export(store, "obsidian", out)
    assert note.read_bytes() == kept
    assert [w.split(":")[0] for w in done.warnings] == [str(note)]


def test_a_bad_manifest_is_refused(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "emlit"
    out.mkdir()
    (tmp_path / "precious.md").write_text("keep me\n", encoding="utf-8")
    (out / ".emlit-manifest.json").write_text(
        json.dumps({"files": {"../precious.md": "0" * 64}}), encoding="utf-8"
    )
    with pytest.raises(EmlitError, match=r"\.emlit-manifest\.json: not an emlit manifest"):
        export(store, "obsidian", out)
    assert (tmp_path / "precious.md").read_text(encoding="utf-8") == "keep me\n"


def test_note_names_are_safe_short_and_unique() -> None:
    assert safe_name('a*b"c\\d/e<f>g:h|i?j#k^l[m]n') == "a b c d e f g h i j k l m n"
    assert safe_name("  ...hidden. ") == "hidden"
    zh = safe_name("所谓的涌现能力可能只是海市蜃楼：换用连续的评价指标后，性能随规模平滑提升")
    assert 0 < len(zh) <= 24 and "：" in zh
    en = safe_name("The sharp and unpredictable jumps come from the choice of metric")
    assert len(en) <= 48 and not en.endswith(" ") and "choice" not in en
    g = nx.MultiDiGraph()
    for cid in ("c1234567aaaaaaaa", "c1234567bbbbbbbb", "c7654321aaaaaaaa"):
        g.add_node(f"claim:{cid}", kind="claim", text="Same words.")
    names = note_names(g)
    assert names["claim:c7654321aaaaaaaa"] == "claims/Same words (c7654321)"
    assert names["claim:c1234567aaaaaaaa"] == "claims/Same words (c1234567aaaaaaaa)"


# -- canvas ------------------------------------------------------------------------------


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def inside(a: dict, box: dict) -> bool:
    return (
        box["x"] <= a["x"]
        and a["x"] + a["width"] <= box["x"] + box["width"]
        and box["y"] <= a["y"]
        and a["y"] + a["height"] <= box["y"] + box["height"]
    )


def test_canvas_is_json_canvas_without_overlaps(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "emlit.canvas"
    done = export(store, "canvas", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    nodes, edges = data["nodes"], data["edges"]
    for n in nodes:
        assert {"id", "type", "x", "y", "width", "height"} <= set(n)
        assert n["type"] in ("text", "file", "link", "group")
        assert all(isinstance(n[k], int) for k in ("x", "y", "width", "height"))
        assert n["width"] > 0 and n["height"] > 0
        assert n["type"] != "text" or isinstance(n["text"], str)
    all_ids = [n["id"] for n in nodes] + [e["id"] for e in edges]
    assert len(all_ids) == len(set(all_ids))
    by_id = {n["id"]: n for n in nodes}
    for e in edges:
        assert e["fromNode"] in by_id and e["toNode"] in by_id
        assert e.get("fromSide", "top") in ("top", "right", "bottom", "left")
        assert e.get("toSide", "top") in ("top", "right", "bottom", "left")
    groups = [n for n in nodes if n["type"] == "group"]
    cards = [n for n in nodes if n["type"] != "group"]
    for i, a in enumerate(cards):
        for b in cards[i + 1 :]:
            assert not overlap(a, b), (a["id"], b["id"])
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            assert not overlap(a, b), (a["id"], b["id"])
    assert [g["id"] for g in groups] == [
        f"lane-{x}" for x in ("D1", "D2", "D3", "D4", "D5", "D6", "none")
    ]

    local = ids(store)
    lane = {"a": "D4", "b": "D3", "c": "D3", "d": "none", "e": "D1"}
    for name, cid in local.items():
        assert inside(by_id[cid], by_id[f"lane-{lane[name]}"]), name
    want = {(local[s], local[t], "1" if f == "counters" else "4", f) for s, f, t, _ in EVIDENCE}
    assert {(e["fromNode"], e["toNode"], e["color"], e["label"]) for e in edges} == want
    assert "5 claims in 7 lanes, 3 links" in done.summary


def test_canvas_sides_follow_stance(store: Store) -> None:
    g = build_graph(store)
    local = ids(store)
    for name, stance in (("b", "affirms"), ("c", "disputes")):
        g.nodes[f"claim:{local[name]}"]["stance"] = stance
    by_id = {n["id"]: n for n in debate_canvas(g)["nodes"]}
    b, c, d = (by_id[local[x]] for x in "bcd")  # b, c in lane D3; d neutral (unknown)
    assert b["x"] + b["width"] <= by_id["side-neutral"]["x"] <= d["x"]
    assert d["x"] + d["width"] <= by_id["side-disputes"]["x"] <= c["x"]
    assert (b.get("color"), c.get("color"), d.get("color")) == ("5", "2", None)


def test_canvas_links_to_the_notes_beside_it(store: Store, tmp_path: Path) -> None:
    alone = tmp_path / "alone.canvas"
    export(store, "canvas", alone)
    assert "[[" not in alone.read_text(encoding="utf-8")

    export(store, "obsidian", tmp_path / "emlit")
    export(store, "canvas", tmp_path / "emlit.canvas")
    data = json.loads((tmp_path / "emlit.canvas").read_text(encoding="utf-8"))
    all_notes = notes(tmp_path / "emlit")
    claim_cards = [n for n in data["nodes"] if n["id"] in set(ids(store).values())]
    targets = [t for n in claim_cards for t in WIKILINK.findall(n["text"])]
    assert len(targets) == len(claim_cards) == 5
    assert all(t in all_notes for t in targets)


def test_canvas_is_rewritten_only_when_it_is_emlits(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "emlit.canvas"
    export(store, "canvas", out)
    age(tmp_path)
    before = state(tmp_path)
    assert "unchanged" in export(store, "canvas", out).summary
    assert state(tmp_path) == before

    load_map(store, tmp_path / "evidence", ["a", "b", "c"])
    export(store, "canvas", out)  # emlit's own, unedited: replaced
    assert len(json.loads(out.read_text(encoding="utf-8"))["edges"]) == 2

    data = json.loads(out.read_text(encoding="utf-8"))
    data["nodes"][-1]["x"] += 500  # the user moved a card in Obsidian
    out.write_text(json.dumps(data), encoding="utf-8")
    moved = out.read_bytes()
    load_map(store, tmp_path / "evidence", list(CLAIMS))
    with pytest.raises(EmlitError, match="changed since"):
        export(store, "canvas", out)
    assert out.read_bytes() == moved

    theirs = tmp_path / "theirs.canvas"
    theirs.write_text('{"nodes": [], "edges": []}', encoding="utf-8")
    with pytest.raises(EmlitError, match="not written by emlit"):
        export(store, "canvas", theirs)
    assert theirs.read_text(encoding="utf-8") == '{"nodes": [], "edges": []}'


# -- command line ------------------------------------------------------------------------


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def fails(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), *args])
    assert exc.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("emlit: error: "), err
    return err[0]


def test_cli(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "map.db"
    vault = tmp_path / "vault"
    vault.mkdir()
    code, out, _ = run(db, "export", "--format", "obsidian", "--out", str(vault / "emlit"))
    assert code == 0
    assert out == (
        f"wrote {vault / 'emlit'}: 5 claim, 2 work and 6 definition notes (obsidian): "
        "13 written, 0 unchanged, 0 removed, 0 kept as edited\n"
    )
    code, out, _ = run(db, "export", "--format", "canvas", "--out", str(vault / "emlit.canvas"))
    assert code == 0 and out.startswith(f"wrote {vault / 'emlit.canvas'}: 5 claims in 7 lanes")
    code, out, _ = run(
        db, "export", "--format", "obsidian", "--out", str(vault / "emlit"), "--definition", "D4"
    )
    assert code == 0 and "4 claim" in out and "1 removed" in out  # D4: a, b + evidence c, d

    note = next((vault / "emlit" / "claims").glob("*.md"))
    note.write_text("edited\n", encoding="utf-8")
    code, out, err = run(db, "export", "--format", "obsidian", "--out", str(vault / "emlit"))
    assert code == 0 and "1 kept as edited" in out
    assert err.startswith(f"emlit: warning: {note}: edited since emlit wrote it")

    err = fails(db, capsys, "export", "--format", "obsidian", "--out", str(vault / "emlit.canvas"))
    assert (
        err
        == f"emlit: error: {vault / 'emlit.canvas'}: is a file; --format obsidian writes a folder of notes"
    )
    err = fails(db, capsys, "export", "--format", "canvas", "--out", str(vault / "emlit"))
    assert str(vault / "emlit") in err and "is a folder" in err
    err = fails(
        db, capsys, "export", "--format", "obsidian", "--out", str(tmp_path / "no" / "emlit")
    )
    assert err.endswith(f"folder {tmp_path / 'no'} does not exist")
    err = fails(db, capsys, "export", "--format", "json", "--out", str(vault / "emlit"))
    assert err == f"emlit: error: {vault / 'emlit'}: is a folder; --format json writes one file"
    assert not (tmp_path / "no").exists()
