"""IRCv3 batches against a scripted server: netsplit and netjoin (InspIRCd 3 never sends
them: its spanningtree does not use batches), nested and unknown batch types, and the
same lines without the batch capability. Lines of a batch wait for its end; a netsplit or
netjoin then makes one line per channel, other types show their lines tagged
irc_batch_type_<type>."""
import socket
import threading

from conftest import request
from test_irc import CONFIG, cmd, lines, wait_line

CHAN = "irc.split.%23c"


class ScriptedIrc:
    """Offers caps, acknowledges every request, welcomes perchy and puts it in #c with
    alice and bob; then sends what the test says. Every line perchd sent is in got."""

    def __init__(self, caps):
        self.caps = caps
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.got, self.conn = [], None
        threading.Thread(target=self.run, daemon=True).start()

    def send(self, *lines):
        for line in lines:
            self.conn.sendall(line.encode() + b"\r\n")

    def run(self):
        self.conn, _ = self.listener.accept()
        self.conn.settimeout(60)
        buf = b""
        try:
            while True:
                data = self.conn.recv(4096)
                if not data:
                    return
                buf += data
                while b"\r\n" in buf:
                    line, buf = buf.split(b"\r\n", 1)
                    self.got.append(line.decode())
                    self.answer(line.decode())
        except OSError:
            pass

    def answer(self, line):
        if line == "CAP LS 302":
            self.send(":srv CAP * LS :" + self.caps)
        elif line.startswith("CAP REQ "):
            self.send(":srv CAP perchy ACK :" + line[len("CAP REQ "):].lstrip(":"))
        elif line == "CAP END":
            self.send(":srv 001 perchy :Welcome perchy",
                      ":perchy!p@host JOIN #c",
                      ":srv 353 perchy = #c :perchy alice bob carol",
                      ":srv 366 perchy #c :End of /NAMES list.")
        elif line.startswith("PING "):
            self.send(":srv PONG srv :" + line[5:].lstrip(":"))

    def close(self):
        if self.conn:
            self.conn.close()
        self.listener.close()


def connect(perchd_factory, caps):
    srv = ScriptedIrc(caps)
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add split 127.0.0.1/{srv.port} -notls -nicks=perchy")
    cmd(p, "/connect split")
    wait_line(p, CHAN, "Channel #c: 4 nicks")
    # alice speaks: her quit is not hidden by the smart filter, bob's is.
    srv.send(":alice!a@h PRIVMSG #c :hello")
    wait_line(p, CHAN, "hello")
    return srv, p


def marker(srv, p, text):
    """A line sent after others and seen: everything before it was handled."""
    srv.send(f":srv NOTICE #c :{text}")
    wait_line(p, CHAN, text)


def request_nicks(p):
    root = request(p.plain_port, "GET", f"/api/buffers/{CHAN}/nicks", tls=False).json()
    return [n["name"] for g in root["groups"] for n in g["nicks"]]


def with_text(p, buffer, text):
    return [l for l in lines(p, buffer) if text in l["message"]]


def test_netsplit_and_netjoin_batches_each_make_one_line(perchd_factory):
    srv, p = connect(perchd_factory, "batch server-time message-tags")
    srv.send(":srv BATCH +ns1 netsplit hub.test leaf.test",
             "@batch=ns1;time=2026-03-04T05:06:07.891Z :alice!a@h QUIT :hub.test leaf.test",
             "@batch=ns1 :bob!b@h QUIT :hub.test leaf.test")
    marker(srv, p, "split under way")
    assert with_text(p, CHAN, "Netsplit") == [] and with_text(p, CHAN, "has quit") == []
    srv.send(":srv BATCH -ns1")
    split = wait_line(p, CHAN, "Netsplit hub.test")
    # One line for the whole batch in the channel, no line per nick.
    assert [l["message"] for l in with_text(p, CHAN, "Netsplit")] == [
        "Netsplit hub.test <-> leaf.test, quit: alice, bob"]
    assert with_text(p, CHAN, "has quit") == []
    # alice spoke: the line is not hidden by the smart filter; dated by the first quit.
    assert split["tags"] == ["irc_quit", "irc_netsplit", "irc_batch_type_netsplit", "log4"]
    assert split["date"] == "2026-03-04T05:06:07.891000Z"
    nicks = request_nicks(p)
    assert "alice" not in nicks and "bob" not in nicks and "carol" in nicks
    srv.send(":srv BATCH +nj1 netjoin hub.test leaf.test",
             "@batch=nj1 :alice!a@h JOIN #c",
             "@batch=nj1 :bob!b@h JOIN #c",
             ":srv BATCH -nj1")
    join = wait_line(p, CHAN, "Netsplit over")
    assert join["message"] == "Netsplit over hub.test <-> leaf.test, joined: alice, bob"
    assert "irc_netjoin" in join["tags"] and "irc_batch_type_netjoin" in join["tags"]
    assert [j for j in with_text(p, CHAN, "has joined") if "perchy" not in j["message"]] == []
    nicks = request_nicks(p)
    assert "alice" in nicks and "bob" in nicks
    # Only quiet nicks: the line is there, hidden by the smart filter.
    srv.send(":srv BATCH +ns2 netsplit hub.test leaf.test",
             "@batch=ns2 :bob!b@h QUIT :hub.test leaf.test",
             ":srv BATCH -ns2")
    wait_line(p, CHAN, "quit: bob")
    quiet = with_text(p, CHAN, "quit: bob")[-1]
    assert "irc_smart_filter" in quiet["tags"]
    srv.close()


def test_nested_and_unknown_batches(perchd_factory):
    srv, p = connect(perchd_factory, "batch message-tags")
    srv.send(":srv BATCH +out example.org/outer",
             "@batch=out :srv BATCH +in example.org/inner",
             "@batch=in :carol!c@h PRIVMSG #c :inner line",
             "@batch=out :carol!c@h PRIVMSG #c :outer line",
             "@batch=out :srv BATCH -in")
    marker(srv, p, "nested under way")
    assert with_text(p, CHAN, "line") == []
    srv.send(":srv BATCH -out")
    wait_line(p, CHAN, "inner line")
    shown = [l for l in lines(p, CHAN) if l["message"] in ("inner line", "outer line")]
    # The parent's lines first, then the child's; an unknown type is shown as usual.
    assert [l["message"] for l in shown] == ["outer line", "inner line"]
    assert "irc_batch_type_example.org/outer" in shown[0]["tags"]
    assert "irc_batch_type_example.org/inner" in shown[1]["tags"]
    # A line naming a batch that is not open comes at once, without a batch type.
    srv.send("@batch=nope :carol!c@h PRIVMSG #c :stray line")
    stray = wait_line(p, CHAN, "stray line")
    assert "irc_tag_batch=nope" in stray["tags"]
    assert not any(t.startswith("irc_batch_type_") for t in stray["tags"])
    # Nothing of BATCH itself is shown.
    assert not any("BATCH" in l["message"] for l in lines(p, "irc.server.split"))
    srv.close()


def test_without_the_batch_capability_lines_come_at_once(perchd_factory):
    srv, p = connect(perchd_factory, "server-time message-tags")
    assert not any("batch" in r for r in srv.got if r.startswith("CAP REQ"))
    srv.send(":srv BATCH +ns1 netsplit hub.test leaf.test",
             "@batch=ns1 :alice!a@h QUIT :hub.test leaf.test")
    quit_line = wait_line(p, CHAN, "alice (a@h) has quit")
    assert not any(t.startswith("irc_batch_type_") for t in quit_line["tags"])
    srv.send(":srv BATCH -ns1")
    marker(srv, p, "after the end")
    assert not any("BATCH" in l["message"] for l in lines(p, "irc.server.split"))
    assert len(with_text(p, CHAN, "alice (a@h) has quit")) == 1
    srv.close()


def test_bad_batch_lines_change_nothing(perchd_factory):
    srv, p = connect(perchd_factory, "batch")
    for bad in [":srv BATCH", ":srv BATCH +", ":srv BATCH +x", ":srv BATCH -", ":srv BATCH x y",
                ":srv BATCH -unknown"]:
        srv.send(bad)
    # 64 open batches at most: past that a line of one more comes at once.
    srv.send(*[f":srv BATCH +b{i} t" for i in range(70)])
    srv.send("@batch=b69 :carol!c@h PRIVMSG #c :past the limit")
    wait_line(p, CHAN, "past the limit")
    srv.send("@batch=b0 :carol!c@h PRIVMSG #c :held")
    marker(srv, p, "still alive")
    assert with_text(p, CHAN, "held") == []
    srv.send(":srv BATCH -b0")
    wait_line(p, CHAN, "held")
    srv.close()
