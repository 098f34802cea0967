"""What the web client's browser tests share: a headless Chromium (Selenium) fixture, the URL
of the page perchd serves, login, waiting, and reading the chat view. Test modules import
the fixtures by name (`from webdriver_util import browser, page_url`)."""
import os
import shutil
import tempfile

import pytest

from conftest import PASSWORD, request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
WEB = os.path.join(ROOT, "web")
SHOTS = os.path.join(ROOT, "build", "web-screenshots")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# The install script installs both: a missing one is a failure, never a skip.
assert os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER), "chromium, chromium-driver"

# The first line on screen in the chat view: [id, its offset from the view's top].
FIRST_VISIBLE = """
    const b = document.getElementById('lines');
    const top = b.getBoundingClientRect().top;
    const e = [...b.querySelectorAll('.line')].find(x => x.getBoundingClientRect().top >= top);
    return e ? [e.dataset.id, e.getBoundingClientRect().top - top] : null;"""


@pytest.fixture
def page_url():
    """The URL of the client perchd serves itself, at `/` on its plain listener."""
    return lambda p: f"http://127.0.0.1:{p.plain_port}/"


def chromium(*extra_args):
    """Debian's headless Chromium through chromedriver, its console log kept. Both keep
    their temporary files (the profile, Chromium's singleton socket, which it leaves in the
    temporary folder at every exit) in a folder of their own: quit_chromium removes it."""
    tmp = tempfile.mkdtemp(prefix="perch-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,800", *extra_args]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    env = dict(os.environ, TMPDIR=tmp)
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER, env=env) if hasattr(
        webdriver, "ChromeService") else webdriver.chrome.service.Service(CHROMEDRIVER, env=env)
    try:
        driver = webdriver.Chrome(options=opts, service=service)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    driver.perch_tmp = tmp
    return driver


def quit_chromium(driver):
    try:
        driver.quit()
    finally:
        shutil.rmtree(driver.perch_tmp, ignore_errors=True)


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    quit_chromium(driver)


def wait(driver, cond, timeout=15):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: cond(d))


def login(driver, url, password=PASSWORD):
    driver.get(url)
    wait(driver, lambda d: d.find_element(By.ID, "login").is_displayed())
    driver.find_element(By.ID, "password").send_keys(password + Keys.ENTER)


def logged_in(driver):
    wait(driver, lambda d: d.find_element(By.ID, "app").is_displayed()
         and d.find_elements(By.CSS_SELECTOR, ".buf"))


def open_buffer(driver, name):
    driver.find_element(By.XPATH, f"//button[contains(@class,'buf')][.//span[text()='{name}']]").click()
    wait(driver, lambda d: d.find_element(By.ID, "buffer-name").text == name)


def current_buffer(driver):
    return driver.find_element(By.ID, "buffer-name").text


def count_lines(driver, text):
    return driver.execute_script(
        "return [...document.querySelectorAll('#lines .line .msg')]"
        ".filter(e => e.textContent.includes(arguments[0])).length", text)


def line_elements(driver):
    return driver.execute_script("return document.querySelectorAll('#lines .line').length")


def at_bottom(driver):
    return driver.execute_script(
        "const b = document.getElementById('lines');"
        "return b.scrollHeight - b.scrollTop - b.clientHeight < 2")


def walk_lines(driver, step=0.8, max_elements=None):
    """(id, text) of every line of the chat view from top to bottom, scrolling through it
    (only the rows near the viewport are in the DOM): each id once, in order."""
    seen = []
    driver.execute_script("document.getElementById('lines').scrollTop = 0")
    while True:
        ids, texts, bottom = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            requestAnimationFrame(() => requestAnimationFrame(() => {
              const b = document.getElementById('lines');
              const ls = [...b.querySelectorAll('.line')];
              done([ls.map(e => Number(e.dataset.id)), ls.map(e => e.querySelector('.msg').textContent),
                    b.scrollTop + b.clientHeight >= b.scrollHeight - 1]);
            }));""")
        assert ids == sorted(set(ids)), "a line twice or out of order in the DOM"
        assert max_elements is None or len(ids) <= max_elements
        assert not seen or ids[0] <= seen[-1][0] + 1 or ids[0] in [i for i, _ in seen], "a gap"
        seen += [(i, t) for i, t in zip(ids, texts) if not seen or i > seen[-1][0]]
        if bottom:
            return seen
        driver.execute_script("const b = document.getElementById('lines');"
                              "b.scrollTop += Math.floor(b.clientHeight * arguments[0])", step)


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def inp(p, command, buffer="core.weechat"):
    r = request(p.plain_port, "POST", "/api/input", body={"buffer_name": buffer, "command": command},
                tls=False)
    assert r.status == 204


def shot(driver, name):
    os.makedirs(SHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SHOTS, name))


def record_notices(driver):
    """From now on, every text the notice bar shows is kept in window.__notices ('' when it
    hides): a notice may be up for less than a poll."""
    driver.execute_script("""
        window.__notices = [];
        const n = document.getElementById('notice');
        new MutationObserver(() => window.__notices.push(n.hidden ? '' : n.textContent))
          .observe(n, {attributes: true, childList: true, characterData: true, subtree: true});""")


def notices(driver):
    return driver.execute_script("return window.__notices")


WALK = """
    const [dir, step] = arguments;
    const done = arguments[arguments.length - 1];
    const b = document.getElementById('lines');
    const B = () => window.perch.buffers.get(window.perch.current);
    const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const first = () => { %s };
    const end = () => dir < 0 ? B().lines[0].id : B().lines[B().lines.length - 1].id;
    const reached = () => dir < 0 ? B().complete : B().tail;
    const out = {steps: [], held: 0, jumps: [], disorder: 0, error: null};
    // Page requests wait here until the walk lets them go, so that the line on screen is
    // measured before and after each page comes in.
    const relay = window.perch.relay;
    const Relay = Object.getPrototypeOf(relay).constructor;
    const asked = [];
    relay.request = (req, body) => !req.includes('/lines?') ? Relay.prototype.request.call(relay, req, body)
      : new Promise((res, rej) => asked.push(() => Relay.prototype.request.call(relay, req, body).then(res, rej)));
    const finish = (error) => { delete relay.request; out.error = error || null; done(out); };
    (async () => {
      for (let n = 0; n < 5000; n++) {
        await frame();
        out.steps.push([...b.querySelectorAll('.line')].map(e => Number(e.dataset.id)));
        const ids = B().lines.map(l => l.id);
        out.held = Math.max(out.held, ids.length);
        if (ids.some((x, i) => i && x <= ids[i - 1])) out.disorder += 1;
        if (asked.length) {
          const [id, off] = first();
          const was = end();
          asked.shift()();
          const t0 = performance.now();
          while (end() === was && !reached()) {
            if (performance.now() - t0 > 10000) return finish('no page came');
            await new Promise(r => setTimeout(r, 5));
          }
          await frame();
          const e = b.querySelector(`.line[data-id='${id}']`);
          out.jumps.push(e ? e.getBoundingClientRect().top - b.getBoundingClientRect().top - off : 1e9);
          continue;
        }
        const atEnd = dir < 0 ? b.scrollTop <= 0 : b.scrollTop + b.clientHeight >= b.scrollHeight - 1;
        if (atEnd && reached()) return finish();
        if (atEnd) return finish('at the end of the window, no page asked for');
        b.scrollTop += dir * Math.floor(b.clientHeight * step);
      }
      finish('too many steps');
    })();""" % FIRST_VISIBLE


def walk_paged(driver, direction, step=1.5):
    """Scrolls the chat view to one end of the buffer's history (direction -1: the oldest
    line, 1: the newest), a step of `step` viewports at a time, waiting at each end of the
    window held in memory for the page perchd sends. Returns the ids of the lines seen in
    the DOM in walking order (each once) and figures: the most lines held in memory at once
    (held) and line elements in the DOM (elements), how far (px) the line on screen moved
    each time a page came in (jumps)."""
    driver.set_script_timeout(600)
    out = driver.execute_async_script(WALK, direction, step)
    assert out["error"] is None, out["error"]
    assert out["disorder"] == 0, "lines held out of order or twice"
    seen = []
    most = max(len(ids) for ids in out["steps"])
    for ids in out["steps"]:
        assert ids == sorted(set(ids)), "a line twice or out of order in the DOM"
        if direction < 0:
            ids = ids[::-1]
        # Each step's rows overlap the last step's: nothing skipped between two steps.
        assert not seen or not ids or seen[-1] in ids, "a gap while walking"
        new = ids[ids.index(seen[-1]) + 1:] if seen and ids else ids
        seen += new
    return seen, {"held": out["held"], "jumps": out["jumps"], "elements": most}
