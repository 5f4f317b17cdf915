"""Where the bundled data lives: ``corpus/`` and ``survey/`` beside the package."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    """The bundled corpus (override with $EMLIT_CORPUS)."""
    return Path(os.environ.get("EMLIT_CORPUS") or REPO_ROOT / "corpus")


def survey_dir() -> Path:
    """Questionnaire templates and reference poll results (override with $EMLIT_SURVEY)."""
    return Path(os.environ.get("EMLIT_SURVEY") or REPO_ROOT / "survey")
