"""The web client's keyboard and paste in a real headless Chromium against a real perchd:
Alt+number, Ctrl+K's quick switcher with arrows, Esc closing what is open, and a paste of
several lines that asks first. (Alt+arrows, history and completion: test_web_client.py.)"""
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from webdriver_util import (browser, console_errors, count_lines, current_buffer, inp, login,  # noqa: F401
                            logged_in, page_url, wait)


def alt(driver, key):
    ActionChains(driver).key_down(Keys.ALT).send_keys(key).key_up(Keys.ALT).perform()


def ctrl(driver, key):
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(key).key_up(Keys.CONTROL).perform()


def buffer_names(driver):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".buf .name")]


def displayed(driver, element_id):
    return driver.find_element(By.ID, element_id).is_displayed()


def test_alt_number_selects_the_nth_buffer(perchd, browser, page_url):
    for i in range(1, 11):  # eleven buffers with core.weechat: Alt+0 is the tenth
        inp(perchd, f"/print -newbuffer b{i:02d} text of b{i:02d}")
    login(browser, page_url(perchd))
    logged_in(browser)
    names = buffer_names(browser)
    assert len(names) == 11
    for key, n in [("3", 3), ("0", 10), ("1", 1), ("2", 2)]:
        alt(browser, key)
        wait(browser, lambda d: current_buffer(d) == names[n - 1])
    assert count_lines(browser, "text of b01") == 1
    # The numbers shown in the list are the ones to press.
    nums = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".buf .num")]
    assert nums == [str(i) for i in range(1, 12)]
    assert console_errors(browser) == []


def test_alt_number_beyond_the_list_changes_nothing(perchd, browser, page_url):
    inp(perchd, "/print -newbuffer other hi")
    login(browser, page_url(perchd))
    logged_in(browser)
    alt(browser, "2")
    wait(browser, lambda d: current_buffer(d) == "other")
    alt(browser, "7")
    time.sleep(0.3)
    assert current_buffer(browser) == "other"


def test_quick_switcher_arrows_and_esc(perchd, browser, page_url):
    for name in ["alpha", "alpine", "beta"]:
        inp(perchd, f"/print -newbuffer {name} in {name}")
    login(browser, page_url(perchd))
    logged_in(browser)
    start = current_buffer(browser)
    ctrl(browser, "k")
    wait(browser, lambda d: displayed(d, "switcher"))
    box = browser.find_element(By.ID, "switcher-input")
    assert browser.switch_to.active_element == box
    box.send_keys("alp")
    items = lambda: [(e.text, "sel" in e.get_attribute("class"))  # noqa: E731
                     for e in browser.find_elements(By.CSS_SELECTOR, "#switcher-list li")]
    wait(browser, lambda d: [t for t, _ in items()] == ["core.alpha", "core.alpine"])
    assert items()[0][1]
    box.send_keys(Keys.ARROW_DOWN)
    assert items() == [("core.alpha", False), ("core.alpine", True)]
    box.send_keys(Keys.ARROW_DOWN)  # wraps around
    assert items() == [("core.alpha", True), ("core.alpine", False)]
    box.send_keys(Keys.ARROW_UP)
    # Esc closes it and changes nothing; the input has the focus again.
    box.send_keys(Keys.ESCAPE)
    wait(browser, lambda d: not displayed(d, "switcher"))
    assert current_buffer(browser) == start
    assert browser.switch_to.active_element == browser.find_element(By.ID, "input")
    # Opened again it starts empty; Enter takes the selected one.
    ctrl(browser, "k")
    wait(browser, lambda d: displayed(d, "switcher"))
    assert box.get_attribute("value") == ""
    box.send_keys("alp" + Keys.ARROW_DOWN + Keys.ENTER)
    wait(browser, lambda d: current_buffer(d) == "alpine")
    assert not displayed(browser, "switcher")
    assert console_errors(browser) == []


def test_esc_closes_search_and_the_lists_on_a_narrow_screen(perchd, browser, page_url):
    browser.set_window_size(390, 844)
    login(browser, page_url(perchd))
    logged_in(browser)
    ctrl(browser, "f")
    wait(browser, lambda d: displayed(d, "search"))
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    wait(browser, lambda d: not displayed(d, "search"))
    browser.find_element(By.ID, "toggle-buffers").click()
    wait(browser, lambda d: displayed(d, "buffers"))
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    wait(browser, lambda d: not displayed(d, "buffers"))
    assert console_errors(browser) == []


def paste(driver, text):
    """A real paste (Ctrl+V) of text from the browser's clipboard into the input."""
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": driver.current_url.split("?")[0].rstrip("/"),
        "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    driver.set_script_timeout(10)
    driver.execute_async_script(
        "navigator.clipboard.writeText(arguments[0]).then(arguments[1])", text)
    box = driver.find_element(By.ID, "input")
    box.click()
    ctrl(driver, "v")


def test_paste_of_several_lines_asks_first(perchd, browser, page_url):
    login(browser, page_url(perchd))
    logged_in(browser)
    box = browser.find_element(By.ID, "input")
    text = "/print pasted-1\n/print pasted-2\r\n\n/print pasted-3\n"
    # Refused: nothing is sent, nothing lands in the input.
    paste(browser, text)
    wait(browser, lambda d: d.switch_to.alert)
    alert = browser.switch_to.alert
    assert alert.text == "Send 3 lines to weechat?"
    alert.dismiss()
    time.sleep(0.5)
    assert count_lines(browser, "pasted-") == 0 and box.get_attribute("value") == ""
    # Accepted: the three lines, in order, each once.
    paste(browser, text)
    wait(browser, lambda d: d.switch_to.alert)
    browser.switch_to.alert.accept()
    wait(browser, lambda d: count_lines(d, "pasted-") == 3)
    time.sleep(0.3)
    msgs = browser.execute_script(
        "return [...document.querySelectorAll('#lines .line .msg')].map(e => e.textContent)"
        ".filter(t => t.startsWith('pasted-'))")
    assert msgs == ["pasted-1", "pasted-2", "pasted-3"]
    assert box.get_attribute("value") == ""
    # One line is an ordinary paste into the input, sent with Enter.
    paste(browser, "/print just-one")
    wait(browser, lambda d: box.get_attribute("value") == "/print just-one")
    box.send_keys(Keys.ENTER)
    wait(browser, lambda d: count_lines(d, "just-one") == 1)
    assert console_errors(browser) == []
