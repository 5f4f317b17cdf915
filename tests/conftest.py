"""Shared fixtures: an in-memory store and the seed documents (CLI tests use CliRunner())."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"

# The five seeds, saved as a researcher would have them (issue 2): notes as .md, scrapes as .txt.
SEED_FILES = {
    "000_ad575779c7eb25a3.txt": "wei2022-notes.md",
    "001_db941ae327f39e5e.txt": "llm-thoughts-jekyll.md",
    "002_5eb195f3a325c8d0.txt": "hit-scir-wechat.txt",
    "003_9780507565609317.txt": "rogers2024-sanity-check.md",
    "004_5b3621b63c4793b3.txt": "interview-notes.txt",
}


@pytest.fixture
def store():
    from emlit.store import Store

    with Store(":memory:") as s:
        yield s


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """The seed documents copied under the names and suffixes the issue asks for."""
    if not SEEDS.is_dir():
        pytest.fail(f"seed documents not found at {SEEDS} (CI has ../shared beside the checkout)")
    folder = tmp_path / "seeds"
    folder.mkdir()
    for source, name in SEED_FILES.items():
        shutil.copy(SEEDS / source, folder / name)
    return folder
