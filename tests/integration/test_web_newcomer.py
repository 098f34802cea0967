"""The web client issue's acceptance, as a newcomer lives it: a first start in an empty data
dir (what `make run` does: config, self-signed certificate and a password printed once), the
page opened at https://127.0.0.1:PORT/ in a real Chromium that accepts the certificate, a
login with the printed password, then chatting: a network added and joined by typing in the
page's input, a line typed in the channel reaching someone on a real ngircd, and their answer
shown in the page."""
import os
import re
import signal
import subprocess
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import PERCHD, free_port, wait_port
from ircd import Ngircd, RawIrc
from webdriver_util import (chromium, console_errors, count_lines, logged_in, open_buffer, quit_chromium,
                            wait)


def first_start(data, port):
    env = dict(os.environ, XDG_DATA_HOME=data)
    env.pop("PERCH_PASSWORD", None)
    log = open(os.path.join(data, "perchd.log"), "w")
    proc = subprocess.Popen([PERCHD, "--tls-listen", f"127.0.0.1:{port}"], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    wait_port(port, proc)
    return proc, log


def type_line(driver, text):
    box = driver.find_element(By.ID, "input")
    box.send_keys(text + Keys.ENTER)


def test_newcomer_logs_in_over_https_with_the_printed_password_and_chats():
    data = tempfile.mkdtemp(prefix="perch-newcomer-")
    port = free_port()
    ircd = Ngircd()
    proc, log = first_start(data, port)
    bob = driver = None
    try:
        with open(os.path.join(data, "perchd.log")) as f:
            password = re.search(r"relay password \(shown once, stored in the config\): (\S+)",
                                 f.read()).group(1)
        # The newcomer accepts the self-signed certificate.
        driver = chromium("--ignore-certificate-errors")
        driver.get(f"https://127.0.0.1:{port}/")
        wait(driver, lambda d: d.find_element(By.ID, "login").is_displayed())
        driver.find_element(By.ID, "password").send_keys(password + Keys.ENTER)
        logged_in(driver)
        # A secure context: the password went hashed (PBKDF2 through WebCrypto), not plain.
        assert driver.execute_script("return window.isSecureContext") is True
        assert driver.execute_script("return window.perch.relay.secret.algo").startswith("pbkdf2+")
        type_line(driver, f"/server add test 127.0.0.1/{ircd.port} -notls -nicks=newbie")
        type_line(driver, "/connect test")
        wait(driver, lambda d: d.find_elements(
            By.XPATH, "//button[contains(@class,'buf')][.//span[text()='test']]"), 30)
        bob = RawIrc(ircd.port, "bob")
        bob.send("JOIN #newcomers")
        bob.wait_for(" 366 ")
        type_line(driver, "/join -server test #newcomers")
        bob.wait_for(":newbie!")
        wait(driver, lambda d: d.find_elements(
            By.XPATH, "//button[contains(@class,'buf')][.//span[text()='#newcomers']]"), 30)
        open_buffer(driver, "#newcomers")
        type_line(driver, "hello bob")
        assert "hello bob" in bob.wait_for("PRIVMSG #newcomers")
        bob.send("PRIVMSG #newcomers :welcome newbie")
        wait(driver, lambda d: count_lines(d, "welcome newbie") == 1, 30)
        assert count_lines(driver, "hello bob") == 1
        assert console_errors(driver) == []
    finally:
        if driver:
            quit_chromium(driver)
        if bob:
            bob.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        log.close()
        ircd.stop()
        subprocess.run(["rm", "-rf", data], check=False)
