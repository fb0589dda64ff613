"""Packaging facts that need no wheel: the version is written once, the
license ships, setup.py refuses other systems with a clear line, and an sdist
builds where neither CZMQ nor pkg-config is reachable."""

import importlib.metadata
import os
import re
import subprocess
import sys
import tarfile

import pytest

import pyczmq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(*path):
    with open(os.path.join(ROOT, *path)) as source:
        return source.read()


def test_the_version_is_written_once_and_every_reader_agrees():
    written = re.findall(r'^__version__ = "([^"]+)"$', read("pyczmq", "_version.py"), re.M)
    assert len(written) == 1
    assert pyczmq.__version__ == written[0]
    assert importlib.metadata.version("pyczmq") == written[0]     # the installed metadata
    pyproject = read("pyproject.toml")
    assert re.search(r'^dynamic = \["version"\]$', pyproject, re.M)
    assert 'version = {attr = "pyczmq._version.__version__"}' in pyproject
    for path in ("pyproject.toml", "setup.py", os.path.join("pyczmq", "__init__.py")):
        assert written[0] not in read(path), path


def test_the_license_is_the_full_mpl_2_0_and_declared():
    text = read("LICENSE")
    assert text.startswith("Mozilla Public License Version 2.0\n")
    assert "Exhibit B - \"Incompatible With Secondary Licenses\" Notice" in text
    assert len(text.splitlines()) == 373
    metadata = importlib.metadata.metadata("pyczmq")
    assert metadata["License-Expression"] == "MPL-2.0"
    assert "Operating System :: POSIX :: Linux" in metadata.get_all("Classifier")


@pytest.mark.parametrize("platform", ["darwin", "freebsd14"])
def test_setup_refuses_other_systems_with_one_clear_line(platform, tmp_path):
    # setup.py's build_ext as it runs on `platform` (set once setuptools has
    # read this machine's configuration): it stops before asking pkg-config or
    # compiling anything, naming the Linux-only calls.
    code = ("import sys, setuptools.command.build_ext, sysconfig; sysconfig.get_config_vars();"
            " sys.argv = ['setup.py', '-q', 'build_ext', '--build-temp', %r,"
            " '--build-lib', %r]; sys.platform = %r; exec(compile(open('setup.py').read(),"
            " 'setup.py', 'exec'))" % (str(tmp_path / "temp"), str(tmp_path / "lib"), platform))
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1, result
    assert ("pyczmq: pyczmq builds on Linux only (%s found): it uses the Linux-only "
            "SO_DOMAIN (types/options.pxi) and pipe2 (types/wait.pxi)\n" % platform) in result.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.timeout(600)
def test_an_sdist_builds_without_czmq_or_pkg_config(tmp_path):
    # A pkg-config that fails and records that it was asked: the sdist must
    # not ask it (nor cythonize, which would come after).
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pkg-config").write_text("#!/bin/sh\ntouch %s\nexit 1\n" % (tmp_path / "asked"))
    (fake / "pkg-config").chmod(0o755)
    env = dict(os.environ, PATH=str(fake) + os.pathsep + os.environ["PATH"])
    result = subprocess.run([sys.executable, "-m", "build", "--sdist", "--outdir",
                             str(tmp_path / "dist"), ROOT], capture_output=True, text=True,
                            timeout=600, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert not (tmp_path / "asked").exists()
    (sdist,) = os.listdir(tmp_path / "dist")
    assert sdist == "pyczmq-%s.tar.gz" % pyczmq.__version__
    with tarfile.open(tmp_path / "dist" / sdist) as archive:
        names = archive.getnames()
    assert "pyczmq-%s/LICENSE" % pyczmq.__version__ in names
    assert "pyczmq-%s/pyczmq/_core.pyx" % pyczmq.__version__ in names
