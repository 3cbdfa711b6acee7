#!/usr/bin/env python3
"""The web console in headless Chromium, against a collector that
scripts/browser-test started and filled. Each check compares what a page
shows with what `collectorctl --json` says, or what a person would see
after an action. Ends with the plain 'N passed, N failed' line; exits 1 when
any check failed."""

import json
import os
import re
import subprocess
import sys
import time
import traceback
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CONSOLE = os.environ["CONSOLE"]
SCREENSHOTS = os.environ["SCREENSHOTS"]
SITE = os.environ["SITE"]
ADMIN = ("ada", "admin-password-1")
VIEWER = ("vic", "viewer-password-1")

passed = 0
failed = 0


def ctl(*args):
    """collectorctl --json, as an operator would run it."""
    command = [os.environ["CTL_BIN"], "--server", os.environ["CTL_SERVER"], "--ca", os.environ["CTL_CA"],
               "--token-file", os.environ["CTL_TOKEN"], *args, "--json"]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def legacy_api(path):
    """A legacy route, with the admin token, as the pinger's web app read it."""
    with open(os.environ["CTL_TOKEN"]) as token:
        request = urllib.request.Request(CONSOLE + path, headers={"Authorization": "Bearer " + token.read().strip()})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def check(name):
    """Runs one check; a failure is counted and told, the rest go on."""
    def run(body):
        global passed, failed
        try:
            body()
            passed += 1
            print(f"ok   {name}", flush=True)
        except Exception:  # noqa: BLE001 - every failure is reported the same way
            failed += 1
            print(f"FAIL {name}", flush=True)
            print("     " + traceback.format_exc().strip().replace("\n", "\n     "), flush=True)
        return body
    return run


def eventually(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return True
        except Exception:  # noqa: BLE001 - not there yet
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)


def browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shoot(driver, name):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SCREENSHOTS, name + ".png"))


def follow(driver, element):
    """Clicks a link or a form's button and waits until the page it leads
    to has replaced this one: a click returns as the navigation starts, and
    reading at once would read the old page (now and then, on a busy machine)."""
    # Each document has its own time origin; element handles are no test
    # (Chromium sometimes answers for an old one with an error other than
    # "stale", which WebDriver's staleness check does not expect).
    origin = driver.execute_script("return performance.timeOrigin")

    def arrived(driver):
        return driver.execute_script("return document.readyState === 'complete' && performance.timeOrigin !== arguments[0]",
                                     origin)
    element.click()
    WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(arrived)


def login(driver, user):
    driver.get(CONSOLE + "/console/login")
    driver.find_element(By.NAME, "name").send_keys(user[0])
    driver.find_element(By.NAME, "password").send_keys(user[1])
    follow(driver, driver.find_element(By.ID, "login"))


def texts(driver, selector):
    return [element.text.strip() for element in driver.find_elements(By.CSS_SELECTOR, selector)]


def absent(driver, selector):
    try:
        driver.find_element(By.CSS_SELECTOR, selector)
        return False
    except NoSuchElementException:
        return True


# Data the agent and the crawler bring arrives in its own time: wait for it
# before any page is judged.
def data_ready():
    instances = ctl("instances", "list")
    if len(instances) != 2:
        return False
    legacy = [i for i in instances if not i.get("agent_id")]
    if not legacy:
        return False
    ctl("crawl", legacy[0]["uuid"]) if not legacy[0].get("last_crawl") else None
    status = ctl("pools", "status", "browser-pool")
    return sum(1 for c in status.get("computers", []) if c.get("up")) == 3


if not eventually(data_ready, 60):
    print("FAIL the collector never held the test data (2 instances, a crawl, 3 computers up)")
    print("0 passed, 1 failed")
    sys.exit(1)

driver = browser()
try:
    @check("the login page refuses a wrong password and says so")
    def _():
        login(driver, (VIEWER[0], "wrong-password"))
        assert "Wrong name or password" in driver.page_source
        shoot(driver, "login")

    @check("a viewer logs in and lands on the instances list")
    def _():
        login(driver, VIEWER)
        assert driver.current_url.startswith(CONSOLE + "/console/instances"), driver.current_url
        assert "vic · viewer" in driver.find_element(By.CSS_SELECTOR, ".who").text

    @check("instances: the count and the rows are collectorctl's")
    def _():
        expected = ctl("instances", "list")
        driver.get(CONSOLE + "/console/instances")
        assert driver.find_element(By.ID, "instances-count").text == str(len(expected))
        rows = {row.get_attribute("data-uuid") for row in driver.find_elements(By.CSS_SELECTOR, "#instances tbody tr")}
        assert rows == {i["uuid"] for i in expected}, (rows, expected)
        shoot(driver, "instances")

    @check("instances: the filter form narrows the list as collectorctl's does")
    def _():
        # A value with a space: the browser sends it as '+'.
        expected = ctl("instances", "list", "--organization", "Browser Lab")
        assert len(expected) == 1, expected
        driver.get(CONSOLE + "/console/instances")
        driver.find_element(By.CSS_SELECTOR, 'form.filters input[name="organization"]').send_keys("Browser Lab")
        follow(driver, driver.find_element(By.CSS_SELECTOR, "form.filters button"))
        # The click starts a navigation; wait for it rather than read the old page.
        WebDriverWait(driver, 10).until(lambda d: "organization=Browser+Lab" in d.current_url)
        assert driver.find_element(By.ID, "instances-count").text == str(len(expected))
        rows = {row.get_attribute("data-uuid") for row in driver.find_elements(By.CSS_SELECTOR, "#instances tbody tr")}
        assert rows == {i["uuid"] for i in expected}, (rows, expected)

    legacy = next(i for i in ctl("instances", "list") if not i.get("agent_id"))
    agent_instance = next(i for i in ctl("instances", "list") if i.get("agent_id"))

    @check("instance detail: fields, crawl history, a map, and no admin forms for a viewer")
    def _():
        driver.get(CONSOLE + "/console/instances")
        follow(driver, driver.find_element(By.CSS_SELECTOR, f'tr[data-uuid="{legacy["uuid"]}"] a'))
        assert "Lab" in driver.find_element(By.ID, "main-fields").text
        assert "3.3" in driver.find_element(By.CSS_SELECTOR, 'tr[data-field="indico_version"]').text
        history = driver.find_elements(By.CSS_SELECTOR, "#crawl-history tbody tr")
        assert history and "ok" in history[0].text, [h.text for h in history]
        assert driver.find_elements(By.CSS_SELECTOR, "figure.map svg path.country")
        assert absent(driver, "#edit-instance") and absent(driver, "#crawl-instance")
        assert absent(driver, "#agent") and "No agent" in driver.page_source, "an empty agent table for an instance without one"
        shoot(driver, "instance")

    @check("instance detail: the agent beside its instance, with host stats")
    def _():
        driver.get(CONSOLE + "/console/instances/" + agent_instance["uuid"])
        agent = driver.find_element(By.ID, "agent").text
        assert agent_instance["agent_id"] in agent and "browser-lab" in agent, agent
        assert "Memory" in agent, agent
        shoot(driver, "instance-agent")

    @check("statistics: totals, the country table and the world map are collectorctl stats'")
    def _():
        stats = ctl("stats")
        driver.get(CONSOLE + "/console/statistics")
        assert driver.find_element(By.ID, "total-instances").text == str(stats.get("total", 0))
        assert driver.find_element(By.ID, "active-instances").text == str(stats.get("active", 0))
        rows = [(r.get_attribute("data-country"), r.find_elements(By.TAG_NAME, "td")[1].text,
                 r.find_elements(By.TAG_NAME, "td")[2].text)
                for r in driver.find_elements(By.CSS_SELECTOR, "#countries tbody tr")]
        expected = [(c.get("country", ""), str(c.get("count", 0)), f'{c.get("percent", 0):.1f}%') for c in stats.get("countries", [])]
        assert rows == expected, (rows, expected)
        assert len(driver.find_elements(By.CSS_SELECTOR, "#world-map path.country")) > 100
        assert driver.find_element(By.CSS_SELECTOR, "#world-map .legend").text, "the map has no legend"
        # Axis titles stand under the middle of their axis (a template value
        # that did not render would put them at x=0, half off the chart).
        titles = driver.find_elements(By.CSS_SELECTOR, "#registrations text.axis-title:not(.y)")
        assert titles, "the registrations chart has no axis title"
        for title in titles:
            assert float(title.get_attribute("x") or 0) > 100, title.get_attribute("outerHTML")
        shoot(driver, "statistics")

    @check("statistics: one chart per crawled field with chart: true, with collectorctl's rows")
    def _():
        stats = ctl("stats")
        for chart in stats.get("charts", []):
            figure = driver.find_element(By.ID, "chart-" + chart["field"])
            cells = [r.find_elements(By.TAG_NAME, "td") for r in figure.find_elements(By.CSS_SELECTOR, "table.data tbody tr")]
            shown = {c[0].get_attribute("textContent").strip(): float(c[1].get_attribute("textContent")) for c in cells}
            assert shown == {r.get("key", ""): r.get("value", 0.0) for r in chart.get("rows", [])}, (chart, shown)
        assert len(stats.get("charts", [])) == 2, stats

    @check("pools: PCs on now / total per pool are collectorctl's")
    def _():
        status = ctl("pools", "status", "browser-pool")
        on = sum(1 for c in status["computers"] if c.get("up"))
        driver.get(CONSOLE + "/console/pools")
        row = driver.find_element(By.CSS_SELECTOR, 'tr[data-pool="browser-pool"]')
        assert row.find_element(By.CSS_SELECTOR, ".on-now").text == str(on), row.text
        assert row.find_elements(By.TAG_NAME, "td")[4].text == str(len(status["computers"]))
        assert driver.find_element(By.ID, "export-form")
        shoot(driver, "pools")

    @check("pool page: the computer grid, today's hourly chart, runtime and energy")
    def _():
        status = ctl("pools", "status", "browser-pool")
        driver.get(CONSOLE + "/console/pools/browser-pool")
        grid = {pc.get_attribute("data-address"): pc.get_attribute("data-up")
                for pc in driver.find_elements(By.CSS_SELECTOR, "#computers .pc")}
        assert grid == {c["address"]: ("on" if c.get("up") else "off") for c in status["computers"]}, grid
        assert driver.find_element(By.ID, "on-now").text == "3"
        hours = driver.find_elements(By.CSS_SELECTOR, "#hourly table.data tbody tr")
        assert len(hours) == 24, len(hours)
        # Today's PCs on at each h:00: the legacy chart API's numbers.
        pools = legacy_api("/pingerservice/api/pools/")["pools"]
        chart = legacy_api(f'/pingerservice/api/chart/pool/{next(p["pk"] for p in pools if p["room_no"] == "0.01")}/')
        shown = [int(float(h.find_elements(By.TAG_NAME, "td")[1].get_attribute("textContent"))) for h in hours]
        assert shown == [point["y"] for point in chart["poolData"]], (shown, chart)
        today = time.strftime("%Y-%m-%d", time.gmtime())
        report = ctl("pools", "report", "--from", today, "--through", today, "--pool", "browser-pool")
        days = [r.find_elements(By.TAG_NAME, "td") for r in driver.find_elements(By.CSS_SELECTOR, "#report tbody tr")]
        shown = {d[0].text: d[3].text for d in days}
        assert today in shown, shown
        assert report and report[-1]["date"] == today, report
        assert abs(float(shown[today]) - report[-1].get("energy_kwh", 0.0)) < 0.01, (shown, report)
        shoot(driver, "pool")

    @check("the export form downloads the legacy CSV")
    def _():
        driver.get(CONSOLE + "/console/pools/browser-pool")
        form = driver.find_element(By.ID, "export-form")
        action = form.get_attribute("action")
        fields = "&".join(f'{e.get_attribute("name")}={e.get_attribute("value")}'
                          for e in form.find_elements(By.CSS_SELECTOR, "input[checked], input[type=date], select"))
        body = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0]).then(r => r.text()).then(done, e => done('error ' + e));", action + "?" + fields)
        assert body.startswith('"Datum"') or body.startswith("Datum"), body[:200]

    @check("events and agents pages show for a viewer")
    def _():
        driver.get(CONSOLE + "/console/events")
        assert "Events" in driver.title
        shoot(driver, "events")
        driver.get(CONSOLE + "/console/agents")
        assert agent_instance["agent_id"] in driver.page_source
        # The spool its latest batch reported (the agent keeps sending, so
        # the figures move; their presence and form are what is compared).
        listed = next(a for a in ctl("agents", "list") if a["id"] == agent_instance["agent_id"])
        assert "spool" in listed, listed
        cell = driver.find_element(By.CSS_SELECTOR, f'tr[data-agent="{agent_instance["agent_id"]}"] .spool').text
        assert re.fullmatch(r"\d+ batch(es)?, \d+(\.\d)? (B|KiB|MiB)", cell), cell
        shoot(driver, "agents")

    @check("events: a series' chart has collectorctl query's numbers")
    def _():
        # The legacy instance's crawled users: it changes only when crawled.
        name = legacy["uuid"] + ".users"
        buckets = ctl("query", "crawl", name, "--from", "2000-01-01", "--granularity", "day", "--fn", "sum")
        driver.get(CONSOLE + "/console/events")
        assert name in driver.find_element(By.ID, "series").text
        driver.find_element(By.CSS_SELECTOR, '#series-query input[name="namespace"]').send_keys("crawl")
        driver.find_element(By.CSS_SELECTOR, '#series-query input[name="name"]').send_keys(name)
        driver.find_element(By.CSS_SELECTOR, '#series-query input[name="from"]').send_keys("2000-01-01")
        for select, value in (("granularity", "day"), ("fn", "sum")):
            driver.find_element(By.CSS_SELECTOR, f'#series-query select[name="{select}"] option[value="{value}"]').click()
        follow(driver, driver.find_element(By.CSS_SELECTOR, "#series-query button"))
        cells = [r.find_elements(By.TAG_NAME, "td") for r in driver.find_elements(By.CSS_SELECTOR, "#series-chart table.data tbody tr")]
        shown = [float(c[1].get_attribute("textContent")) for c in cells]
        assert buckets and shown == [b.get("value", 0.0) for b in buckets], (shown, buckets)
        shoot(driver, "events-chart")

    @check("a viewer is refused an admin action, and nothing changes")
    def _():
        before = ctl("instances", "show", legacy["uuid"])
        csrf = driver.find_element(By.CSS_SELECTOR, 'form[action="/console/logout"] input[name=csrf]').get_attribute("value")
        status = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
            " body: 'csrf=' + arguments[1]}).then(r => done(r.status), e => done('error ' + e));",
            f'/console/instances/{legacy["uuid"]}/disable', csrf)
        assert status == 403, status
        assert ctl("instances", "show", legacy["uuid"]).get("enabled") == before.get("enabled")

    @check("logging out ends the session on the server, not only in the browser")
    def _():
        cookie = driver.get_cookie("collector_session")
        assert cookie, driver.get_cookies()
        follow(driver, driver.find_element(By.ID, "logout"))
        assert "/console/login" in driver.current_url
        driver.add_cookie({"name": "collector_session", "value": cookie["value"], "path": "/console"})
        driver.get(CONSOLE + "/console/instances")
        assert "/console/login" in driver.current_url, driver.current_url

    @check("an admin edits an instance from its page; collectorctl sees the change")
    def _():
        login(driver, ADMIN)
        driver.get(CONSOLE + "/console/instances/" + legacy["uuid"])
        contact = driver.find_element(By.CSS_SELECTOR, '#edit-instance input[name="contact"]')
        contact.clear()
        contact.send_keys("Edited <b>Ops</b>")
        follow(driver, driver.find_element(By.ID, "save-instance"))
        assert "Saved." in driver.page_source
        assert "Edited <b>Ops</b>" in driver.find_element(By.ID, "main-fields").text
        assert ctl("instances", "show", legacy["uuid"])["info"]["contact"] == "Edited <b>Ops</b>"
        shoot(driver, "instance-admin")

    @check("an admin crawls an instance from its page; the history grows")
    def _():
        before = len(driver.find_elements(By.CSS_SELECTOR, "#crawl-history tbody tr"))
        follow(driver, driver.find_element(By.ID, "crawl-instance"))
        assert "Crawled" in driver.page_source
        after = len(driver.find_elements(By.CSS_SELECTOR, "#crawl-history tbody tr"))
        assert after == before + 1, (before, after)

    @check("an admin disables crawling from the page; collectorctl sees it")
    def _():
        follow(driver, driver.find_element(By.ID, "toggle-instance"))
        assert "Crawling disabled." in driver.page_source
        assert not ctl("instances", "show", legacy["uuid"]).get("enabled", False)
        follow(driver, driver.find_element(By.ID, "toggle-instance"))
        assert ctl("instances", "show", legacy["uuid"]).get("enabled") is True

    agent_id = agent_instance["agent_id"]

    @check("an admin creates a pool from the form; its agent sweeps it and the page updates itself")
    def _():
        driver.get(CONSOLE + "/console/pools")
        form = driver.find_element(By.ID, "create-pool")
        for name, value in (("name", "form-pool"), ("room", "1.02"), ("agent", agent_id), ("watts", "45")):
            form.find_element(By.NAME, name).send_keys(value)
        interval = form.find_element(By.NAME, "interval")
        interval.clear()
        interval.send_keys("1")
        form.find_element(By.NAME, "computers").send_keys("127.0.0.4-127.0.0.5")
        follow(driver, driver.find_element(By.ID, "create-pool-button"))
        assert "Pool created." in driver.page_source
        pool = next(p for p in ctl("pools", "list") if p["name"] == "form-pool")
        assert pool["room"] == "1.02" and pool["watts"] == 45 and pool["agent_id"] == agent_id, pool
        # The page stays loaded; its script swaps in the figures as the
        # agent's sweeps arrive (every 15 s), without a reload.
        page = driver.find_element(By.TAG_NAME, "html")
        assert eventually(lambda: driver.find_element(By.ID, "on-now").text == "2", 60), driver.find_element(By.ID, "on-now").text
        assert page.get_attribute("data-refreshed"), "the figures changed without the refresh script"
        status = ctl("pools", "status", "form-pool")
        assert sum(1 for c in status["computers"] if c.get("up")) == 2, status
        shoot(driver, "pool-created")

    @check("an admin removes a computer and then the pool from the page; collectorctl sees both")
    def _():
        driver.get(CONSOLE + "/console/pools/form-pool")
        form = driver.find_element(By.ID, "computers-form")
        form.find_element(By.NAME, "computers").send_keys("127.0.0.5")
        form.find_element(By.CSS_SELECTOR, 'select[name="action"] option[value="remove"]').click()
        follow(driver, form.find_element(By.TAG_NAME, "button"))
        assert "Computers changed." in driver.page_source
        assert next(p for p in ctl("pools", "list") if p["name"] == "form-pool")["computers"] == ["127.0.0.4"]
        assert texts(driver, "#computers .pc b") == ["127.0.0.4"], texts(driver, "#computers .pc b")
        follow(driver, driver.find_element(By.ID, "delete-pool"))
        assert "Pool deleted." in driver.page_source
        assert "form-pool" not in [p["name"] for p in ctl("pools", "list")]

    @check("an admin deletes an instance from its page; collectorctl no longer lists it")
    def _():
        body = json.dumps({"url": "https://delete-me.example.org/", "contact": "Ops", "email": "ops@example.org",
                           "organization": "Lab"}).encode()
        request = urllib.request.Request(CONSOLE + "/api/instance/", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as answer:
            uuid = json.load(answer)["uuid"]
        assert uuid in [i["uuid"] for i in ctl("instances", "list")]
        driver.get(CONSOLE + "/console/instances/" + uuid)
        follow(driver, driver.find_element(By.ID, "delete-instance"))
        assert "Instance deleted." in driver.page_source
        assert uuid not in [i["uuid"] for i in ctl("instances", "list")]
        assert uuid not in driver.page_source
finally:
    driver.quit()

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
