"""The chat view of the web client in a real headless Chromium against a real perchd: only
the rows near the viewport are in the DOM with 10,000 lines, paging back keeps the view in
place and shows every line once, in order; a line arriving while scrolled up does not move
the view, at the bottom the view follows; a swipe opens the lists on a narrow screen."""
import time

from conftest import request
from test_store import print_lines
from wsraw import open_ws
from test_web_client import (By, browser, console_errors, inp, login, logged_in, page_url,  # noqa: F401
                             wait, walk_lines)

MAX_ELEMENTS = 300  # line elements in the DOM, whatever the size of the buffer

FIRST_VISIBLE = """
    const b = document.getElementById('lines');
    const top = b.getBoundingClientRect().top;
    const e = [...b.querySelectorAll('.line')].find(x => x.getBoundingClientRect().top >= top);
    return e ? [e.dataset.id, e.getBoundingClientRect().top - top] : null;"""


def server_ids(p, buffer):
    lines = request(p.plain_port, "GET", f"/api/buffers/{buffer}/lines?lines=-20000", tls=False).json()
    return [l["id"] for l in lines]


def open_buffer(driver, name):
    driver.find_element(By.XPATH, f"//button[contains(@class,'buf')][.//span[text()='{name}']]").click()
    wait(driver, lambda d: d.find_element(By.ID, "buffer-name").text == name)


def line_elements(driver):
    return driver.execute_script("return document.querySelectorAll('#lines .line').length")


def at_bottom(driver):
    return driver.execute_script(
        "const b = document.getElementById('lines');"
        "return b.scrollHeight - b.scrollTop - b.clientHeight < 2")


def test_ten_thousand_lines_bounded_dom_paging_in_place_each_line_once(perchd, browser, page_url):
    inp(perchd, "/print -newbuffer big start")
    print_lines(perchd, 10000, "big-", buffer="core.big")
    ids = server_ids(perchd, "core.big")
    assert len(ids) == 10001
    login(browser, page_url(perchd))
    logged_in(browser)
    open_buffer(browser, "big")
    wait(browser, lambda d: d.execute_script(
        "return [...document.querySelectorAll('#lines .line .msg')].some(e => e.textContent === 'big-009999')"))
    assert at_bottom(browser)  # the newest line is shown
    # Page back to the start: each page of 100 comes in above without moving the view.
    browser.set_script_timeout(300)
    out = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const first = () => { %s };
        (async () => {
          const b = document.getElementById('lines');
          const B = window.perch.buffers.get(window.perch.current);
          const out = {jumps: [], maxEls: 0, pages: 0};
          while (!B.complete && out.pages < 200) {
            b.scrollTop = 0;
            b.dispatchEvent(new Event('scroll'));
            const [id, off] = first();
            const n = B.lines.length;
            const t0 = performance.now();
            while (B.lines.length === n && !B.complete && performance.now() - t0 < 5000)
              await new Promise(r => setTimeout(r, 5));
            await new Promise(r => requestAnimationFrame(r));
            const e = b.querySelector(`.line[data-id='${id}']`);
            out.jumps.push(e ? e.getBoundingClientRect().top - b.getBoundingClientRect().top - off : 1e9);
            out.maxEls = Math.max(out.maxEls, b.querySelectorAll('.line').length);
            out.pages += 1;
          }
          out.loaded = B.lines.length;
          done(out);
        })();""" % FIRST_VISIBLE)
    assert out["loaded"] == 10001 and out["pages"] >= 100
    assert max(abs(j) for j in out["jumps"]) <= 3, out["jumps"]
    assert out["maxEls"] <= MAX_ELEMENTS
    # Walking the whole history from the top: every line once, in order, none missing.
    seen = walk_lines(browser, step=1.5, max_elements=MAX_ELEMENTS)
    assert [i for i, _ in seen] == ids
    assert seen[-1][1] == "big-009999"
    assert line_elements(browser) <= MAX_ELEMENTS
    assert console_errors(browser) == []


def test_line_arriving_while_scrolled_up_keeps_the_view_at_bottom_follows(perchd, browser, page_url):
    inp(perchd, "/print -newbuffer chat start")
    print_lines(perchd, 300, "chat-", buffer="core.chat")
    login(browser, page_url(perchd))
    logged_in(browser)
    open_buffer(browser, "chat")
    wait(browser, lambda d: d.execute_script("return window.perch.view.rows.length > 100"))
    # Scrolled up: a new line below does not move what is on screen.
    browser.execute_script("const b = document.getElementById('lines'); b.scrollTop = b.scrollHeight / 3;")
    time.sleep(0.3)
    before = browser.execute_script(FIRST_VISIBLE)
    rows = browser.execute_script("return window.perch.view.rows.length")
    inp(perchd, "/print -buffer core.chat arrived-while-scrolled-up", buffer="core.chat")
    wait(browser, lambda d: d.execute_script("return window.perch.view.rows.length") > rows)
    time.sleep(0.3)
    after = browser.execute_script(
        "const b = document.getElementById('lines');"
        "const e = b.querySelector(`.line[data-id='${arguments[0]}']`);"
        "return e.getBoundingClientRect().top - b.getBoundingClientRect().top", before[0])
    assert abs(after - before[1]) <= 1
    assert not at_bottom(browser)
    # At the bottom: the view follows the new line.
    browser.execute_script("const b = document.getElementById('lines'); b.scrollTop = b.scrollHeight;")
    time.sleep(0.3)
    inp(perchd, "/print -buffer core.chat arrived-at-the-bottom", buffer="core.chat")
    wait(browser, lambda d: d.execute_script(
        "const ls = document.querySelectorAll('#lines .line .msg');"
        "return ls.length && ls[ls.length - 1].textContent === 'arrived-at-the-bottom'"))
    time.sleep(0.2)
    assert at_bottom(browser)
    assert console_errors(browser) == []


def swipe(driver, x0, x1, y=400):
    for kind, x in [("touchStart", x0), ("touchMove", (x0 + x1) // 2), ("touchMove", x1)]:
        driver.execute_cdp_cmd("Input.dispatchTouchEvent",
                               {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    time.sleep(0.2)


def test_swipes_open_the_lists_on_a_narrow_screen(perchd, browser, page_url):
    inp(perchd, "/print -newbuffer room hi")
    for cmd in ["/buffer set nicklist 1", "/nicklist add_nick root bob"]:
        inp(perchd, cmd, buffer="core.room")
    browser.set_window_size(390, 844)
    login(browser, page_url(perchd))
    logged_in(browser)
    buffers = browser.find_element(By.ID, "buffers")
    nicks = browser.find_element(By.ID, "nicks")
    assert not buffers.is_displayed()
    swipe(browser, 40, 300)  # right: the buffer list
    wait(browser, lambda d: buffers.is_displayed())
    swipe(browser, 300, 40)  # left: closes it
    wait(browser, lambda d: not buffers.is_displayed())
    open_buffer_narrow = browser.find_element(By.ID, "toggle-buffers")
    open_buffer_narrow.click()
    open_buffer(browser, "room")
    assert not buffers.is_displayed()
    swipe(browser, 300, 40)  # left: the nicklist
    wait(browser, lambda d: nicks.is_displayed() and "bob" in nicks.text)
    swipe(browser, 40, 300)  # right: closes it
    wait(browser, lambda d: not nicks.is_displayed())
    # A vertical move (scrolling) opens nothing.
    for kind, (x, y) in [("touchStart", (100, 600)), ("touchMove", (130, 300))]:
        browser.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    browser.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    time.sleep(0.2)
    assert not buffers.is_displayed() and not nicks.is_displayed()
    assert console_errors(browser) == []


def print_dated(p, buffer, texts_and_dates):
    ws = open_ws(p.plain_port)
    ws.send_json([{"request": "POST /api/input",
                   "body": {"buffer_name": buffer, "command": f"/print -date {d} {t}"}}
                  for t, d in texts_and_dates])
    for _ in texts_and_dates:
        assert ws.read_json()["code"] == 204
    ws.close()


def walk_rows(driver):
    """The keys of every row (d<id> day separator, l<id> line, u the unread line) from the
    top of the view to the bottom, scrolling through it."""
    seen = []
    driver.execute_script("document.getElementById('lines').scrollTop = 0")
    while True:
        keys, bottom = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            requestAnimationFrame(() => requestAnimationFrame(() => {
              const b = document.getElementById('lines');
              done([[...b.querySelectorAll('[data-key]')].map(e => e.dataset.key),
                    b.scrollTop + b.clientHeight >= b.scrollHeight - 1]);
            }));""")
        assert len(keys) == len(set(keys)), "a row twice in the DOM"
        if seen:
            assert seen[-1] in keys, "a gap while walking"
            keys = keys[keys.index(seen[-1]) + 1:]
        seen += keys
        if bottom:
            return seen
        driver.execute_script("const b = document.getElementById('lines');"
                              "b.scrollTop += Math.floor(b.clientHeight * 1.5)")


def test_day_separators_and_unread_line_right_after_paging(perchd, browser, page_url):
    noon = 1699963200  # 2023-11-14 12:00 UTC
    inp(perchd, f"/print -newbuffer days -date {noon - 86400} opening")
    print_dated(perchd, "core.days", [(f"day{d}-{i:03d}", noon + d * 86400 + i) for d in range(3)
                                      for i in range(150)])
    inp(perchd, "/buffer set unread 10", buffer="core.days")  # the 10 newest are unread
    lines = request(perchd.plain_port, "GET", "/api/buffers/core.days/lines?lines=-1000", tls=False).json()
    ids = [l["id"] for l in lines]
    login(browser, page_url(perchd))
    logged_in(browser)
    open_buffer(browser, "days")
    wait(browser, lambda d: d.execute_script("return window.perch.view.rows.length > 100"))
    browser.set_script_timeout(120)
    browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        (async () => {
          const b = document.getElementById('lines');
          const B = window.perch.buffers.get(window.perch.current);
          while (!B.complete) {
            b.scrollTop = 0;
            b.dispatchEvent(new Event('scroll'));
            const n = B.lines.length;
            while (B.lines.length === n && !B.complete) await new Promise(r => setTimeout(r, 5));
          }
          done();
        })();""")
    keys = walk_rows(browser)
    # One separator before the first line of each of the four days, the unread line before
    # the 10 newest, every line once.
    starts = [ids[0], ids[1], ids[151], ids[301]]
    expected = []
    for i in ids:
        if i in starts:
            expected.append(f"d{i}")
        if i == ids[-10]:
            expected.append("u")
        expected.append(f"l{i}")
    assert keys == expected
    browser.execute_script("document.getElementById('lines').scrollTop = 0")
    wait(browser, lambda d: d.execute_script(
        "const e = document.querySelector('#lines .day'); return e && e.textContent.includes('2023')"))
    # A line far from the view brought to its middle (what a search result does).
    mid = browser.execute_script("""
        const b = document.getElementById('lines');
        const e = window.perch.view.reveal(arguments[0]);
        const r = e.getBoundingClientRect(), v = b.getBoundingClientRect();
        return [e.dataset.id, (r.top + r.bottom) / 2 - (v.top + v.bottom) / 2];""", ids[200])
    assert mid[0] == str(ids[200]) and abs(mid[1]) <= 2
    assert console_errors(browser) == []
