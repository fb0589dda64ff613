"""Hosts simulated with Linux network namespaces, for the beacon tests.

A Network is a bridge in a namespace of its own; each Host is a namespace
joined to one or more bridges by veth pairs, with a 10.x address on each.
Every interface is created inside the namespaces (never in the test
machine's own), and deleting the namespaces removes them all.  Programs run
in a host with ``ip netns exec``.

Creating namespaces needs root and iproute2; without them the tests skip
with the reason, except under CI (CI=true or PYCZMQ_REQUIRE_NETNS=1), where
they fail: CI must run them.
"""

import os
import re
import subprocess
import sys
import textwrap

import pytest

PREFIX = "pyczmq-"


def required():
    """True where beacon tests must run rather than skip (CI)."""
    return os.environ.get("CI") == "true" or os.environ.get("PYCZMQ_REQUIRE_NETNS") == "1"


def unavailable(reason):
    """Skip, or fail under CI, because network namespaces can not be made."""
    message = "network namespaces unavailable: %s" % reason
    if required():
        pytest.fail(message + " (CI must run the beacon tests)", pytrace=False)
    pytest.skip(message)


def ip(*args, check=True):
    """Run ``ip ARGS``; raises RuntimeError with its output on failure."""
    result = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)
    if check and result.returncode != 0:
        raise RuntimeError("ip %s: %s" % (" ".join(args), (result.stderr or result.stdout).strip()))
    return result


def remove_stale():
    """Delete namespaces left by test runs whose process is gone."""
    result = ip("netns", "list", check=False)
    for line in result.stdout.splitlines():
        name = line.split()[0] if line.strip() else ""
        match = re.match(re.escape(PREFIX) + r"(\d+)-", name)
        if match and not os.path.exists("/proc/%s" % match.group(1)):
            ip("netns", "del", name, check=False)


class Network:
    """A bridge (in its own namespace) that hosts attach to: one subnet."""

    def __init__(self, lab, number):
        self.lab = lab
        self.number = number
        self.namespace = lab.name("net%d" % number)
        self.subnet = "10.%d.%d" % (77, number)
        ip("netns", "add", self.namespace)
        self.lab.namespaces.append(self.namespace)
        ip("-n", self.namespace, "link", "add", "br0", "type", "bridge")
        ip("-n", self.namespace, "link", "set", "br0", "up")


class Host:
    """A namespace with an interface on each of its networks."""

    def __init__(self, lab, number, networks):
        self.lab = lab
        self.namespace = lab.name("host%d" % number)
        self.addresses = []
        self.interfaces = []
        ip("netns", "add", self.namespace)
        self.lab.namespaces.append(self.namespace)
        ip("-n", self.namespace, "link", "set", "lo", "up")
        for index, network in enumerate(networks):
            interface = "eth%d" % index
            port = "h%dn%d" % (number, network.number)
            ip("link", "add", interface, "netns", self.namespace, "type", "veth",
               "peer", "name", port, "netns", network.namespace)
            ip("-n", network.namespace, "link", "set", port, "master", "br0")
            ip("-n", network.namespace, "link", "set", port, "up")
            address = "%s.%d" % (network.subnet, number)
            ip("-n", self.namespace, "addr", "add", address + "/24", "brd", "+",
               "dev", interface)
            ip("-n", self.namespace, "link", "set", interface, "up")
            self.addresses.append(address)
            self.interfaces.append(interface)

    @property
    def address(self):
        """The address on its first network."""
        return self.addresses[0]

    def command(self, code):
        """The argv that runs Python `code` in this host."""
        return ["ip", "netns", "exec", self.namespace, sys.executable, "-c",
                textwrap.dedent(code)]

    def environment(self, env=None):
        package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        environment["PYTHONPATH"] = os.pathsep.join(
            [package_parent] + ([environment["PYTHONPATH"]] if "PYTHONPATH" in environment else []))
        environment.update(env or {})
        return environment

    def run(self, code, timeout=60, env=None):
        """Run `code` here to the end; the CompletedProcess (text)."""
        return subprocess.run(self.command(code), capture_output=True, text=True,
                              timeout=timeout, env=self.environment(env))

    def start(self, code, env=None, stdin=None):
        """Start `code` here; the Popen (text pipes; stdin=subprocess.PIPE to
        talk to it)."""
        return subprocess.Popen(self.command(code), stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.environment(env))

    def route(self, *args):
        """Add a route here (``ip route add ARGS``)."""
        ip("-n", self.namespace, "route", "add", *args)

    def __repr__(self):
        return "<Host %s %s>" % (self.namespace, ", ".join(self.addresses))


class Lab:
    """Networks and hosts, all removed by close()."""

    def __init__(self, tag):
        self.tag = "%s%d-%s-" % (PREFIX, os.getpid(), tag)
        self.namespaces = []
        self.networks = []
        self.hosts = []

    def name(self, suffix):
        return self.tag + suffix

    def network(self):
        network = Network(self, len(self.networks) + 1)
        self.networks.append(network)
        return network

    def host(self, *networks):
        """A new host on `networks` (default: the first network), or on none
        (only loopback) with host(None)."""
        if networks == (None,):
            networks = ()
        elif not networks:
            networks = (self.networks[0] if self.networks else self.network(),)
        host = Host(self, len(self.hosts) + 1, networks)
        self.hosts.append(host)
        return host

    def close(self):
        for namespace in reversed(self.namespaces):
            ip("netns", "del", namespace, check=False)
        self.namespaces = []


def make_lab(tag):
    """A Lab, or skip/fail with the reason namespaces can not be made here."""
    if not sys.platform.startswith("linux"):
        unavailable("not Linux")
    if os.geteuid() != 0:
        unavailable("creating them needs root")
    try:
        remove_stale()
        lab = Lab(tag)
        probe = lab.name("probe")
        ip("netns", "add", probe)
        lab.namespaces.append(probe)
    except FileNotFoundError:
        unavailable("iproute2's ip command is missing")
    except (RuntimeError, subprocess.SubprocessError) as error:
        unavailable(str(error))
    return lab
