"""End to end: ``solara run viz/app.py`` in a real headless Chromium, offline.

Starts the page on a free loopback port, opens it in Debian's ``chromium`` through Playwright
(no browser download), and checks what only a browser shows: every script and style loads from
the local asset copy (``/_solara/cdn``, filled by ``scripts/install_viz_assets.py``), nothing is
fetched from outside this machine, the console stays free of errors, and Step, Play/Pause, a
policy switch and a scenario change redraw the map, the charts and the headline figures. The
last view is saved as ``docs/img/viz.png``.

Skipped when Chromium or Playwright is missing; fails when the offline assets are missing.
"""

from __future__ import annotations

import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "img" / "viz.png"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
N_CHARTS = 5  # the map and four charts
#: charts with a month axis (stages, transfers, public money): they change every month
TIME_CHARTS = (1, 2, 4)

if CHROMIUM is None:
    pytest.skip(
        "Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@dataclass
class Browsing:
    """The open page and what it has logged so far."""

    page: object
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    cdn: list[tuple[int, str]] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"solara run exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise TimeoutError(f"solara did not answer at {url} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """``solara run viz/app.py`` on a free loopback port; yields the base URL."""
    from viz.server import missing_assets, solara_command, solara_env

    missing = missing_assets()
    assert not missing, (
        f"offline Solara assets missing: {missing}; run `python scripts/install_viz_assets.py`"
    )
    port = _free_port()
    log = tmp_path_factory.mktemp("solara") / "server.log"
    cmd = solara_command("127.0.0.1", port, ROOT / "viz" / "app.py")
    assert cmd[:4] == [sys.executable, "-m", "solara", "run"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=solara_env(), stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_server(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        if proc.returncode not in (0, -15, 143):
            print(log.read_text())


@pytest.fixture(scope="module")
def browsing(server: str) -> Iterator[Browsing]:
    """The page open in headless Chromium, with its console and requests recorded."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        b = Browsing(page=page, base_url=server)

        def on_console(msg) -> None:
            if msg.type == "error":
                b.console_errors.append(msg.text)

        def on_request(request) -> None:
            host = urlparse(request.url).hostname or ""
            if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in LOOPBACK:
                b.outside.append(request.url)

        def on_response(response) -> None:
            if "/_solara/cdn/" in response.url:
                b.cdn.append((response.status, response.url))
            if response.status >= 400:
                b.failed.append(f"{response.status} {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: b.console_errors.append(f"page error: {exc}"))
        page.on("request", on_request)
        page.on("requestfailed", lambda r: b.failed.append(f"{r.failure} {r.url}"))
        page.on("response", on_response)
        page.goto(server)
        page.get_by_role("button", name="Step").wait_for()
        _wait_for_charts(page)
        try:
            yield b
        finally:
            context.close()
            browser.close()


# --- helpers ---------------------------------------------------------------------------------


def _wait_for_charts(page, timeout: float = 60_000) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('.vega-embed svg').length >= {N_CHARTS}", timeout=timeout
    )


def _month(page) -> int:
    text = page.locator(".sc-month").inner_text()
    match = re.match(r"Month (\d+) of", text)
    assert match, text
    return int(match.group(1))


def _wait_month(page, predicate: str, timeout: float = 30_000) -> None:
    """Wait until the month shown satisfies ``predicate`` (a JS expression in ``m``)."""
    page.wait_for_function(
        "() => { const t = document.querySelector('.sc-month')?.textContent || '';"
        " const m = parseInt((t.match(/Month (\\d+)/) || [])[1]); return " + predicate + "; }",
        timeout=timeout,
    )


def _charts(page) -> list[str]:
    """The SVG markup of the map and the charts, in page order."""
    return page.eval_on_selector_all(".vega-embed svg", "els => els.map(e => e.outerHTML)")


def _figures(page) -> list[str]:
    return [t.strip() for t in page.locator(".sc-figure").all_inner_texts()]


def _wait_charts_change(
    page, before: list[str], which: tuple[int, ...] = TIME_CHARTS, timeout: float = 15_000
) -> list[str]:
    """Wait until the SVGs at ``which`` differ from ``before``; return the new markup."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        now = _charts(page)
        changed = [now[i] != before[i] for i in which if i < len(now)]
        if len(now) >= N_CHARTS and len(changed) == len(which) and all(changed):
            return now
        if time.monotonic() > deadline:
            raise AssertionError(f"charts {which} did not all redraw: changed = {changed}")
        page.wait_for_timeout(50)


def _click_step(page) -> None:
    page.get_by_role("button", name="Step").click()


# --- tests -----------------------------------------------------------------------------------


def test_page_renders_offline_without_console_errors(browsing: Browsing) -> None:
    page = browsing.page
    assert page.get_by_text("Science City: from lab to market").first.is_visible()
    for label in ("Reset", "Step", "▶"):
        assert page.get_by_role("button", name=label).is_visible()
    assert page.locator(".vega-embed svg").count() == N_CHARTS
    assert page.get_by_text("How to read this").is_visible()
    svg = _charts(page)[0]
    assert "one-hour circle (60 min)" in svg  # the ring's label on the map
    assert browsing.cdn, "the page loaded nothing through /_solara/cdn"
    assert all(status < 400 for status, _ in browsing.cdn), browsing.cdn
    assert not browsing.failed, browsing.failed
    assert not browsing.outside, f"requests leaving this machine: {browsing.outside}"
    assert not browsing.console_errors, browsing.console_errors


def test_step_redraws_everything_and_is_fast(browsing: Browsing) -> None:
    page = browsing.page
    start = _month(page)
    before = _charts(page)
    _click_step(page)
    _wait_month(page, f"m === {start + 1}")
    _wait_charts_change(page, before)
    # step + redraw as a user sees it: click -> new month shown and all charts redrawn
    times = []
    for _ in range(8):
        month, before = _month(page), _charts(page)
        t0 = time.perf_counter()
        _click_step(page)
        _wait_month(page, f"m === {month + 1}")
        _wait_charts_change(page, before)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(f"browser step + redraw: median {median * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    assert median < 1.5


def test_play_and_pause(browsing: Browsing) -> None:
    page = browsing.page
    start = _month(page)
    before = _charts(page)
    page.get_by_role("button", name="▶").click()
    _wait_month(page, f"m >= {start + 1}")
    t0, m0 = time.perf_counter(), _month(page)
    _wait_month(page, f"m >= {start + 8}")
    rate = (_month(page) - m0) / (time.perf_counter() - t0)
    print(f"playing: {rate:.1f} months per second (one month per frame)")
    _wait_charts_change(page, before, which=tuple(range(N_CHARTS)))
    page.get_by_role("button", name="❚❚").click()
    page.get_by_role("button", name="▶").wait_for()
    page.wait_for_timeout(800)
    paused_at = _month(page)
    page.wait_for_timeout(1200)
    assert _month(page) == paused_at, "the model kept running after Pause"
    assert paused_at >= start + 8


def test_policy_switch_and_slider_act_from_the_next_month(browsing: Browsing) -> None:
    page = browsing.page
    page.get_by_role("navigation").get_by_text("One-hour circle", exact=True).click()
    slider = page.get_by_role("slider", name="Circle:")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 60 -> 70 minutes
    assert slider.get_attribute("aria-valuenow") == "70"
    before = _charts(page)
    month = _month(page)
    _click_step(page)
    _wait_month(page, f"m === {month + 1}")
    page.wait_for_function(
        "document.querySelector('.vega-embed svg')?.outerHTML.includes('(70 min)')"
    )
    assert "(60 min)" in before[0]
    checkbox = page.locator(".v-input--checkbox", has_text="One-hour circle").locator("input")
    sync_api.expect(checkbox).to_be_checked()


def test_scenario_reset_and_headline_figures_change(browsing: Browsing) -> None:
    page = browsing.page
    figures_before = _figures(page)
    page.locator(".v-select", has_text="Scenario").click()
    page.get_by_role("option", name="full_chain").click()
    local_cdmo = page.locator(".v-input--checkbox", has_text="Local CDMO").locator("input")
    sync_api.expect(local_cdmo).to_be_checked()
    page.get_by_role("button", name="Reset").click()
    _wait_month(page, "m === 0")
    # a faster run: eleven months per frame (Mesa's render interval slider, 1 -> 11)
    render = page.get_by_role("slider", name="Render Interval (steps)")
    render.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert render.get_attribute("aria-valuenow") == "11"
    before = _charts(page)
    page.get_by_role("button", name="▶").click()
    total = int(re.search(r"of (\d+)", page.locator(".sc-month").inner_text()).group(1))
    _wait_month(page, f"m >= {total}", timeout=240_000)  # to the end of the run
    sync_api.expect(page.get_by_role("button", name="Step")).to_be_disabled()
    assert _month(page) == total, "the model ran past the end of the run"
    _wait_charts_change(page, before, which=tuple(range(N_CHARTS)))
    figures = _figures(page)
    assert figures != figures_before, f"headline figures unchanged after a full run: {figures}"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000
    assert not browsing.console_errors, browsing.console_errors
    assert not browsing.outside, browsing.outside


def test_typed_seed_restarts_the_run(browsing: Browsing) -> None:
    page = browsing.page
    assert _month(page) > 0
    field = page.get_by_label("Seed (press Enter)")
    field.fill("2024")
    field.press("Enter")
    _wait_month(page, "m === 0")
    # the ended run was replaced: Play and Step are on again, at one month per frame
    sync_api.expect(page.get_by_role("button", name="▶")).to_be_enabled()
    _click_step(page)
    _wait_month(page, "m === 1")
    assert not browsing.console_errors, browsing.console_errors
