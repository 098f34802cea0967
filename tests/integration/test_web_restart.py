"""The web client through perchd's restarts, in a real headless Chromium: a quit (SIGTERM)
followed by a new perchd on the same ports and data dir shows only the restarting notice and
every line once; a crash (kill -9, nothing listening for a while) shows one error message,
retries with exponential backoff and full jitter, and reconnects when perchd is back. (The
upgrade is in test_web_client.py.)"""
import signal
import time

from conftest import Perchd, request
from webdriver_util import (browser, console_errors, count_lines, inp, login, logged_in,  # noqa: F401
                            notices, open_buffer, page_url, record_notices, wait, walk_lines)

# What the browser itself logs while perchd is away (the page cannot silence it).
NETWORK = ("WebSocket connection to", "net::ERR_CONNECTION_REFUSED")


def page_errors(driver):
    return [e for e in console_errors(driver) if not any(n in e["message"] for n in NETWORK)]


def take_over(p):
    """A new perchd on p's data dir and ports (p's process has ended), in p's place."""
    p.log.close()
    again = Perchd(p.dir, ports=(p.tls_port, p.plain_port))
    p.proc, p.log = again.proc, again.log


def server_ids(p, buffer):
    lines = request(p.plain_port, "GET", f"/api/buffers/{buffer}/lines?lines=-1000", tls=False).json()
    return [l["id"] for l in lines]


def reconnected(driver):
    """The page is connected again (a WebSocket open, no notice)."""
    wait(driver, lambda d: d.execute_script(
        "const r = window.perch.relay; return r.ws && r.ws.readyState === WebSocket.OPEN"
        " && document.getElementById('notice').hidden"), timeout=60)


def test_quit_then_a_new_perchd_notice_and_every_line_once(perchd, browser, page_url):
    for i in range(3):
        inp(perchd, f"/print -newbuffer chan before-quit-{i}")
    login(browser, page_url(perchd))
    logged_in(browser)
    open_buffer(browser, "chan")
    wait(browser, lambda d: count_lines(d, "before-quit-2") == 1)
    browser.execute_script("window.__ws = window.perch.relay.ws")
    record_notices(browser)
    perchd.proc.send_signal(signal.SIGTERM)
    assert perchd.proc.wait(timeout=30) == 0
    wait(browser, lambda d: any("restarting" in t for t in notices(d)))
    take_over(perchd)
    # Printed while the page may still be away: it comes with the resync.
    inp(perchd, "/print -buffer core.chan while-away", buffer="core.chan")
    reconnected(browser)
    assert browser.execute_script("return window.perch.relay.ws !== window.__ws")
    inp(perchd, "/print -buffer core.chan after-restart", buffer="core.chan")
    wait(browser, lambda d: count_lines(d, "after-restart") == 1)
    time.sleep(0.5)
    texts = [t for _, t in walk_lines(browser)]
    assert texts == [f"before-quit-{i}" for i in range(3)] + ["while-away", "after-restart"]
    held = browser.execute_script(
        "return window.perch.buffers.get(window.perch.current).lines.map(l => l.id)")
    assert held == server_ids(perchd, "core.chan")
    shown = notices(browser)
    assert shown and all(t == "" or t == "perchd restarting, reconnecting…" for t in shown), shown
    assert shown[-1] == ""
    assert page_errors(browser) == []


def test_crash_one_message_backoff_with_jitter_then_back(perchd, browser, page_url):
    login(browser, page_url(perchd))
    logged_in(browser)
    inp(perchd, "/print before-the-crash")
    wait(browser, lambda d: count_lines(d, "before-the-crash") == 1)
    # Short delays for the test (the defaults are 1 s and 60 s); each connection attempt's
    # time recorded.
    browser.execute_script("""
        Object.assign(window.perch.retry, {base: 50, cap: 400});
        window.__opens = [];
        window.WebSocket = class extends WebSocket {
          constructor(...a) { super(...a); window.__opens.push(performance.now()); }
        };""")
    record_notices(browser)
    perchd.proc.send_signal(signal.SIGKILL)
    perchd.proc.wait()
    try:
        wait(browser, lambda d: d.execute_script("return window.perch.relay.retries.length") >= 12,
             timeout=60)
        retries, opens = browser.execute_script("return [window.perch.relay.retries, window.__opens]")
        # Ceilings double from the base up to the cap; each delay anywhere below its ceiling.
        n = len(retries)
        assert [r["ceiling"] for r in retries] == [min(400, 50 * 2 ** k) for k in range(n)]
        assert all(0 <= r["delay"] <= r["ceiling"] for r in retries)
        delays = [r["delay"] for r in retries]
        assert len(set(delays)) == n  # drawn at random, not fixed
        # Full jitter, from 0 (not from half the ceiling): the page's own draw, 2,000 times,
        # spans the whole range (a chance failure would need odds below 1e-90).
        draws = browser.execute_async_script("""
            const done = arguments[arguments.length - 1];
            import('/js/relay.js').then((m) => done(
                Array.from({length: 2000}, () => m.backoff(3, {base: 50, cap: 400}))));""")
        assert all(d["ceiling"] == 400 and 0 <= d["delay"] <= 400 for d in draws)
        assert min(d["delay"] for d in draws) < 40 and max(d["delay"] for d in draws) > 360
        # Each attempt waited its delay after the one before (the retry scheduled by the
        # failure of attempt k is attempt k + 1).
        for k in range(1, min(len(opens), n)):
            assert opens[k] - opens[k - 1] >= retries[k]["delay"] - 2, (k, opens, delays)
        # One message throughout, the page's own; no restart notice.
        shown = [t for t in notices(browser) if t]
        assert shown and {t.split(";")[0] for t in shown} == {"Connection to perchd lost"}, shown
        assert "fault" in browser.execute_script("return document.getElementById('notice').className")
    finally:
        take_over(perchd)  # also when a check failed: the teardown checks its exit
    reconnected(browser)
    assert browser.execute_script("return window.perch.relay.retries.length") == 0
    inp(perchd, "/print after-the-crash")
    wait(browser, lambda d: count_lines(d, "after-the-crash") == 1)
    time.sleep(0.5)
    assert count_lines(browser, "before-the-crash") == 1 and count_lines(browser, "after-the-crash") == 1
    assert notices(browser)[-1] == ""
    assert page_errors(browser) == []
