"""The poll server: a Starlette app over the poll store, run by uvicorn (the only web module).

Routes: ``GET /`` voter page, ``GET /projector?token=[&q=QUESTION]`` projector slides
(contract 12), ``GET /qr.svg``,
``GET /api/poll``, ``POST /api/vote`` (contract 5), ``GET /api/results``,
``POST /api/admin/phase`` and ``POST /api/admin/results`` (admin token needed).
Votes go through one writer thread with group commit (emlit.poll.writer); reads use a
separate connection behind a lock. Nothing about the client (IP, user agent) is stored,
and uvicorn's access log is off so it is not written anywhere either.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from emlit.errors import EmlitError
from emlit.poll import lan
from emlit.poll import store as polls
from emlit.poll.stats import poll_results
from emlit.poll.writer import Vote as QueuedVote
from emlit.poll.writer import VoteWriter
from emlit.store import Store
from emlit.vocab import POLL_PHASES, VOTE_PHASES

BODY_LIMIT = 4096
PHASE_TTL = 0.3  # seconds a phase read is reused by GET /api/poll (votes check it at commit)
# The projector asks for results every 0.4 s. They are recomputed when a vote has been stored
# since the last computation, at most every RESULTS_MIN_AGE s (up to RESULTS_MAX_AGE s when a
# computation takes long, so a big poll cannot keep a core busy), and else every RESULTS_TTL s:
# a new vote is on the projector within about a second (contract 12 asks for 2 s).
RESULTS_TTL = 1.0
RESULTS_MIN_AGE = 0.25
RESULTS_MAX_AGE = 0.5
LIVE_BOOTSTRAP_REPS = 500  # the projector's bootstrap; reports use the full BOOTSTRAP_REPS
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
PAGE_CSP = (
    "default-src 'none'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=SECURITY_HEADERS)


class PollService:
    """State shared by the routes: the store (reads), the writer (votes) and small caches."""

    def __init__(self, db_path: str, poll_id: str, voter_url: str) -> None:
        self.store = Store(db_path)  # applies migrations
        self.poll = polls.get_poll(self.store, poll_id)
        self.voter_url = voter_url
        self.writer = VoteWriter(db_path, poll_id)
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, Any]] = {}
        self.votes_stored = 0  # counts acknowledged votes: results older than that are stale
        self._results: tuple[float, int, float, dict[str, Any]] | None = None

    def close(self) -> None:
        self.writer.close()
        self.store.close()

    def _cached(self, key: str, ttl: float, compute: Callable[[], Any]) -> Any:
        with self._lock:
            hit = self._cache.get(key)
            if hit and time.monotonic() - hit[0] < ttl:
                return hit[1]
            value = compute()
            self._cache[key] = (time.monotonic(), value)
            return value

    def state(self) -> tuple[str, bool]:
        """(phase, hide_results) as stored now, cached for PHASE_TTL."""

        def read() -> tuple[str, bool]:
            found = polls.phase_and_hidden(self.store.conn, self.poll.id)
            if found is None:
                raise EmlitError(f"poll: {self.poll.id!r} is no longer in the database")
            return found

        value: tuple[str, bool] = self._cached("state", PHASE_TTL, read)
        return value

    def state_now(self) -> tuple[str, bool] | None:
        """The cached (phase, hide_results) if still fresh, without touching the database."""
        hit = self._cache.get("state")
        if hit and time.monotonic() - hit[0] < PHASE_TTL:
            value: tuple[str, bool] = hit[1]
            return value
        return None

    def vote_stored(self) -> None:
        self.votes_stored += 1

    def results(self) -> dict[str, Any]:
        """The poll's statistics, recomputed soon after a new vote (see RESULTS_MIN_AGE)."""
        with self._lock:
            now = time.monotonic()
            if self._results is not None:
                at, seen, took, value = self._results
                age = now - at
                wait = min(RESULTS_MAX_AGE, max(RESULTS_MIN_AGE, 2 * took))
                fresh = seen == self.votes_stored or age < wait
                if age < RESULTS_TTL and fresh:
                    return value
            seen = self.votes_stored
            value = poll_results(self.store, self.poll.id, reps=LIVE_BOOTSTRAP_REPS)
            done = time.monotonic()
            self._results = (done, seen, done - now, value)
            return value

    def admin_ok(self, request: Request) -> bool:
        given = (
            request.headers.get("x-emlit-token")
            or request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            or request.query_params.get("token", "")
        )
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.poll.admin_token.encode())

    def set_phase(self, phase: str) -> str:
        with self._lock:
            polls.set_phase(self.store, self.poll.id, phase)
            self._cache.clear()
            self._results = None
        return phase

    def set_hidden(self, hidden: bool) -> bool:
        with self._lock:
            polls.set_hide_results(self.store, self.poll.id, hidden)
            self._cache.clear()
            self._results = None
        return hidden


async def read_json(request: Request, limit: int = BODY_LIMIT) -> dict[str, Any]:
    """The request body as a JSON object, read no further than ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"body: larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, f"body: larger than {limit} bytes")
    try:
        data = json.loads(bytes(body))
    except (ValueError, RecursionError):
        raise ApiError(400, "body: not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "body: expected a JSON object")
    return data


def _either(names: tuple[str, ...]) -> str:
    """The choices in an error message, as in 'a', 'b' or 'c', spelt as the vocabulary does."""
    quoted = [repr(n) for n in names]
    return f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def public_view(results: dict[str, Any], phase: str, hidden: bool, admin: bool) -> dict[str, Any]:
    """Results as the projector may show them: running phases hidden if asked, no free text."""
    running = [phase] if phase in VOTE_PHASES else []
    withheld = running if hidden and not admin else []
    phases = {}
    for name, body in results["phases"].items():
        if name in withheld:  # how many answered, nothing of what they answered
            phases[name] = {
                "voters": body["voters"],
                "hidden": True,
                "questions": {},
                "answered": {qid: s.get("n", 0) for qid, s in body["questions"].items()},
            }
            continue
        questions = {}
        for qid, summary in body["questions"].items():
            questions[qid] = {k: v for k, v in summary.items() if admin or k != "answers"}
        phases[name] = {"voters": body["voters"], "hidden": False, "questions": questions}
    show_pairs = not withheld
    return {
        "poll": results["poll"],
        "title": results["title"],
        "phase": phase,
        "hide_results": hidden,
        "phases": phases,
        "gap": {p: g for p, g in results["gap"].items() if p not in withheld},
        "transitions": results["transitions"] if show_pairs else {},
        "dropout": results["dropout"],
        "questions": results["questions"],
    }


def create_app(db_path: str, poll_id: str, *, voter_url: str = "") -> Starlette:
    """The ASGI app for one poll. ``voter_url`` is what the QR code on the projector encodes."""
    service = PollService(db_path, poll_id, voter_url)
    questionnaire = service.poll.questionnaire
    static = resources.files("emlit.poll") / "static"
    voter_page = (static / "voter.html").read_text(encoding="utf-8")
    projector_page = (static / "projector.html").read_text(encoding="utf-8")
    page_headers = {**SECURITY_HEADERS, "Content-Security-Policy": PAGE_CSP}

    async def home(request: Request) -> Response:
        return HTMLResponse(voter_page, headers=page_headers)

    async def projector(request: Request) -> Response:
        if not service.admin_ok(request):
            return error(
                403, "token: the projector page needs the admin token printed by `emlit poll serve`"
            )
        url = service.voter_url or str(request.base_url)
        qr_markup = lan.qr_svg(url, inline=True)  # segno's markup: fixed characters, no user text
        return HTMLResponse(projector_page.replace("<!--QR-->", qr_markup), headers=page_headers)

    async def qr(request: Request) -> Response:
        url = service.voter_url or str(request.base_url)
        return Response(lan.qr_svg(url), media_type="image/svg+xml", headers=SECURITY_HEADERS)

    poll_bodies: dict[tuple[str, bool], bytes] = {}

    def poll_body(phase: str, hidden: bool) -> bytes:
        """GET /api/poll's JSON, built once per state: every phone asks for it every few seconds."""
        key = (phase, hidden)
        if key not in poll_bodies:
            body = {
                "poll": service.poll.id,
                "title": service.poll.title,
                "phase": phase if phase in VOTE_PHASES else None,
                "questions": [q.to_api() for q in questionnaire.questions],
                "title_i18n": questionnaire.title,
                "hide_results": hidden,
                "voter_url": service.voter_url,
                "analysis": questionnaire.analysis,
            }
            poll_bodies[key] = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(
                "utf-8"
            )
        return poll_bodies[key]

    async def api_poll(request: Request) -> Response:
        fresh = service.state_now()
        phase, hidden = fresh if fresh is not None else await run_in_threadpool(service.state)
        return Response(
            poll_body(phase, hidden), media_type="application/json", headers=SECURITY_HEADERS
        )

    async def api_vote(request: Request) -> Response:
        data = await read_json(request)
        voter, qid, answer = data.get("voter"), data.get("question"), data.get("answer")
        if not isinstance(voter, str) or not polls.valid_voter(voter):
            raise ApiError(400, "voter: expected a token of 16 to 128 characters A-Z a-z 0-9 _ -")
        if not isinstance(qid, str):
            raise ApiError(400, "question: expected a question id (a string)")
        question = questionnaire.question(qid)
        if question is None:
            raise ApiError(422, f"question: no question with id {qid[:40]!r}")
        if "answer" not in data:
            raise ApiError(400, "answer: missing")
        try:
            stored = question.check_answer(answer)
        except EmlitError as exc:
            raise ApiError(422, str(exc)) from None
        expected = data.get("phase")
        if expected is not None and expected not in VOTE_PHASES:
            raise ApiError(400, f"phase: expected {_either(VOTE_PHASES)}")
        outcome = await service.writer.submit_async(
            QueuedVote(voter, qid, stored, question.phases, expected)
        )
        if outcome.ok:
            service.vote_stored()
            return JSONResponse(
                {"ok": True, "phase": outcome.phase, "question": qid, "answer": stored},
                headers=SECURITY_HEADERS,
            )
        if outcome.error.startswith("storage"):
            # The vote is NOT stored; the page keeps it and retries.
            return JSONResponse(
                {"error": "storage: the vote could not be saved; try again"},
                status_code=503,
                headers={**SECURITY_HEADERS, "Retry-After": "1"},
            )
        return error(409, outcome.error)

    async def api_results(request: Request) -> Response:
        admin = service.admin_ok(request)
        phase, hidden = await run_in_threadpool(service.state)
        results = await run_in_threadpool(service.results)
        return JSONResponse(public_view(results, phase, hidden, admin), headers=SECURITY_HEADERS)

    async def admin_phase(request: Request) -> Response:
        if not service.admin_ok(request):
            raise ApiError(403, "token: missing or wrong admin token")
        data = await read_json(request)
        phase = data.get("phase")
        if phase not in POLL_PHASES:
            raise ApiError(422, f"phase: expected {_either(POLL_PHASES)}")
        await run_in_threadpool(service.set_phase, phase)
        return JSONResponse({"ok": True, "phase": phase}, headers=SECURITY_HEADERS)

    async def admin_results(request: Request) -> Response:
        if not service.admin_ok(request):
            raise ApiError(403, "token: missing or wrong admin token")
        data = await read_json(request)
        hidden = data.get("hidden")
        if not isinstance(hidden, bool):
            raise ApiError(422, "hidden: expected true or false")
        await run_in_threadpool(service.set_hidden, hidden)
        return JSONResponse({"ok": True, "hidden": hidden}, headers=SECURITY_HEADERS)

    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error(exc.status, exc.message)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error(exc.status_code, str(exc.detail))

    async def on_emlit_error(request: Request, exc: Exception) -> Response:
        return error(409, str(exc))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # A bug, not bad input: say so in JSON. It stays a 5xx on purpose, so the phone page
        # keeps the vote and retries instead of dropping it as it does after a 4xx.
        return error(500, "internal error (a bug): nothing was stored; try again")

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/projector", projector),
            Route("/qr.svg", qr),
            Route("/api/poll", api_poll),
            Route("/api/vote", api_vote, methods=["POST"]),
            Route("/api/results", api_results),
            Route("/api/admin/phase", admin_phase, methods=["POST"]),
            Route("/api/admin/results", admin_results, methods=["POST"]),
        ],
        exception_handlers={
            ApiError: on_api_error,
            HTTPException: on_http_error,
            EmlitError: on_emlit_error,
            Exception: on_unexpected,
        },
        lifespan=_lifespan(service),
    )
    app.state.service = service
    return app


def _lifespan(service: PollService) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        service.close()

    return lifespan


def _import_statistics() -> None:
    import importlib

    for name in (
        "scipy.stats",
        "statsmodels.stats.proportion",
        "statsmodels.stats.contingency_tables",
    ):
        importlib.import_module(name)


def run(db_path: str, poll_id: str, *, host: str, port: int, voter_url: str) -> None:
    """Serve until interrupted (uvicorn, one process; access log off: no IPs are written)."""
    import sys

    import uvicorn

    # The vote writer thread and the event loop share the GIL; the default 5 ms switch
    # interval would add up to 5 ms of waiting to every commit and acknowledgement.
    sys.setswitchinterval(0.001)
    app = create_app(db_path, poll_id, voter_url=voter_url)
    # Import the statistics libraries now, not when the projector first asks for results.
    threading.Thread(target=_import_statistics, name="emlit-warm-up", daemon=True).start()
    uvicorn.run(
        app, host=host, port=port, access_log=False, log_level="warning", server_header=False
    )
