"""The web client's TOTP login, search and desktop notifications, in a real headless
Chromium against the page perchd serves (fixtures and helpers from webdriver_util.py)."""
import re
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import PASSWORD, request
from test_auth import totp
from webdriver_util import browser, console_errors, inp, logged_in, login, page_url, wait  # noqa: F401

SECRET = "JBSWY3DPEHPK3PXP"


def totp_login(driver, url, code):
    driver.get(url)
    wait(driver, lambda d: d.find_element(By.ID, "totp").is_displayed())
    driver.find_element(By.ID, "totp").send_keys(code)
    driver.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)


def test_totp_login_good_and_bad_code(perchd_factory, browser, page_url):  # noqa: F811
    p = perchd_factory(config=f"[relay]\ntotp_secret = {SECRET}\ntotp_window = 1\n")
    wrong = f"{(int(totp(SECRET)) + 500000) % 1000000:06d}"
    totp_login(browser, page_url(p), wrong)
    wait(browser, lambda d: d.find_element(By.ID, "login-error").text)
    assert browser.find_element(By.ID, "login-error").text == "Invalid TOTP"
    assert not browser.find_element(By.ID, "app").is_displayed()
    totp_login(browser, page_url(p), totp(SECRET))
    logged_in(browser)
    # The browser's own log holds the failed WebSocket opening of the first try (a 401 the
    # page cannot silence); nothing else.
    errors = [e for e in console_errors(browser) if "WebSocket connection" not in e["message"]
              and "401" not in e["message"]]
    assert errors == []


def search(driver, text):
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("f").key_up(Keys.CONTROL).perform()
    wait(driver, lambda d: d.find_element(By.ID, "search").is_displayed())
    box = driver.find_element(By.ID, "search-input")
    box.clear()
    box.send_keys(text + Keys.ENTER)


def results(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('#search-results li')].map(li => ["
        "li.querySelector('.sb').textContent, li.querySelector('.sd').textContent,"
        "li.querySelector('.sm').textContent])")


def test_search_memory_and_disk_in_context_and_errors(perchd_factory, browser, page_url):  # noqa: F811
    p = perchd_factory(config="[core]\nmax_lines = 50\n")
    inp(p, "/print -newbuffer hist first")
    for i in range(1, 201):
        inp(p, f"/print -buffer core.hist line{i:03d} word{i:03d} common", buffer="core.hist")
    login(browser, page_url(p))
    logged_in(browser)
    # In memory (the newest 50) and only on disk.
    for word in ["word190", "word020"]:
        search(browser, word)
        wait(browser, lambda d: len(results(d)) == 1)
        name, date, text = results(browser)[0]
        assert name == "core.hist" and date and text.strip().endswith(f"{word} common")
    # The result of the line on disk, clicked: its buffer, the line highlighted among its
    # neighbours (50 before it and 50 after).
    browser.find_element(By.CSS_SELECTOR, "#search-results li").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#lines .line.found"))
    assert browser.find_element(By.ID, "buffer-name").text == "hist"
    assert "word020" in browser.find_element(By.CSS_SELECTOR, "#lines .line.found .msg").text
    # The view's rows (only those near the viewport are elements: render.js ChatView).
    texts = browser.execute_script(
        "return window.perch.view.rows.filter(r => r.kind === 'line').map(r => r.line.message)")
    texts = [re.sub(r"\x1b\[[0-9;]*m", "", t) for t in texts]
    assert texts == ["first"] + [f"line{i:03d} word{i:03d} common" for i in range(1, 71)]
    assert browser.find_element(By.ID, "context-bar").is_displayed()
    # A line arriving meanwhile waits; back to the latest lines shows it.
    inp(p, "/print -buffer core.hist arrived-meanwhile", buffer="core.hist")
    time.sleep(0.3)
    assert "arrived-meanwhile" not in browser.execute_script(
        "return document.getElementById('lines').textContent")
    browser.find_element(By.ID, "context-back").click()
    wait(browser, lambda d: "arrived-meanwhile" in d.execute_script(
        "return document.getElementById('lines').textContent"))
    assert not browser.find_element(By.ID, "context-bar").is_displayed()
    # Paging: 200 matches, 50 per answer, "more" until there is none.
    search(browser, "common")
    wait(browser, lambda d: len(results(d)) == 50)
    for n in (100, 150, 200):
        browser.find_element(By.ID, "search-more").click()
        wait(browser, lambda d: len(results(d)) == n)
    # A full page may have been the last one: the next answer is empty and "more" goes.
    browser.find_element(By.ID, "search-more").click()
    wait(browser, lambda d: not d.find_element(By.ID, "search-more").is_displayed())
    assert len(results(browser)) == 200
    got = [r[2].split()[-2] for r in results(browser)]
    assert got == [f"word{i:03d}" for i in range(200, 0, -1)]
    # A query FTS5 refuses: perchd's 400 text.
    search(browser, "AND")
    wait(browser, lambda d: d.find_element(By.ID, "search-error").text)
    assert browser.find_element(By.ID, "search-error").text.startswith("Invalid search query: fts5:")
    assert results(browser) == []
    assert console_errors(browser) == []


def test_notification_permission_flow(perchd, browser, page_url):  # noqa: F811
    url = page_url(perchd)
    login(browser, url)
    logged_in(browser)
    bell = browser.find_element(By.ID, "notify-button")
    assert bell.is_displayed()
    assert browser.execute_script("return Notification.permission") == "default"
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": url.rstrip("/"), "permissions": ["notifications"]})
    bell.click()
    wait(browser, lambda d: not d.find_element(By.ID, "notify-button").is_displayed())
    assert browser.execute_script("return localStorage.getItem('perch.notifications')") == "granted"
    # Remembered: a new visit does not show the bell.
    login(browser, url)
    logged_in(browser)
    assert not browser.find_element(By.ID, "notify-button").is_displayed()
    assert console_errors(browser) == []


def test_highlight_while_hidden_notifies_and_click_focuses(perchd, browser, page_url):  # noqa: F811
    inp(perchd, "/print -newbuffer chan -tags notify_message bob\thello")
    inp(perchd, "/print -newbuffer query -tags notify_message bob\thi")
    inp(perchd, "/buffer set localvar_set_type private", buffer="core.query")
    login(browser, page_url(perchd))
    logged_in(browser)
    # Notifications recorded, the tab hidden.
    browser.execute_script("""
        window.__notes = [];
        window.Notification = class {
          static get permission() { return 'granted'; }
          constructor(title, opts) { this.title = title; this.body = opts.body; this.closed = false;
                                     window.__notes.push(this); }
          close() { this.closed = true; }
        };
        window.__hidden = false;
        Object.defineProperty(document, 'hidden', {configurable: true, get: () => window.__hidden});""")
    inp(perchd, "/print -buffer core.chan -tags notify_highlight alice\twhile visible")
    time.sleep(0.3)
    browser.execute_script("window.__hidden = true")
    inp(perchd, "/print -buffer core.chan -tags notify_message alice\tjust a message")
    inp(perchd, "/print -buffer core.chan -tags notify_highlight alice\tping you")
    inp(perchd, "/print -buffer core.query -tags notify_private bob\tprivately")
    wait(browser, lambda d: d.execute_script("return window.__notes.length") == 2)
    time.sleep(0.3)
    notes = browser.execute_script("return window.__notes.map(n => [n.title, n.body])")
    assert notes == [["chan: highlight", "<alice> ping you"], ["query", "<bob> privately"]]
    assert browser.find_element(By.ID, "buffer-name").text != "chan"
    browser.execute_script("window.__hidden = false; window.__notes[0].onclick()")
    wait(browser, lambda d: d.find_element(By.ID, "buffer-name").text == "chan")
    assert browser.execute_script("return window.__notes[0].closed")
    assert console_errors(browser) == []


def test_totp_login_reconnects_without_a_new_code(perchd_factory, browser, page_url):  # noqa: F811
    """After a TOTP login the page reconnects with perchd's login token: through an upgrade
    it needs no code (the one typed is spoiled here, so only the token can log in)."""
    import subprocess
    from conftest import PERCHD
    from webdriver_util import count_lines
    p = perchd_factory(config=f"[relay]\ntotp_secret = {SECRET}\ntotp_window = 1\n")

    def say(text):
        r = request(p.plain_port, "POST", "/api/input", tls=False,
                    headers={"x-weechat-totp": totp(SECRET)},
                    body={"buffer_name": "core.weechat", "command": f"/print {text}"})
        assert r.status == 204

    totp_login(browser, page_url(p), totp(SECRET))
    logged_in(browser)
    wait(browser, lambda d: d.execute_script("return window.perch.relay.token"))
    browser.execute_script("window.perch.relay.secret.totp = '000000';"
                           "window.__ws = window.perch.relay.ws;")
    say("before-the-upgrade")
    wait(browser, lambda d: count_lines(d, "before-the-upgrade") == 1)
    r = subprocess.run([PERCHD, "--dir", p.dir, "--upgrade"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    # A new WebSocket, logged in with the token.
    wait(browser, lambda d: d.execute_script(
        "const ws = window.perch.relay.ws; return ws && ws !== window.__ws && ws.readyState === 1"))
    say("after-the-upgrade")
    wait(browser, lambda d: count_lines(d, "after-the-upgrade") == 1)
    assert not browser.find_element(By.ID, "login").is_displayed()
    assert count_lines(browser, "before-the-upgrade") == 1
