"""Message-level IRCv3 capabilities against a real InspIRCd 3 (+ Atheme for accounts): each
test asserts what the capability changes on perch's lines, so it fails without it.
server-time (the line's date is the message's time tag, to the microsecond), message-tags
(irc_tag_* on lines, TAGMSG shows nothing), account-tag, echo-message (own lines shown once,
from the echo, labeled or not), batch (chanhistory's chathistory batch) and
labeled-response (a /whois's replies come as one labeled batch, each line once).
netsplit/netjoin batches: test_irc_batch.py (InspIRCd 3 sends none)."""
import time
from datetime import datetime, timezone

from conftest import request
from inspircd import OPER_NAME, OPER_PASSWORD
from ircd import RawIrc
from test_irc import cmd, lines, wait_line

CONFIG = ("[irc]\nreconnect_first = 200\nreconnect_max = 1000\nconnect_timeout = 30000\n"
          "anti_flood = 0\n")
SERVER = "irc.server.insp"
CHAN = "irc.insp.%23v"
CHAN_INPUT = "irc.insp.#v"  # in a JSON body, not a path
MSG_CAPS = ["server-time", "message-tags", "echo-message", "account-tag", "batch",
            "labeled-response"]


def connect(perchd_factory, server, join="#v"):
    p = perchd_factory(config=CONFIG)
    cmd(p, f"/server add insp 127.0.0.1/{server.port} -notls -nicks=perchy")
    cmd(p, "/connect insp")
    enabled = wait_line(p, SERVER, "irc: client capability, enabled: ")["message"]
    for cap in MSG_CAPS:
        assert cap in enabled.split(": ", 1)[1].split()
    wait_line(p, SERVER, "Welcome")
    if join:
        cmd(p, f"/join {join}", buffer=SERVER)
        wait_line(p, f"irc.insp.%23{join[1:]}", "has joined " + join)
    return p


def raw_client(server, nick, caps="message-tags server-time"):
    """A raw client with the given caps (TAGMSG needs message-tags)."""
    c = RawIrc(server.port, nick, register=False)
    c.send(f"CAP REQ :{caps}")
    c.wait_for(" ACK ")
    c.send("CAP END")
    c.register()
    return c


def tag(line, key):
    """The value of irc_tag_KEY on a line, None without one."""
    for t in line["tags"]:
        if t.startswith(f"irc_tag_{key}="):
            return t.split("=", 1)[1]
    return None


def as_line_date(server_time):
    """The time tag as the relay gives dates: microseconds, Z."""
    d = datetime.strptime(server_time, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def say(p, buffer, text):
    r = request(p.plain_port, "POST", "/api/input", tls=False,
                body={"buffer_name": buffer, "command": text})
    assert r.status == 204, r.body


def with_text(p, buffer, text):
    return [l for l in lines(p, buffer) if text in l["message"]]


def test_server_time_message_tags_and_account_tag(perchd_factory, inspircd_atheme):
    inspircd_atheme.register_account("alice", "hunter22")
    p = connect(perchd_factory, inspircd_atheme)
    alice = raw_client(inspircd_atheme, "alice")
    alice.send("PRIVMSG NickServ :IDENTIFY alice hunter22")
    alice.wait_for(" 900 ")
    alice.send("JOIN #v")
    alice.wait_for(" 366 ")
    alice.send("PRIVMSG #v :logged in and talking")
    line = wait_line(p, CHAN, "logged in and talking")
    # server-time: the date is the tag's, its milliseconds kept.
    assert line["date"] == as_line_date(tag(line, "time"))
    # message-tags: every tag kept, in order, before the extra tags; account-tag.
    assert tag(line, "account") == "alice"
    assert tag(line, "msgid")
    irc_tags = [t for t in line["tags"] if t.startswith("irc_tag_")]
    assert line["tags"][0] == "irc_privmsg"
    assert line["tags"][1:1 + len(irc_tags)] == irc_tags
    assert line["tags"][-3:] == ["nick_alice", "host_alice@127.0.0.1", "log1"]
    # A client tag with escapes (a raw client sending +example.org/x="a;b c").
    alice.send("@+example.org/x=a\\:b\\sc,d PRIVMSG #v :with a client tag")
    line = wait_line(p, CHAN, "with a client tag")
    assert "irc_tag_+example.org/x=a;b c;d" in line["tags"]
    alice.close()


def test_tagmsg_typing_adds_no_line(perchd_factory, inspircd):
    p = connect(perchd_factory, inspircd)
    bob = raw_client(inspircd, "bob")
    bob.send("JOIN #v")
    bob.wait_for(" 366 ")
    before = len(lines(p, CHAN)), len(lines(p, SERVER))
    bob.send("@+typing=active TAGMSG #v")
    bob.send("@+typing=active TAGMSG perchy")
    bob.send("PRIVMSG #v :typed it")
    wait_line(p, CHAN, "typed it")
    after = len(lines(p, CHAN)), len(lines(p, SERVER))
    assert after == (before[0] + 1, before[1]), [l["message"] for l in lines(p, SERVER)][-5:]
    assert not any("TAGMSG" in l["message"] for l in lines(p, SERVER))
    bob.close()


def test_echo_message_own_lines_shown_once_from_the_echo(perchd_factory, inspircd):
    p = connect(perchd_factory, inspircd)
    bob = raw_client(inspircd, "bob")
    bob.send("JOIN #v")
    bob.wait_for(" 366 ")
    # A channel message: one line, the echo's (its msgid, its time, our host, a label).
    say(p, CHAN_INPUT, "hello from perch")
    assert "hello from perch" in bob.wait_for("hello from perch")
    line = wait_line(p, CHAN, "hello from perch")
    time.sleep(0.3)
    assert len(with_text(p, CHAN, "hello from perch")) == 1
    assert tag(line, "msgid") and tag(line, "label")
    assert line["date"] == as_line_date(tag(line, "time"))
    assert {"self_msg", "notify_none", "no_highlight", "nick_perchy"} <= set(line["tags"])
    assert any(t.startswith("host_") and t.endswith("@127.0.0.1") for t in line["tags"])
    assert line["prefix"].endswith("perchy")
    # An action.
    cmd(p, "/me waves", buffer=CHAN_INPUT)
    action = wait_line(p, CHAN, "perchy waves")
    assert action["prefix"] == " *" and tag(action, "msgid")
    assert {"irc_action", "self_msg", "no_highlight"} <= set(action["tags"])
    # A private message opens bob's buffer; its title stays empty (our own address is not
    # bob's).
    cmd(p, "/msg bob psst", buffer=CHAN_INPUT)
    assert "psst" in bob.wait_for("psst")
    private = wait_line(p, "irc.insp.bob", "psst")
    assert tag(private, "msgid") and "self_msg" in private["tags"]
    assert request(p.plain_port, "GET", "/api/buffers/irc.insp.bob",
                   tls=False).json()["title"] == ""
    # Notices: to the channel, and to bob (in the server buffer).
    cmd(p, "/notice #v heads up", buffer=CHAN_INPUT)
    notice = wait_line(p, CHAN, "Notice(perchy) -> #v: heads up")
    assert tag(notice, "msgid") and "self_msg" in notice["tags"]
    cmd(p, "/notice bob just you", buffer=CHAN_INPUT)
    notice = wait_line(p, SERVER, "Notice -> bob: just you")
    assert tag(notice, "msgid") and "nick_perchy" in notice["tags"]
    # Text cut in several messages: each piece once.
    long_text = " ".join(f"word{i:03d}" for i in range(120))
    say(p, CHAN_INPUT, long_text)
    wait_line(p, CHAN, "word119")
    pieces = [l["message"] for l in lines(p, CHAN) if l["message"].startswith("word")]
    assert len(pieces) >= 2 and " ".join(pieces) == long_text
    time.sleep(0.3)
    for text in ["hello from perch", "perchy waves", "heads up"]:
        assert len(with_text(p, CHAN, text)) == 1, text
    assert len(with_text(p, "irc.insp.bob", "psst")) == 1
    # The labeled echoes were the only replies: no ACK, nothing unhandled.
    assert not any("ACK" in l["message"] or "irc_unhandled" in l["tags"]
                   for l in lines(p, SERVER))
    bob.close()


def test_echoed_ctcp_queries_and_replies_open_no_private_buffer(perchd_factory, inspircd):
    """As WeeChat's irc_input_user_message_display: our CTCP, from its echo, goes to the
    target's buffer when one is open, else to the server buffer; none is opened for it."""
    p = connect(perchd_factory, inspircd, join=None)
    bob = RawIrc(inspircd.port, "bob")
    cmd(p, "/ctcp bob version", buffer=SERVER)
    assert "\x01VERSION\x01" in bob.wait_for("PRIVMSG bob")
    line = wait_line(p, SERVER, "CTCP query to bob: VERSION")
    assert line["tags"][0] == "irc_privmsg" and {"irc_ctcp", "self_msg", "nick_perchy"} <= set(
        line["tags"])
    assert "irc_tag_time" in " ".join(line["tags"])  # from the echo, dated by the server
    buffers = [b["name"] for b in request(p.plain_port, "GET", "/api/buffers", tls=False).json()]
    assert "irc.insp.bob" not in buffers
    # With bob's buffer open, the query shows there.
    cmd(p, "/query bob", buffer=SERVER)
    cmd(p, "/ctcp bob ping 42", buffer=SERVER)
    wait_line(p, "irc.insp.bob", "CTCP query to bob: PING 42")
    # Our reply to bob's CTCP, from its echo, in the server buffer.
    bob.send("PRIVMSG perchy :\x01VERSION\x01")
    wait_line(p, SERVER, "CTCP reply to bob: VERSION perch")
    bob.close()


def test_labeled_whois_comes_as_one_batch(perchd_factory, inspircd):
    p = connect(perchd_factory, inspircd, join=None)
    bob = raw_client(inspircd, "bob")
    cmd(p, "/whois bob", buffer=SERVER)
    end = wait_line(p, SERVER, "End of /WHOIS list")
    whois = [l for l in lines(p, SERVER) if "irc_batch_type_labeled-response" in l["tags"]]
    numerics = [next(t for t in l["tags"] if t.startswith("irc_") and t[4:].isdigit())
                for l in whois]
    # Every reply once, in the server's order, all carrying the command's label.
    assert numerics[0] == "irc_311" and numerics[-1] == "irc_318" and end in whois
    assert len(numerics) == len(set(numerics))
    assert len({tag(l, "label") for l in whois}) == 1 and tag(whois[0], "label")
    assert not any(l["message"].startswith("BATCH") for l in lines(p, SERVER))
    # Replies to another command are matched to it: a second label.
    cmd(p, "/whois bob", buffer=SERVER)
    wait_line(p, SERVER, "End of /WHOIS list", count=2)
    labels = {tag(l, "label") for l in lines(p, SERVER)
              if "irc_batch_type_labeled-response" in l["tags"]}
    assert len(labels) == 2
    bob.close()


def test_chathistory_batch_shown_as_plain_lines(perchd_factory, inspircd_factory):
    # The harness's server ops nobody on join: an operator sets +H with SAMODE.
    inspircd = inspircd_factory(extra_conf='<module name="samode">\n')
    bob = raw_client(inspircd, "bob")
    bob.send("JOIN #hist")
    bob.wait_for(" 366 ")
    bob.send(f"OPER {OPER_NAME} {OPER_PASSWORD}")
    bob.wait_for(" 381 ")
    bob.send("SAMODE #hist +H 10:1d")
    bob.wait_for("MODE #hist")
    bob.send("PRIVMSG #hist :said before you came")
    time.sleep(0.2)
    p = connect(perchd_factory, inspircd, join="#hist")
    line = wait_line(p, "irc.insp.%23hist", "said before you came")
    assert "irc_batch_type_chathistory" in line["tags"]
    assert tag(line, "batch") and line["date"] == as_line_date(tag(line, "time"))
    time.sleep(0.3)
    assert len(with_text(p, "irc.insp.%23hist", "said before you came")) == 1
    bob.close()
