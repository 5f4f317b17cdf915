"""The phone page (contract 7) in headless Chromium against a real server on 127.0.0.1.

Needs the Debian `chromium` package (/usr/bin/chromium); Playwright only drives it (never
`playwright install`). Screenshots go to $EMLIT_SCREENSHOTS if set, else the test's tmp dir.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from emlit.poll.stats import poll_results
from emlit.poll.store import set_phase
from emlit.store import Store
from tests.poll_support import Server, new_poll

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def votes(db: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT voter, phase, question, answer FROM poll_votes ORDER BY phase, question"
        ).fetchall()


# WCAG 2 contrast of every visible text element against its (nearest opaque) background.
CONTRAST_JS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                     if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
  const out = [];
  for (const el of document.querySelectorAll("h1, h2, p, button, label, input, textarea")) {
    if (!el.offsetParent || !el.textContent.trim() && !el.value) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg(el));
    out.push([el.tagName + " " + el.textContent.trim().slice(0, 30), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
  }
  return out;
}"""


def assert_accessible(page: Page) -> None:
    ratios = page.evaluate(CONTRAST_JS)
    assert len(ratios) > 20
    assert all(isinstance(r, float | int) and 1 <= r <= 21 for _, r in ratios), ratios[:5]
    low = [(what, round(r, 2)) for what, r in ratios if r < 4.5]
    assert low == [], low
    # every control has an accessible name; every input has a label
    for control in page.locator("button, input, textarea").all():
        name = control.evaluate(
            "e => e.labels && e.labels.length ? e.labels[0].textContent : e.textContent"
        )
        assert name.strip(), control.evaluate("e => e.outerHTML")


def recorded(page: Page, qid: str) -> None:
    expect(page.locator(f'section[data-q="{qid}"]')).to_have_attribute(
        "data-state", "recorded", timeout=15_000
    )


@pytest.fixture
def browser_page(tmp_path: Path):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            locale="en-US",
            has_touch=True,
        )
        page = context.new_page()
        yield page
        context.close()
        browser.close()


def test_phone_page_votes_pairs_and_retries(browser_page: Page, tmp_path: Path) -> None:
    page = browser_page
    shots = Path(os.environ.get("EMLIT_SCREENSHOTS") or tmp_path)
    db = tmp_path / "poll.db"
    poll_id, _ = new_poll(db, "Emergence talk")
    server = Server(db, poll_id).start()
    requested: list[str] = []
    page.on("request", lambda req: requested.append(req.url))
    try:
        page.goto(server.base + "/")
        agree = page.locator('[data-question="belief"][data-option="agree"]')
        agree.click()
        recorded(page, "belief")
        expect(page.locator('[data-status-for="belief"]')).to_have_text("Recorded")
        expect(agree).to_have_attribute("aria-pressed", "true")
        page.locator('[data-question="consensus"][data-option="agree"]').click()
        page.locator('input[data-question="consensus_pct"]').fill("65")
        page.locator('[data-submit="consensus_pct"]').click()
        recorded(page, "consensus_pct")
        # keyboard only: focus an option and press Enter
        page.locator('[data-question="definition"][data-option="D3"]').focus()
        page.keyboard.press("Enter")
        recorded(page, "definition")
        # markup typed into free text is stored as text and never rendered as markup
        page.locator('textarea[data-question="comment"]').fill("<img src=x onerror=alert(1)> 好")
        page.locator('[data-submit="comment"]').click()
        recorded(page, "comment")
        page.screenshot(path=str(shots / "poll_phone_en.png"), full_page=True)
        assert_accessible(page)
        page.emulate_media(color_scheme="dark")
        assert_accessible(page)
        page.emulate_media(color_scheme="light")

        token = page.evaluate(f"localStorage.getItem('emlit:{poll_id}:voter')")
        assert 16 <= len(token) <= 128
        assert votes(db) == sorted(
            [
                (token, "pre", "belief", "agree"),
                (token, "pre", "consensus", "agree"),
                (token, "pre", "consensus_pct", "65"),
                (token, "pre", "definition", "D3"),
                (token, "pre", "comment", "<img src=x onerror=alert(1)> 好"),
            ],
            key=lambda r: (r[1], r[2]),
        )

        page.reload()
        expect(page.locator('[data-question="belief"][data-option="agree"]')).to_have_attribute(
            "aria-pressed", "true"
        )
        assert page.evaluate(f"localStorage.getItem('emlit:{poll_id}:voter')") == token
        assert page.locator("img").count() == 0

        page.locator("#lang").click()
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        expect(page.locator("#label-belief")).to_contain_text("涌现")
        page.screenshot(path=str(shots / "poll_phone_zh.png"), full_page=True)
        assert_accessible(page)
        page.locator("#lang").click()

        with Store(db) as store:
            set_phase(store, poll_id, "post")
        expect(page.locator("#phase")).to_have_text("After the talk", timeout=15_000)
        expect(page.locator('[data-question="field"]')).to_have_count(
            0
        )  # asked before the talk only
        page.locator('[data-question="belief"][data-option="unsure"]').click()
        recorded(page, "belief")

        # the server goes away: the vote waits in the page and is sent when it is back
        server.stop()
        page.locator('[data-question="consensus"][data-option="unsure"]').click()
        expect(page.locator('section[data-q="consensus"]')).to_have_attribute(
            "data-state", "error", timeout=10_000
        )
        server.start()
        recorded(page, "consensus")

        assert (token, "post", "consensus", "unsure") in votes(db)
        with Store(db) as store:
            result = poll_results(store, poll_id)
        assert result["transitions"]["belief"]["n_paired"] == 1
        assert result["transitions"]["belief"]["matrix"]["agree"]["unsure"] == 1
        assert all(url.startswith(server.base) for url in requested), [
            u for u in requested if not u.startswith(server.base)
        ]
    finally:
        server.stop()


def test_projector_page_shows_qr_and_live_results(browser_page: Page, tmp_path: Path) -> None:
    page = browser_page
    shots = Path(os.environ.get("EMLIT_SCREENSHOTS") or tmp_path)
    db = tmp_path / "poll.db"
    poll_id, token = new_poll(db, "Projector <script>x</script>")
    with Server(db, poll_id) as server:
        import httpx

        for i, a in enumerate(["agree", "agree", "unsure"]):
            assert (
                httpx.post(
                    server.base + "/api/vote",
                    json={"voter": f"projector-voter-{i:04d}", "question": "belief", "answer": a},
                ).status_code
                == 200
            )
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{server.base}/projector?token={token}")
        expect(page.locator("#title")).to_have_text("Projector <script>x</script>")
        expect(page.locator("#results")).to_contain_text("67% (2)", timeout=10_000)
        assert page.locator("#qr svg").bounding_box()["width"] > 200
        qr_doc = httpx.get(server.base + "/qr.svg")
        assert (
            qr_doc.headers["content-type"].startswith("image/svg+xml")
            and 'xmlns="http://www.w3.org/2000/svg"' in qr_doc.text
        )
        page.locator('[data-phase="post"]').click()
        expect(page.locator("#phase")).to_have_text("Phase: post", timeout=10_000)
        page.screenshot(path=str(shots / "poll_projector.png"))
        assert httpx.get(server.base + "/api/poll").json()["phase"] == "post"
