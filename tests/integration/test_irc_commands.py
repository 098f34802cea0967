"""IRC commands and network options against a real ngircd: /mode, /ignore (kept across a
restart), completion of nicks, channels, servers and command arguments, nick regain with
ISON, outgoing flood control, client certificates, several addresses per network, and
networks defined in the config file."""
import os
import signal
import socket
import subprocess
import threading
import time

import pytest

from conftest import Perchd, free_port, request
from ircd import RawIrc
from wsraw import open_ws
from test_irc import CONFIG, cmd, lines, wait_for, wait_line
CHAN = "irc.test.%23perch"


def messages(p, buffer):
    return [l["message"] for l in lines(p, buffer)]


def connect(p, ngircd, nicks="perchy", extra=""):
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks={nicks} {extra}")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")


def join_with_bob(p, ngircd):
    """perchy and bob (op, first in) in #perch; bob's client is returned."""
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #perch")
    bob.wait_for("366")
    cmd(p, "/join #perch", buffer="irc.server.test")
    wait_for(lambda: {"bob", "perchy"} <= nicks(p, CHAN))
    return bob


def test_mode_on_the_channel_a_named_channel_and_our_nick(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    connect(p, ngircd)
    bob = join_with_bob(p, ngircd)
    bob.send("MODE #perch +o perchy")
    bob.wait_for("MODE #perch +o perchy")
    wait_line(p, CHAN, "Mode #perch [+o perchy] by bob")
    cmd(p, "/mode +m", buffer="irc.test.#perch")
    assert bob.wait_for("MODE #perch").endswith("+m")
    wait_line(p, CHAN, "Mode #perch [+m] by perchy")
    cmd(p, "/mode #perch -m+l 5", buffer="irc.server.test")
    line = bob.wait_for("MODE #perch")
    assert "-m+l" in line and line.endswith("5")
    cmd(p, "/mode perchy +i", buffer="irc.server.test")
    wait_line(p, "irc.server.test", "User mode [+i] by perchy")
    # Modes without a channel outside a channel: an error, nothing sent.
    cmd(p, "/mode +t", buffer="irc.server.test")
    wait_line(p, "irc.server.test", "you must specify channel for \"mode\" command")
    bob.close()


def nicks(p, buffer):
    root = request(p.plain_port, "GET", f"/api/buffers/{buffer}/nicks", tls=False).json()
    return {n["name"] for g in root.get("groups", []) for n in g["nicks"]}


def restart(p):
    cmd(p, "/quit")
    assert p.proc.wait(timeout=30) == 0
    p.log.close()
    again = Perchd(p.dir)
    p.proc, p.log, p.tls_port, p.plain_port = again.proc, again.log, again.tls_port, again.plain_port


def test_ignore_hides_a_nick_is_kept_across_a_restart_and_refuses_bad_input(perchd_factory,
                                                                            ngircd):
    p = perchd_factory(config=CONFIG)
    connect(p, ngircd, extra="-autojoin=#perch")
    bob = join_with_bob(p, ngircd)
    alice = RawIrc(ngircd.port, "alice")
    alice.send("JOIN #perch")
    wait_line(p, CHAN, "alice (~alice@127.0.0.1) has joined")
    cmd(p, "/ignore add bo* test")
    seen = len(messages(p, CHAN))
    cmd(p, "/ignore add re:ali(ce|x) test #elsewhere")
    wait_line(p, "core.weechat", "[2] mask: ^ali(ce|x)$ / server: test / channel: #elsewhere")
    cmd(p, "/ignore addreplace re:ali(ce|x) test #elsewhere")
    wait_line(p, "core.weechat", "irc: ignore updated:")
    for bad in ["/ignore add re:(", "/ignore del 7", "/ignore del x", "/ignore add", "/ignore frob",
                "/ignore add bo* test"]:
        cmd(p, bad)
    shown = messages(p, "core.weechat")
    for error in ["invalid regular expression", "ignore not found", "wrong ignore number",
                  "Too few arguments", "ignore already exists"]:
        assert any(error in m for m in shown), error
    bob.send("PRIVMSG #perch :from bob, hidden")
    bob.send("PRIVMSG perchy :private from bob, hidden")
    bob.send("PART #perch :bye")
    alice.send("PRIVMSG #perch :from alice, shown")
    wait_line(p, CHAN, "from alice, shown")
    # bob's PART is not shown, but he left: the nicklist follows.
    wait_for(lambda: "bob" not in nicks(p, CHAN))
    since = messages(p, CHAN)[seen:]
    assert "from alice, shown" in since and not any("bob" in m for m in since), since
    assert request(p.plain_port, "GET", "/api/buffers/irc.test.bob", tls=False).status == 404

    restart(p)
    wait_line(p, "irc.server.test", "Welcome", count=2)
    cmd(p, "/ignore list")
    wait_line(p, "core.weechat", "[1] mask: ^bo.*$ / server: test / channel: *")
    bob.send("JOIN #perch")
    wait_for(lambda: {"bob", "perchy"} <= nicks(p, CHAN))  # both back in #perch
    bob.send("PRIVMSG #perch :still hidden")
    alice.send("PRIVMSG #perch :alice again")
    wait_line(p, CHAN, "alice again")
    assert not any("still hidden" in m for m in messages(p, CHAN))
    cmd(p, "/ignore del 1")
    wait_line(p, "core.weechat", "ignore \"^bo.*$\" deleted")
    bob.send("PRIVMSG #perch :bob is heard")
    wait_line(p, CHAN, "bob is heard")
    cmd(p, "/ignore del -all")
    cmd(p, "/ignore")
    wait_line(p, "core.weechat", "no ignore in list")
    bob.close()
    alice.close()


def privmsgs_until_pong(client, token):
    """The texts of the PRIVMSGs client reads before the answer to its PING token."""
    client.send(f"PING {token}")
    got = []
    while True:
        line = client.line()
        if " PONG " in line and token in line:
            return got
        if " PRIVMSG " in line:
            got.append(line.split(" :", 1)[1])


def test_flood_control_paces_a_burst_of_messages_and_follows_a_reload(perchd_factory, ngircd):
    slow = CONFIG + "auto_away =\nanti_flood = 60000\nanti_flood_burst = 3\n"
    p = perchd_factory(config=slow)
    bob = RawIrc(ngircd.port, "bob")
    connect(p, ngircd)
    for i in range(8):
        cmd(p, f"/msg bob m{i}", buffer="irc.server.test")
    wait_line(p, "irc.server.test", "m7")  # all typed, shown at once
    # The burst goes, the rest waits a minute: bob has exactly three when his PING comes back.
    got = []
    while len(got) < 3:
        got += privmsgs_until_pong(bob, "a")
    assert got == ["m0", "m1", "m2"]
    assert privmsgs_until_pong(bob, "b") == []
    # A reload takes a fast pace: what waited goes, then a long burst, in order, all of it.
    with open(p.config_path, "w") as f:
        f.write(CONFIG + "auto_away =\nanti_flood = 10\nanti_flood_burst = 2\n")
    p.proc.send_signal(signal.SIGHUP)
    for i in range(8, 40):
        cmd(p, f"/msg bob m{i}", buffer="irc.server.test")
    while len(got) < 40:
        got += privmsgs_until_pong(bob, "c")
    assert got == [f"m{i}" for i in range(40)]
    bob.close()


def test_server_deloutq_drops_the_lines_waiting_and_copy_makes_a_twin(perchd_factory, ngircd):
    slow = CONFIG + "auto_away =\nanti_flood = 60000\nanti_flood_burst = 3\n"
    p = perchd_factory(config=slow)
    bob = RawIrc(ngircd.port, "bob")
    connect(p, ngircd)
    for i in range(8):
        cmd(p, f"/msg bob m{i}", buffer="irc.server.test")
    got = []
    while len(got) < 3:
        got += privmsgs_until_pong(bob, "a")
    cmd(p, "/server deloutq")
    wait_line(p, "core.weechat", "irc: messages outqueue DELETED for all servers. Some "
              "messages from you or WeeChat may have been lost!")
    # A fast pace again: what waited is gone, what comes next goes.
    with open(p.config_path, "w") as f:
        f.write(CONFIG + "auto_away =\nanti_flood = 10\nanti_flood_burst = 2\n")
    p.proc.send_signal(signal.SIGHUP)
    cmd(p, "/msg bob after", buffer="irc.server.test")
    while "after" not in got:
        got += privmsgs_until_pong(bob, "b")
    assert got == ["m0", "m1", "m2", "after"]
    # /server copy: the same options under another name, not connected.
    cmd(p, "/server copy test twin")
    wait_line(p, "core.weechat", "irc: server test has been copied to twin")
    cmd(p, "/set irc.server.twin.addresses")
    wait_line(p, "core.weechat", f"irc.server.twin.addresses = 127.0.0.1/{ngircd.port}")
    cmd(p, "/server list")
    wait_line(p, "core.weechat", "  twin 127.0.0.1/")
    assert [l for l in lines(p, "core.weechat") if l["message"].startswith("  twin ")][-1][
        "message"].endswith("(not connected)")
    for command, error in (("/server copy test twin", 'server "twin" already exists for "server copy"'),
                           ("/server copy nosuch x", 'server "nosuch" not found for "server copy"'),
                           ("/server copy test", 'Too few arguments for command "/server copy"'),
                           ("/server copy test bad/name", "irc: ")):
        cmd(p, command)
        wait_line(p, "core.weechat", error)
    bob.close()


def test_a_full_send_queue_refuses_more_lines_and_says_so_once(perchd_factory, ngircd):
    """5000 lines waiting for the flood control: the next ones are not sent, nor shown as
    sent, and the user is told once."""
    slow = CONFIG + "auto_away =\nanti_flood = 60000\nanti_flood_burst = 1\n"
    p = perchd_factory(config=slow)
    connect(p, ngircd)
    ws = open_ws(p.plain_port)
    texts = [f"q{i:04d}" for i in range(5010)]
    for start in range(0, len(texts), 500):
        batch = texts[start:start + 500]
        ws.send_json([{"request": "POST /api/input",
                       "body": {"buffer_name": "irc.server.test", "command": f"/msg nobody {t}"}}
                      for t in batch])
        for _ in batch:
            assert ws.read_json()["code"] == 204
    ws.close()
    warning = "irc: 5000 lines are waiting to be sent; more are not sent"
    wait_line(p, "irc.server.test", warning)
    shown = request(p.plain_port, "GET", "/api/buffers/irc.server.test/lines?lines=-20"
                    "&colors=strip", tls=False).json()
    said = [l["message"] for l in shown]
    # One sent at once (the burst), 5000 queued: q5001 on are refused, and not shown.
    assert said.count(warning) == 1
    assert any(m.endswith("q5000") for m in said) and not any("q5001" in m for m in said)


def test_flood_options_are_checked(perchd_factory, tmp_path):
    for bad in ["anti_flood = -1", "anti_flood = 999999", "anti_flood_burst = 0",
                "anti_flood_burst = many"]:
        conf = tmp_path / "bad.conf"
        conf.write_text(CONFIG + bad + "\n")
        out = subprocess.run([os.environ.get("PERCHD", "build/src/perchd"), "--dir",
                              str(tmp_path), "--config", str(conf), "--plain-listen",
                              f"127.0.0.1:{free_port()}"], capture_output=True, text=True,
                             timeout=30)
        assert out.returncode != 0 and "anti_flood" in out.stderr, (bad, out.stderr)


def complete(p, buffer, text):
    r = request(p.plain_port, "POST", "/api/completion", tls=False,
                body={"buffer_name": buffer, "command": text})
    assert r.status == 200, r.body
    return r.json()


def test_completion_of_nicks_speakers_first_channels_servers_and_arguments(perchd_factory,
                                                                          ngircd):
    p = perchd_factory(config=CONFIG)
    cmd(p, "/server add other 127.0.0.1/1 -notls")
    connect(p, ngircd)
    bob = join_with_bob(p, ngircd)
    others = [RawIrc(ngircd.port, nick) for nick in ("alice", "carol", "dave")]
    for o in others:
        o.send("JOIN #perch")
    wait_for(lambda: {"alice", "carol", "dave"} <= nicks(p, CHAN))
    others[0].send("PRIVMSG #perch :alice speaks")
    wait_line(p, CHAN, "alice speaks")
    others[2].send("PRIVMSG #perch :dave speaks")
    wait_line(p, CHAN, "dave speaks")
    chan = "irc.test.#perch"
    # At the start of a line: the latest speaker first, the others sorted, ourselves last,
    # each with WeeChat's nick completer ": "; then channels (WeeChat's default template).
    c = complete(p, chan, "")
    assert c["context"] == "auto" and c["list"] == ["dave: ", "alice: ", "bob: ", "carol: ",
                                                    "perchy: ", "#perch"]
    c = complete(p, chan, "A")
    assert c["list"] == ["alice: "] and c["add_space"] is False
    c = complete(p, chan, "hi c")
    assert c["list"] == ["carol"] and c["add_space"] is True and c["position_replace"] == 3
    assert complete(p, chan, "see #")["list"] == ["#perch"]
    # A nick change follows the speakers.
    others[2].send("NICK dave2")
    wait_for(lambda: "dave2" in nicks(p, CHAN))
    assert complete(p, chan, "d")["list"] == ["dave2: "]
    assert complete(p, chan, "")["list"][:2] == ["dave2: ", "alice: "]

    server = "irc.server.test"
    assert complete(p, server, "/join #")["list"] == ["#perch"]
    assert complete(p, server, "/connect ")["list"] == ["-all", "-auto", "-nojoin", "other",
                                                        "test"]
    assert complete(p, server, "/connect o")["list"] == ["other"]
    assert complete(p, server, "/server ")["list"] == ["add", "copy", "del", "deloutq", "list",
                                                       "listfull", "rename"]
    assert complete(p, server, "/server del t")["list"] == ["test"]
    assert complete(p, server, "/msg -server ")["list"] == ["other", "test"]
    assert complete(p, chan, "/msg a")["list"] == ["alice"]
    assert "-server" in complete(p, chan, "/msg ")["list"]
    assert complete(p, chan, "/mode ")["list"] == ["#perch", "perchy"]
    cmd(p, "/ignore add nobody")
    cmd(p, "/ignore add nobody2")
    assert complete(p, server, "/ignore del ")["list"] == ["1", "2", "-all"]
    assert complete(p, server, "/ignore add x ")["list"] == ["other", "test"]
    # Other buffers keep core's completion.
    assert complete(p, "core.weechat", "/bu")["list"] == ["buffer"]
    for o in others + [bob]:
        o.close()


def test_nick_regain_with_ison_takes_the_first_nick_back(perchd_factory, ngircd):
    squatter = RawIrc(ngircd.port, "perchy")
    # Not faster: ngircd delays clients that send more than a command a second or so.
    p = perchd_factory(config=CONFIG + "nick_regain_interval = 1000\n")
    connect(p, ngircd, nicks="perchy,perchy2")
    server = "irc.server.test"
    assert request(p.plain_port, "GET", f"/api/buffers/{server}",
                   tls=False).json()["local_variables"]["nick"] == "perchy2"
    bob = RawIrc(ngircd.port, "bob")
    squatter.send("QUIT :bye")
    wait_line(p, server, "You are now known as perchy")
    # The ISONs (answered "perchy" while taken) went unseen.
    assert not any("irc_303" in l["tags"] for l in lines(p, server))
    assert request(p.plain_port, "GET", f"/api/buffers/{server}",
                   tls=False).json()["local_variables"]["nick"] == "perchy"
    # An ISON of the user's own is shown.
    cmd(p, "/quote ISON bob", buffer=server)
    wait_line(p, server, "bob")
    # A /nick of the user's own stops the regain.
    cmd(p, "/nick other", buffer=server)
    wait_line(p, server, "You are now known as other")
    time.sleep(2.5)
    assert request(p.plain_port, "GET", f"/api/buffers/{server}",
                   tls=False).json()["local_variables"]["nick"] == "other"
    bob.close()


@pytest.fixture(scope="module")
def fakehosts(tmp_path_factory):
    """The LD_PRELOAD shim that gives test names several addresses (fakehosts.c)."""
    out = str(tmp_path_factory.mktemp("fakehosts") / "fakehosts.so")
    src = os.path.join(os.path.dirname(__file__), "fakehosts.c")
    subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", out, src, "-ldl"], check=True)
    return out


def test_every_address_of_a_host_then_every_host_is_tried(perchd_factory, ngircd, fakehosts):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)  # accepts (in the kernel) and never says a word
    # Under ASan the shim comes before its runtime: allowed, the other options kept.
    asan = os.environ.get("ASAN_OPTIONS", "")
    env = {"LD_PRELOAD": fakehosts, "ASAN_OPTIONS": asan + ":verify_asan_link_order=0",
           "PERCH_FAKE_HOSTS": "multi.test=::1,127.0.0.2,127.0.0.1;dead.test=127.0.0.2;nx.test="}
    p = perchd_factory(config=CONFIG.replace("connect_timeout = 30000", "connect_timeout = 1500"),
                       env=env)
    # One name, three addresses (IPv6 first, as a resolver orders them): the two without a
    # server fail, the third is welcomed.
    cmd(p, f"/server add multi multi.test/{ngircd.port} -notls -nicks=multi")
    cmd(p, "/connect multi")
    wait_line(p, "irc.server.multi", "Welcome")
    said = messages(p, "irc.server.multi")
    assert said.index("irc: trying the next address of multi.test: 127.0.0.2") < \
        said.index("irc: trying the next address of multi.test: 127.0.0.1")
    assert sum("connecting to server" in m for m in said) == 1  # no wait in between
    # Several hosts: a dead one, one that never answers (its own connect timeout), then
    # the server; each in turn, without waiting for a reconnection.
    port = silent.getsockname()[1]
    cmd(p, f"/server add hosts dead.test/{ngircd.port},127.0.0.1/{port},"
           f"127.0.0.1/{ngircd.port} -notls -nicks=hosts")
    cmd(p, "/connect hosts")
    wait_line(p, "irc.server.hosts", "Welcome")
    said = messages(p, "irc.server.hosts")
    order = [m for m in said if "connecting to server" in m or "timeout" in m]
    assert order == [f"irc: connecting to server dead.test/{ngircd.port}...",
                     f"irc: connecting to server 127.0.0.1/{port}...",
                     "irc: connection timeout (message 001 not received)",
                     f"irc: connecting to server 127.0.0.1/{ngircd.port}..."], said
    assert not any("reconnecting to server in" in m for m in said)
    # A name that does not resolve is said, and the next address tried at once.
    cmd(p, f"/server add nx nx.test/{ngircd.port},127.0.0.1/{ngircd.port} -notls -nicks=nx")
    cmd(p, "/connect nx")
    wait_line(p, "irc.server.nx", "Welcome")
    said = messages(p, "irc.server.nx")
    assert any(m.startswith("irc: cannot resolve nx.test: ") for m in said), said
    assert not any("reconnecting to server in" in m for m in said)
    silent.close()


def make_cert(directory, name, cn):
    cert, key = os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days",
                    "2", "-subj", f"/CN={cn}"], check=True, capture_output=True)
    return cert, key


class CertAskingServer:
    """openssl s_server as the IRC server, requiring a client certificate signed by
    client_ca (-Verify 1, -verify_return_error); what it prints (the client's certificate, then what the client sends) is kept."""

    def __init__(self, directory, client_ca):
        cert, key = make_cert(directory, "server", "irc.test")
        self.port = free_port()
        self.out = open(os.path.join(directory, "s_server.out"), "w+")
        self.proc = subprocess.Popen(
            ["openssl", "s_server", "-accept", f"127.0.0.1:{self.port}", "-cert", cert, "-key",
             key, "-Verify", "1", "-verify_return_error", "-CAfile", client_ca, "-naccept", "1"],
            stdin=subprocess.PIPE, stdout=self.out, stderr=subprocess.STDOUT)
        end = time.monotonic() + 20
        while "ACCEPT" not in self.text() and time.monotonic() < end:
            time.sleep(0.05)

    def text(self):
        self.out.seek(0)
        return self.out.read()

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        self.proc.stdin.close()
        self.out.close()


def test_client_certificate_is_presented_and_bad_ones_refused(perchd_factory, tmp_path):
    cert, key = make_cert(str(tmp_path), "client", "perch-client")
    pem = tmp_path / "client.pem"
    pem.write_text(open(cert).read() + open(key).read())
    server = CertAskingServer(str(tmp_path), cert)
    try:
        p = perchd_factory(config=CONFIG)
        cmd(p, f"/server add cert 127.0.0.1/{server.port} -tls -tls_verify=off -nicks=perchy "
               f"-tls_cert={pem}")
        cmd(p, "/connect cert")
        try:
            wait_for(lambda: "NICK perchy" in server.text())
        except AssertionError:
            print(server.text(), messages(p, "irc.server.cert"))
            raise
        assert "CN = perch-client" in server.text() and "USER " in server.text()
    finally:
        server.stop()
    # A relative path, a file that is not a certificate: clear errors, nothing connects.
    cmd(p, "/set irc.server.cert.tls_cert client.pem")
    wait_line(p, "core.weechat", "invalid tls_cert \"client.pem\"")
    cmd(p, f"/server add bad 127.0.0.1/{free_port()} -tls -tls_cert=relative.pem")
    wait_line(p, "core.weechat", "invalid tls_cert \"relative.pem\"")
    notpem = tmp_path / "not.pem"
    notpem.write_text("hello\n")
    cmd(p, f"/server add bad 127.0.0.1/{free_port()} -tls -tls_cert={notpem}")
    cmd(p, "/connect bad")
    wait_line(p, "irc.server.bad", f"irc: cannot use the client certificate {notpem}")
    cmd(p, "/server listfull")
    assert f"    tls_cert: {pem}" in messages(p, "core.weechat")


def test_networks_from_the_config_file_win_over_saved_options(perchd_factory, ngircd):
    conf = (CONFIG + f"\n[irc.server.test]\naddresses = 127.0.0.1/{ngircd.port}\n"
            "tls = off\nnicks = filenick,filenick2\nautoconnect = on\n"
            "\n[irc.server.other]\naddresses = irc.invalid/6697\npassword = hunter2\n")
    p = perchd_factory(config=conf)
    server = "irc.server.test"
    wait_line(p, server, "Welcome")  # autoconnect
    assert request(p.plain_port, "GET", f"/api/buffers/{server}",
                   tls=False).json()["local_variables"]["nick"] == "filenick"
    cmd(p, "/server listfull")
    shown = messages(p, "core.weechat")
    assert "    password: ********" in shown and "    tls: off" in shown
    cmd(p, "/set irc.server.test.nicks changed")
    cmd(p, "/set irc.server.test.realname Saved Name")
    restart(p)
    wait_line(p, server, "Welcome", count=2)
    cmd(p, "/server listfull")
    shown = messages(p, "core.weechat")
    listing = shown[len(shown) - 1 - shown[::-1].index("All servers:"):]
    # The file's nicks win; the realname it does not name keeps the saved value.
    test = listing[listing.index(f"  test 127.0.0.1/{ngircd.port} (connected)"):]
    assert "    nicks: filenick,filenick2" in test[:20]
    assert "    realname: Saved Name" in test[:20]
    assert "hunter2" not in p.read_log() and not any("hunter2" in m for m in shown)


def test_a_reload_applies_the_config_files_networks(perchd_factory, ngircd):
    base = CONFIG + f"\n[irc.server.test]\naddresses = 127.0.0.1/{ngircd.port}\ntls = off\n"
    p = perchd_factory(config=base + "nicks = first\n")
    cmd(p, "/server listfull")
    assert "    nicks: first" in messages(p, "core.weechat")
    # A changed option and a new network with autoconnect, by SIGHUP.
    with open(p.config_path, "w") as f:
        f.write(base + "nicks = second\n"
                f"\n[irc.server.more]\naddresses = 127.0.0.1/{ngircd.port}\ntls = off\n"
                "nicks = morenick\nautoconnect = on\n")
    p.proc.send_signal(signal.SIGHUP)
    wait_line(p, "irc.server.more", "Welcome")
    cmd(p, "/server listfull")
    shown = messages(p, "core.weechat")
    listing = shown[len(shown) - 1 - shown[::-1].index("All servers:"):]
    start = [i for i, m in enumerate(listing) if m.startswith(f"  test 127.0.0.1/{ngircd.port}")]
    assert "    nicks: second" in listing[start[0]:start[0] + 20]
    # The options as the file names them from the next connection on.
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    assert request(p.plain_port, "GET", "/api/buffers/irc.server.test",
                   tls=False).json()["local_variables"]["nick"] == "second"


def autojoin(p):
    cmd(p, "/server listfull test")
    shown = [m for m in messages(p, "core.weechat") if m.startswith("    autojoin:")]
    return shown[-1][len("    autojoin:"):].strip()


def test_autojoin_follows_joins_and_parts_with_keys_across_a_restart(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG + "auto_away =\n")
    connect(p, ngircd)
    bob = RawIrc(ngircd.port, "bob")
    bob.send("JOIN #locked")
    bob.wait_for("366")
    bob.send("MODE #locked +k sesame")
    bob.wait_for("MODE")
    cmd(p, "/join #locked sesame", buffer="irc.server.test")
    cmd(p, "/join #open", buffer="irc.server.test")
    wait_for(lambda: "perchy" in nicks(p, "irc.test.#locked") and
             "perchy" in nicks(p, "irc.test.#open"))
    # The key comes from the channel's modes (perchd asks them after joining).
    wait_for(lambda: autojoin(p) == "#locked,#open sesame")
    cmd(p, "/part", buffer="irc.test.#open")
    wait_for(lambda: autojoin(p) == "#locked sesame")
    # A restart joins the channel again, with its key.
    restart(p)
    wait_for(lambda: "perchy" in nicks(p, "irc.test.#locked"), timeout=30)
    assert "perchy" not in nicks(p, "irc.test.#open")
    bob.close()


@pytest.mark.parametrize("section, says", [
    ("[irc.server.x]\nnicks = a\n", "[irc.server.x]: addresses is missing"),
    ("[irc.server.x]\naddresses = h\ntls = maybe\n", "invalid value \"maybe\" for tls"),
    ("[irc.server.bad/name]\naddresses = h\n", "invalid server name"),
    ("[irc.server.x]\naddresses = h\nfrobnicate = 1\n", "unknown server option \"frobnicate\""),
    ("[irc.server.x]\naddresses = h/99999\n", "invalid address"),
    ("[irc.server.x]\naddresses = h\ntls_cert = rel.pem\n", "invalid tls_cert"),
])
def test_bad_networks_in_the_config_file_are_refused_clearly(tmp_path, section, says):
    conf = tmp_path / "perchd.conf"
    conf.write_text(CONFIG + section)
    out = subprocess.run([os.environ.get("PERCHD", "build/src/perchd"), "--dir", str(tmp_path),
                          "--config", str(conf), "--plain-listen", f"127.0.0.1:{free_port()}"],
                         capture_output=True, text=True, timeout=30,
                         env=dict(os.environ, PERCH_PASSWORD="secret"))
    assert out.returncode != 0 and says in out.stderr, out.stderr


def test_connect_nojoin_auto_several_and_disconnect_pending(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    connect(p, ngircd, extra="-autojoin=#perch")
    bob = join_with_bob(p, ngircd)
    cmd(p, f"/server add other 127.0.0.1/{ngircd.port} -notls -nicks=perchz -autoconnect")
    wait_line(p, "irc.server.other", "Welcome")
    cmd(p, "/disconnect -all")
    for name in ("test", "other"):
        wait_line(p, f"irc.server.{name}", "irc: disconnected from server")
    cmd(p, "/disconnect test")
    wait_line(p, "irc.server.test", 'irc: not connected to server "test"!')
    # -auto: the networks with autoconnect only.
    cmd(p, "/connect -auto")
    wait_line(p, "irc.server.other", "Welcome", count=2)
    assert len([l for l in lines(p, "irc.server.test") if "Welcome" in l["message"]]) == 1
    # -nojoin: registered, and #perch not joined.
    cmd(p, "/connect test -nojoin")
    wait_line(p, "irc.server.test", "End of MOTD command", count=2)
    assert privmsgs_until_pong(bob, "nojoin") == []
    assert not [l for l in lines(p, CHAN) if "perchy (" in l["message"]][1:]
    # Several names; one that cannot be a network is refused, the others connect.
    cmd(p, "/disconnect -all")
    wait_line(p, "irc.server.test", "irc: disconnected from server", count=2)
    cmd(p, "/connect test irc://")
    wait_line(p, "core.weechat", 'irc: unable to add server "irc://" (check if there is already '
                                 'a server with this name)')
    cmd(p, "/connect test other")
    wait_line(p, "irc.server.test", "Welcome", count=3)
    wait_line(p, "irc.server.other", "Welcome", count=3)
    # (ngircd may not have let the last link's nick go yet: perchy1 then.)
    wait_line(p, CHAN, " has joined #perch", count=3)
    # -pending: a network waiting to reconnect stops waiting.
    cmd(p, f"/server add dead 127.0.0.1/{free_port()} -notls")
    cmd(p, "/connect dead")
    wait_line(p, "irc.server.dead", "irc: reconnecting to server in")
    cmd(p, "/disconnect -pending")
    wait_line(p, "irc.server.dead", "irc: auto-reconnection is canceled")
    tries = len([l for l in lines(p, "irc.server.dead") if "connecting to server" in l["message"]])
    time.sleep(1)
    assert len([l for l in lines(p, "irc.server.dead")
                if "connecting to server" in l["message"]]) == tries
    # The connected ones were left alone.
    assert not [l for l in lines(p, "irc.server.test") if "canceled" in l["message"]]
    bob.close()


def test_connect_adds_a_network_from_an_address_or_an_irc_url(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG)
    # An address: a network named after its host, the options given set on it for good.
    cmd(p, f"/connect 127.0.0.1/{ngircd.port} -notls -nicks=addry -autojoin=#byaddr")
    wait_line(p, "core.weechat", "irc: server added: 127.0.0.1")
    wait_line(p, "irc.server.127.0.0.1", "Welcome")
    wait_line(p, "irc.127.0.0.1.%23byaddr", "addry")
    cmd(p, "/server listfull 127.0.0.1")
    shown = messages(p, "core.weechat")
    assert "    nicks: addry" in shown and "    tls: off" in shown
    # A URL: nick, channel (its "#" added) and port from it.
    cmd(p, f"/connect irc://urly@localhost:{ngircd.port}/byurl")
    wait_line(p, "core.weechat", "irc: server added: localhost")
    wait_line(p, "irc.localhost.%23byurl", "urly")
    cmd(p, "/server listfull localhost")
    shown = messages(p, "core.weechat")
    assert "    nicks: urly,urly2,urly3,urly4,urly5" in shown and "    autoconnect: on" in shown
    # The same host again: a network of that name exists.
    cmd(p, f"/connect irc://other@localhost:{ngircd.port}")
    wait_line(p, "core.weechat", f'irc: unable to add server "irc://other@localhost:{ngircd.port}"')
    # An option that cannot be set: a warning, the rest goes on.
    cmd(p, "/disconnect 127.0.0.1")
    wait_line(p, "irc.server.127.0.0.1", "irc: disconnected from server")
    cmd(p, "/connect 127.0.0.1 -frobnicate -nicks=addry2")
    wait_line(p, "core.weechat", 'irc: warning: unable to set option "-frobnicate" for server '
                                 '"127.0.0.1"')
    wait_line(p, "irc.server.127.0.0.1", "Welcome", count=2)
    wait_line(p, "irc.127.0.0.1.%23byaddr", "addry2")
