"""labeled-response against a scripted server: which commands carry a label, an ACK shows
nothing, and the nick regain's ISON is known by its label (its answer hidden, a user's
own ISON answer shown)."""
import re

from test_irc import cmd, lines, wait_for, wait_line
from test_irc_batch import ScriptedIrc, marker

CONFIG = ("[irc]\nreconnect_first = 200\nreconnect_max = 1000\nconnect_timeout = 30000\n"
          "anti_flood = 0\nnick_regain_interval = 300\n")
SERVER = "irc.server.split"


def labeled(srv, command):
    """The label of the last line perchd sent with this command, or None."""
    for line in reversed(srv.got):
        m = re.match(r"@label=(\S+) " + command + " ", line)
        if m:
            return m.group(1)
    return None


def test_labels_acks_and_the_regain_ison(perchd_factory):
    srv = ScriptedIrc("batch labeled-response")
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add split 127.0.0.1/{srv.port} -notls -nicks=perch0,perchy")
    cmd(p, "/connect split")
    wait_line(p, "irc.split.%23c", "Channel #c: 4 nicks")
    # The welcome named us perchy: perch0 is wanted back, asked with a labeled ISON.
    ison = wait_for(lambda: labeled(srv, "ISON"))
    srv.send(f"@label={ison} :srv 303 perchy :perch0")
    cmd(p, "/whois bob", buffer=SERVER)
    whois = wait_for(lambda: labeled(srv, "WHOIS"))
    assert whois != ison
    # Nothing to say: ACK, shown nowhere (an unknown label's too).
    srv.send(f"@label={whois} :srv ACK", "@label=zz :srv ACK", ":srv ACK")
    # A user's own ISON (unlabeled: /quote) is answered on screen.
    cmd(p, "/quote ISON someone", buffer=SERVER)
    srv.send(":srv 303 perchy :someone")
    wait_line(p, SERVER, "someone")
    marker(srv, p, "after the acks")
    said = [l["message"] for l in lines(p, SERVER)]
    assert not any("ACK" in m or "perch0" in m for m in said), said[-8:]
    # The next regain answer says perch0 is free: it is taken back.
    ison2 = wait_for(lambda: labeled(srv, "ISON") != ison and labeled(srv, "ISON"))
    srv.send(f"@label={ison2} :srv 303 perchy :")
    wait_for(lambda: "NICK perch0" in srv.got)
    # PRIVMSGs go labeled too.
    cmd(p, "/msg #c labeled text", buffer=SERVER)
    wait_for(lambda: labeled(srv, "PRIVMSG"))
    srv.close()


def test_no_labels_without_the_capability(perchd_factory):
    srv = ScriptedIrc("batch")
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add split 127.0.0.1/{srv.port} -notls -nicks=perchy")
    cmd(p, "/connect split")
    wait_line(p, "irc.split.%23c", "Channel #c: 4 nicks")
    cmd(p, "/whois bob", buffer=SERVER)
    wait_for(lambda: any(l.startswith("WHOIS") for l in srv.got))
    assert not any(l.startswith("@") for l in srv.got)
    srv.close()
