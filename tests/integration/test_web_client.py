"""The web client (web/) in a real headless Chromium against a real perchd: login, buffer
list, lines exactly once, input, keyboard switching, calm through an upgrade, no console
errors, screenshots (build/web-screenshots/)."""
import json
import os
import subprocess
import tempfile
import time

import pytest

from conftest import PASSWORD, PERCHD, basic, request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from webdriver_util import (WEB, browser, chromium, console_errors, count_lines, inp, login,  # noqa: F401
                            logged_in, notices, page_url, quit_chromium, record_notices, shot, wait,
                            walk_lines)


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
    browser.execute_script("window.__ws = window.perch.relay.ws")
    record_notices(browser)
    r = subprocess.run([PERCHD, "--dir", perchd.dir, "--upgrade"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    wait(browser, lambda d: any("restarting" in t for t in notices(d)))
    wait(browser, lambda d: not d.find_element(By.ID, "notice").is_displayed())
    # The browser's WebSocket uses permessage-deflate, which cannot cross the exec: perchd
    # closed it (1012) and the page opened a new one.
    assert browser.execute_script("return window.perch.relay.ws !== window.__ws")
    inp(perchd, "/print after-the-upgrade")
    wait(browser, lambda d: count_lines(d, "after-the-upgrade") == 1)
    time.sleep(0.5)
    assert count_lines(browser, "after-the-upgrade") == 1
    assert count_lines(browser, "before-the-upgrade") == 1
    shown = notices(browser)
    assert all(t == "" or "restarting" in t for t in shown), shown
    assert console_errors(browser) == []


def test_read_marker_shown_and_moved_for_every_client(perchd, browser, page_url):
    for i in range(3):
        inp(perchd, f"/print -newbuffer chan -tags notify_message bob\tmessage {i}")
    inp(perchd, "/buffer set unread 2", buffer="core.chan")  # the 2 newest are unread
    chan = request(perchd.plain_port, "GET", "/api/buffers/core.chan?lines=-10", tls=False).json()
    assert chan["last_read_line_id"] == chan["lines"][0]["id"]
    login(browser, page_url(perchd))
    logged_in(browser)
    browser.find_element(By.XPATH, "//button[contains(@class,'buf')][.//span[text()='chan']]").click()
    wait(browser, lambda d: d.find_element(By.ID, "buffer-name").text == "chan")
    # The unread line sits after "message 0".
    order = browser.execute_script(
        "return [...document.querySelectorAll('#lines > .line, #lines > .unread')]"
        ".map(e => e.classList.contains('unread') ? 'UNREAD' : e.querySelector('.msg').textContent)")
    assert order == ["message 0", "UNREAD", "message 1", "message 2"]
    # Leaving the buffer marks it read, as WeeChat does; a second client sees it.
    ActionChains(browser).key_down(Keys.ALT).send_keys(Keys.ARROW_UP).key_up(Keys.ALT).perform()
    wait(browser, lambda d: d.find_element(By.ID, "buffer-name").text != "chan")
    wait(browser, lambda d: request(perchd.plain_port, "GET", "/api/buffers/core.chan", tls=False)
         .json()["last_read_line_id"] == chan["lines"][-1]["id"])
    hot = request(perchd.plain_port, "GET", "/api/hotlist", tls=False).json()
    assert chan["id"] not in [h["buffer_id"] for h in hot]


def test_scrolling_up_loads_history_without_duplicates(perchd, browser, page_url):
    inp(perchd, "/print -newbuffer long first")
    for i in range(1, 260):
        inp(perchd, f"/print -buffer core.long history line {i:03d}", buffer="core.long")
    login(browser, page_url(perchd))
    logged_in(browser)
    browser.find_element(By.XPATH, "//button[contains(@class,'buf')][.//span[text()='long']]").click()
    wait(browser, lambda d: count_lines(d, "history line 259") == 1)
    assert browser.execute_script("return window.perch.view.rows.filter(r => r.kind === 'line').length") == 100
    for _ in range(20):
        # The line at the top of the view stays in place while older ones come in (only the
        # rows near the viewport are in the DOM: the first line on screen).
        top, where = browser.execute_script(
            "const b = document.getElementById('lines'); b.scrollTop = 0;"
            "b.dispatchEvent(new Event('scroll'));"  # the view renders the top rows now
            "const e = [...b.querySelectorAll('.line')]"
            "  .find(x => x.getBoundingClientRect().top >= b.getBoundingClientRect().top);"
            "return [e.dataset.id, e.getBoundingClientRect().top - b.getBoundingClientRect().top]")
        time.sleep(0.3)
        if count_lines(browser, "first") == 1:
            break
        still = browser.execute_script(
            "const b = document.getElementById('lines');"
            "const e = b.querySelector(`.line[data-id='${arguments[0]}']`);"
            "return e.getBoundingClientRect().top - b.getBoundingClientRect().top", top)
        assert abs(still - where) < 2  # older lines came in above, the view did not jump
    texts = [t for _, t in walk_lines(browser)]
    assert texts == ["first"] + [f"history line {i:03d}" for i in range(1, 260)]


def test_completion_switcher_and_nicklist(perchd, browser, page_url):
    inp(perchd, "/print -newbuffer room hi")
    for cmd in ["/buffer set nicklist 1", "/nicklist add_group 000|o", "/nicklist add_nick 000|o alice @ lightgreen",
                "/nicklist add_nick root bob"]:
        inp(perchd, cmd, buffer="core.room")
    login(browser, page_url(perchd))
    logged_in(browser)
    box = browser.find_element(By.ID, "input")
    box.send_keys("/pri" + Keys.TAB)
    wait(browser, lambda d: box.get_attribute("value") == "/print ")
    box.clear()
    # Ctrl+K: type part of a name, Enter.
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("k").key_up(Keys.CONTROL).perform()
    wait(browser, lambda d: d.find_element(By.ID, "switcher").is_displayed())
    browser.find_element(By.ID, "switcher-input").send_keys("roo" + Keys.ENTER)
    wait(browser, lambda d: d.find_element(By.ID, "buffer-name").text == "room")
    assert not browser.find_element(By.ID, "switcher").is_displayed()
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#nicks li")) == 2)
    nicks = [e.text.strip() for e in browser.find_elements(By.CSS_SELECTOR, "#nicks li")]
    assert nicks == ["@alice", "bob"]
    # A nick joining live.
    inp(perchd, "/nicklist add_nick root carol", buffer="core.room")
    wait(browser, lambda d: "carol" in d.find_element(By.ID, "nicks").text)
    assert console_errors(browser) == []


def test_web_is_small():
    import gzip
    total = 0
    for root, _, files in os.walk(WEB):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                total += len(gzip.compress(fh.read(), 9))
    assert total <= 150 * 1024, total


@pytest.mark.parametrize("algo", ["pbkdf2+sha256", "sha512", "sha256"])
def test_login_with_only_a_hash_allowed(perchd_factory, browser, page_url, algo):
    """The client computes the handshake's hash itself: perchd here refuses plain."""
    p = perchd_factory(config=f"[relay]\npassword_hash_algo = {algo}\npassword_hash_iterations = 1000\n")
    login(browser, page_url(p))
    logged_in(browser)
    assert console_errors(browser) == []


def test_remember_me_stores_a_token_not_the_password(perchd, browser, page_url):
    """"Remember me" keeps perchd's login token in local storage: not the password, nothing
    the password could be computed from; a new visit logs in with it, and a token perchd
    refuses sends the visitor back to the form with a clear message."""
    url = page_url(perchd)
    browser.get(url)
    wait(browser, lambda d: d.find_element(By.ID, "login").is_displayed())
    browser.find_element(By.ID, "remember").click()
    browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    logged_in(browser)
    wait(browser, lambda d: d.execute_script("return localStorage.getItem('perch.login')"))
    stored = browser.execute_script("""
        return {items: Object.keys(localStorage), login: localStorage.getItem('perch.login')};""")
    saved = json.loads(stored["login"])
    assert stored["items"] == ["perch.login"] and sorted(saved) == ["expires", "token"]
    assert PASSWORD not in stored["login"]
    # The stored token is one perchd takes.
    r = request(perchd.plain_port, "GET", "/api/version", auth=False, tls=False,
                headers={"Authorization": basic(f"token:{saved['token']}")})
    assert r.status == 200
    # A new visit logs in with it, without the form.
    browser.get(url)
    logged_in(browser)
    assert not browser.find_element(By.ID, "login").is_displayed()
    # A token perchd no longer takes: the form, a clear message, nothing stored any more.
    browser.execute_script("""
        const t = JSON.parse(localStorage.getItem('perch.login'));
        t.token = t.token.slice(0, -1) + (t.token.endsWith('0') ? '1' : '0');
        localStorage.setItem('perch.login', JSON.stringify(t));""")
    browser.get(url)
    wait(browser, lambda d: d.find_element(By.ID, "login-error").text)
    assert "log in again" in browser.find_element(By.ID, "login-error").text
    assert browser.execute_script("return localStorage.getItem('perch.login')") is None
    # Without the box ticked, nothing is kept.
    browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    logged_in(browser)
    time.sleep(0.3)
    assert browser.execute_script("return localStorage.length") == 0


def test_totp_field_shown_when_perchd_asks(perchd_factory, browser, page_url):
    p = perchd_factory(config="[relay]\ntotp_secret = JBSWY3DPEHPK3PXP\n")
    browser.get(page_url(p))
    wait(browser, lambda d: d.find_element(By.ID, "totp").is_displayed())


def _chromium_leftovers():
    """Chromium's own files in the temporary folder. The tests' browsers' own folders
    (perch-chromium-*) are not counted: the other build's suite, run at the same time,
    makes and removes them."""
    tmp = tempfile.gettempdir()
    return {n for n in os.listdir(tmp)
            if "chromium" in n.lower() and not n.startswith("perch-chromium-")}


def test_browser_leaves_nothing_in_the_temporary_folder(perchd, page_url):
    """Chromium leaves its singleton socket's folder in the temporary folder at every exit
    (and chromedriver its profile when killed): the tests' browser keeps both in a folder
    of its own, gone once it quits."""
    before = _chromium_leftovers()
    driver = chromium()
    try:
        login(driver, page_url(perchd))
        logged_in(driver)
        own = driver.perch_tmp
        assert os.listdir(own), "Chromium wrote nothing in its own temporary folder"
    finally:
        quit_chromium(driver)
    assert not os.path.exists(own)
    assert not _chromium_leftovers() - before
