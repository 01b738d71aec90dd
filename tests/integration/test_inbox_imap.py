"""Polling a real IMAP server: a dovecot (Debian's dovecot-imapd, ``make system-deps``) started by
the test on loopback with one mailbox; unseen mail becomes tickets once, then is flagged seen."""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontoffice.domain.events import now
from frontoffice.inbox import imap, intake
from tests.fakes.inbox import FakeInbox, fake_desk
from tests.unit.inbox.mails import customer_mail, free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
CONFIG = """base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
auth_failure_delay = 0
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


@pytest.fixture(scope="module")
def dovecot() -> Iterator[imap.Mailbox]:
    if not Path(DOVECOT).exists():
        pytest.fail("dovecot is not installed: run `make system-deps` (Debian's dovecot-imapd).")
    # dovecot's auth process runs as its own user: pytest's tmp_path (mode 0700) is closed to it
    root, port = Path(tempfile.mkdtemp(prefix="fo-dovecot-")), free_port()
    root.chmod(0o755)
    for sub in ("run", "state", "home"):
        (root / sub).mkdir(parents=True)
    uid = gid = 65534 if os.geteuid() == 0 else os.getuid()  # dovecot refuses root as a mail user
    if os.geteuid() == 0:
        os.chown(root / "home", uid, gid)
    else:
        gid = os.getgid()
    (root / "users").write_text("ann:{PLAIN}secret\n")
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port, uid=uid, gid=gid))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("dovecot did not start: " + (process.stdout.read() if process.stdout else b"").decode())
    try:
        yield imap.Mailbox("127.0.0.1", port, "ann", "secret")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
        shutil.rmtree(root, ignore_errors=True)


def deliver_to(box: imap.Mailbox, *messages: bytes) -> None:
    client = imaplib.IMAP4(box.host, box.port)
    client.login(box.user, box.password)
    for raw in messages:
        client.append(box.folder, None, None, raw)
    client.logout()


def test_unseen_mail_in_an_imap_mailbox_becomes_tickets_once(dovecot: imap.Mailbox) -> None:
    """(The module's one mailbox: this test reads it empty first.)"""
    inbox = FakeInbox()
    desk = fake_desk(inbox=inbox)
    deliver_to(dovecot, customer_mail("Where is my parcel?", message_id="<i1@x>"),
               customer_mail("Invoice please", message_id="<i2@x>", sender="bob@x.org", subject="Invoice"))
    assert imap.poll(dovecot, lambda raw: intake.receive_email(desk, "ws", raw, now())) == 2
    assert sorted(t.doc["subject"] for t in inbox.tickets("ws")) == ["Invoice", "Order help"]
    assert imap.poll(dovecot, lambda raw: intake.receive_email(desk, "ws", raw, now())) == 0  # flagged seen
    deliver_to(dovecot, customer_mail("Any news?", message_id="<i3@x>", in_reply_to="<i1@x>"))
    imap.poll(dovecot, lambda raw: intake.receive_email(desk, "ws", raw, now()))
    assert len(inbox.tickets("ws")) == 2 and inbox.message("ws", "<i3@x>") is not None


def test_a_wrong_password_is_an_imap_error_not_a_silent_empty_poll(dovecot: imap.Mailbox) -> None:
    wrong = imap.Mailbox(dovecot.host, dovecot.port, "ann", "nope")
    with pytest.raises(imaplib.IMAP4.error):
        imap.poll(wrong, lambda raw: None)


