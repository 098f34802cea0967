"""The web client (web/) in a real headless Chromium against a real perchd: login, buffer
list, lines exactly once, input, keyboard switching, calm through an upgrade, no console
errors, screenshots (build/web-screenshots/)."""
import functools
import http.server
import os
import subprocess
import threading
import time

import pytest

from conftest import PASSWORD, PERCHD, free_port, request

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
WEB = os.path.join(ROOT, "web")
SHOTS = os.path.join(ROOT, "build", "web-screenshots")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip("chromium and chromium-driver are needed", allow_module_level=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def web_server():
    """Serves web/ as perchd will: until perchd serves it itself, a static server on a
    free port, the page pointed at perchd's plain listener with ?relay=."""
    port = free_port()
    handler = functools.partial(QuietHandler, directory=WEB)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def page_url(web_server):
    """The URL of the client for one perchd. When perchd serves web/ at `/`, this becomes
    f"http://127.0.0.1:{p.plain_port}/" (no ?relay= needed: same origin)."""
    return lambda p: f"{web_server}/index.html?relay=http://127.0.0.1:{p.plain_port}"


@pytest.fixture
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,800"]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER) if hasattr(
        webdriver, "ChromeService") else webdriver.chrome.service.Service(CHROMEDRIVER)
    driver = webdriver.Chrome(options=opts, service=service)
    yield driver
    driver.quit()


def wait(driver, cond, timeout=15):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: cond(d))


def login(driver, url, password=PASSWORD):
    driver.get(url)
    wait(driver, lambda d: d.find_element(By.ID, "login").is_displayed())
    driver.find_element(By.ID, "password").send_keys(password + Keys.ENTER)


def logged_in(driver):
    wait(driver, lambda d: d.find_element(By.ID, "app").is_displayed()
         and d.find_elements(By.CSS_SELECTOR, ".buf"))


def count_lines(driver, text):
    return driver.execute_script(
        "return [...document.querySelectorAll('#lines .line .msg')]"
        ".filter(e => e.textContent.includes(arguments[0])).length", text)


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def inp(p, command, buffer="core.weechat"):
    r = request(p.plain_port, "POST", "/api/input", body={"buffer_name": buffer, "command": command},
                tls=False)
    assert r.status == 204


def shot(driver, name):
    os.makedirs(SHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SHOTS, name))


def test_login_shows_buffers_and_no_console_error(perchd, browser, page_url):
    for name in ["#perch", "#web"]:
        inp(perchd, f"/print -newbuffer {name} -tags notify_message bob\thello from {name}")
    inp(perchd, "/print -buffer core.#web -tags notify_highlight alice\tyou there? see https://example.org/x")
    login(browser, page_url(perchd))
    logged_in(browser)
    names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".buf .name")]
    assert "weechat" in names[0] and "#perch" in names and "#web" in names
    # Counts from the hotlist: #web has a highlight.
    web = browser.find_element(By.XPATH, "//button[contains(@class,'buf')][.//span[text()='#web']]")
    assert web.find_element(By.CSS_SELECTOR, ".count.hl").text == "2"
    web_id = int(web.get_attribute("data-id"))
    web.click()
    wait(browser, lambda d: d.find_element(By.ID, "buffer-name").text == "#web")
    link = browser.find_element(By.CSS_SELECTOR, "#lines a")
    assert link.get_attribute("href") == "https://example.org/x"
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    # Opening it cleared the hotlist as WeeChat clients do.
    wait(browser, lambda d: not [h for h in request(perchd.plain_port, "GET", "/api/hotlist", tls=False)
                                 .json() if h["buffer_id"] == web_id])
    shot(browser, "wide.png")
    browser.set_window_size(390, 844)
    browser.find_element(By.ID, "toggle-buffers").click()
    time.sleep(0.2)
    shot(browser, "narrow-buffers.png")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    time.sleep(0.2)
    shot(browser, "narrow-chat.png")
    assert console_errors(browser) == []


def test_bad_password_shows_server_error(perchd, browser, page_url):
    login(browser, page_url(perchd), password="wrong")
    wait(browser, lambda d: d.find_element(By.ID, "login-error").text)
    assert browser.find_element(By.ID, "login-error").text == "Invalid password"
    assert browser.find_element(By.ID, "login").is_displayed()
    assert not browser.find_element(By.ID, "app").is_displayed()


def test_line_printed_elsewhere_appears_once(perchd, browser, page_url):
    login(browser, page_url(perchd))
    logged_in(browser)
    inp(perchd, "/print line-from-outside-42")
    wait(browser, lambda d: count_lines(d, "line-from-outside-42") >= 1)
    time.sleep(0.5)
    assert count_lines(browser, "line-from-outside-42") == 1


def test_input_sends_and_shows_line(perchd, browser, page_url):
    login(browser, page_url(perchd))
    logged_in(browser)
    box = browser.find_element(By.ID, "input")
    box.send_keys("/print typed-in-the-page" + Keys.ENTER)
    wait(browser, lambda d: count_lines(d, "typed-in-the-page") == 1)
    assert box.get_attribute("value") == ""
    # History: Up brings it back.
    box.send_keys(Keys.ARROW_UP)
    assert box.get_attribute("value") == "/print typed-in-the-page"
    assert console_errors(browser) == []


def test_alt_arrows_switch_buffers(perchd, browser, page_url):
    for name in ["one", "two"]:
        inp(perchd, f"/print -newbuffer {name} text of {name}")
    login(browser, page_url(perchd))
    logged_in(browser)
    order = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".buf .name")]
    current = lambda: browser.find_element(By.ID, "buffer-name").text  # noqa: E731
    assert current() == order[0]
    ActionChains(browser).key_down(Keys.ALT).send_keys(Keys.ARROW_DOWN).key_up(Keys.ALT).perform()
    wait(browser, lambda d: current() == order[1])
    ActionChains(browser).key_down(Keys.ALT).send_keys(Keys.ARROW_DOWN).key_up(Keys.ALT).perform()
    wait(browser, lambda d: current() == order[2])
    wait(browser, lambda d: count_lines(d, "text of two") == 1)
    ActionChains(browser).key_down(Keys.ALT).send_keys(Keys.ARROW_UP).key_up(Keys.ALT).perform()
    wait(browser, lambda d: current() == order[1])


def test_calm_through_upgrade(perchd, browser, page_url):
    login(browser, page_url(perchd))
    logged_in(browser)
    inp(perchd, "/print before-the-upgrade")
    wait(browser, lambda d: count_lines(d, "before-the-upgrade") == 1)
    # Every text the notice shows is recorded (it may be up for only a second).
    browser.execute_script("""
        window.__notices = [];
        const n = document.getElementById('notice');
        new MutationObserver(() => window.__notices.push(n.hidden ? '' : n.textContent))
          .observe(n, {attributes: true, childList: true, characterData: true, subtree: true});""")
    r = subprocess.run([PERCHD, "--dir", perchd.dir, "--upgrade"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    wait(browser, lambda d: any("restarting" in t for t in d.execute_script("return window.__notices")))
    wait(browser, lambda d: not d.find_element(By.ID, "notice").is_displayed())
    inp(perchd, "/print after-the-upgrade")
    wait(browser, lambda d: count_lines(d, "after-the-upgrade") == 1)
    time.sleep(0.5)
    assert count_lines(browser, "after-the-upgrade") == 1
    assert count_lines(browser, "before-the-upgrade") == 1
    notices = browser.execute_script("return window.__notices")
    assert all(t == "" or "restarting" in t for t in notices), notices
    assert console_errors(browser) == []
