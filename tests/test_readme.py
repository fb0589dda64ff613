"""The README's Python examples run as written."""

import pathlib
import re

import pytest

from conftest import assert_clean_run, run_python

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_readme_example_runs(number):
    assert_clean_run(run_python(EXAMPLES[number]))


NETNS_EXAMPLES = dict(re.findall(r"```python (\w+)\n(.*?)```", README.read_text(), re.S))


def test_the_discovery_example_runs_between_two_hosts(lab):
    # Beacons broadcast: the README's service and client run on two hosts
    # simulated with network namespaces, never on this machine's network.
    assert set(NETNS_EXAMPLES) == {"service", "client"}
    network = lab.network()
    service_host, client_host = lab.host(network), lab.host(network)
    service = service_host.start(NETNS_EXAMPLES["service"])
    try:
        client = client_host.run(NETNS_EXAMPLES["client"], timeout=30)
        service_out, service_err = service.communicate(timeout=30)
    finally:
        if service.poll() is None:
            service.kill()
            service.communicate()
    assert_clean_run(client)
    assert client.stdout == "hello from %s\n" % service_host.address
    assert (service.returncode, service_out, service_err) == (0, "", "")
