"""Presence capabilities against a real InspIRCd 3 (and Atheme for accounts), each with its
effect on buffers and nicklists as WeeChat shows it: away-notify (and the WHO after a join)
colours away nicks, account-notify and extended-join show accounts, chghost and setname
lines and kept hosts, invite-notify, multi-prefix and userhost-in-names in NAMES, MONITOR
for private buffers' partners and for taking the first nick back, and a CAP DEL (a module
unloaded) that stops a capability's effect until CAP NEW brings it back. Each test fails
when perchd does not ask for (or does not act on) the capability it is about."""
import time

from inspircd import OPER_NAME, OPER_PASSWORD
from ircd import RawIrc
from test_irc import CONFIG, cmd, lines, wait_for, wait_line
from test_irc_commands import complete
from conftest import request

SERVER = "irc.server.pres"
AWAY_COLOR = "weechat.color.nicklist_away"
# SAMODE gives ops: the harness's InspIRCd gives none to a channel's creator.
SAMODE = '<module name="samode">\n'


def connect(p, server, nicks="perchy"):
    cmd(p, f"/server add pres 127.0.0.1/{server.port} -notls -nicks={nicks}")
    cmd(p, "/connect pres")
    wait_line(p, SERVER, "Welcome")
    wait_line(p, SERVER, "irc: client capability, enabled:")


def join(p, channel):
    """Joins and waits for the names' count (366): the nicklist is filled."""
    cmd(p, f"/join {channel}", buffer=SERVER)
    wait_line(p, f"irc.pres.{channel}", f"Channel {channel}:")


def oper(client):
    client.send(f"OPER {OPER_NAME} {OPER_PASSWORD}")
    client.wait_for(" 381 ")


def nicks(p, buffer):
    """name -> the nick's JSON (prefix, color_name, ...) and its group's short name."""
    root = request(p.plain_port, "GET", f"/api/buffers/{buffer}/nicks", tls=False).json()
    return {n["name"]: dict(n, group=g["name"].split("|", 1)[1])
            for g in root["groups"] for n in g["nicks"]}


def color(p, buffer, nick):
    return nicks(p, buffer).get(nick, {}).get("color_name")


def sync(p, word):
    """Returns once the server answered a command sent now (a 401 about word)."""
    cmd(p, f"/quote WHOIS {word}", buffer=SERVER)
    wait_line(p, SERVER, f"{word}: No such nick")


def own_tags(line):
    """The line's tags without the server's (irc_tag_time=... with server-time)."""
    return [t for t in line["tags"] if not t.startswith("irc_tag_")]


def messages(p, buffer):
    return [l["message"] for l in lines(p, buffer)]


def test_away_notify_and_the_who_after_a_join_colour_away_nicks(perchd_factory, inspircd):
    p = perchd_factory(config=CONFIG)
    connect(p, inspircd)
    bob, carol = RawIrc(inspircd.port, "bob"), RawIrc(inspircd.port, "carol")
    bob.send("JOIN #p")
    carol.send("JOIN #p")
    carol.wait_for(" 366 ")
    # Away before we come: only the WHO sent after the join can tell.
    bob.send("AWAY :lunch")
    bob.wait_for(" 306 ")
    join(p, "#p")
    chan = "irc.pres.#p"
    wait_for(lambda: color(p, chan, "bob") == AWAY_COLOR)
    assert color(p, chan, "carol") == "bar_fg"
    # The WHO's replies are not shown.
    assert not any("End of /WHO" in m for m in messages(p, SERVER))
    # away-notify: changes as they come, and nothing printed for them.
    before = len(lines(p, chan))
    carol.send("AWAY :brb")
    wait_for(lambda: color(p, chan, "carol") == AWAY_COLOR)
    bob.send("AWAY")
    wait_for(lambda: color(p, chan, "bob") == "bar_fg")
    assert color(p, chan, "carol") == AWAY_COLOR
    assert len(lines(p, chan)) == before
    # A WHO of the user's own is shown.
    cmd(p, "/who #p", buffer=SERVER)
    wait_line(p, SERVER, "[#p] End of /WHO list.")
    for c in (bob, carol):
        c.close()


def test_account_notify_and_extended_join_show_accounts(perchd_factory, inspircd_atheme):
    server = inspircd_atheme
    p = perchd_factory(config=CONFIG)
    connect(p, server)
    dana = RawIrc(server.port, "dana")
    dana.send("JOIN #p")
    dana.wait_for(" 366 ")
    join(p, "#p")
    dana.send("PRIVMSG perchy :hello")
    wait_line(p, "irc.pres.dana", "hello")
    # Registering logs dana in: ACCOUNT, said in the channel and in dana's private buffer.
    dana.send("PRIVMSG NickServ :REGISTER hunter22 dana@example.test")
    line = wait_line(p, "irc.pres.#p", "dana has identified as dana")
    assert line["tags"][0] == "irc_account" and "irc_smart_filter" in line["tags"]
    assert "nick_dana" in line["tags"] and "log3" in line["tags"]
    line = wait_line(p, "irc.pres.dana", "dana has identified as dana")
    assert "irc_smart_filter" not in line["tags"]
    dana.send("PRIVMSG NickServ :LOGOUT")
    wait_line(p, "irc.pres.#p", "dana has unidentified")
    wait_line(p, "irc.pres.dana", "dana has unidentified")
    # extended-join: the account and the real name in the join line.
    server.register_account("erin", "hunter22")
    erin = RawIrc(server.port, "erin")
    erin.send("PRIVMSG NickServ :IDENTIFY erin hunter22")
    erin.wait_for("You are now logged in")
    erin.send("JOIN #p")
    line = wait_line(p, "irc.pres.#p", "erin [erin] (erin) (")
    assert line["message"].endswith("has joined #p")
    # WHOIS says the account (330) as WeeChat: "[erin] is logged in as erin".
    cmd(p, "/whois erin", buffer="irc.pres.#p")
    line = wait_line(p, SERVER, "[erin] is logged in as erin")
    assert line["tags"][:2] == ["irc_330", "irc_numeric"]
    frank = RawIrc(server.port, "frank")
    frank.send("JOIN #p")
    line = wait_line(p, "irc.pres.#p", "frank (frank) (")
    assert "[" not in line["message"]
    for c in (dana, erin, frank):
        c.close()


def test_chghost_and_setname_lines_and_kept_hosts(perchd_factory, inspircd):
    p = perchd_factory(config=CONFIG)
    connect(p, inspircd)
    bob = RawIrc(inspircd.port, "bob")
    bob.send("JOIN #p")
    bob.wait_for(" 366 ")
    join(p, "#p")
    chan = "irc.pres.#p"
    bob.send("PRIVMSG perchy :hi")
    wait_line(p, "irc.pres.bob", "hi")
    oper(bob)
    bob.send("CHGHOST bob new.host.test")
    line = wait_line(p, chan, "bob (bob@127.0.0.1) has changed host to bob@new.host.test")
    assert own_tags(line)[:2] == ["irc_chghost", "new_host_bob@new.host.test"]
    assert "host_bob@127.0.0.1" in line["tags"]
    wait_line(p, "irc.pres.bob", "bob (bob@127.0.0.1) has changed host to bob@new.host.test")
    # The nick's host is kept: /ban completes "nick!user@host" (irc_channel_nicks_hosts).
    assert "bob!bob@new.host.test" in complete(p, chan, "/ban bo")["list"]
    bob.send("SETNAME :Bobby Tables")
    line = wait_line(p, chan, 'bob has changed real name to "Bobby Tables"')
    assert line["tags"][0] == "irc_setname"
    wait_line(p, "irc.pres.bob", 'bob has changed real name to "Bobby Tables"')
    # Ours: said in the server buffer only.
    cmd(p, "/quote SETNAME :Perch Bird", buffer=SERVER)
    wait_line(p, SERVER, 'Your real name has been set to "Perch Bird"')
    assert not any("Perch Bird" in m for m in messages(p, chan))
    bob.close()


def test_invites_to_us_and_to_others(perchd_factory, inspircd_factory):
    server = inspircd_factory(extra_conf=SAMODE)
    p = perchd_factory(config=CONFIG)
    connect(p, server)
    bob, carol = RawIrc(server.port, "bob"), RawIrc(server.port, "carol")
    bob.send("JOIN #p")
    bob.wait_for(" 366 ")
    join(p, "#p")
    oper(bob)
    # invite-notify reaches the channel's operators of a +i channel.
    bob.send("SAMODE #p +ioo perchy bob")
    wait_line(p, "irc.pres.#p", "Mode #p [+ioo")
    bob.send("INVITE carol #p")
    line = wait_line(p, SERVER, "bob has invited carol to #p")
    assert line["tags"][0] == "irc_invite" and "notify_highlight" not in line["tags"]
    bob.send("JOIN #q")
    bob.wait_for(" 366 ")
    bob.send("SAMODE #q +o bob")
    bob.wait_for("MODE #q +o")
    bob.send("INVITE perchy #q")
    line = wait_line(p, SERVER, "You have been invited to #q by bob")
    assert "notify_highlight" in line["tags"] and line["highlight"]
    for c in (bob, carol):
        c.close()


def test_multi_prefix_and_userhost_in_names(perchd_factory, inspircd_factory):
    server = inspircd_factory(extra_conf=SAMODE)
    p = perchd_factory(config=CONFIG)
    connect(p, server)
    bob = RawIrc(server.port, "bob")
    oper(bob)
    bob.send("JOIN #p")
    bob.wait_for(" 366 ")
    bob.send("SAMODE #p +ov bob bob")
    bob.wait_for("MODE #p +ov")
    # ircv3 unloaded: no away-notify nor account-notify, so no WHO after the join; the
    # hosts can only come from NAMES (userhost-in-names).
    bob.send("UNLOADMODULE ircv3")
    wait_line(p, SERVER, "irc: client capability, removed: account-notify")
    join(p, "#p")
    chan = "irc.pres.#p"
    entry = nicks(p, chan)["bob"]
    assert (entry["prefix"], entry["group"]) == ("@", "o")
    assert "bob!bob@127.0.0.1" in complete(p, chan, "/ban bo")["list"]
    # Both prefixes were kept (multi-prefix): without op, bob is still voiced.
    bob.send("SAMODE #p -o bob")
    wait_line(p, chan, "Mode #p [-o bob]")
    entry = nicks(p, chan)["bob"]
    assert (entry["prefix"], entry["group"]) == ("+", "v")
    bob.close()


def test_cap_del_stops_a_capability_until_cap_new(perchd_factory, inspircd_factory):
    server = inspircd_factory(extra_conf=SAMODE)
    p = perchd_factory(config=CONFIG)
    connect(p, server)
    bob, carol = RawIrc(server.port, "bob"), RawIrc(server.port, "carol")
    oper(bob)
    for channel in ("#a", "#b", "#c"):
        carol.send(f"JOIN {channel}")
        carol.wait_for(" 366 ")
    carol.send("AWAY :gone")
    carol.wait_for(" 306 ")
    join(p, "#a")
    wait_for(lambda: color(p, "irc.pres.#a", "carol") == AWAY_COLOR)
    # The server drops away-notify, account-notify and extended-join (CAP DEL): perchd
    # forgets them, so a channel joined now gets no WHO and no away colour.
    bob.send("UNLOADMODULE ircv3")
    for cap in ("away-notify", "account-notify", "extended-join"):
        wait_line(p, SERVER, f"irc: client capability, removed: {cap}")
    join(p, "#b")
    sync(p, "nosuch1")
    assert color(p, "irc.pres.#b", "carol") == "bar_fg"
    # CAP NEW: asked for again, and in effect again.
    bob.send("LOADMODULE ircv3")
    wait_line(p, SERVER, "irc: client capability, enabled: away-notify")
    join(p, "#c")
    wait_for(lambda: color(p, "irc.pres.#c", "carol") == AWAY_COLOR)
    for c in (bob, carol):
        c.close()


def test_monitor_says_query_partners_comings_and_goings(perchd_factory, inspircd):
    p = perchd_factory(config=CONFIG)
    connect(p, inspircd)
    cmd(p, "/query dora", buffer=SERVER)
    line = wait_line(p, SERVER, "notify: dora is offline")
    assert line["tags"] == ["irc_notify", "irc_notify_quit", "nick_dora", "notify_message",
                            "log3"]
    dora = RawIrc(inspircd.port, "dora")
    # InspIRCd names the nick only when it connects.
    line = wait_line(p, SERVER, "notify: dora has connected")
    assert line["tags"][:2] == ["irc_notify", "irc_notify_join"]
    dora.send("QUIT :bye")
    wait_line(p, SERVER, "notify: dora has quit")
    # A private buffer opened by a message is watched too.
    eve = RawIrc(inspircd.port, "eve")
    eve.send("PRIVMSG perchy :psst")
    wait_line(p, "irc.pres.eve", "psst")
    wait_line(p, SERVER, "notify: eve is connected")
    # Closed: dora is not watched any more (eve's quit, later, is still said).
    cmd(p, "/buffer close", buffer="irc.pres.dora")
    sync(p, "nosuch1")
    dora = RawIrc(inspircd.port, "dora")
    eve.send("QUIT")
    wait_line(p, SERVER, "notify: eve has quit")
    assert sum("notify: dora" in m for m in messages(p, SERVER)) == 3
    dora.close()


def test_monitor_respects_the_server_limit(perchd_factory, inspircd_factory):
    server = inspircd_factory(extra_conf='<monitor maxentries="2">\n')
    p = perchd_factory(config=CONFIG)
    connect(p, server)
    for nick in ("ann", "ben", "cyd"):
        cmd(p, f"/query {nick}", buffer=SERVER)
    wait_line(p, SERVER, "notify: ann is offline")
    wait_line(p, SERVER, "notify: ben is offline")
    clients = [RawIrc(server.port, nick) for nick in ("cyd", "ann")]
    wait_line(p, SERVER, "notify: ann has connected")
    said = messages(p, SERVER)
    # The third was never asked for: no refusal (734), nothing said of it.
    assert not any("cyd" in m for m in said)
    assert not any("Monitor list is full" in m for m in said)
    # A slot freed is used for the next private buffer.
    cmd(p, "/buffer close", buffer="irc.pres.ann")
    wait_line(p, SERVER, "notify: cyd is connected")
    for c in clients:
        c.close()


def test_first_nick_taken_back_with_monitor(perchd_factory, inspircd):
    squatter = RawIrc(inspircd.port, "perchy")
    # ISON would wait an hour: only MONITOR can take the nick back in time.
    p = perchd_factory(config=CONFIG + "nick_regain_interval = 3600000\n")
    connect(p, inspircd, nicks="perchy,perchy2")
    assert request(p.plain_port, "GET", f"/api/buffers/{SERVER}",
                   tls=False).json()["local_variables"]["nick"] == "perchy2"
    time.sleep(0.5)
    squatter.send("QUIT :bye")
    wait_line(p, SERVER, "You are now known as perchy")
    # Watching the nick was silent.
    assert not any("notify: perchy" in m for m in messages(p, SERVER))
