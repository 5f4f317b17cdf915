"""Questionnaires as data: load a template (survey/templates/*.yaml), validate it, check answers.

A questionnaire is frozen into the poll row as JSON when the poll is created
(``Questionnaire.to_json``), so reports always refer to the wording that was shown.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from emlit.errors import EmlitError
from emlit.paths import survey_dir
from emlit.vocab import VOTE_PHASES

KINDS = ("choice", "number", "text")
LANGS = ("en", "zh")
ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
OPTION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
TEXT_MAX = 2000  # hard ceiling for free-text answers, whatever a template says


@dataclass(frozen=True)
class Option:
    id: str
    label: dict[str, str]


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: dict[str, str]
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    max_length: int = 500
    optional: bool = False
    phases: tuple[str, ...] = VOTE_PHASES

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def wording(self) -> str:
        """The exact wording shown to voters (all languages, and the options), as one string."""
        payload = {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "options": [[o.id, o.label] for o in self.options],
            "min": self.min,
            "max": self.max,
        }
        return json.dumps(payload, ensure_ascii=False, sort_keys=True)

    def wording_sha256(self) -> str:
        return hashlib.sha256(self.wording().encode("utf-8")).hexdigest()

    def check_answer(self, answer: Any) -> str:
        """The answer as stored text, or an EmlitError saying why it is not acceptable."""
        if self.kind == "choice":
            if not isinstance(answer, str):
                raise EmlitError(
                    f"answer: question {self.id!r} takes one of its option ids (a string)"
                )
            if answer not in self.option_ids:
                raise EmlitError(
                    f"answer: {answer[:40]!r} is not an option of question {self.id!r}"
                )
            return answer
        if self.kind == "number":
            if isinstance(answer, bool) or not isinstance(answer, int | float):
                raise EmlitError(f"answer: question {self.id!r} takes a number")
            try:
                value = float(answer)
            except OverflowError:
                value = math.inf
            if not math.isfinite(value):
                raise EmlitError(f"answer: question {self.id!r} takes a finite number")
            if (self.min is not None and value < self.min) or (
                self.max is not None and value > self.max
            ):
                raise EmlitError(
                    f"answer: {value:g} is out of range {self.min:g} to {self.max:g} for question {self.id!r}"
                )
            return format(value, "g") if not value.is_integer() else str(int(value))
        if not isinstance(answer, str):
            raise EmlitError(f"answer: question {self.id!r} takes text")
        text = answer.strip()
        if not text:
            raise EmlitError(f"answer: question {self.id!r} got empty text")
        if len(text) > self.max_length:
            raise EmlitError(
                f"answer: text longer than {self.max_length} characters for question {self.id!r}"
            )
        return text

    def to_api(self) -> dict[str, Any]:
        """The question as GET /api/poll shows it (contract 5 keys first, extensions after)."""
        out: dict[str, Any] = {
            "id": self.id,
            "text": self.text.get("en") or next(iter(self.text.values())),
            "kind": self.kind,
        }
        out["options"] = self.option_ids
        out["min"] = self.min
        out["max"] = self.max
        out["text_i18n"] = self.text
        out["option_labels"] = {o.id: o.label for o in self.options}
        out["phases"] = list(self.phases)
        out["optional"] = self.optional
        if self.unit:
            out["unit"] = self.unit
        if self.kind == "text":
            out["max_length"] = self.max_length
        return out


@dataclass(frozen=True)
class Questionnaire:
    name: str
    title: dict[str, str]
    questions: tuple[Question, ...]
    analysis: dict[str, str] = field(default_factory=dict)

    def question(self, qid: str) -> Question | None:
        for q in self.questions:
            if q.id == qid:
                return q
        return None

    def to_json(self) -> str:
        return json.dumps(_to_raw(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Questionnaire:
        return parse(json.loads(text), source="stored questionnaire")


def template_path(name_or_path: str) -> Path:
    """A bundled template by name (``emergence``) or a YAML file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml", ".json") or candidate.exists():
        return candidate
    return survey_dir() / "templates" / f"{name_or_path}.yaml"


def load_template(name_or_path: str) -> Questionnaire:
    path = template_path(name_or_path)
    if not path.exists():
        known = sorted(p.stem for p in (survey_dir() / "templates").glob("*.yaml"))
        raise EmlitError(f"{path}: no such template (bundled: {', '.join(known) or 'none'})")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise EmlitError(f"{path}: cannot read template: {str(exc).splitlines()[0]}") from None
    return parse(raw, source=str(path))


def parse(raw: Any, *, source: str) -> Questionnaire:
    """Validate a template's plain data; every problem names the file and the field."""

    def fail(where: str, reason: str) -> EmlitError:
        return EmlitError(f"{source}: {where}: {reason}")

    if not isinstance(raw, dict):
        raise fail("top level", "expected a mapping with 'name' and 'questions'")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise fail("name", "missing or not text")
    title = _texts(raw.get("title") or {"en": name}, lambda r: fail("title", r))
    items = raw.get("questions")
    if not isinstance(items, list) or not items:
        raise fail("questions", "expected a non-empty list")
    questions: list[Question] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"questions[{i}]"
        if not isinstance(item, dict):
            raise fail(where, "expected a mapping")
        qid = item.get("id")
        if not isinstance(qid, str) or not ID_RE.match(qid):
            raise fail(f"{where}.id", "must be a letter then letters, digits or _ (at most 40)")
        if qid in seen:
            raise fail(f"{where}.id", f"duplicate id {qid!r}")
        seen.add(qid)
        kind = item.get("kind")
        if kind not in KINDS:
            raise fail(f"{where}.kind", f"must be one of {', '.join(KINDS)}")
        text = _texts(item.get("text"), lambda r, w=where: fail(f"{w}.text", r))
        phases = item.get("phases", list(VOTE_PHASES))
        if not isinstance(phases, list) or not phases or any(p not in VOTE_PHASES for p in phases):
            raise fail(f"{where}.phases", f"must be a non-empty list of {' / '.join(VOTE_PHASES)}")
        options: list[Option] = []
        qmin = qmax = None
        max_length = 500
        if kind == "choice":
            raw_opts = item.get("options")
            if not isinstance(raw_opts, list) or len(raw_opts) < 2:
                raise fail(f"{where}.options", "a choice question needs at least two options")
            for j, opt in enumerate(raw_opts):
                ow = f"{where}.options[{j}]"
                if isinstance(opt, str):
                    opt = {"id": opt, "en": opt}
                if not isinstance(opt, dict) or not isinstance(opt.get("id"), str):
                    raise fail(ow, "expected {id: ..., en: ..., zh: ...}")
                if not OPTION_RE.match(opt["id"]):
                    raise fail(f"{ow}.id", "letters, digits, _ or - (at most 40)")
                if opt["id"] in {o.id for o in options}:
                    raise fail(f"{ow}.id", f"duplicate option {opt['id']!r}")
                label = opt.get("label") or {k: v for k, v in opt.items() if k in LANGS}
                options.append(
                    Option(
                        opt["id"], _texts(label or {"en": opt["id"]}, lambda r, w=ow: fail(w, r))
                    )
                )
        elif kind == "number":
            qmin, qmax = item.get("min"), item.get("max")
            for key, value in (("min", qmin), ("max", qmax)):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise fail(f"{where}.{key}", "a number question needs numeric min and max")
            assert qmin is not None and qmax is not None
            if qmin >= qmax:
                raise fail(f"{where}.max", "must be greater than min")
        else:
            max_length = item.get("max_length", 500)
            if not isinstance(max_length, int) or not 1 <= max_length <= TEXT_MAX:
                raise fail(f"{where}.max_length", f"must be a whole number from 1 to {TEXT_MAX}")
        questions.append(
            Question(
                id=qid,
                kind=kind,
                text=text,
                options=tuple(options),
                min=float(qmin) if qmin is not None else None,
                max=float(qmax) if qmax is not None else None,
                unit=item.get("unit"),
                max_length=max_length,
                optional=bool(item.get("optional", False)),
                phases=tuple(p for p in VOTE_PHASES if p in phases),
            )
        )
    analysis = raw.get("analysis") or {}
    if not isinstance(analysis, dict):
        raise fail("analysis", "expected a mapping")
    for key in ("belief", "consensus", "consensus_pct"):
        ref = analysis.get(key, key)
        if ref in seen:
            analysis[key] = ref
        elif key in analysis:
            raise fail(f"analysis.{key}", f"no question with id {ref!r}")
    analysis.setdefault("positive", "agree")
    return Questionnaire(
        name=name, title=title, questions=tuple(questions), analysis=dict(analysis)
    )


def _texts(raw: Any, fail: Any) -> dict[str, str]:
    if isinstance(raw, str):
        raw = {"en": raw}
    if not isinstance(raw, dict) or not raw:
        raise fail("expected text or {en: ..., zh: ...}")
    out = {}
    for lang, value in raw.items():
        if lang not in LANGS:
            raise fail(f"unknown language {lang!r} (use {', '.join(LANGS)})")
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{lang}: expected non-empty text")
        out[lang] = value
    return out


def _to_raw(q: Questionnaire) -> dict[str, Any]:
    return {
        "name": q.name,
        "title": q.title,
        "analysis": q.analysis,
        "questions": [
            {
                "id": x.id,
                "kind": x.kind,
                "text": x.text,
                "phases": list(x.phases),
                "optional": x.optional,
                **(
                    {"options": [{"id": o.id, "label": o.label} for o in x.options]}
                    if x.kind == "choice"
                    else {}
                ),
                **({"min": x.min, "max": x.max} if x.kind == "number" else {}),
                **({"unit": x.unit} if x.unit else {}),
                **({"max_length": x.max_length} if x.kind == "text" else {}),
            }
            for x in q.questions
        ],
    }
