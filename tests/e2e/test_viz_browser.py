"""End to end: ``solara run viz/app.py`` in a real headless Chromium, offline.

Starts the page on a free loopback port, opens it in Debian's ``chromium`` through Playwright
(no browser download), at a projector's 1366 × 768 and at 1920 × 1080, and checks what only a
browser shows: every script and style loads from the local asset copy (``/_solara/cdn``, see
``viz.assets``), nothing is fetched from outside this machine, the console stays free of errors;
the essentials fit the screen without scrolling and no legend is cut; Mesa's developer controls
are hidden; a project passes a gate beyond its proof of concept (a licence, a start-up, a pilot,
the clinic, the market) within the first 20 s of play, for the default seed and two others,
and the ticker names it; the two
worlds share their discoveries (the same PoC entries in month 1, read from the page's CSV
export) and differ after the policy; hovering a map marker shows its details; the PNG, SVG and
CSV buttons produce files. Screenshots for the README: ``docs/img/viz_compare.png`` (the two
worlds), ``docs/img/viz_inspect.png`` (an inspected actor), ``docs/img/viz.png`` (1920 × 1080).

Skipped when Chromium or Playwright is missing; fails when the offline assets are missing.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import socket
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
IMG = ROOT / "docs" / "img"
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
SCREENS = {"projector": (1366, 768), "full_hd": (1920, 1080)}

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
    screen: str = ""
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


@pytest.fixture(scope="module", params=list(SCREENS))
def browsing(request, server: str) -> Iterator[Browsing]:
    """The page open in headless Chromium at one screen size, its console and requests recorded."""
    width, height = SCREENS[request.param]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(60_000)
        b = Browsing(page=page, base_url=server, screen=request.param)

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
        t0 = time.perf_counter()
        page.goto(server)
        page.get_by_role("button", name="Step").wait_for()
        _wait_for_charts(page)
        print(f"{request.param}: page ready in {time.perf_counter() - t0:.1f} s")
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


def _reset(page) -> None:
    page.get_by_role("button", name="Reset").click()
    _wait_month(page, "m === 0")


def _pause(page) -> None:
    pause = page.get_by_role("button", name="❚❚")
    if pause.count():
        pause.click()
    page.get_by_role("button", name="▶").wait_for()
    # A step already under way when the pause arrived still renders; wait until the month
    # holds still, so a field filled next is not re-rendered back to its old value.
    shown = _month(page)
    for _ in range(20):
        page.wait_for_timeout(250)
        now = _month(page)
        if now == shown:
            return
        shown = now


def _choose_scenario(page, label: str) -> None:
    page.locator(".v-select", has_text="Scenario").click()
    page.get_by_role("option", name=label).click()


def _csv_rows(page) -> list[dict[str, str]]:
    """The page's monthly CSV export, downloaded and parsed."""
    with page.expect_download() as info:
        page.get_by_role("button", name="Monthly data (CSV)").click()
    download = info.value
    assert download.suggested_filename == "sciencecity_monthly.csv"
    return list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))


def _inside_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "el => { const r = el.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 1"
        " && r.right <= window.innerWidth + 1; }",
    )


# --- tests -----------------------------------------------------------------------------------


def test_page_renders_offline_without_console_errors(browsing: Browsing) -> None:
    page = browsing.page
    assert page.get_by_text("Science City: from lab to market").first.is_visible()
    for label in ("Reset", "Step", "▶"):
        assert page.get_by_role("button", name=label).is_visible()
    assert page.locator(".vega-embed svg").count() == N_CHARTS
    assert "one-hour circle (60 min)" in page.locator(".sc-map svg").inner_html()
    assert browsing.cdn, "the page loaded nothing through /_solara/cdn"
    assert all(status < 400 for status, _ in browsing.cdn), browsing.cdn
    assert not browsing.failed, browsing.failed
    assert not browsing.outside, f"requests leaving this machine: {browsing.outside}"
    assert not browsing.console_errors, browsing.console_errors


def test_teacher_layout_fits_the_screen_and_cuts_no_legend(browsing: Browsing) -> None:
    page = browsing.page
    for selector in (
        ".sc-gates",
        ".sc-headline",
        ".sc-ticker",
        ".sc-map",
        ".sc-month",
        ".sc-help",
        ".sc-speed",
    ):
        assert _inside_viewport(page, selector), f"{selector} is not fully on screen"
    for label in ("Reset", "▶", "Step"):
        box = page.get_by_role("button", name=label).bounding_box()
        assert box and box["y"] + box["height"] <= page.viewport_size["height"], label
    # Mesa's developer controls are hidden; the class sees a speed slider
    for hidden in ("Render Interval (steps)", "Play Interval (ms)", "Use Threads"):
        assert not page.get_by_text(hidden).is_visible()
    assert not page.get_by_text(re.compile(r"^Time: ")).is_visible()
    assert page.get_by_text("Speed: 1 month per step").is_visible()
    # every word of the map and the charts (legends included) is whole and inside its card
    cut = page.eval_on_selector_all(
        ".sc-chart, .sc-map",
        """cards => cards.flatMap(card => {
            const c = card.getBoundingClientRect();
            const clip = card.querySelector('.vega-embed').getBoundingClientRect();
            return [...card.querySelectorAll('svg text')].filter(t => {
                const r = t.getBoundingClientRect();
                return r.width > 0 && (r.right > Math.min(c.right, clip.right) + 1
                    || r.left < c.left - 1 || t.textContent.endsWith('…'));
            }).map(t => t.textContent);
        })""",
    )
    assert not cut, f"cut or clipped labels: {cut}"
    # nothing lies over a button of the page (Solara's banner once covered an export button)
    covered = page.eval_on_selector_all(
        ".sc-export button, .sc-dashboard button",
        """buttons => buttons.filter(b => {
            const r = b.getBoundingClientRect();
            if (!r.width || r.bottom > window.innerHeight) return false;
            const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return !b.contains(top);
        }).map(b => b.className + ' ' + b.textContent.trim())""",
    )
    assert not covered, f"buttons covered by something else: {covered}"
    # one set of labels: the dropdown says what the checkboxes say
    _choose_scenario(page, "Validation teams")
    box = page.locator(".v-input--checkbox", has_text="Validation teams").locator("input")
    sync_api.expect(box).to_be_checked()
    _choose_scenario(page, "Status quo (no policy)")
    sync_api.expect(box).not_to_be_checked()
    _reset(page)


#: The default seed, and the first two seeds. Not chosen by how they run: in a running
#: ecosystem a licence or a start-up comes every few months whatever the seed (measured on
#: seeds 1, 2, 3, 7, 42 and 2024 of the spun-up status quo: the first by lesson month 7).
GATE_SEEDS = ("42", "1", "2")
#: The gates beyond the proof of concept (``ecosystem.vocabulary.GATES``).
LATER_GATES = ("licence", "pilot", "clinical", "approval", "market")


def _set_seed(page, seed: str) -> None:
    field = page.get_by_label("Seed (press Enter)")
    field.fill(seed)
    sync_api.expect(field).to_have_value(seed)
    field.press("Enter")
    _wait_month(page, "m === 0")


def test_a_project_passes_a_gate_within_20_s_of_play_for_three_seeds(browsing: Browsing) -> None:
    """At the default speed, something the class is told to watch happens at once."""
    page = browsing.page
    later = ", ".join(f"'.sc-gate-{g} .sc-gate-count'" for g in LATER_GATES)
    for seed in GATE_SEEDS:
        _set_seed(page, seed)
        assert page.get_by_text("Speed: 1 month per step").is_visible()
        counts = [page.locator(f".sc-gate-{g} .sc-gate-count").inner_text() for g in LATER_GATES]
        assert counts == ["0"] * len(LATER_GATES), counts
        t0 = time.perf_counter()
        page.get_by_role("button", name="▶").click()
        try:
            page.wait_for_function(
                f"() => [{later}].some(s => (document.querySelector(s)?.textContent || '0')"
                ".trim() !== '0')",
                timeout=20_000,
            )
        except sync_api.TimeoutError:
            shown = page.locator(".sc-gates").inner_text().replace("\n", " ")
            pytest.fail(f"seed {seed}: no gate beyond PoC in 20 s; month {_month(page)}; {shown}")
        seconds = time.perf_counter() - t0
        _pause(page)
        ticker = page.locator(".sc-ticker").inner_text()
        print(
            f"{browsing.screen}: seed {seed}: first gate beyond PoC after {seconds:.1f} s of "
            f"play (month {_month(page)}); ticker: {ticker.splitlines()[0]}"
        )
        assert re.search(r"month \d+ · .*(licensed|start-up|pilot|clinical|market)", ticker)
    _set_seed(page, "42")
    assert not browsing.console_errors, browsing.console_errors


def test_two_worlds_share_discoveries_and_differ_after_the_policy(browsing: Browsing) -> None:
    page = browsing.page
    _choose_scenario(page, "Pilot insurance")
    _reset(page)
    page.get_by_role("button", name="Step").click()
    _wait_month(page, "m === 1")
    rows = _csv_rows(page)
    month1 = {r["world"]: r for r in rows if r["lesson_month"] == "1"}
    start = {r["world"]: r for r in rows if r["lesson_month"] == "0"}
    assert set(month1) == {"Chosen policies", "Status quo"}
    entries = {w: int(month1[w]["entered_poc"]) - int(start[w]["entered_poc"]) for w in month1}
    assert entries["Chosen policies"] == entries["Status quo"], entries
    assert month1["Chosen policies"]["discoveries"] == month1["Status quo"]["discoveries"]
    # a faster pace (Speed slider: 12 months per step), then the worlds part
    speed = page.get_by_role("slider", name=re.compile("^Speed:"))
    speed.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    sync_api.expect(page.get_by_text("Speed: 12 months per step")).to_be_visible()
    for _ in range(3):
        month = _month(page)
        page.get_by_role("button", name="Step").click()
        _wait_month(page, f"m === {month + 12}")
    rows = _csv_rows(page)
    last = {r["world"]: r for r in rows if r["lesson_month"] == str(_month(page))}
    assert (
        last["Chosen policies"]["public_insurance_subsidy"]
        != last["Status quo"]["public_insurance_subsidy"]
    )
    assert last["Chosen policies"]["discoveries"] == last["Status quo"]["discoveries"]
    legend = page.locator(".sc-chart-transfers svg").inner_html()
    assert "Chosen policies" in legend and "Status quo" in legend
    if browsing.screen == "projector":
        IMG.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMG / "viz_compare.png"))
    assert not browsing.console_errors, browsing.console_errors


def test_hovering_a_map_marker_shows_its_details(browsing: Browsing) -> None:
    page = browsing.page
    # an actor: the marker farthest from the centre of the map that nothing is drawn over
    box = page.evaluate(
        """() => {
        const svg = document.querySelector('.sc-map svg');
        const frame = svg.querySelector('.layer_0_marks path').getBoundingClientRect();
        const cx = frame.x + frame.width / 2, cy = frame.y + frame.height / 2;
        const free = [];
        for (const p of svg.querySelectorAll('.layer_3_marks path')) {
            const r = p.getBoundingClientRect();
            const x = r.x + r.width / 2, y = r.y + r.height / 2;
            if (r.width > 4 && document.elementFromPoint(x, y) === p) {
                free.push({x, y, d: Math.hypot(x - cx, y - cy)});
            }
        }
        free.sort((a, b) => b.d - a.d);
        return free[0] || null; }"""
    )
    assert box, "no actor marker on the map"
    page.mouse.move(box["x"], box["y"])
    tooltip = page.locator("#vg-tooltip-element")
    sync_api.expect(tooltip).to_be_visible()
    text = tooltip.inner_text()
    assert "Actor" in text and "Kind" in text and "Now" in text, text
    if browsing.screen == "projector":
        page.screenshot(path=str(IMG / "viz_inspect.png"))
    # a project: who holds it, its stage, money raised, where it is piloted
    # a project marker that nothing is drawn over (actors may sit on top of some)
    project = page.evaluate(
        """() => { for (const p of document.querySelectorAll('.sc-map svg .layer_4_marks path')) {
            const r = p.getBoundingClientRect();
            const x = r.x + r.width / 2, y = r.y + r.height / 2;
            if (r.width > 2 && document.elementFromPoint(x, y) === p) return {x, y};
        }
        return null; }"""
    )
    assert project, "no project on the map"
    page.mouse.move(project["x"], project["y"])
    sync_api.expect(tooltip).to_contain_text("Held by")
    text = tooltip.inner_text()
    assert "Stage" in text and "Money raised" in text and "Piloted at" in text, text
    page.mouse.move(1, 1)


def test_replay_with_other_luck_shows_the_spread(browsing: Browsing) -> None:
    page = browsing.page
    page.get_by_role("button", name=re.compile("Replay on 5 other seeds", re.I)).click()
    rows = page.locator(".sc-replay-table tr")
    sync_api.expect(rows).to_have_count(6, timeout=120_000)  # a header and five seeds
    sync_api.expect(page.locator(".sc-replay")).to_contain_text("Over 5 other seeds")
    assert not browsing.console_errors, browsing.console_errors


def test_export_buttons_produce_files(browsing: Browsing, tmp_path: Path) -> None:
    page = browsing.page
    for chart in ("transfers", "stages", "exits", "public_money", "map"):
        card = page.locator(f".sc-chart-{chart}") if chart != "map" else page.locator(".sc-map")
        for fmt in ("png", "svg"):
            with page.expect_download() as info:
                card.locator(f".sc-export-{fmt}").click()
            download = info.value
            assert download.suggested_filename == f"sciencecity_{chart}.{fmt}"
            path = tmp_path / download.suggested_filename
            download.save_as(path)
            data = path.read_bytes()
            assert data.startswith(b"\x89PNG") if fmt == "png" else b"<svg" in data[:200]
    rows = _csv_rows(page)
    assert rows and {"world", "lesson_month", "transfers"} <= set(rows[0])
    assert not browsing.console_errors, browsing.console_errors


def test_play_pause_and_the_end_of_the_lesson(browsing: Browsing) -> None:
    page = browsing.page
    _choose_scenario(page, "All policies (full chain)")
    _reset(page)
    speed = page.get_by_role("slider", name=re.compile("^Speed:"))
    speed.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="▶").click()
    _wait_month(page, "m >= 240", timeout=240_000)
    sync_api.expect(page.get_by_role("button", name="Step")).to_be_disabled()
    sync_api.expect(page.locator(".sc-finished")).to_contain_text("press Reset")
    assert _month(page) == 240, "the lesson ran past its end"
    if browsing.screen == "full_hd":
        page.screenshot(path=str(IMG / "viz.png"))
    # a new seed replaces the ended run: Play and Step are on again
    field = page.get_by_label("Seed (press Enter)")
    field.fill("2024")
    field.press("Enter")
    _wait_month(page, "m === 0")
    sync_api.expect(page.get_by_role("button", name="▶")).to_be_enabled()
    sync_api.expect(page.locator(".sc-finished")).to_have_count(0)
    field.fill("4x")
    field.press("Enter")
    sync_api.expect(page.locator(".sc-run")).to_contain_text("whole number")
    field.fill("42")
    field.press("Enter")
    _wait_month(page, "m === 0")
    assert not browsing.console_errors, browsing.console_errors
    assert not browsing.outside, browsing.outside
