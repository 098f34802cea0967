"""A small IRC server speaking IRCv3 draft/chathistory, for the catch-up tests (no Debian IRC
server serves the CHATHISTORY command). It runs in a thread of the test on a free loopback
port and speaks the real wire format: CAP LS 302 (server-time, message-tags, batch,
echo-message, draft/chathistory), registration with ISUPPORT CHATHISTORY and MSGREFTYPES, JOIN/PART with
NAMES, PRIVMSG/NOTICE between clients (each message stored with a msgid and a millisecond
server time), and CHATHISTORY LATEST/BEFORE/AFTER/BETWEEN/AROUND answered in a `chathistory`
batch (FAIL CHATHISTORY ... on bad parameters).

The test controls the network around perchd: say() makes a user who is not connected speak
(stored and delivered like any message), cut() drops every connection, refuse() keeps
connections out while perchd is cut off. Nothing here is perchd's code: it is the other side.
"""
import datetime
import itertools
import selectors
import socket
import threading
import time

CAPS = ["server-time", "message-tags", "batch", "echo-message", "draft/chathistory"]
HISTORY_LIMIT = 100


def stamp(t):
    """IRCv3 server-time text for a POSIX time: milliseconds, UTC."""
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def parse_stamp(text):
    d = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
    return d.replace(tzinfo=datetime.timezone.utc).timestamp()


class Message:
    def __init__(self, msgid, t, source, command, target, text):
        self.msgid, self.time, self.source = msgid, t, source
        self.command, self.target, self.text = command, target, text

    def line(self, batch=None):
        tags = f"time={stamp(self.time)};msgid={self.msgid}"
        if batch:
            tags = f"batch={batch};" + tags
        return f"@{tags} :{self.source} {self.command} {self.target} :{self.text}"


class Client:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.nick = None
        self.user = None
        self.caps = set()
        self.cap_negotiating = False
        self.registered = False
        self.channels = set()
        self.lines = []  # every line received, for the tests

    @property
    def mask(self):
        return f"{self.nick}!{self.user or self.nick}@127.0.0.1"

    def send(self, line):
        # A client without message-tags gets no tags.
        if line.startswith("@") and "message-tags" not in self.caps and "server-time" not in self.caps:
            line = line.split(" ", 1)[1]
        try:
            self.sock.sendall(line.encode() + b"\r\n")
        except OSError:
            pass


class ChathistoryIrcd:
    def __init__(self, name="history.test", caps=CAPS):
        self.name = name
        self.caps = list(caps)
        self.paused = None  # CHATHISTORY requests kept unanswered while a list
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.clients = []
        self.history = {}  # target key -> [Message]
        self.members = {}  # channel (lower case) -> set of nicks
        self.requests = []  # every CHATHISTORY command received
        self.ids = itertools.count(1)
        self.batches = itertools.count(1)
        self.refusing = False
        self.lock = threading.RLock()
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.listener, selectors.EVENT_READ)
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    # ---- control from the test ----

    def stop(self):
        self.running = False
        self.thread.join(5)
        with self.lock:
            for c in list(self.clients):
                c.sock.close()
        self.listener.close()

    def say(self, nick, target, text, command="PRIVMSG", t=None):
        """A user who is not connected here speaks: stored, and delivered to who is."""
        with self.lock:
            m = self.store(f"{nick}!{nick}@127.0.0.1", nick, command, target, text, t)
            for c in self.recipients(nick, target):
                c.send(m.line())
            return m

    def cut(self):
        """A network cut: every connection dropped without a word."""
        with self.lock:
            for c in list(self.clients):
                self.drop(c)

    def refuse(self, on=True):
        with self.lock:
            self.refusing = on

    def pause_history(self):
        """CHATHISTORY requests wait (answered by answer_history) as on a slow server."""
        with self.lock:
            self.paused = []

    def answer_history(self):
        with self.lock:
            waiting, self.paused = self.paused or [], None
            for c, p in waiting:
                if c in self.clients:
                    self.on_chathistory(c, p)

    def client(self, nick):
        with self.lock:
            return next((c for c in self.clients if c.nick and c.nick.lower() == nick.lower()), None)

    def joined(self, nick, channel):
        with self.lock:
            return nick.lower() in self.members.get(channel.lower(), set())

    # ---- the server ----

    def run(self):
        while self.running:
            for key, _ in self.sel.select(0.05):
                with self.lock:
                    if key.fileobj is self.listener:
                        self.accept()
                    else:
                        self.read(key.data)

    def accept(self):
        sock, _ = self.listener.accept()
        if self.refusing:
            sock.close()
            return
        c = Client(sock)
        self.clients.append(c)
        self.sel.register(sock, selectors.EVENT_READ, c)

    def drop(self, c):
        if c not in self.clients:
            return
        self.clients.remove(c)
        self.sel.unregister(c.sock)
        c.sock.close()
        for nicks in self.members.values():
            nicks.discard((c.nick or "").lower())

    def read(self, c):
        try:
            data = c.sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            self.drop(c)
            return
        c.buf += data
        while b"\n" in c.buf:
            raw, c.buf = c.buf.split(b"\n", 1)
            line = raw.rstrip(b"\r").decode(errors="replace")
            c.lines.append(line)
            if line:
                self.handle(c, line)

    def numeric(self, c, code, *params):
        *middle, last = params
        c.send(" ".join([f":{self.name}", code, c.nick or "*", *middle, ":" + last]))

    def handle(self, c, line):
        if line.startswith("@"):
            line = line.split(" ", 1)[1] if " " in line else ""
        if line.startswith(":"):
            line = line.split(" ", 1)[1] if " " in line else ""
        head, _, trailing = line.partition(" :")
        words = head.split()
        if not words:
            return
        params = words[1:] + ([trailing] if " :" in line else [])
        cmd = words[0].upper()
        handler = getattr(self, "on_" + cmd.lower(), None)
        if handler:
            handler(c, params)
        elif c.registered:
            self.numeric(c, "421", cmd, "Unknown command")

    def on_cap(self, c, p):
        sub = p[0].upper() if p else ""
        if sub == "LS":
            c.cap_negotiating = True
            c.send(f":{self.name} CAP * LS :{' '.join(self.caps)}")
        elif sub == "REQ" and len(p) > 1:
            wanted = p[1].split()
            if all(w.lstrip("-") in self.caps for w in wanted):
                for w in wanted:
                    (c.caps.discard if w.startswith("-") else c.caps.add)(w.lstrip("-"))
                c.send(f":{self.name} CAP {c.nick or '*'} ACK :{p[1]}")
            else:
                c.send(f":{self.name} CAP {c.nick or '*'} NAK :{p[1]}")
        elif sub == "END":
            c.cap_negotiating = False
            self.try_register(c)

    def on_nick(self, c, p):
        if not p:
            return
        if self.client(p[0]) not in (None, c):
            self.numeric(c, "433", p[0], "Nickname is already in use")
            return
        c.nick = p[0]
        self.try_register(c)

    def on_user(self, c, p):
        c.user = p[0] if p else "user"
        self.try_register(c)

    def try_register(self, c):
        if c.registered or c.cap_negotiating or not c.nick or not c.user:
            return
        c.registered = True
        self.numeric(c, "001", f"Welcome to the chathistory test network {c.mask}")
        self.numeric(c, "002", f"Your host is {self.name}")
        self.numeric(c, "003", "This server was created for a test")
        c.send(f":{self.name} 004 {c.nick} {self.name} test-1 i nt")
        c.send(f":{self.name} 005 {c.nick} CHANTYPES=# PREFIX=(ov)@+ "
               f"CHATHISTORY={HISTORY_LIMIT} MSGREFTYPES=msgid,timestamp :are supported by this server")
        self.numeric(c, "422", "MOTD File is missing")

    def on_ping(self, c, p):
        c.send(f":{self.name} PONG {self.name} :{p[0] if p else ''}")

    def on_pong(self, c, p):
        pass

    def on_quit(self, c, p):
        self.drop(c)

    def on_join(self, c, p):
        if not c.registered or not p:
            return
        for chan in p[0].split(","):
            key = chan.lower()
            first = key not in self.members or not self.members[key]
            self.members.setdefault(key, set()).add(c.nick.lower())
            c.channels.add(key)
            for other in self.recipients(None, chan):
                other.send(f":{c.mask} JOIN {chan}")
            names = " ".join(("@" if first and n == c.nick.lower() else "") + n
                             for n in sorted(self.members[key]))
            c.send(f":{self.name} 353 {c.nick} = {chan} :{names}")
            self.numeric(c, "366", chan, "End of /NAMES list.")

    def on_part(self, c, p):
        if not p:
            return
        for chan in p[0].split(","):
            for other in self.recipients(None, chan):
                other.send(f":{c.mask} PART {chan}")
            self.members.get(chan.lower(), set()).discard(c.nick.lower())
            c.channels.discard(chan.lower())

    def on_privmsg(self, c, p, command="PRIVMSG"):
        if not c.registered or len(p) < 2:
            return
        m = self.store(c.mask, c.nick, command, p[0], p[1])
        for other in self.recipients(c.nick, p[0]):
            if other is not c:
                other.send(m.line())
        if "echo-message" in c.caps:
            c.send(m.line())

    def on_notice(self, c, p):
        self.on_privmsg(c, p, "NOTICE")

    def store(self, mask, nick, command, target, text, t=None):
        m = Message(f"m{next(self.ids):06d}", time.time() if t is None else t, mask, command,
                    target, text)
        self.history.setdefault(self.key(nick, target), []).append(m)
        return m

    @staticmethod
    def key(nick, target):
        """Channels by name; private conversations by the pair of nicks."""
        if target.startswith("#"):
            return target.lower()
        return tuple(sorted((nick.lower(), target.lower())))

    def recipients(self, sender, target):
        if target.startswith("#"):
            nicks = self.members.get(target.lower(), set())
            return [c for c in self.clients if c.nick and c.nick.lower() in nicks]
        c = self.client(target)
        return [c] if c else []

    # ---- CHATHISTORY ----

    def on_chathistory(self, c, p):
        if self.paused is not None:
            self.paused.append((c, p))
            return
        self.requests.append((c.nick, p))
        if len(p) < 3:
            c.send(f":{self.name} FAIL CHATHISTORY NEED_MORE_PARAMS CHATHISTORY :Missing parameters")
            return
        sub, target = p[0].upper(), p[1]
        msgs = self.history.get(self.key(c.nick, target), [])
        try:
            if sub == "BETWEEN":
                a, b, limit = self.ref(msgs, p[2]), self.ref(msgs, p[3]), self.limit(p[4])
                lo, hi = sorted((a, b))
                out = [m for m in msgs if lo < m.time < hi]
                out = out[:limit] if a <= b else out[-limit:]
            else:
                limit = self.limit(p[3])
                if sub == "LATEST":
                    ref = float("-inf") if p[2] == "*" else self.ref(msgs, p[2])
                    out = [m for m in msgs if m.time > ref][-limit:]
                elif sub == "BEFORE":
                    out = [m for m in msgs if m.time < self.ref(msgs, p[2])][-limit:]
                elif sub == "AFTER":
                    out = [m for m in msgs if m.time > self.ref(msgs, p[2])][:limit]
                elif sub == "AROUND":
                    t = self.ref(msgs, p[2])
                    before = [m for m in msgs if m.time < t][-(limit // 2):] if limit > 1 else []
                    out = before + [m for m in msgs if m.time >= t][:limit - len(before)]
                else:
                    c.send(f":{self.name} FAIL CHATHISTORY INVALID_PARAMS {sub} :Unknown subcommand")
                    return
        except (ValueError, IndexError):
            c.send(f":{self.name} FAIL CHATHISTORY INVALID_PARAMS {sub} :Invalid parameters")
            return
        ref = f"h{next(self.batches)}"
        c.send(f"@time={stamp(time.time())} :{self.name} BATCH +{ref} chathistory {target}")
        for m in out:
            c.send(m.line(batch=ref))
        c.send(f":{self.name} BATCH -{ref}")

    @staticmethod
    def limit(text):
        n = int(text)
        if n < 1:
            raise ValueError(text)
        return min(n, HISTORY_LIMIT)

    @staticmethod
    def ref(msgs, text):
        """A message reference as a time: msgid=ID (that message's time) or timestamp=TIME."""
        kind, _, value = text.partition("=")
        if kind == "timestamp":
            return parse_stamp(value)
        if kind == "msgid":
            for m in msgs:
                if m.msgid == value:
                    return m.time
        raise ValueError(text)
