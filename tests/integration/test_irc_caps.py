"""Capability negotiation against a scripted server, as WeeChat's irc plugin does it and
says it: CAP LS 302 over several lines, REQ of what perch uses, ACK, NAK, and cap-notify
(CAP NEW asks for what perch uses, CAP DEL forgets it), each said in the server buffer."""
import socket
import threading

from test_irc import CONFIG, cmd, lines, wait_for, wait_line


class CapServer:
    """Answers registration with a CAP LS in two lines, then plays what the test sends;
    every line perchd sent is kept in got."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.got, self.conn = [], None
        self.ready = threading.Event()
        threading.Thread(target=self.run, daemon=True).start()

    def send(self, line):
        self.conn.sendall(line.encode() + b"\r\n")

    def run(self):
        self.conn, _ = self.listener.accept()
        self.conn.settimeout(60)
        self.ready.set()
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
            # Spaces to spare and a capability offered twice: shown once each, one space
            # apart, as WeeChat's table of them.
            self.send(":srv CAP * LS * :away-notify  multi-prefix ")
            self.send(":srv CAP * LS :server-time multi-prefix sasl=PLAIN ")
        elif line.startswith("CAP REQ "):
            self.send(":srv CAP perchy ACK :" + line[len("CAP REQ "):].lstrip(":"))
        elif line == "CAP END":
            self.send(":srv 001 perchy :Welcome perchy")
        elif line.startswith("PING "):
            self.send(":srv PONG srv :" + line[5:].lstrip(":"))


def requests(srv):
    """The capabilities of each CAP REQ perchd sent (a single one may come without ":")."""
    return [line[len("CAP REQ "):].lstrip(":") for line in srv.got if line.startswith("CAP REQ ")]


def server_lines(p):
    return [l["message"] for l in lines(p, "irc.server.caps")]


def test_capabilities_negotiated_and_followed_at_run_time(perchd_factory):
    srv = CapServer()
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add caps 127.0.0.1/{srv.port} -notls -nicks=perchy")
    cmd(p, "/connect caps")
    wait_line(p, "irc.server.caps", "Welcome perchy")
    # Both LS lines count; what perch uses is asked for once, in the order offered.
    assert requests(srv) == ["away-notify multi-prefix server-time"]
    assert srv.got.index("CAP REQ :away-notify multi-prefix server-time") < srv.got.index("CAP END")
    said = server_lines(p)
    assert ("irc: client capability, server supports: away-notify multi-prefix server-time "
            "sasl=PLAIN") in said
    assert "irc: client capability, requesting: away-notify multi-prefix server-time" in said
    assert "irc: client capability, enabled: away-notify multi-prefix server-time" in said
    # cap-notify: a capability leaves and comes back; only what perch uses is asked for.
    srv.send(":srv CAP perchy DEL :server-time")
    wait_line(p, "irc.server.caps", "irc: client capability, removed: server-time")
    srv.send(":srv CAP perchy NEW :server-time example.org/unused")
    wait_line(p, "irc.server.caps", "irc: client capability, now available: server-time "
                                    "example.org/unused")
    wait_for(lambda: requests(srv) == ["away-notify multi-prefix server-time", "server-time"])
    wait_line(p, "irc.server.caps", "irc: client capability, enabled: server-time")
    assert not any("example.org/unused" in line for line in srv.got)
    # A capability enabled already is not asked for again; a refusal is said as an error.
    srv.send(":srv CAP perchy NEW :multi-prefix")
    srv.send(":srv CAP perchy NAK :bogus")
    wait_line(p, "irc.server.caps", "irc: client capability, refused: bogus")
    assert requests(srv) == ["away-notify multi-prefix server-time", "server-time"]
    # Disabling by ACK: both lists said.
    srv.send(":srv CAP perchy ACK :-multi-prefix server-time")
    wait_line(p, "irc.server.caps",
              "irc: client capability, enabled: server-time, disabled: multi-prefix")
    # Malformed CAP lines change nothing and break nothing.
    for bad in [":srv CAP", ":srv CAP perchy", ":srv CAP perchy ACK", ":srv CAP perchy NEW :",
                ":srv CAP perchy LS :-", ":srv CAP perchy WHAT :x"]:
        srv.send(bad)
    srv.send(":srv NOTICE perchy :still here")
    wait_line(p, "irc.server.caps", "still here")
