"""The pages as a reader sees them: Debian's chromium, driven by Playwright, headless.

Playwright is given chromium's path (``executable_path``), so it never downloads a browser;
the pages are files, and every request that is not a file is refused. Each page is opened at
1280, 390 and 320 pixels wide, in the light and the dark scheme, and must fit the width, link
only to files that were written or to http(s) addresses, log no error and pass axe-core's
audit with nothing serious or critical. Screenshots of the last run go to output/browser/.

When chromium, Playwright or axe-core cannot be had, these tests skip and say why; with
CI=true (``.ci/run``) they fail instead, so CI never passes without a browser.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit

import pytest

from digest.config import Config, load_config
from digest.daily.job import build_day
from digest.models import ArticleRef, Digest, Section, Sentence, Story
from digest.output.render import render
from tests.conftest import ROOT, SEEDS

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
AXE_VERSION = "4.10.3"  # pinned: a new rule in a later axe must not fail an unchanged page
WIDTHS = (1280, 390, 320)  # a desktop, a phone, the narrowest phone still sold
SHOTS = ROOT / "output" / "browser"
# The README shows the latest fixture day's first screen on a desktop and on a phone; copy
# them from output/browser/ to docs/ after a change to the pages' look.
README_PAGE = "day"
README_SHOTS = {1280: "readme-desktop.png", 390: "readme-phone.png"}
DAYS = ROOT / "tests" / "data" / "days"
SAMPLE_DAY = "2017-08-09"
FIXTURE_DAYS = ("2026-11-27", "2026-11-28", "2026-11-29")


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Site:
    """The written folders, and the digests behind them."""

    sample: Path
    days: Path
    digests: dict[str, Digest]  # day -> its digest


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    sample = tmp_path_factory.mktemp("sample")
    seeds = load_config(str(SEEDS / "digest.toml"))
    config = Config(title=seeds.title, sections=seeds.sections, out_dir=str(sample))
    digests = {SAMPLE_DAY: _built(build_day([str(SEEDS)], config, SAMPLE_DAY).run)}
    days = tmp_path_factory.mktemp("days")
    fixture = load_config(str(DAYS / "digest.toml"))
    # Published somewhere: the e-mail pages then link between days with absolute URLs.
    config = Config(title=fixture.title, sections=fixture.sections, out_dir=str(days),
                    base_url="https://harwick.example.org/daily")
    for day in FIXTURE_DAYS:
        digests[day] = _built(build_day([str(DAYS / day)], config, day).run)
    return Site(sample, days, digests)


def _built(run: Any) -> Digest:
    assert run is not None
    return run.digest  # type: ignore[no-any-return]


@contextmanager
def chromium(executable: str | None) -> Iterator[Any]:
    """A browser context on a fresh profile; skipped (failed under CI) when it cannot start."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    if executable is None:
        unavailable("no chromium on PATH (apt-get install chromium, or set DIGEST_CHROMIUM)")
    if not os.access(executable, os.X_OK):
        unavailable(f"{executable} is not a program that can be run (set DIGEST_CHROMIUM)")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        try:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except Error as exc:
            unavailable(f"{executable} did not start: {str(exc).splitlines()[0]}")
        # Pages are files: anything else they ask for is a bug, refused before it leaves.
        context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(os.environ.get("DIGEST_CHROMIUM") or shutil.which("chromium")) as context:
        yield context


@pytest.fixture(scope="module")
def axe() -> Path:
    """axe-core's script from the npm registry, fetched once into .cache/."""
    script = ROOT / ".cache" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
    if script.is_file():
        return script
    npm = shutil.which("npm")
    if npm is None:
        unavailable(f"no npm to fetch axe-core {AXE_VERSION} (or put axe.min.js at {script})")
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--silent",
                               "--pack-destination", folder], capture_output=True, text=True,
                              timeout=300, check=False)
        tarballs = list(Path(folder).glob("axe-core-*.tgz"))
        if done.returncode != 0 or not tarballs:
            unavailable(f"npm pack axe-core@{AXE_VERSION} failed: {done.stderr.strip()[-300:]}")
        with tarfile.open(tarballs[0]) as tar:
            member = tar.extractfile("package/axe.min.js")
            assert member is not None
            script.parent.mkdir(parents=True, exist_ok=True)
            partial = script.with_suffix(".tmp")
            partial.write_bytes(member.read())
            partial.replace(script)
    return script


# Elements wider than the viewport (or reaching past its right edge), for the message.
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""
_LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
_IDS = "() => [...document.querySelectorAll('[id]')].map(e => e.id)"
_BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"
_OUTLINE = """() => ({
  lang: document.documentElement.lang,
  headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1]),
  landmarks: ['body > .page > header', 'nav', 'main', 'body > .page > footer']
    .filter(s => document.querySelector(s)).map(s => s.split(' ').pop()),
})"""
_PRINTED = """() => [...document.querySelectorAll('nav, footer, .chart, main')]
  .filter(e => getComputedStyle(e).display !== 'none').map(e => e.tagName.toLowerCase())"""
_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""
_PICTURE = """() => [...document.querySelectorAll('table.chart > tbody')].map(body => ({
  title: body.querySelector('.chart-title').textContent,
  stories: parseInt(body.querySelector('.chart-section .chart-n').textContent),
  bar: body.querySelector('.chart-section .bar').getBoundingClientRect().width,
  rows: [...body.querySelectorAll('.chart-story')].map(row => ({
    outlets: parseInt(row.querySelector('.chart-n').textContent),
    names: row.querySelector('.chart-outlets').textContent,
    bar: row.querySelector('.bar').getBoundingClientRect().width,
  })),
}))"""


def link_problems(hrefs: list[str], page: Path, ids: list[str]) -> list[str]:
    """Links that go nowhere: a file not written, a scheme other than http(s), a lost #id."""
    problems = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") and parts.netloc:
            continue
        if parts.scheme or parts.netloc:
            problems.append(f"{href}: not a file beside the page nor an http(s) address")
        elif not parts.path:
            if parts.fragment not in ids:
                problems.append(f"{href}: no element with that id on the page")
        elif not (page.parent / unquote(parts.path)).is_file():
            problems.append(f"{href}: no such file was written")
    return problems


@dataclass
class View:
    """What one page showed at one width in one colour scheme."""

    overflow: str | None  # what reaches past the viewport's right edge, if anything
    picture: list[dict[str, Any]]
    background: str
    audit: list[str]  # axe-core's serious and critical violations (1280 px only)


@dataclass
class Visit:
    """One page, loaded once, then seen at every width in both schemes."""

    path: Path
    errors: list[str]  # console errors and uncaught exceptions while it loaded
    links: list[str]  # what link_problems found
    views: dict[tuple[int, str], View]
    outline: dict[str, Any]  # lang, heading levels in order, landmarks present
    printed: list[str]  # what of nav, footer, the picture and main shows on paper


def visit(browser: Any, path: Path, name: str = "", widths: tuple[int, ...] = WIDTHS,
          axe: Path | None = None) -> Visit:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.set_viewport_size({"width": widths[0], "height": 900})
        page.goto(path.as_uri())
        links = link_problems(page.evaluate(_LINKS), path, page.evaluate(_IDS))
        outline = page.evaluate(_OUTLINE)
        page.emulate_media(media="print")
        printed = page.evaluate(_PRINTED)
        page.emulate_media(media="screen")
        if axe is not None:
            page.add_script_tag(path=str(axe))
        views = {}
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900 if width > 800 else 844})
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                fit = page.evaluate(_OVERFLOW)
                overflow = (f"{fit['scroll']}px wide in a {fit['width']}px viewport (too wide: "
                            f"{', '.join(fit['wide'])})" if fit["scroll"] > fit["width"] else None)
                audit = [f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}"
                         for v in (page.evaluate(_AXE) if axe and width == 1280 else [])
                         if v["impact"] in ("serious", "critical")]
                if name and width != 320:
                    SHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SHOTS / f"{name}-{width}-{scheme}.png"),
                                    full_page=True)
                if name == README_PAGE and scheme == "light" and width in README_SHOTS:
                    # The first screen, as a reader opens it: the README's pictures.
                    page.screenshot(path=str(SHOTS / README_SHOTS[width]))
                views[width, scheme] = View(overflow, page.evaluate(_PICTURE),
                                            page.evaluate(_BACKGROUND), audit)
        return Visit(path, errors, links, views, outline, printed)
    finally:
        page.close()


def _luminance(css: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def pages(site: Site) -> dict[str, Path]:
    """Every kind of page: a day (first and latest), its e-mail, the archive, the sample."""
    first, latest = FIXTURE_DAYS[0], FIXTURE_DAYS[-1]
    return {"sample": site.sample / f"{SAMPLE_DAY}.html",
            "sample-email": site.sample / f"{SAMPLE_DAY}.email.html",
            "day": site.days / f"{latest}.html",
            "day-email": site.days / f"{latest}.email.html",
            "first-day": site.days / f"{first}.html",
            "first-day-email": site.days / f"{first}.email.html",
            "archive": site.days / "index.html"}


@pytest.fixture(scope="module")
def visits(browser: Any, site: Site, axe: Path) -> dict[str, Visit]:
    shutil.rmtree(SHOTS, ignore_errors=True)  # only the last run's pictures
    # The first day is the latest day's templates without a day before: checked for fit,
    # links, outline and picture, not photographed or audited a second time.
    return {name: visit(browser, path, "" if name.startswith("first-") else name,
                        axe=None if name.startswith("first-") else axe)
            for name, path in pages(site).items()}


def test_no_page_is_wider_than_the_screen_or_logs_an_error(visits: dict[str, Visit]) -> None:
    assert [f"{v.path.name} at {w}px, {scheme}: {view.overflow}"
            for v in visits.values() for (w, scheme), view in v.views.items()
            if view.overflow] == []
    assert [f"{v.path.name}: {e}" for v in visits.values() for e in v.errors] == []


def test_every_link_goes_to_a_written_file_or_an_http_address(
        visits: dict[str, Visit]) -> None:
    assert [f"{v.path.name}: {p}" for v in visits.values() for p in v.links] == []
    # The fixture's javascript: link is shown as a name, not a link.
    assert "javascript" not in visits["day"].path.read_text(encoding="utf-8").lower()
    mail = visits["day-email"].path.read_text(encoding="utf-8")
    assert 'href="https://harwick.example.org/daily/2026-11-28.html"' in mail
    assert 'href="https://harwick.example.org/daily/index.html"' in mail


def test_both_colour_schemes_apply_to_every_page(visits: dict[str, Visit]) -> None:
    # The e-mail too: its @media rules stay in a <style> and beat the inlined colours.
    assert [f"{v.path.name} at {w}px: the {scheme} scheme shows {view.background}"
            for v in visits.values() for (w, scheme), view in v.views.items()
            if (_luminance(view.background) > 0.8) != (scheme == "light")] == []


def test_axe_finds_nothing_serious_in_either_scheme(visits: dict[str, Visit]) -> None:
    assert [f"{v.path.name}, {scheme}: {a}" for v in visits.values()
            for (_, scheme), view in v.views.items() for a in view.audit] == []


def test_every_page_has_a_language_landmarks_and_one_heading_order(
        visits: dict[str, Visit]) -> None:
    for name, seen in visits.items():
        levels = seen.outline["headings"]
        assert seen.outline["lang"] == "en", name
        assert levels[0] == 1 and levels.count(1) == 1, name
        assert all(b <= a + 1 for a, b in pairwise(levels)), name
        # The archive has no links between days; an e-mail has them only with a base_url,
        # which the sample has not.
        has_nav = name not in ("archive", "sample-email")
        assert seen.outline["landmarks"] == (["header", "nav", "main", "footer"] if has_nav
                                             else ["header", "main", "footer"]), name


def test_a_printed_page_leaves_out_the_navigation(visits: dict[str, Visit]) -> None:
    assert visits["day"].printed == ["main", "table"]
    assert visits["archive"].printed == ["main"]


def test_without_a_browser_the_tests_skip_but_under_ci_they_fail(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = str(tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="no-chromium is not a program"), \
            chromium(missing):
        pass
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"cannot run under CI: .*no-chromium is not"), \
            chromium(missing):
        pass
    with pytest.raises(pytest.fail.Exception, match="no chromium on PATH"), chromium(None):
        pass


def test_the_picture_shows_the_digests_numbers(visits: dict[str, Visit], site: Site) -> None:
    shown_days = {SAMPLE_DAY: ("sample", "sample-email"), FIXTURE_DAYS[0]: (
        "first-day", "first-day-email"), FIXTURE_DAYS[-1]: ("day", "day-email")}
    for day, names in shown_days.items():
        digest = site.digests[day]
        stories = {s.id: s for s in digest.stories}
        expected = []
        for section in digest.sections:
            # A story is shown in a section where one of its sentences was picked; its
            # outlets are the distinct names of the articles the story merged.
            ids = list(dict.fromkeys(s.story_id for s in section.picked))
            if ids:
                expected.append((section.title, len(ids), [
                    sorted({a.source_name for a in stories[i].articles}) for i in ids]))
        assert expected
        for name in names:
            for width in (1280, 390):
                shown = visits[name].views[width, "light"].picture
                got = [(s["title"], s["stories"],
                        [sorted(r["names"].split(", ")) for r in s["rows"]]) for s in shown]
                assert got == expected, f"{name} at {width}px"
                assert [[r["outlets"] for r in s["rows"]] for s in shown] == [
                    [len(names) for names in outlets] for _, _, outlets in expected]
                # Each bar's length is its number over the largest one's.
                for pairs in ([(s["stories"], s["bar"]) for s in shown],
                              [(r["outlets"], r["bar"]) for s in shown for r in s["rows"]]):
                    most_n, most_w = max(n for n, _ in pairs), max(w for _, w in pairs)
                    for n, w in pairs:
                        assert abs(w / most_w - n / most_n) < 0.05, (name, width, n, w)


def test_the_fixture_days_picture_what_the_outlets_carried(site: Site) -> None:
    """Known answers: which outlets carried which story is how tests/data/days was written."""
    from digest.output.page import picture

    carried = {day: {bar.headline: tuple(o.name for o in bar.outlets)
                     for s in picture(site.digests[day]).sections
                     for bar in s.stories} for day in FIXTURE_DAYS}
    assert sorted(carried["2026-11-28"]["Council passes budget after nine-hour debate"]) == [
        "County Herald", "Eastford Post", "Valley Courier"]
    assert carried["2026-11-27"]["Amber storm warning for the coast"] == ("Radio Harwick",)
    assert sorted(map(len, carried["2026-11-29"].values())) == [1, 1, 1, 2]


def test_the_checks_catch_a_page_too_wide_for_a_phone_and_a_dead_link(
        browser: Any, site: Site, tmp_path: Path) -> None:
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "nav.html").write_text(
        '<nav aria-label="Days"><a href="1999-01-01.html">A day never written</a>'
        '<table style="width: 600px"><tr><td>wide</td></tr></table></nav>\n')
    out = tmp_path / "out"
    config = Config(title="Broken", out_dir=str(out), templates=str(broken))
    build_day([str(DAYS / FIXTURE_DAYS[0])], config, FIXTURE_DAYS[0])
    seen = visit(browser, out / f"{FIXTURE_DAYS[0]}.html", widths=(390,))
    assert seen.links == ["1999-01-01.html: no such file was written"]
    overflow = seen.views[390, "light"].overflow
    assert overflow is not None and "in a 390px viewport" in overflow and "table" in overflow


def test_a_word_longer_than_a_phone_is_wide_still_fits(browser: Any, tmp_path: Path) -> None:
    long = "https://harwick.example.org/council/budget-2027/full-document-with-appendices.pdf"
    text = f"The council's papers are at {long} for anyone to read."
    article = ArticleRef("a.jsonl#1", "a.jsonl#1", f"Outlet{long}", long)
    sentence = Sentence(text, "s1", 0, ("a.jsonl#1",))
    digest = Digest("Harwick daily", "2026-11-30", (Section(long, "", (sentence,), (sentence,)),),
                    (Story("s1", long, (article,), (sentence,)),))
    for fmt in ("html", "email"):
        path = tmp_path / f"long.{fmt}.html"
        path.write_text(render(digest, fmt), encoding="utf-8")
        seen = visit(browser, path, widths=(320,))
        assert seen.views[320, "light"].overflow is None, fmt


def test_link_problems_name_every_kind_of_dead_link(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text("")
    (tmp_path / "b.html").write_text("")
    assert link_problems(["b.html", "b.html#x", "https://e.org/", "#top", "a.html"], page,
                         ["top"]) == []
    assert link_problems(["c.html", "javascript:x()", "mailto:a@b", "#gone", "//e.org/x"],
                         page, ["top"]) == [
        "c.html: no such file was written",
        "javascript:x(): not a file beside the page nor an http(s) address",
        "mailto:a@b: not a file beside the page nor an http(s) address",
        "#gone: no element with that id on the page",
        "//e.org/x: not a file beside the page nor an http(s) address"]
