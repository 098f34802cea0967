"""/notify as WeeChat has it: nicks whose comings and goings are said in the server buffer
("notify: bob is offline", "has connected", "has quit"), watched with MONITOR on InspIRCd and
asked with ISON on ngircd (which has no MONITOR); the list shown, edited and kept in the
network's notify option."""
import time

from ircd import RawIrc
from test_irc import CONFIG, cmd, lines, wait_line

SERVER = "irc.server.i"


def said(p, buffer, text, count=1):
    return wait_line(p, buffer, text, count=count)


def test_notify_with_monitor(perchd_factory, inspircd):
    p = perchd_factory(config=CONFIG + "anti_flood = 0\n")
    cmd(p, f"/server add i 127.0.0.1/{inspircd.port} -notls -nicks=perchy")
    cmd(p, "/connect i")
    wait_line(p, SERVER, "Welcome")
    cmd(p, "/notify", buffer=SERVER)
    said(p, SERVER, "Notify list is empty on this server")
    cmd(p, "/notify", buffer="core.weechat")
    said(p, "core.weechat", "Notify list is empty on all servers")
    cmd(p, "/notify add bob", buffer=SERVER)
    said(p, SERVER, "irc: notification added for bob")
    offline = said(p, SERVER, "notify: bob is offline")
    assert {"irc_notify", "irc_notify_quit", "nick_bob"} <= set(offline["tags"])
    bob = RawIrc(inspircd.port, "bob")
    joined = said(p, SERVER, "has connected")
    assert joined["message"] in ("notify: bob has connected",
                                 "notify: bob (bob@127.0.0.1) has connected")
    assert "irc_notify_join" in joined["tags"]
    cmd(p, "/notify", buffer=SERVER)
    said(p, SERVER, "Notify list for i:")
    said(p, SERVER, "  bob @ i: online")
    bob.send("QUIT :bye")
    bob.close()
    said(p, SERVER, "notify: bob has quit")
    cmd(p, "/notify", buffer="core.weechat")
    said(p, "core.weechat", "Notify list for all servers:")
    said(p, "core.weechat", "  bob @ i: offline")
    # Edits: kept in the network's option.
    cmd(p, "/notify add BOB", buffer=SERVER)
    said(p, SERVER, "irc: notify already exists")
    cmd(p, "/notify addreplace bob i -away", buffer="core.weechat")
    said(p, SERVER, "irc: notification updated for bob")
    cmd(p, "/notify add alice", buffer=SERVER)
    said(p, SERVER, "notify: alice is offline")
    cmd(p, "/set irc.server.i.notify", buffer=SERVER)
    said(p, SERVER, "irc.server.i.notify = bob away,alice")
    cmd(p, "/notify del bob", buffer=SERVER)
    said(p, SERVER, "irc: notification deleted for bob")
    cmd(p, "/notify del bob", buffer=SERVER)
    said(p, SERVER, "irc: notification not found")
    # bob is not watched any more: his return is not news.
    RawIrc(inspircd.port, "bob").close()
    cmd(p, "/notify del -all", buffer=SERVER)
    said(p, SERVER, "irc: all notifications deleted")
    cmd(p, "/notify del -all", buffer=SERVER)
    said(p, SERVER, "irc: no notification in list")
    assert not [l for l in lines(p, SERVER) if "bob" in l["message"] and "connected" in l["message"]
                and l["id"] > joined["id"]]
    # Bad input: said, nothing changed.
    cmd(p, "/notify add x")
    said(p, "core.weechat", "irc: server must be specified because you are not on an irc server")
    cmd(p, "/notify add x nosuch")
    said(p, "core.weechat", 'irc: server "nosuch" not found')
    cmd(p, "/notify frob", buffer=SERVER)
    said(p, SERVER, 'Error with command "/notify frob"')
    cmd(p, "/notify add", buffer=SERVER)
    said(p, SERVER, 'Too few arguments for command "/notify add"')
    cmd(p, "/set irc.server.i.notify", buffer=SERVER)
    said(p, SERVER, "irc.server.i.notify = ")


def test_notify_with_ison_where_there_is_no_monitor(perchd_factory, ngircd):
    p = perchd_factory(config=CONFIG + "anti_flood = 0\nnick_regain_interval = 300\n")
    cmd(p, f"/server add test 127.0.0.1/{ngircd.port} -notls -nicks=perchy")
    cmd(p, "/connect test")
    wait_line(p, "irc.server.test", "Welcome")
    cmd(p, "/notify add bob", buffer="irc.server.test")
    said(p, "irc.server.test", "notify: bob is offline")
    bob = RawIrc(ngircd.port, "bob")
    said(p, "irc.server.test", "notify: bob has connected")
    cmd(p, "/notify", buffer="irc.server.test")
    said(p, "irc.server.test", "  bob @ test: online")
    bob.send("QUIT :bye")
    bob.close()
    said(p, "irc.server.test", "notify: bob has quit")
    # Our ISONs are not shown; the user's are.
    time.sleep(1)
    assert not [l for l in lines(p, "irc.server.test") if "Users online" in l["message"]]
    cmd(p, "/ison perchy", buffer="irc.server.test")
    said(p, "irc.server.test", "Users online: perchy")


def test_notify_away_asks_by_whois_and_says_the_changes(perchd_factory, inspircd):
    p = perchd_factory(config=CONFIG + "anti_flood = 0\nnotify_whois_interval = 300\n")
    bob = RawIrc(inspircd.port, "bob")
    cmd(p, f"/server add i 127.0.0.1/{inspircd.port} -notls -nicks=perchy")
    cmd(p, "/connect i")
    wait_line(p, SERVER, "Welcome")
    cmd(p, "/notify add bob i -away", buffer=SERVER)
    said(p, SERVER, "irc: notification added for bob")
    said(p, SERVER, "notify: bob ")
    bob.send("AWAY :gone to lunch")
    away = said(p, SERVER, 'notify: bob is now away: "gone to lunch"')
    assert away["tags"][:5] == ["irc_notify", "irc_notify_away", "nick_bob", "log3",
                                "notify_message"]
    cmd(p, "/notify", buffer=SERVER)
    said(p, SERVER, '  bob @ i: online (away: "gone to lunch")')
    bob.send("AWAY :dinner now")
    still = said(p, SERVER, 'notify: bob is still away: "dinner now"')
    assert "irc_notify_still_away" in still["tags"]
    bob.send("AWAY")
    back = said(p, SERVER, "notify: bob is back")
    assert "irc_notify_back" in back["tags"]
    # Asked again and again (every 300 ms): nothing new, nothing said; the replies unseen.
    time.sleep(1.5)
    texts = [l["message"] for l in lines(p, SERVER)]
    assert texts.count("notify: bob is back") == 1
    assert not [t for t in texts if t.startswith("[bob]")]
    # The user's own /whois is shown as usual.
    cmd(p, "/whois bob", buffer=SERVER)
    said(p, SERVER, "[bob] End of /WHOIS list.")
    # Deleted: no more questions about bob.
    cmd(p, "/notify del bob", buffer=SERVER)
    said(p, SERVER, "irc: notification deleted for bob")
    bob.send("AWAY :once more")
    time.sleep(1)
    assert not [l for l in lines(p, SERVER) if "once more" in l["message"]]
    bob.close()
