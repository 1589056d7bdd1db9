"""`lisync report`: a self-contained HTML page from the destination that opens with no network request."""

from __future__ import annotations

import datetime as dt
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.e2e.conftest import TODAY, Runner
from typer.testing import CliRunner

from lisync.cli import app
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

START = TODAY - dt.timedelta(days=30)
# Attributes through which a page loads something (a stylesheet, script, image, frame, font…).
FETCHING_ATTRIBUTES = {"src", "href", "srcset", "poster", "data", "action", "background", "xlink:href", "formaction"}
# Requests Chromium itself makes in the background (clock, component updates, sign-in): not the page's.
BROWSER_HOUSEKEEPING = ("google.com", "googleapis.com", "gstatic.com", "gvt1.com")


class ResourceScanner(HTMLParser):
    """Collects every URL the page's markup would fetch, and the page's scripts and stylesheets."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []
        self.inline_scripts = 0
        self.plots = 0
        self._in_style = False
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in FETCHING_ATTRIBUTES and value and not value.startswith(("#", "data:", "javascript:")):
                self.fetches.append(f"<{tag} {name}={value}>")
            if name == "class" and value and "plotly-graph-div" in value:
                self.plots += 1
        if tag == "script" and not dict(attrs).get("src"):
            self.inline_scripts += 1
        if tag == "link":
            self.fetches.append(f"<link {attrs}>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Runner]]:
    work = tmp_path_factory.mktemp("report")
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as sandbox:
        runner = Runner(sandbox, work)
        summary = runner.run("ad_performance", "organization_pages", "organization_followers", start_date=START,
                             today=TODAY)
        assert summary.status == "ok", summary.error
        output = work / "out" / "report.html"
        output.parent.mkdir()
        result = CliRunner().invoke(app, ["report", "--duckdb", str(runner.db_path), "--dataset", runner.dataset,
                                          "--output", str(output)])
        assert result.exit_code == 0, result.output
        assert f"Wrote the report to {output}" in result.output.replace("\n", "")
        yield output, runner


def test_report_fetches_nothing_and_shows_the_data(report_file: tuple[Path, Runner]) -> None:
    path, runner = report_file
    page = path.read_text(encoding="utf-8")
    scanner = ResourceScanner()
    scanner.feed(page)
    assert scanner.fetches == []
    assert not any("url(" in s or "@import" in s for s in scanner.styles)
    assert scanner.plots == 4  # ads over time, top campaigns, top creatives, followers
    assert scanner.inline_scripts >= 5 and "plotly.js v" in page  # the library itself is inlined once
    assert page.count("plotly.js v") == 1
    top = runner.query("select campaign_name, sum(cast(costinusd as double)) s from {ds}.ad_performance "
                       "group by campaign_name order by s desc limit 1")[0]
    assert top[0] in page and f"{top[1]:,.2f}" in page
    spend = runner.scalar("select sum(cast(costinusd as double)) from {ds}.ad_performance")
    assert f"<b>{spend:,.2f}</b><span>Spend (USD)</span>" in page
    # followers are LinkedIn's totals (organization_followers), walked back through the daily gains
    assert '"title":{"text":"Followers"}' in page
    total = runner.scalar("select max(follower_count) from {ds}.organization_followers where facet = 'total'")
    assert f"{int(total)}" in page


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium (apt-get install chromium)")
def test_report_renders_in_a_headless_browser_without_network(report_file: tuple[Path, Runner]) -> None:
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(502)
            self.end_headers()

        do_CONNECT = do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        proc = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--no-first-run", f"--proxy-server=http://127.0.0.1:{proxy.server_address[1]}",
             "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=5000", "--dump-dom",
             report_file[0].as_uri()], capture_output=True, text=True, timeout=180)
    finally:
        proxy.shutdown()
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.count('class="plot-container plotly"') == 4  # plotly drew every chart
    hosts = {urlsplit(r if "://" in r else f"//{r}").hostname or r for r in requests}
    page_requests = [h for h in hosts if not h.endswith(BROWSER_HOUSEKEEPING)]
    assert page_requests == []


def test_report_without_data_names_the_pipelines(tmp_path: Path) -> None:
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="tiny", today=TODAY)) as sandbox:
        runner = Runner(sandbox, tmp_path)
        assert runner.run("ad_accounts", start_date=START, today=TODAY).status == "ok"
    output = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--duckdb", str(runner.db_path), "--output", str(output)])
    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    assert "<code>lisync run ad_performance</code>" in page and "<code>lisync run organization_pages</code>" in page
