"""Auth (CZMQ's zauth actor) and pyczmq 0.1's pyczmq.zauth functions.

Every scenario makes real connections over tcp://127.0.0.1: a PUSH client
sends one message to a PULL server.  A refused client gets no error (libzmq
retries the handshake quietly): "refused" means nothing arrives within
REFUSED ms.  NULL connections go through ZAP only on servers that set a
zap_domain (libzmq 4.3).  Only one Auth may run per process, so every test
destroys the ones it makes.  Probes that could abort the process, signals,
fork, threads and exit behaviour run in a child interpreter.
"""

import errno
import os
import selectors
import signal
import socket
import sys
import textwrap
import threading
import time

import pytest

import pyczmq
from pyczmq import Again, Auth, Cert, CertStore, ClosedError, ZMQError, zauth, zmq

from conftest import assert_clean_run, clean_stdout, run_probes, run_python, signal_child

PAYLOAD = b"hello through zauth"
ALLOWED = 3000      # ms to wait for a message that must arrive (poll returns as soon as it does)
REFUSED = 500       # ms without a message that count as refused
ZAP = {"zap_domain": "global"}
ZAP_ENDPOINT = "inproc://zeromq.zap.01"


# -- helpers ---------------------------------------------------------------------


@pytest.fixture
def auth():
    authenticator = Auth()
    yield authenticator
    authenticator.destroy()


def pull_server(ctx, cert=None, **options):
    """A PULL socket bound to a free port of 127.0.0.1: (socket, port)."""
    server = ctx.socket("PULL")
    server.linger = 0
    for name, value in options.items():
        setattr(server, name, value)
    if cert is not None:
        cert.apply(server)
    return server, server.bind("tcp://127.0.0.1:*")


def push_client(ctx, port, cert=None, **options):
    """A PUSH socket connected to 127.0.0.1:port."""
    client = ctx.socket("PUSH")
    client.linger = 0
    client.sndtimeo = REFUSED
    for name, value in options.items():
        setattr(client, name, value)
    if cert is not None:
        cert.apply(client)
    client.connect("tcp://127.0.0.1:%d" % port)
    return client


def received(server, client, wait, payload=PAYLOAD):
    """Send `payload` from `client`; what `server` receives within `wait` ms, or None."""
    try:
        client.send(payload)
    except Again:           # no connection to queue it on
        pass
    return server.recv_bytes() if server.poll(wait) else None


def attempt(ctx, wait, server=None, client=None, server_cert=None, client_cert=None):
    """One connection from a fresh client to a fresh server (`server` and
    `client`: their socket options); what arrives within `wait` ms, or None."""
    pull, port = pull_server(ctx, server_cert, **(server or {}))
    push = push_client(ctx, port, client_cert, **(client or {}))
    try:
        return received(pull, push, wait)
    finally:
        push.close()
        pull.close()


def plain(ctx, wait, username, password):
    return attempt(ctx, wait, {"plain_server": 1},
                   {"plain_username": username, "plain_password": password})


def curve(ctx, wait, server_cert, client_cert, server_key=None):
    """A CURVE client (keys of `client_cert`) to a CURVE server (`server_cert`);
    the client takes `server_key` as the server's public key if given."""
    key = server_cert.public_key if server_key is None else server_key
    return attempt(ctx, wait, {"curve_server": 1}, {"curve_serverkey": key},
                   server_cert, client_cert)


def write_file(path, text, age):
    """Write `text` to `path`, dated `age` seconds ago (CZMQ re-reads a
    password file once it is more than 5 s old and newer than before)."""
    with open(path, "w") as handle:
        handle.write(text)
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))


class Relay:
    """A TCP relay on 127.0.0.1 in front of `port`: forwards the bytes of
    every connection both ways and records them."""

    def __init__(self, port):
        self.target = port
        self.recorded = bytearray()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._stopping = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ)
        sockets = []
        try:
            while not self._stopping:
                for key, _ in selector.select(0.05):
                    if key.fileobj is self.listener:
                        downstream, _ = self.listener.accept()
                        upstream = socket.create_connection(("127.0.0.1", self.target))
                        sockets += [downstream, upstream]
                        selector.register(downstream, selectors.EVENT_READ, upstream)
                        selector.register(upstream, selectors.EVENT_READ, downstream)
                    elif key.fileobj.fileno() >= 0:
                        self._forward(selector, key.fileobj, key.data)
        finally:
            for sock in sockets:
                sock.close()
            selector.close()
            self.listener.close()

    def _forward(self, selector, source, destination):
        try:
            data = source.recv(65536)
            self.recorded += data
            destination.sendall(data)
        except OSError:
            data = b""
        if not data:            # one side closed: close both
            for sock in (source, destination):
                if sock.fileno() >= 0:
                    selector.unregister(sock)
                    sock.close()

    def close(self):
        self._stopping = True
        self._thread.join(10)
        assert not self._thread.is_alive()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


# Code for child interpreters: a NULL connection to a server with a zap_domain.
CHILD_PROLOGUE = """
import os, signal, sys, threading, time
import pyczmq
from pyczmq import Auth

def gets_in(ctx, wait):
    server = ctx.socket("PULL"); server.linger = 0; server.zap_domain = "global"
    port = server.bind("tcp://127.0.0.1:*")
    client = ctx.socket("PUSH"); client.linger = 0; client.sndtimeo = 500
    client.connect("tcp://127.0.0.1:%d" % port)
    try:
        client.send(b"hello")
    except pyczmq.Again:
        pass
    arrived = server.poll(wait)
    client.close(); server.close()
    return arrived

def allowed(ctx):
    return gets_in(ctx, 3000)

def refused(ctx):
    return not gets_in(ctx, 500)
"""


def child_output(code, timeout=60):
    """Run CHILD_PROLOGUE + code in a child interpreter; it must exit 0 with
    nothing on stderr.  Returns its stdout."""
    return clean_stdout(CHILD_PROLOGUE + textwrap.dedent(code), timeout=timeout)


# -- NULL mechanism: addresses -----------------------------------------------------


def test_null_connections_get_in_without_an_auth(ctx):
    # libzmq lets NULL through when no ZAP handler is bound (zap_enforce_domain is off).
    assert attempt(ctx, ALLOWED, ZAP) == PAYLOAD
    assert attempt(ctx, ALLOWED) == PAYLOAD


def test_null_connections_get_in_by_default_with_an_auth(ctx, auth):
    assert attempt(ctx, ALLOWED, ZAP) == PAYLOAD
    assert attempt(ctx, ALLOWED) == PAYLOAD


def test_deny_blocks_the_address_and_allow_lets_it_in_again(ctx, auth):
    auth.deny("127.0.0.1")
    assert attempt(ctx, REFUSED, ZAP) is None
    auth.allow("127.0.0.1")         # an allow list overrides the deny list
    assert attempt(ctx, ALLOWED, ZAP) == PAYLOAD


def test_deny_of_another_address_lets_127_0_0_1_in(ctx, auth):
    auth.deny("10.9.9.9", "10.9.9.10")
    assert attempt(ctx, ALLOWED, ZAP) == PAYLOAD


def test_allow_list_of_another_address_blocks_127_0_0_1(ctx, auth):
    auth.allow("10.9.9.9")
    assert attempt(ctx, REFUSED, ZAP) is None


def test_allow_takes_several_addresses_at_once(ctx, auth):
    auth.allow("10.9.9.9", b"127.0.0.1", "10.9.9.10")
    assert attempt(ctx, ALLOWED, ZAP) == PAYLOAD


def test_address_lists_do_not_apply_to_null_servers_without_zap_domain(ctx, auth):
    # libzmq 4.3 asks the ZAP handler about NULL connections only when the
    # server has a zap_domain.
    auth.deny("127.0.0.1")
    assert attempt(ctx, ALLOWED) == PAYLOAD
    auth.allow("10.9.9.9")
    assert attempt(ctx, ALLOWED) == PAYLOAD


def test_sockets_of_an_own_libzmq_context_are_outside_zauths_reach(auth):
    # The ZAP endpoint is per libzmq context: zauth serves CZMQ's context only.
    auth.deny("127.0.0.1")
    own = zmq.ctx_new()
    try:
        assert attempt(own, ALLOWED, ZAP) == PAYLOAD
    finally:
        for sock in own.sockets:
            sock.close(linger=0)
        zmq.ctx_term(own)


# -- PLAIN ---------------------------------------------------------------------------


@pytest.fixture
def passwords(tmp_path, auth):
    """A password file with admin=secret, configured in the Auth: its path."""
    path = tmp_path / "passwords"
    write_file(path, "# users\nadmin=secret\nguest=welcome\n", age=20)
    auth.configure_plain("*", str(path))
    return path


def test_plain_accepts_the_right_user_and_password(ctx, passwords):
    assert plain(ctx, ALLOWED, "admin", "secret") == PAYLOAD
    assert plain(ctx, ALLOWED, "guest", "welcome") == PAYLOAD


def test_plain_refuses_a_wrong_password(ctx, passwords):
    assert plain(ctx, REFUSED, "admin", "welcome") is None


def test_plain_refuses_an_unknown_user(ctx, passwords):
    assert plain(ctx, REFUSED, "root", "secret") is None


def test_plain_is_refused_without_a_password_file(ctx, auth):
    assert plain(ctx, REFUSED, "admin", "secret") is None


def test_plain_is_refused_while_the_password_file_is_missing(ctx, tmp_path, auth):
    path = tmp_path / "passwords"
    auth.configure_plain("*", str(path))
    assert plain(ctx, REFUSED, "admin", "secret") is None
    write_file(path, "admin=secret\n", age=10)
    assert plain(ctx, ALLOWED, "admin", "secret") == PAYLOAD


def test_password_file_edits_take_effect_without_a_restart(ctx, passwords):
    assert plain(ctx, ALLOWED, "admin", "secret") == PAYLOAD
    write_file(passwords, "admin=changed\n", age=0)
    # CZMQ waits until the file is 5 s old: a fresh edit is not read yet.
    assert plain(ctx, ALLOWED, "admin", "secret") == PAYLOAD
    stamp = time.time() - 10
    os.utime(passwords, (stamp, stamp))
    assert plain(ctx, REFUSED, "admin", "secret") is None
    assert plain(ctx, ALLOWED, "admin", "changed") == PAYLOAD


def test_relative_password_file_is_the_one_configured(ctx, tmp_path, monkeypatch, auth):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    write_file(first / "passwords", "admin=secret\n", age=20)
    monkeypatch.chdir(first)
    auth.configure_plain("*", "passwords")
    assert plain(ctx, ALLOWED, "admin", "secret") == PAYLOAD
    monkeypatch.chdir(second)
    write_file(second / "passwords", "intruder=letmein\n", age=10)
    write_file(first / "passwords", "admin=changed\n", age=10)
    assert plain(ctx, REFUSED, "intruder", "letmein") is None
    assert plain(ctx, ALLOWED, "admin", "changed") == PAYLOAD


def test_plain_accepts_a_bytes_and_pathlike_file_name(ctx, passwords, auth):
    auth.configure_plain(b"*", os.fsencode(passwords))
    assert plain(ctx, ALLOWED, "admin", "secret") == PAYLOAD
    auth.configure_plain("global", passwords)
    assert plain(ctx, ALLOWED, "admin", "secret") == PAYLOAD


def test_allowed_address_still_needs_the_password(ctx, passwords, auth):
    auth.allow("127.0.0.1")
    assert plain(ctx, REFUSED, "admin", "wrong") is None
    assert plain(ctx, ALLOWED, "admin", "secret") == PAYLOAD


def test_denied_address_is_refused_even_with_the_password(ctx, passwords, auth):
    auth.deny("127.0.0.1")
    assert plain(ctx, REFUSED, "admin", "secret") is None


# -- CURVE ---------------------------------------------------------------------------


@pytest.fixture
def server_cert():
    return Cert()


@pytest.fixture
def client_cert():
    return Cert()


def test_curve_is_refused_without_configuration(ctx, auth, server_cert, client_cert):
    assert curve(ctx, REFUSED, server_cert, client_cert) is None


def test_curve_allow_any_accepts_any_client(ctx, auth, server_cert, client_cert):
    auth.configure_curve("*", zauth.CURVE_ALLOW_ANY)
    assert curve(ctx, ALLOWED, server_cert, client_cert) == PAYLOAD
    assert curve(ctx, ALLOWED, server_cert, Cert()) == PAYLOAD


def test_curve_client_with_a_wrong_server_key_gets_nothing(ctx, auth, server_cert, client_cert):
    auth.configure_curve("*", "*")
    assert curve(ctx, REFUSED, server_cert, client_cert, server_key=Cert().public_key) is None


def test_curve_denied_address_is_refused_even_with_allow_any(ctx, auth, server_cert,
                                                             client_cert):
    auth.configure_curve("*", "*")
    auth.deny("127.0.0.1")
    assert curve(ctx, REFUSED, server_cert, client_cert) is None


def test_curve_folder_admits_only_the_clients_whose_certificate_it_holds(
        ctx, tmp_path, auth, server_cert, client_cert):
    folder = tmp_path / "clients"
    folder.mkdir()
    auth.configure_curve("*", str(folder))
    assert curve(ctx, REFUSED, server_cert, client_cert) is None
    client_cert.save_public(str(folder / "client.txt"))
    assert curve(ctx, ALLOWED, server_cert, client_cert) == PAYLOAD
    assert curve(ctx, REFUSED, server_cert, Cert()) is None
    os.unlink(folder / "client.txt")
    assert curve(ctx, REFUSED, server_cert, client_cert) is None


def test_curve_folder_may_be_a_relative_path(
        ctx, tmp_path, monkeypatch, auth, server_cert, client_cert):
    folder = tmp_path / "clients"
    folder.mkdir()
    client_cert.save(str(folder / "client"))         # a "_secret" twin is skipped
    monkeypatch.chdir(tmp_path)
    auth.configure_curve("*", "clients")
    monkeypatch.chdir("/")      # zauth got the absolute path
    assert curve(ctx, ALLOWED, server_cert, client_cert) == PAYLOAD


def test_curve_configured_folder_replaces_allow_any(ctx, tmp_path, auth, server_cert,
                                                     client_cert):
    auth.configure_curve("*", "*")
    assert curve(ctx, ALLOWED, server_cert, client_cert) == PAYLOAD
    auth.configure_curve("*", str(tmp_path))            # empty
    assert curve(ctx, REFUSED, server_cert, client_cert) is None


def test_curve_traffic_is_encrypted_and_null_traffic_is_not(ctx, auth, server_cert,
                                                            client_cert):
    auth.configure_curve("*", "*")
    secret = b"distinctive-payload-7f3a9c"

    def through_relay(server_options, client_options, server_key_cert=None, client_key_cert=None):
        pull, port = pull_server(ctx, server_key_cert, **server_options)
        with Relay(port) as relay:
            push = push_client(ctx, relay.port, client_key_cert, **client_options)
            try:
                arrived = received(pull, push, ALLOWED, secret)
            finally:
                push.close()
                pull.close()
        return arrived, bytes(relay.recorded)

    arrived, recorded = through_relay({}, {})
    assert arrived == secret
    assert secret in recorded and b"NULL" in recorded

    arrived, recorded = through_relay({"curve_server": 1},
                                      {"curve_serverkey": server_cert.public_key},
                                      server_cert, client_cert)
    assert arrived == secret                        # delivered through the relay
    assert b"CURVE" in recorded                     # the relay saw the handshake
    assert secret not in recorded
    assert secret[:8] not in recorded


# -- CURVE from an in-memory CertStore -----------------------------------------------------


def test_auth_with_a_certstore_admits_its_clients(ctx, server_cert, client_cert):
    store = CertStore()
    store.insert(Cert.new_from(client_cert.public_key))
    authenticator = Auth(certstore=store)
    try:
        assert curve(ctx, ALLOWED, server_cert, client_cert) == PAYLOAD
        assert curve(ctx, REFUSED, server_cert, Cert()) is None
    finally:
        authenticator.destroy()


def test_certstore_handed_to_auth_is_unusable_from_python(client_cert):
    store = CertStore()
    view = Cert.new_from(client_cert.public_key)
    store.insert(view)
    authenticator = Auth(certstore=store)
    try:
        assert store.destroyed
        with pytest.raises(ClosedError):
            store.lookup(client_cert.public_key)
        with pytest.raises(ClosedError):
            len(store)
        with pytest.raises(ClosedError):
            store.insert(Cert())
        with pytest.raises(ClosedError):
            view.public_key
    finally:
        authenticator.destroy()
    store.destroy()             # harmless: zauth freed it
    with pytest.raises(ClosedError):        # a second Auth can not take it again
        Auth(certstore=store)


def test_certstore_reading_a_folder_is_refused(tmp_path, client_cert):
    client_cert.save_public(str(tmp_path / "client.txt"))
    store = CertStore(str(tmp_path))
    with pytest.raises(ValueError, match="configure_curve"):
        Auth(certstore=store)
    assert len(store) == 1      # still the caller's


def test_certstore_with_too_much_metadata_for_zauth_is_refused(client_cert):
    store = CertStore()
    cert = Cert.new_from(client_cert.public_key)
    cert.set_meta("note", "x" * 600)
    store.insert(cert)
    with pytest.raises(ValueError, match="metadata"):
        Auth(certstore=store)
    assert len(store) == 1


def test_certstore_is_kept_when_auth_is_busy(auth, client_cert):
    store = CertStore()
    store.insert(Cert.new_from(client_cert.public_key))
    with pytest.raises(ZMQError) as info:
        Auth(certstore=store)
    assert info.value.errno == errno.EBUSY
    assert store.lookup(client_cert.public_key) is not None


# -- one zauth per process, lifecycle ----------------------------------------------------


def test_second_auth_raises_ebusy_and_the_first_keeps_working(ctx, auth):
    with pytest.raises(ZMQError) as info:
        Auth()
    assert info.value.errno == errno.EBUSY
    with pytest.raises(ZMQError) as info:
        Auth(ctx)
    assert info.value.errno == errno.EBUSY
    auth.deny("127.0.0.1")
    assert attempt(ctx, REFUSED, ZAP) is None


def test_new_auth_works_after_destroy(ctx):
    first = Auth()
    first.deny("127.0.0.1")
    first.destroy()
    assert first.destroyed
    assert attempt(ctx, ALLOWED, ZAP) == PAYLOAD    # the old policy went with it
    second = Auth()
    try:
        second.deny("127.0.0.1")
        assert attempt(ctx, REFUSED, ZAP) is None
    finally:
        second.destroy()


def test_destroy_is_idempotent_and_repr_shows_the_state():
    authenticator = Auth()
    assert "running" in repr(authenticator) and not authenticator.destroyed
    authenticator.destroy()
    authenticator.destroy()
    assert "destroyed" in repr(authenticator) and authenticator.destroyed


def test_auth_as_a_context_manager(ctx):
    with Auth() as authenticator:
        authenticator.deny("127.0.0.1")
        assert attempt(ctx, REFUSED, ZAP) is None
    assert authenticator.destroyed
    with Auth() as again:           # the ZAP endpoint is free again
        assert not again.destroyed
    with pytest.raises(ClosedError):
        with authenticator:
            pass


def test_context_destroy_destroys_its_auth(ctx):
    with pyczmq.Context() as scope:
        authenticator = Auth(scope)
        authenticator.deny("127.0.0.1")
    assert authenticator.destroyed
    with pytest.raises(ClosedError):
        authenticator.allow("127.0.0.1")
    assert attempt(ctx, ALLOWED, ZAP) == PAYLOAD
    Auth().destroy()


def test_auth_refuses_an_own_libzmq_context():
    own = zmq.ctx_new()
    try:
        with pytest.raises(ValueError, match="ctx_new"):
            Auth(own)
    finally:
        zmq.ctx_term(own)
    Auth().destroy()            # nothing was left running


def test_auth_refuses_a_destroyed_context():
    scope = pyczmq.Context()
    scope.destroy()
    with pytest.raises(ClosedError):
        Auth(scope)


def test_garbage_collected_auth_frees_the_zap_endpoint():
    Auth()                      # dropped at once
    Auth().destroy()


def test_connecting_to_the_zap_endpoint_while_auth_runs_raises(ctx, auth):
    # zauth asserts on a malformed ZAP request: only libzmq may talk to it.
    for kind in ("DEALER", "REQ", "PUSH"):
        sock = ctx.socket(kind)
        with pytest.raises(ValueError, match="ZAP"):
            sock.connect(ZAP_ENDPOINT)
        with pytest.raises(ValueError):
            sock.connect(ZAP_ENDPOINT.encode())
        with pytest.raises(ValueError):
            zmq.connect(sock, ZAP_ENDPOINT)
        sock.close()
    auth.deny("127.0.0.1")
    assert attempt(ctx, REFUSED, ZAP) is None


def test_binding_the_zap_endpoint_while_auth_runs_raises_eaddrinuse(ctx, auth):
    sock = ctx.socket("REP")
    with pytest.raises(ZMQError) as info:
        sock.bind(ZAP_ENDPOINT)
    assert info.value.errno == errno.EADDRINUSE


def test_own_zap_handler_makes_auth_raise_eaddrinuse(ctx):
    handler = ctx.socket("REP")
    handler.bind(ZAP_ENDPOINT)
    with pytest.raises(ZMQError) as info:
        Auth()
    assert info.value.errno == errno.EADDRINUSE
    handler.unbind(ZAP_ENDPOINT)
    handler.close()
    Auth().destroy()


def test_auth_starts_right_after_the_own_zap_handler_is_closed(ctx):
    failures = 0
    for _ in range(50):
        handler = ctx.socket("REP")
        handler.bind(ZAP_ENDPOINT)
        handler.close()
        try:
            Auth().destroy()
        except ZMQError:
            failures += 1
    assert failures == 0, "%d of 50 Auth() calls raised EADDRINUSE" % failures


# -- commands and arguments ------------------------------------------------------------


def test_commands_after_destroy_raise_closed_error(tmp_path):
    authenticator = Auth()
    authenticator.destroy()
    for command in (lambda: authenticator.allow("127.0.0.1"),
                    lambda: authenticator.deny("127.0.0.1"),
                    lambda: authenticator.configure_plain("*", str(tmp_path / "passwords")),
                    lambda: authenticator.configure_curve("*", "*"),
                    lambda: authenticator.configure_curve("*", str(tmp_path)),
                    lambda: authenticator.set_verbose(True),
                    lambda: zauth.deny(authenticator, "127.0.0.1")):
        with pytest.raises(ClosedError, match="destroyed"):
            command()


def test_an_auth_never_started_raises_closed_error():
    blank = Auth.__new__(Auth)
    with pytest.raises(ClosedError):
        blank.allow("127.0.0.1")
    blank.destroy()


@pytest.mark.parametrize("address, error", [
    ("127.0.0.1\0", ValueError), ("\0", ValueError), ("", ValueError), (b"", ValueError),
    (b"1.2\0.3", ValueError), ("\udc80", ValueError),
    (5, TypeError), (None, TypeError), (bytearray(b"127.0.0.1"), TypeError),
    (["127.0.0.1"], TypeError),
])
def test_bad_addresses_raise(auth, address, error):
    with pytest.raises(error):
        auth.allow(address)
    with pytest.raises(error):
        auth.deny("10.0.0.1", address)


def test_a_bad_address_among_good_ones_changes_nothing(ctx, auth):
    with pytest.raises(TypeError):
        auth.deny("127.0.0.1", 5)
    assert attempt(ctx, ALLOWED, ZAP) == PAYLOAD


@pytest.mark.parametrize("filename, error", [
    ("pass\0words", ValueError), (b"pass\0words", ValueError), ("", ValueError),
    (None, TypeError), (5, TypeError),
])
def test_bad_password_file_names_raise(auth, filename, error):
    with pytest.raises(error):
        auth.configure_plain("*", filename)


@pytest.mark.parametrize("location, error", [
    ("fol\0der", ValueError), ("", ValueError), (None, TypeError), (7, TypeError),
])
def test_bad_certificate_folders_raise(auth, location, error):
    with pytest.raises(error):
        auth.configure_curve("*", location)


@pytest.mark.parametrize("domain, error", [
    (None, TypeError), (5, TypeError), (["*"], TypeError), ("", ValueError),
    ("glo\0bal", ValueError),
])
def test_bad_domains_raise(tmp_path, auth, domain, error):
    with pytest.raises(error):
        auth.configure_plain(domain, str(tmp_path / "passwords"))
    with pytest.raises(error):
        auth.configure_curve(domain, "*")


def test_any_domain_text_is_accepted(tmp_path, auth):
    # CZMQ 4 applies every policy to all domains; the argument is only checked.
    auth.configure_plain("global", str(tmp_path / "passwords"))
    auth.configure_curve(b"other", "*")


def test_folder_with_two_files_of_one_public_key_raises(ctx, tmp_path, auth, server_cert,
                                                          client_cert):
    # CZMQ's certificate store would abort the process on such a folder.
    client_cert.save_public(str(tmp_path / "one.txt"))
    client_cert.save_public(str(tmp_path / "two.txt"))
    with pytest.raises(ValueError, match="same public key"):
        auth.configure_curve("*", str(tmp_path))
    # The refused folder was not handed to zauth: CURVE is still unconfigured.
    assert curve(ctx, REFUSED, server_cert, client_cert) is None


def test_folder_with_too_much_metadata_raises(tmp_path, auth, client_cert):
    client_cert.set_meta("note", "x" * 600)
    client_cert.save_public(str(tmp_path / "client.txt"))
    with pytest.raises(ValueError, match="metadata"):
        auth.configure_curve("*", str(tmp_path))


def test_folder_metadata_up_to_zauths_limit_is_accepted(ctx, tmp_path, auth, server_cert,
                                                          client_cert):
    # zauth copies a client's metadata into a 512-byte buffer: 1 + 4 + 4 + 503 fits.
    fits, too_big = tmp_path / "fits", tmp_path / "too-big"
    fits.mkdir()
    too_big.mkdir()
    client_cert.set_meta("note", "x" * 503)
    client_cert.save_public(str(fits / "client.txt"))
    auth.configure_curve("*", str(fits))
    assert curve(ctx, ALLOWED, server_cert, client_cert) == PAYLOAD
    heavier = client_cert.dup()
    heavier.set_meta("note", "x" * 504)
    heavier.save_public(str(too_big / "client.txt"))
    with pytest.raises(ValueError, match="513 bytes"):
        auth.configure_curve("*", str(too_big))
    assert curve(ctx, ALLOWED, server_cert, client_cert) == PAYLOAD    # still the first folder


def test_set_verbose_can_not_be_turned_off(auth):
    auth.set_verbose(False)         # already off: nothing to do
    auth.set_verbose(True)
    auth.set_verbose(True)
    with pytest.raises(ValueError, match="verbose"):
        auth.set_verbose(False)


def test_verbose_auth_logs_its_decisions_on_stdout():
    out = child_output("""
        ctx = pyczmq.Context()
        auth = Auth(ctx)
        auth.deny("127.0.0.1")
        print("quiet refused", refused(ctx), flush=True)
        auth.set_verbose(True)
        print("verbose on", flush=True)
        print("verbose refused", refused(ctx), flush=True)
        try:
            auth.set_verbose(False)
        except ValueError:
            print("can not turn it off", flush=True)
        auth.allow("127.0.0.1")
        print("verbose allowed", allowed(ctx), flush=True)
        auth.destroy()
    """)
    quiet, verbose = out.split("verbose on\n")
    assert quiet == "quiet refused True\n"
    assert "zauth: ZAP request mechanism=NULL ipaddress=127.0.0.1" in verbose
    assert "zauth: - denied (blocked list) address=127.0.0.1" in verbose
    assert "zauth: - ZAP reply status_code=400" in verbose
    assert "zauth: - allowlisting ipaddress=127.0.0.1" in verbose
    assert "zauth: - passed (allowed list) address=127.0.0.1" in verbose
    assert "zauth: - ZAP reply status_code=200" in verbose
    for line in ("verbose refused True", "can not turn it off", "verbose allowed True"):
        assert line + "\n" in verbose


# -- never abort -----------------------------------------------------------------------

PROBE_SETUP = """
import os, shutil, tempfile, pyczmq
from pyczmq import Auth, Cert, CertStore, zauth, zmq, zsocket
czmq = pyczmq.Context()
own = zmq.ctx_new()
folder = tempfile.mkdtemp()
def subfolder(name):
    path = os.path.join(folder, name)
    os.mkdir(path)
    return path
good = subfolder("good"); Cert().save_public(os.path.join(good, "client.txt"))
dup = subfolder("dup"); twin = Cert()
twin.save_public(os.path.join(dup, "one")); twin.save_public(os.path.join(dup, "two"))
big = subfolder("big"); heavy = Cert(); heavy.set_meta("note", "x" * 600)
heavy.save_public(os.path.join(big, "heavy"))
longname = subfolder("longname")
with open(os.path.join(longname, "cert"), "w") as handle:
    handle.write('metadata\\n    %s = "v"\\ncurve\\n    public-key = "%s"\\n'
                 % ("n" * 300, Cert().public_txt))
loop = subfolder("loop"); os.symlink(loop, os.path.join(loop, "again"))
dead = Auth(); dead.destroy()
auth = Auth()
"""

PROBE_TEARDOWN = """
auth.destroy()
czmq.destroy()
for sock in own.sockets:
    sock.close(linger=0)
zmq.ctx_term(own)
shutil.rmtree(folder)
"""

# group -> [(exception that must be raised, or None for "must not raise", code)]
PROBES = {
    "addresses": [
        ("TypeError", "auth.allow(5)"),
        ("TypeError", "auth.deny(None)"),
        ("TypeError", "auth.allow('10.0.0.1', 3)"),
        ("TypeError", "auth.deny(bytearray(b'1.2.3.4'))"),
        ("ValueError", "auth.allow('')"),
        ("ValueError", "auth.deny(b'')"),
        ("ValueError", "auth.allow('1.2.3.4\\0')"),
        ("ValueError", "auth.deny('\\0')"),
        ("UnicodeEncodeError", "auth.allow('\\udc80')"),
        ("TypeError", "zauth.allow(auth, 1.5)"),
        ("ValueError", "zauth.deny(auth, '')"),
        (None, "auth.allow()"),
        (None, "auth.deny()"),
        (None, "auth.deny('x' * 100000)"),
        (None, "auth.allow(b'\\xff\\xfe')"),
        (None, "auth.deny(*['10.0.%d.%d' % (i // 256, i % 256) for i in range(2000)])"),
        (None, "auth.allow('::1', '127.0.0.1', '%s')"),
    ],
    "password files": [
        ("ValueError", "auth.configure_plain('*', 'pass\\0words')"),
        ("ValueError", "auth.configure_plain('*', b'pass\\0words')"),
        ("ValueError", "auth.configure_plain('*', '')"),
        ("TypeError", "auth.configure_plain('*', None)"),
        ("TypeError", "auth.configure_plain('*', 5)"),
        ("ValueError", "zauth.configure_plain(auth, '*', '\\0')"),
        (None, "auth.configure_plain('*', os.path.join(folder, 'missing'))"),
        (None, "auth.configure_plain('*', folder)"),
        (None, "auth.configure_plain('*', 'x' * 5000)"),
        (None, "auth.configure_plain('*', b'/tmp/\\xff\\xfe')"),
        (None, "auth.configure_plain('*', '-')"),
        (None, "auth.configure_plain('*', '%s%n%s')"),      # CZMQ's API takes a format
        (None, "auth.configure_plain('*', os.path.join(good, 'client.txt'))"),
    ],
    "domains": [
        ("TypeError", "auth.configure_plain(None, 'passwords')"),
        ("TypeError", "auth.configure_plain(5, 'passwords')"),
        ("ValueError", "auth.configure_plain('', 'passwords')"),
        ("ValueError", "auth.configure_plain('a\\0b', 'passwords')"),
        ("TypeError", "auth.configure_curve(None, '*')"),
        ("TypeError", "auth.configure_curve(['*'], '*')"),
        ("ValueError", "auth.configure_curve('', '*')"),
        ("ValueError", "auth.configure_curve(b'a\\0', good)"),
        ("TypeError", "zauth.configure_curve(auth, None, '*')"),
        (None, "auth.configure_curve('global', '*')"),
        (None, "auth.configure_plain(b'*', 'passwords')"),
        (None, "auth.configure_plain('%s' * 20, 'passwords')"),
    ],
    "certificate folders": [
        ("ValueError", "auth.configure_curve('*', dup)"),
        ("ValueError", "auth.configure_curve('*', big)"),
        ("ValueError", "auth.configure_curve('*', longname)"),
        ("ValueError", "auth.configure_curve('*', loop)"),
        ("ValueError", "auth.configure_curve('*', folder)"),        # holds dup
        ("ValueError", "auth.configure_curve('*', 'a\\0b')"),
        ("ValueError", "auth.configure_curve('*', '')"),
        ("TypeError", "auth.configure_curve('*', None)"),
        ("TypeError", "auth.configure_curve('*', 7)"),
        ("ValueError", "zauth.configure_curve(auth, '*', dup)"),
        (None, "auth.configure_curve('*', good)"),
        (None, "auth.configure_curve('*', os.path.join(folder, 'missing'))"),
        (None, "auth.configure_curve('*', os.path.join(good, 'client.txt'))"),
        (None, "auth.configure_curve('*', b'*')"),
        (None, "auth.configure_curve('*', '%s%n%s')"),
        (None, "auth.configure_curve('*', zauth.CURVE_ALLOW_ANY)"),
        (None, "auth.configure_curve('*', good)"),
    ],
    "lifecycle": [
        ("pyczmq.ZMQError", "Auth()"),
        ("pyczmq.ZMQError", "Auth(czmq)"),
        ("pyczmq.ZMQError", "zauth.new()"),
        ("pyczmq.ZMQError", "auth.__init__()"),
        ("ValueError", "Auth(own)"),
        ("ValueError", "zauth.new(own)"),
        ("pyczmq.ClosedError", "c = pyczmq.Context(); c.destroy(); Auth(c)"),
        ("TypeError", "Auth('ctx')"),
        ("TypeError", "Auth(certstore='store')"),
        ("TypeError", "zauth.new(5)"),
        ("ValueError", "czmq.socket('DEALER').connect('inproc://zeromq.zap.01')"),
        ("ValueError", "czmq.socket('REQ').connect(b'inproc://zeromq.zap.01')"),
        ("ValueError", "zmq.connect(czmq.socket('PUSH'), 'inproc://zeromq.zap.01')"),
        (None, "try:\n    zsocket.connect(czmq.socket('PAIR'), 'inproc://zeromq.zap.01')\n"
               "except ValueError:\n    pass"),
        ("pyczmq.ZMQError", "czmq.socket('REP').bind('inproc://zeromq.zap.01')"),
        # each of these stops the running Auth first and starts a new one after
        ("pyczmq.ZMQError", """
auth.destroy()
handler = czmq.socket('REP'); handler.bind('inproc://zeromq.zap.01')
try:
    Auth()
finally:
    handler.unbind('inproc://zeromq.zap.01'); handler.close(); auth = Auth()"""),
        ("ValueError", """
auth.destroy()
try:
    Auth(certstore=CertStore(good))
finally:
    auth = Auth()"""),
        ("ValueError", """
auth.destroy()
store = CertStore(); store.insert(heavy.dup())
try:
    Auth(certstore=store)
finally:
    auth = Auth()"""),
        ("pyczmq.ClosedError", """
auth.destroy()
store = CertStore(); store.destroy()
try:
    Auth(certstore=store)
finally:
    auth = Auth()"""),
        ("pyczmq.ClosedError", """
auth.destroy()
store = CertStore(); Auth(certstore=store).destroy()
try:
    Auth(certstore=store)
finally:
    auth = Auth()"""),
        (None, "auth.destroy(); auth = Auth(czmq)"),
        (None, "auth.destroy(); auth = Auth(certstore=CertStore())"),
    ],
    "after destroy": [
        ("pyczmq.ClosedError", "dead.allow('127.0.0.1')"),
        ("pyczmq.ClosedError", "dead.deny('127.0.0.1')"),
        ("pyczmq.ClosedError", "dead.configure_plain('*', 'passwords')"),
        ("pyczmq.ClosedError", "dead.configure_curve('*', '*')"),
        ("pyczmq.ClosedError", "dead.configure_curve('*', good)"),
        ("pyczmq.ClosedError", "dead.set_verbose(True)"),
        ("pyczmq.ClosedError", "dead.__enter__()"),
        ("pyczmq.ClosedError", "zauth.allow(dead, '127.0.0.1')"),
        ("pyczmq.ClosedError", "zauth.configure_curve(dead, '*', '*')"),
        ("pyczmq.ClosedError", "Auth.__new__(Auth).deny('127.0.0.1')"),
        (None, "Auth.__new__(Auth).destroy()"),
        (None, "dead.destroy(); zauth.destroy(dead); dead.set_verbose(False)"),
        (None, "assert dead.destroyed and 'destroyed' in repr(dead)"),
        ("TypeError", "zauth.destroy(None)"),
        ("TypeError", "zauth.allow(None, '127.0.0.1')"),
        ("TypeError", "zauth.configure_plain('auth', '*', 'passwords')"),
        ("TypeError", "zauth.set_verbose(object())"),
    ],
    "verbose": [
        (None, "auth.set_verbose(False)"),
        (None, "auth.set_verbose(True)"),
        (None, "zauth.set_verbose(auth)"),
        ("ValueError", "auth.set_verbose(False)"),
        ("ValueError", "auth.set_verbose(0)"),
        ("ValueError", "zauth.set_verbose(auth, False)"),
        (None, "auth.allow('127.0.0.1'); auth.configure_curve('*', good)"),
    ],
}


@pytest.mark.parametrize("group", sorted(PROBES))
def test_bad_input_raises_and_never_aborts(group):
    """Each probe raises its exception (or none) and the child exits cleanly."""
    result = run_probes(PROBE_SETUP, PROBES[group], PROBE_TEARDOWN)
    assert_clean_run(result)
    # A verbose zauth logs its commands on stdout ("I: ... zauth: ...").
    lines = [line for line in result.stdout.splitlines() if " zauth: " not in line]
    assert lines == ["survived"]


# -- the process: exit, signals, fork, threads ---------------------------------------------


def test_auth_left_running_at_exit_exits_quietly():
    result = run_python(CHILD_PROLOGUE + """
ctx = pyczmq.Context()
auth = Auth(ctx)
auth.deny("127.0.0.1")
assert refused(ctx)
server = ctx.socket("PULL"); server.zap_domain = "global"
port = server.bind("tcp://127.0.0.1:*")
client = ctx.socket("PUSH"); client.connect("tcp://127.0.0.1:%d" % port)
client.send(b"queued for a refused connection")
""")
    assert_clean_run(result)
    assert result.stdout == ""


def test_auth_without_context_left_running_at_exit_exits_quietly():
    result = run_python("""
import pyczmq
auth = pyczmq.Auth(certstore=pyczmq.CertStore())
auth.configure_curve("*", "*")
""")
    assert_clean_run(result)
    assert result.stdout == ""


INTERRUPT_CHILD = CHILD_PROLOGUE + """
ctx = pyczmq.Context()
auth = Auth(ctx)
auth.deny("127.0.0.1")
idle = ctx.socket("PULL"); idle.bind("inproc://idle")
mode = sys.argv[1]
print("ready", flush=True)
try:
    if mode == "sleep":
        time.sleep(30)
    elif mode == "recv":
        idle.recv_bytes()
    else:
        count = 0
        while True:
            auth.deny("10.0.%d.%d" % (count // 250 % 250, count % 250))
            count += 1
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted")
print("denied still refused:", refused(ctx))
auth.allow("127.0.0.1")
print("allowed gets in:", allowed(ctx))
auth.destroy()
"""


@pytest.mark.parametrize("mode", ["sleep", "recv", "commands"])
def test_ctrl_c_does_not_stop_the_auth(mode):
    # Ctrl-C while the main thread sleeps, waits in a recv, or sends Auth
    # commands: the KeyboardInterrupt comes, and zauth's thread keeps working.
    returncode, out, err = signal_child(INTERRUPT_CHILD, signal.SIGINT, mode, settle=0.3)
    assert (returncode, err) == (0, "")
    assert out == "interrupted\ndenied still refused: True\nallowed gets in: True\n"


def test_forked_child_runs_its_own_auth_and_leaves_the_parents_alone():
    out = child_output("""
        ctx = pyczmq.Context()
        auth = Auth(ctx)
        auth.deny("127.0.0.1")
        print("parent refused before:", refused(ctx), flush=True)
        pid = os.fork()
        if pid == 0:
            try:
                try:
                    auth.allow("127.0.0.1")
                except pyczmq.ClosedError:
                    print("child: the parent's Auth raises ClosedError", flush=True)
                mine = pyczmq.Context()
                own_auth = Auth(mine)
                print("child allowed by its own Auth:", allowed(mine), flush=True)
                own_auth.deny("127.0.0.1")
                print("child refused by its own Auth:", refused(mine), flush=True)
                try:
                    Auth()
                except pyczmq.ZMQError:
                    print("child: one Auth per process", flush=True)
            except BaseException as error:
                print("child failed:", repr(error), flush=True)
                os._exit(1)
            sys.exit(0)             # its Auth still runs: the exit hook stops it
        _, status = os.waitpid(pid, 0)
        print("child exit status:", status)
        print("parent refused after:", refused(ctx))
        auth.allow("127.0.0.1")
        print("parent allowed after:", allowed(ctx))
        auth.destroy()
    """)
    assert out == ("parent refused before: True\n"
                   "child: the parent's Auth raises ClosedError\n"
                   "child allowed by its own Auth: True\n"
                   "child refused by its own Auth: True\n"
                   "child: one Auth per process\n"
                   "child exit status: 0\n"
                   "parent refused after: True\n"
                   "parent allowed after: True\n")


def test_forked_child_can_drop_an_auth_another_thread_was_using():
    out = child_output("""
        auth = Auth()
        running = True
        busy = threading.Event()

        def keep_going():
            while running:
                auth.deny("10.9.9.9")
                busy.set()

        thread = threading.Thread(target=keep_going, daemon=True)
        thread.start()
        assert busy.wait(10)                    # the other thread is using the Auth
        children = []
        for _ in range(3):
            pid = os.fork()
            if pid == 0:
                try:
                    auth.allow("127.0.0.1")
                except pyczmq.ClosedError:
                    pass
                auth.destroy()
                os._exit(0)
            children.append(pid)
            time.sleep(0.01)
        deadline = time.monotonic() + 3
        hung = 0
        for pid in children:
            while os.waitpid(pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > deadline:
                    hung += 1
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    break
                time.sleep(0.01)
        running = False
        thread.join(10)
        auth.destroy()
        print("children hung:", hung)
    """)
    assert out == "children hung: 0\n"


def test_commands_from_two_threads_at_once():
    out = child_output("""
        ctx = pyczmq.Context()
        auth = Auth(ctx)
        errors = []

        def hammer(first):
            try:
                for count in range(200):
                    address = "10.%d.%d.%d" % (first, count // 250, count % 250)
                    auth.allow(address) if count % 2 else auth.deny(address)
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=hammer, args=(first,), daemon=True)
                   for first in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        print("ended:", not any(thread.is_alive() for thread in threads), errors)
        # Every command was applied: the allow list (no 127.0.0.1) shuts it out.
        print("refused:", refused(ctx))
        auth.allow("127.0.0.1")
        print("allowed:", allowed(ctx))

        # destroy() from one thread while another sends commands
        outcome = []

        busy = threading.Event()

        def keep_going():
            try:
                while True:
                    auth.deny("10.9.9.9")
                    busy.set()
            except pyczmq.ClosedError:
                outcome.append("ClosedError")

        thread = threading.Thread(target=keep_going, daemon=True)
        thread.start()
        assert busy.wait(10)                    # destroyed while the thread uses it
        auth.destroy()
        thread.join(30)
        print("destroyed under load:", outcome)
    """, timeout=90)
    assert out == ("ended: True []\nrefused: True\nallowed: True\n"
                   "destroyed under load: ['ClosedError']\n")


def test_starting_and_destroying_many_auths_does_not_leak():
    # tests/test_leaks.py's pattern: warm up, then three batches; a leak grows
    # every batch, noise only some.
    out = child_output("""
        import gc
        from pyczmq import Cert, CertStore

        def rss():
            gc.collect()
            time.sleep(0.3)     # libzmq's reaper thread frees closed sockets asynchronously
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

        def fds():
            return len(os.listdir("/proc/self/fd"))

        ctx = pyczmq.Context()
        client = Cert()

        def run(times):
            for count in range(times):
                store = CertStore()
                store.insert(Cert.new_from(client.public_key))
                auth = Auth(ctx, certstore=store) if count % 2 else Auth()
                auth.allow("10.0.0.1")
                auth.deny("10.0.0.2")
                auth.configure_plain("*", "/nonexistent/passwords")
                auth.configure_curve("*", "*")
                auth.destroy()

        run(1000)                                   # warm up
        memory, files = [], []
        for batch in range(3):
            before, opened = rss(), fds()
            run(1000)
            memory.append(rss() - before)
            files.append(fds() - opened)
        print(memory, files)
        assert min(memory) < 250_000, "grew by %s bytes in batches of 1000" % memory
        assert min(files) <= 0, "file descriptors grew by %s in batches of 1000" % files
    """, timeout=120)
    assert out.startswith("[")


# -- pyczmq 0.1's functional module --------------------------------------------------------


def test_zauth_module_exports():
    assert sorted(zauth.__all__) == sorted([
        "new", "destroy", "allow", "deny", "configure_plain", "configure_curve",
        "set_verbose", "test", "CURVE_ALLOW_ANY"])
    assert zauth.CURVE_ALLOW_ANY == "*"


def test_zauth_functions(ctx, tmp_path, capfd, server_cert, client_cert):
    authenticator = zauth.new()
    try:
        assert isinstance(authenticator, Auth)
        zauth.deny(authenticator, "127.0.0.1")
        assert attempt(ctx, REFUSED, ZAP) is None
        zauth.allow(authenticator, "127.0.0.1")
        assert attempt(ctx, ALLOWED, ZAP) == PAYLOAD

        path = tmp_path / "passwords"
        write_file(path, "admin=secret\n", age=20)
        zauth.configure_plain(authenticator, "*", str(path))
        assert plain(ctx, ALLOWED, "admin", "secret") == PAYLOAD

        zauth.configure_curve(authenticator, "*", zauth.CURVE_ALLOW_ANY)
        assert curve(ctx, ALLOWED, server_cert, client_cert) == PAYLOAD

        capfd.readouterr()
        zauth.set_verbose(authenticator, True)
        assert attempt(ctx, ALLOWED, ZAP) == PAYLOAD
    finally:
        zauth.destroy(authenticator)
    assert authenticator.destroyed
    assert "zauth: ZAP request mechanism=NULL ipaddress=127.0.0.1" in capfd.readouterr().out

    with pyczmq.Context() as scope:
        scoped = zauth.new(scope)
    assert scoped.destroyed


def test_zauth_new_refuses_a_second_authenticator(auth):
    with pytest.raises(ZMQError) as info:
        zauth.new()
    assert info.value.errno == errno.EBUSY


def test_zauth_selftest_passes():
    # CZMQ's own zauth_test, in a child interpreter (it takes several seconds).
    assert zauth.test() == 0
