"""A small, fixed database for the TUI tests, written through the Store API.

Three documents (an English note, a Chinese note with English quotes, a PDF with pages),
eleven claims with machine tags and (all but one) machine stances, and curated/model
evidence links, including a COUNTERS link between claims that use different definitions
("talking past each other").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from emlit.models import Block, Claim, ParsedDocument
from emlit.store import Store, now

# document path -> list of (section, page, [(claim id or None, sentence)])
DOCS: dict[str, list[tuple[str | None, int | None, list[tuple[str | None, str]]]]] = {
    "notes/wei2022.md": [
        (
            "Summary",
            None,
            [
                (
                    "c01",
                    "Emergent abilities are present in larger models but absent in smaller ones.",
                ),
                (None, "The paper surveys many benchmarks."),
                (
                    "c02",
                    "Chain-of-thought prompting only helps models above roughly 100B parameters.",
                ),
            ],
        ),
        (
            "Definition",
            None,
            [
                (
                    "c03",
                    "Emergence is when quantitative changes in a system result in qualitative "
                    "changes in behavior.",
                ),
                ("c04", "Few-shot performance jumps sharply and unpredictably at a certain scale."),
            ],
        ),
    ],
    "notes/涌现笔记.md": [
        (
            "定义",
            None,
            [
                ("c05", "涌现能力是指在小模型中不存在、但在大模型中出现的能力。"),
                (
                    "c06",
                    "模型并没有专门为算术推理进行训练，却能够完成这类任务，这说明能力是自发出现的，"
                    "而且这种现象在许多不同的基准测试和模型家族中都被反复观察到。",
                ),
            ],
        ),
        (
            "反驳",
            None,
            [
                ("c07", "Schaeffer 等人认为所谓的涌现只是度量方式造成的海市蜃楼 (mirage)。"),
                ("c08", "这些能力其实是从训练数据中习得的。"),
            ],
        ),
    ],
    "papers/schaeffer2023.pdf": [
        (
            "Abstract",
            1,
            [
                (
                    "c09",
                    "With linear metrics the abilities improve smoothly and predictably with scale.",
                ),
            ],
        ),
        (
            "Results",
            3,
            [
                (None, "We test on BIG-Bench."),
                ("c10", "Sharp jumps disappear when the metric is changed to token edit distance."),
                ("c11", "The models saw these tasks in their training data."),
            ],
        ),
    ],
}

# claim -> (label, score, assigned) rows written as machine tags
TAGS: dict[str, list[tuple[str, float, bool]]] = {
    "c01": [("D3", 0.93, True), ("D4", 0.31, False)],
    "c02": [("D3", 0.88, True)],
    "c03": [("D3", 0.42, False), ("D4", 0.55, True)],
    "c04": [("D4", 0.91, True), ("D3", 0.74, True)],
    "c05": [("D3", 0.95, True)],
    "c06": [("D1", 0.89, True)],
    "c07": [("D4", 0.67, True)],
    "c08": [("D2", 0.81, True)],
    "c09": [("D4", 0.83, True)],
    "c10": [("D4", 0.78, True)],
    "c11": [("D5", 0.35, False), ("D2", 0.71, True)],
}

# claim -> (stance, its probability) written as machine stances (contract 9); c03 has none
STANCES: dict[str, tuple[str, float]] = {
    "c01": ("affirms", 0.71),
    "c02": ("affirms", 0.83),
    "c04": ("affirms", 0.77),
    "c05": ("neutral", 0.52),
    "c06": ("affirms", 0.80),
    "c07": ("disputes", 0.91),
    "c08": ("disputes", 0.74),
    "c09": ("disputes", 0.68),
    "c10": ("disputes", 0.86),
    "c11": ("disputes", 0.62),
}

# (source, target, relation, provenance, score): the source is evidence for/against the target
LINKS = [
    ("c02", "c01", "SUPPORTS", "curated", None),
    ("c05", "c01", "SUPPORTS", "model", 0.81),
    ("c09", "c04", "COUNTERS", "curated", None),
    ("c10", "c04", "COUNTERS", "model", 0.77),
    ("c07", "c04", "COUNTERS", "model", 0.64),
    ("c08", "c06", "COUNTERS", "model", 0.72),
    ("c11", "c06", "COUNTERS", "curated", None),
    ("c10", "c09", "SUPPORTS", "model", 0.69),
    ("c09", "c01", "COUNTERS", "model", 0.58),
]


def _document(path: str) -> tuple[ParsedDocument, list[Claim]]:
    text, blocks, claims = "", [], []
    for section, page, sentences in DOCS[path]:
        if text:
            text += "\n\n"
        start = len(text)
        for cid, sentence in sentences:
            if len(text) > start:
                text += " "
            s = len(text)
            text += sentence
            if cid:
                lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in sentence) else "en"
                claims.append(Claim(cid, sentence, lang, s, len(text), section, page))
        blocks.append(Block(start, len(text), "paragraph", section, page))
    fmt = "pdf" if path.endswith(".pdf") else "markdown"
    title = Path(path).stem
    return ParsedDocument(path=path, format=fmt, text=text, blocks=blocks, title=title), claims


def build_sample(store: Store) -> None:
    for path in DOCS:
        doc, claims = _document(path)
        store.save_document(
            doc, path="/corpus/" + path, display_path=path, content_hash=path, claims=claims
        )
    with store.transaction():
        for cid, rows in TAGS.items():
            store.set_machine_tags(
                cid,
                [
                    {
                        "label": label,
                        "score": score,
                        "assigned": assigned,
                        "provenance": "model",
                        "model": "test-tagger",
                        "explanation": {
                            "cues": [f"cue for {label}"],
                            "nearest": [
                                {"text": "an unlabelled example", "labels": [], "similarity": 0.5},
                                {"text": f"{label} example", "labels": [label], "similarity": 0.4},
                            ],
                            "threshold": 0.3,
                        },
                    }
                    for label, score, assigned in rows
                ],
            )
        store.save_machine_stances(
            {
                cid: {
                    "stance": stance,
                    "scores": {
                        st: round(score if st == stance else (1 - score) / 2, 3)
                        for st in ("affirms", "disputes", "neutral")
                    },
                    "model": "test-stance",
                    "explanation": {
                        "cue": f"cue for {stance}",
                        "nearest": [
                            {"text": f"a {stance} example", "stance": stance, "similarity": 0.4}
                        ],
                    },
                }
                for cid, (stance, score) in STANCES.items()
            }
        )
        for source, target, relation, provenance, score in LINKS:
            store.conn.execute(
                "INSERT INTO links (source_id, target_id, relation, score, provenance, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [source, target, relation, score, provenance, now()],
            )


@pytest.fixture
def sample_db(tmp_path: Path) -> str:
    """Path of a fresh SQLite file holding the sample data."""
    path = tmp_path / "tui.db"
    with Store(path) as store:
        build_sample(store)
    return str(path)


def screen_text(app: object) -> str:
    """What the terminal shows right now, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def wait_for(pilot: object, predicate: object, timeout: float = 5.0) -> None:
    """Let the app run until ``predicate()`` holds (workers, timers); fail after ``timeout``."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.05)  # type: ignore[attr-defined]


@pytest.fixture
def anyio_backend() -> str:
    """Async TUI tests run on asyncio (anyio's pytest plugin, marker ``anyio``)."""
    return "asyncio"
