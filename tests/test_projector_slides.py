"""The projector as slides (contract 12) in headless Chromium against a real server.

At 1280x720 and 1920x1080, light and dark, every question's slide fits without scrolling,
its answer labels are at least 3% of the window's height, Wilson intervals are drawn and the
voter page's QR code sits in a corner; clicker keys move between questions; a vote posted
through the API is on screen within 2 s without a reload; hidden results stay hidden.

Needs Debian's `chromium` (/usr/bin/chromium); Playwright only drives it, with no network
beyond the poll server. Screenshots go to $EMLIT_SCREENSHOTS if set, else the tmp dir.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.poll_support import Server, eventually, new_poll
from tests.test_poll_browser import ARGS, CHROMIUM

SIZES = [(1280, 720), (1920, 1080)]
Scheme = Literal["light", "dark"]
QUESTIONS = [
    "belief",
    "consensus",
    "consensus_pct",
    "definition",
    "field",
    "career_stage",
    "comment",
]
MIN_LABEL = 0.03  # answer labels: at least 3% of the window's height

METRICS_JS = """() => {
  const de = document.documentElement;
  const labels = [...document.querySelectorAll('[data-role="answer-label"]')];
  const qr = document.querySelector('#qr svg').getBoundingClientRect();
  const outside = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width && (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5 || r.top < -0.5 || r.left < -0.5);
  }).map(e => e.tagName + '.' + e.className);
  return {
    scrollHeight: de.scrollHeight, scrollWidth: de.scrollWidth,
    innerHeight: innerHeight, innerWidth: innerWidth,
    labelSizes: labels.map(e => parseFloat(getComputedStyle(e).fontSize)),
    labelsClipped: labels.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent),
    errorBars: [...document.querySelectorAll('.ci')].filter(e => e.getBoundingClientRect().width > 0).length,
    qr: {left: qr.left, top: qr.top, right: qr.right, bottom: qr.bottom, width: qr.width},
    outside: outside,
    background: getComputedStyle(document.body).backgroundColor,
  };
}"""


def luminance(css: str) -> float:
    r, g, b = (int(x) for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def vote(base: str, voter: str, question: str, answer: Any) -> None:
    r = httpx.post(
        base + "/api/vote", json={"voter": voter, "question": question, "answer": answer}
    )
    assert r.status_code == 200, r.text


def audience(base: str, n: int = 30, seed: int = 3) -> None:
    """n voters answer every pre-talk question (the comment too)."""
    rng = random.Random(seed)
    for i in range(n):
        v = f"slide-voter-{i:06d}"
        vote(base, v, "belief", rng.choice(["agree", "agree", "disagree", "unsure"]))
        vote(base, v, "consensus", rng.choice(["agree"] * 4 + ["disagree", "unsure"]))
        vote(base, v, "consensus_pct", rng.randint(30, 95))
        vote(base, v, "definition", rng.choice(["D1", "D3", "D4", "D6", "other"]))
        vote(base, v, "field", rng.choice(["nlp", "ml", "cogsci", "other"]))
        vote(base, v, "career_stage", rng.choice(["student", "postdoc", "faculty"]))
        if i % 5 == 0:
            vote(base, v, "comment", "<b>not markup</b> 好")


@pytest.fixture(scope="module")
def talk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A poll after the talk: 30 answered before, 20 of them after."""
    db = tmp_path_factory.mktemp("slides") / "poll.db"
    poll_id, token = new_poll(db, "Emergence: a sanity check")
    server = Server(db, poll_id).start()
    try:
        audience(server.base)
        httpx.post(
            server.base + "/api/admin/phase",
            json={"phase": "post"},
            headers={"X-Emlit-Token": token},
        ).raise_for_status()
        rng = random.Random(5)
        for i in range(20):
            v = f"slide-voter-{i:06d}"
            vote(server.base, v, "belief", rng.choice(["disagree", "unsure", "unsure"]))
            vote(server.base, v, "consensus", rng.choice(["agree", "unsure"]))
            vote(server.base, v, "definition", rng.choice(["D1", "D3", "D4"]))
        yield server, token
    finally:
        server.stop()


def open_slide(page: Page, server: Server, token: str, q: str | None = None) -> None:
    page.goto(f"{server.base}/projector?token={token}" + (f"&q={q}" if q else ""))
    expect(page.locator("html")).to_have_attribute("data-ready", "1", timeout=10_000)


def new_page(browser: Browser, size: tuple[int, int], scheme: Scheme = "light") -> Page:
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, color_scheme=scheme, locale="en-US"
    )
    return context.new_page()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_slide_fits_with_large_labels(
    browser: Browser,
    talk: tuple[Server, str],
    size: tuple[int, int],
    scheme: Scheme,
    tmp_path: Path,
) -> None:
    server, token = talk
    page = new_page(browser, size, scheme)
    requested: list[str] = []
    page.on("request", lambda req: requested.append(req.url))
    shots = Path(os.environ.get("EMLIT_SCREENSHOTS") or tmp_path)
    smallest = 1.0
    try:
        for q in QUESTIONS:
            open_slide(page, server, token, q)
            expect(page.locator("#slide")).to_have_attribute("data-q", q)
            m = page.evaluate(METRICS_JS)
            where = f"{q} at {size[0]}x{size[1]} ({scheme})"
            assert m["scrollHeight"] <= m["innerHeight"], where
            assert m["scrollWidth"] <= m["innerWidth"], where
            assert m["outside"] == [], where
            if q != "comment":  # free text is never shown: no answer labels on its slide
                assert m["labelSizes"], where
                share = min(m["labelSizes"]) / m["innerHeight"]
                smallest = min(smallest, share)
                assert share >= MIN_LABEL, (where, m["labelSizes"])
            assert m["labelsClipped"] == [], where
            if q in ("belief", "definition", "field"):  # Wilson intervals as error bars
                options = page.locator(".row").count()
                assert options >= 3 and m["errorBars"] >= options, where
            # the voter page's QR code, in the top right corner, big enough to scan
            qr = m["qr"]
            assert qr["width"] >= 0.25 * m["innerHeight"], where
            assert qr["right"] >= m["innerWidth"] - 0.06 * m["innerWidth"], where
            assert qr["top"] <= 0.15 * m["innerHeight"], where
            dark = luminance(m["background"]) < 0.2
            assert dark is (scheme == "dark"), where
            if size == (1920, 1080) and q in ("consensus", "definition"):
                page.screenshot(path=str(shots / f"projector_{q}_{scheme}_1920.png"))
        print(
            f"\n{size[0]}x{size[1]} {scheme}: smallest answer label "
            f"{100 * smallest:.2f}% of the window height"
        )
        assert all(url.startswith(server.base) for url in requested), [
            u for u in requested if not u.startswith(server.base)
        ]
    finally:
        page.context.close()


def test_gap_is_the_headline_of_the_consensus_slide(
    browser: Browser, talk: tuple[Server, str]
) -> None:
    server, token = talk
    page = new_page(browser, (1920, 1080))
    try:
        open_slide(page, server, token, "consensus")
        head = page.locator("#headline")
        expect(head).to_be_visible()
        expect(head).to_contain_text("agree themselves")
        expect(head).to_contain_text("think most colleagues agree")
        gap = float(head.get_attribute("data-gap") or "nan")
        results = httpx.get(server.base + "/api/results").json()
        live = results["gap"]["post"] or {}
        expected = (live.get("consensus") or results["gap"]["pre"]["consensus"])["gap"]
        assert gap == pytest.approx(expected)
        # the headline is the biggest text on the slide
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => e.offsetParent && e.childElementCount === 0 && e.textContent.trim())
                 .map(e => [e.closest('#headline') !== null, parseFloat(getComputedStyle(e).fontSize)])"""
        )
        biggest_in_head = max(s for inside, s in sizes if inside)
        assert biggest_in_head >= max(s for _, s in sizes)
        open_slide(page, server, token, "consensus_pct")
        expect(page.locator("#headline")).to_contain_text("predicted to agree")
        expect(page.locator(".marker")).to_have_count(2)
    finally:
        page.context.close()


def test_clicker_keys_move_between_questions(browser: Browser, talk: tuple[Server, str]) -> None:
    server, token = talk
    page = new_page(browser, (1280, 720))
    slide = page.locator("#slide")
    try:
        open_slide(page, server, token)  # without q: the first question
        expect(slide).to_have_attribute("data-q", QUESTIONS[0])
        page.evaluate("window.__sameDocument = true")
        for key, q in [
            ("ArrowRight", "consensus"),
            ("PageDown", "consensus_pct"),
            ("ArrowRight", "definition"),
            ("ArrowLeft", "consensus_pct"),
            ("PageUp", "consensus"),
            ("PageUp", "belief"),
            ("PageUp", "belief"),  # stays on the first
            ("End", QUESTIONS[-1]),
            ("PageDown", QUESTIONS[-1]),  # stays on the last
            ("Home", "belief"),
            ("PageDown", "consensus"),
        ]:
            page.keyboard.press(key)
            expect(slide).to_have_attribute("data-q", q)
            assert page.url.endswith(f"q={q}") and f"token={token}" in page.url
        assert page.evaluate("window.__sameDocument") is True  # no reload
        # a focused presenter button does not swallow the clicker's keys
        page.locator("#next").click()
        expect(slide).to_have_attribute("data-q", "consensus_pct")
        page.keyboard.press("PageDown")
        expect(slide).to_have_attribute("data-q", "definition")
        # the URL names the slide: a reload comes back to it; an unknown id shows the first
        page.reload()
        expect(page.locator("html")).to_have_attribute("data-ready", "1")
        expect(slide).to_have_attribute("data-q", "definition")
        open_slide(page, server, token, "nosuch")
        expect(slide).to_have_attribute("data-q", QUESTIONS[0])
        expect(page.locator("#counter")).to_have_text(f"1 / {len(QUESTIONS)}")
    finally:
        page.context.close()


def test_light_and_dark_and_the_toggle_key(browser: Browser, talk: tuple[Server, str]) -> None:
    server, token = talk
    schemes: tuple[Scheme, ...] = ("light", "dark")
    for scheme in schemes:
        page = new_page(browser, (1280, 720), scheme)
        try:
            open_slide(page, server, token, "belief")

            def background(page: Page = page) -> float:
                return luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))

            assert (background() < 0.2) is (scheme == "dark")
            page.keyboard.press("d")
            assert (background() < 0.2) is (scheme != "dark")
            page.reload()  # the choice is remembered
            expect(page.locator("html")).to_have_attribute("data-ready", "1")
            assert (background() < 0.2) is (scheme != "dark")
            page.locator("#theme").click()
            assert (background() < 0.2) is (scheme == "dark")
        finally:
            page.context.close()


def test_a_new_vote_is_on_screen_within_two_seconds(browser: Browser, tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    poll_id, token = new_poll(db, "Live")
    with Server(db, poll_id) as server:
        audience(server.base, n=5)
        for size in SIZES:
            page = new_page(browser, size)
            try:
                open_slide(page, server, token, "belief")
                page.evaluate("window.__sameDocument = true")
                agree = page.locator('.s0 .value[data-option="agree"]')
                # A server that has just started loads the statistics libraries (scipy,
                # statsmodels: seconds on a busy machine) in the background; one vote first.
                before = int(agree.get_attribute("data-count") or "0")
                vote(server.base, f"warm-up-voter-{size[0]}", "belief", "agree")
                expect(agree).to_have_attribute("data-count", str(before + 1), timeout=15_000)
                delays = []
                for i in range(5):
                    before = int(agree.get_attribute("data-count") or "0")
                    sent = time.monotonic()
                    vote(server.base, f"late-voter-{size[0]}-{i:04d}", "belief", "agree")
                    deadline = sent + 2.0
                    while int(agree.get_attribute("data-count") or "0") != before + 1:
                        assert time.monotonic() < deadline, "the vote did not show within 2 s"
                        time.sleep(0.02)
                    delays.append(time.monotonic() - sent)
                    time.sleep(0.3 * i)  # votes arriving at different points of the poll cycle
                assert page.evaluate("window.__sameDocument") is True
                print(
                    f"\n{size[0]}x{size[1]}: vote to screen "
                    + ", ".join(f"{d:.2f}" for d in delays)
                    + f" s (max {max(delays):.2f} s)"
                )
                assert max(delays) < 2.0
            finally:
                page.context.close()


def test_hidden_results_stay_hidden(browser: Browser, tmp_path: Path) -> None:
    db = tmp_path / "hidden.db"
    poll_id, token = new_poll(db, "Hidden")
    admin = {"X-Emlit-Token": token}
    with Server(db, poll_id) as server:
        httpx.post(server.base + "/api/admin/results", json={"hidden": True}, headers=admin)
        audience(server.base, n=6)
        page = new_page(browser, (1920, 1080))
        try:
            for q in ("belief", "consensus", "consensus_pct", "definition"):
                open_slide(page, server, token, q)
                hidden = page.locator('#results [data-hidden="true"]')
                expect(hidden).to_be_visible()
                expect(hidden).to_contain_text("hidden")
                expect(hidden).to_contain_text("6 answers so far")  # counts of votes only
                assert page.locator("#headline").is_hidden()
                assert page.locator(".fill, .value, .col .bar").count() == 0
                assert "%" not in page.locator("#results").inner_text()
                assert page.locator("#sub").is_hidden()
            # one more vote: the count moves, the results stay hidden
            vote(server.base, "hidden-late-voter-01", "belief", "agree")
            open_slide(page, server, token, "belief")
            expect(page.locator('#results [data-hidden="true"]')).to_contain_text(
                "7 answers so far", timeout=3000
            )
            # once the phase closes the pre-talk results are shown
            httpx.post(server.base + "/api/admin/phase", json={"phase": "post"}, headers=admin)
            expect(page.locator('.s0 .value[data-option="agree"]')).to_be_visible(timeout=5000)
            expect(page.locator(".legend")).to_contain_text("Before the talk")
            expect(page.locator('#results [data-hidden="true"]')).to_contain_text(
                "After the talk: results hidden"
            )
            eventually(
                lambda: page.locator("#headline").is_hidden(), "no post-talk headline yet", 5
            )
            open_slide(page, server, token, "consensus")
            expect(page.locator("#headline")).to_contain_text("agree themselves")
        finally:
            page.context.close()
