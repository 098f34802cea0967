"""The chat view of the web client in a real headless Chromium against a real perchd: only
the rows near the viewport are in the DOM with 10,000 lines, paging back keeps the view in
place and shows every line once, in order; a line arriving while scrolled up does not move
the view, at the bottom the view follows; a swipe opens the lists on a narrow screen."""
import time

from conftest import request
from test_store import print_lines
from wsraw import open_ws
from selenium.webdriver.common.by import By
from webdriver_util import (FIRST_VISIBLE, at_bottom, browser, console_errors, count_lines,  # noqa: F401
                            inp, line_elements, login, logged_in, open_buffer, page_url, wait,
                            walk_lines, walk_paged)

MAX_ELEMENTS = 300  # line elements in the DOM, whatever the size of the buffer


def server_ids(p, buffer):
    lines = request(p.plain_port, "GET", f"/api/buffers/{buffer}/lines?lines=-20000", tls=False).json()
    return [l["id"] for l in lines]


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
    # Up to the first line: each page of 100 comes in above without moving the view; the
    # lines held in memory stay within the default bound (5000), the DOM within its own.
    seen, fig = walk_paged(browser, -1)
    assert seen == ids[::-1]
    assert max(abs(j) for j in fig["jumps"]) <= 3, fig["jumps"]
    assert len(fig["jumps"]) >= 99 and fig["held"] <= 5000 and fig["elements"] <= MAX_ELEMENTS
    # And down again: every line once, in order, none missing.
    seen, fig = walk_paged(browser, 1)
    assert seen == ids
    assert fig["held"] <= 5000 and fig["elements"] <= MAX_ELEMENTS
    assert line_elements(browser) <= MAX_ELEMENTS
    assert console_errors(browser) == []


def held(driver):
    """The messages of the lines the page holds in memory for the buffer shown."""
    return driver.execute_script(
        "return window.perch.buffers.get(window.perch.current).lines.map(l => l.message)")


def test_lines_held_in_memory_are_bounded_both_ways_and_live_lines_wait_for_the_gap(
        perchd, browser, page_url):
    inp(perchd, "/print -newbuffer long start")
    print_lines(perchd, 2000, "long-", buffer="core.long")
    login(browser, page_url(perchd))
    logged_in(browser)
    browser.execute_script("window.perch.maxLines = 300")
    open_buffer(browser, "long")
    wait(browser, lambda d: "long-001999" in held(d))
    ids = server_ids(perchd, "core.long")
    seen, fig = walk_paged(browser, -1)
    assert seen == ids[::-1]
    assert fig["held"] <= 300 and max(abs(j) for j in fig["jumps"]) <= 3
    # The newest end was dropped: live lines are not put after the gap...
    assert "long-001999" not in held(browser)
    inp(perchd, "/print -buffer core.long live-1", buffer="core.long")
    inp(perchd, "/print -buffer core.long live-2", buffer="core.long")
    ids = server_ids(perchd, "core.long")
    time.sleep(0.5)
    assert not [m for m in held(browser) if m.startswith("live-")]
    # ...they come in, in their place, with the pages down to them.
    seen, fig = walk_paged(browser, 1)
    assert seen == ids
    assert fig["held"] <= 300 and max(abs(j) for j in fig["jumps"]) <= 3
    assert held(browser)[-2:] == ["live-1", "live-2"]
    # At the newest end again: a live line is added and followed.
    inp(perchd, "/print -buffer core.long live-3", buffer="core.long")
    wait(browser, lambda d: held(d)[-1] == "live-3")
    wait(browser, lambda d: at_bottom(d) and d.execute_script(
        "const ls = document.querySelectorAll('#lines .line .msg');"
        "return ls[ls.length - 1].textContent") == "live-3")
    assert len(held(browser)) <= 300
    # Left while reading old history, opened again: the newest lines, at the bottom.
    walk_paged(browser, -1)
    assert "live-3" not in held(browser)
    open_buffer(browser, "weechat")
    open_buffer(browser, "long")
    wait(browser, lambda d: held(d)[-3:] == ["live-1", "live-2", "live-3"])
    wait(browser, lambda d: at_bottom(d) and count_lines(d, "live-3") == 1)
    assert len(held(browser)) == 100
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


def colours(driver):
    """Computed colours of the page, the buffer list, the input and a WeeChat colour (red)."""
    return driver.execute_script("""
        const s = document.createElement('span');
        s.className = 'f1';
        document.getElementById('title').append(s);
        const c = (e, p) => getComputedStyle(e)[p];
        const out = {bg: c(document.body, 'backgroundColor'), fg: c(document.body, 'color'),
                     side: c(document.getElementById('buffers'), 'backgroundColor'),
                     input: c(document.getElementById('input'), 'backgroundColor'),
                     red: c(s, 'color')};
        s.remove();
        return out;""")


def luminance(css):
    r, g, b = [int(x) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3]]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_light_and_dark_themes_follow_the_system(perchd, browser, page_url):
    scheme = lambda v: browser.execute_cdp_cmd(  # noqa: E731
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": v}]})
    scheme("light")
    login(browser, page_url(perchd))
    logged_in(browser)
    light = colours(browser)
    assert luminance(light["bg"]) > 200 and luminance(light["fg"]) < 60
    # The system turns dark: the page follows without a reload, every colour with it.
    scheme("dark")
    wait(browser, lambda d: colours(d)["bg"] != light["bg"])
    dark = colours(browser)
    assert luminance(dark["bg"]) < 60 and luminance(dark["fg"]) > 200
    assert all(dark[k] != light[k] for k in light), (light, dark)
    assert browser.execute_script("return window.matchMedia('(prefers-color-scheme: dark)').matches")
    scheme("light")
    wait(browser, lambda d: colours(d) == light)
    assert console_errors(browser) == []
