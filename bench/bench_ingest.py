"""Ingestion speed: documents/s and claims/s on the seeds and on a generated 1,000-document corpus.

Also measures re-ingesting unchanged files (must be < 5% of the first run) and prints the
figures. Run from the repository root:

    python bench/bench_ingest.py [--docs 1000] [--stages]

``--stages`` includes the later pipeline stages (tagging, linking) in the timed run; without
it the run stops after claims, which isolates reading, segmentation and claim detection.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from emlit.ingest import ingest_paths  # noqa: E402
from emlit.store import Store  # noqa: E402

NOTES = REPO / "corpus" / "notes"


def generate_corpus(folder: Path, count: int, seed: int = 7) -> None:
    """Notes made by recombining the seed notes' paragraphs: realistic text, varied files."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    for note in sorted(NOTES.iterdir()):
        body = note.read_text(encoding="utf-8")
        if body.startswith("---"):
            body = body.split("---", 2)[2]
        paragraphs.extend(p.strip() for p in body.split("\n\n") if len(p.strip()) > 30)
    for i in range(count):
        picked = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(6, 18)))
        head = f"---\ntitle: note {i}\ntags:\n  - 涌现能力\ndate: 2024-01-{i % 28 + 1:02d}\n---\n"
        sub = folder / f"topic{i % 10}"
        sub.mkdir(exist_ok=True)
        (sub / f"note{i:04d}.md").write_text(head + "\n\n".join(picked) + "\n", encoding="utf-8")


def timed_ingest(db: Path, folder: Path, stages: bool) -> tuple[float, dict[str, object]]:
    with Store(db) as store:
        start = time.perf_counter()
        report = ingest_paths(store, [folder], run_stages=stages)
        return time.perf_counter() - start, report.as_dict()


def run(name: str, folder: Path, work: Path, stages: bool) -> None:
    db = work / f"{name}.db"
    first, report = timed_ingest(db, folder, stages)
    again, report2 = timed_ingest(db, folder, stages)
    docs = int(report["added"])  # type: ignore[call-overload]
    claims = int(report["claims_found"])  # type: ignore[call-overload]
    print(
        f"{name:>10}: {docs} documents, {claims} claims in {first:.2f} s "
        f"-> {docs / first:.1f} documents/s, {claims / first:.0f} claims/s; "
        f"re-ingest unchanged {again:.3f} s = {100 * again / first:.1f}% of first run "
        f"(unchanged: {report2['unchanged']}, new claims: {report2['new_claims']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--stages", action="store_true", help="include tagging and linking")
    args = parser.parse_args()
    from emlit.segment import warm_up

    t = time.perf_counter()
    warm_up()
    print(f"spaCy pipelines loaded in {time.perf_counter() - t:.2f} s (excluded from the figures)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        run("seeds", NOTES, work, args.stages)
        generated = work / "generated"
        generated.mkdir()
        generate_corpus(generated, args.docs)
        run(f"{args.docs} docs", generated, work, args.stages)
        shutil.rmtree(generated)


if __name__ == "__main__":
    main()
