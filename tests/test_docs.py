"""The documentation site (docs/): it builds with Sphinx with warnings as
errors and every cross-reference resolved, every code example in it runs, and
every public name of the package has a docstring."""

import importlib
import inspect
import os
import pathlib
import re
import subprocess
import sys
import types

import pytest

from conftest import assert_clean_run, run_python

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.rst"))

# ``.. code-block:: python`` and its indented body, up to the next line that is
# neither blank nor indented.
CODE_BLOCK = re.compile(r"^\.\. code-block:: python\n((?:[ \t]*\n|[ \t]+\S[^\n]*\n)*)", re.M)


def examples():
    found = []
    for page in PAGES:
        for number, match in enumerate(CODE_BLOCK.finditer(page.read_text())):
            body = match.group(1)
            code = "\n".join(line[4:] if line.startswith("    ") else line
                             for line in body.split("\n"))
            # the block's options (":caption: ...") come before its first blank line
            code = re.sub(r"\A(?:[ \t]*:[\w-]+:.*\n)*", "", code.lstrip("\n"))
            found.append(pytest.param(code, id="%s-%d" % (page.relative_to(DOCS), number)))
    return found


EXAMPLES = examples()


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    """One build of the site for the module: sphinx-build -W -n, in a temporary folder."""
    out = tmp_path_factory.mktemp("docs")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going", "-q", "-b", "html",
         "-d", str(out / "doctrees"), str(DOCS), str(out / "html")],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    return result, out / "html"


@pytest.mark.timeout(600)
def test_the_docs_build_without_a_warning(built_site):
    result, html = built_site
    assert result.returncode == 0, "sphinx-build failed:\n%s\n%s" % (result.stdout, result.stderr)
    assert result.stderr == "", result.stderr


TYPE_PAGES = {
    "api/context": ["pyczmq.Context.socket", "pyczmq.Context.destroy"],
    "api/socket": ["pyczmq.Socket.send", "pyczmq.Socket.recv_bytes", "pyczmq.Socket.rcvtimeo"],
    "api/frame": ["pyczmq.Frame.more"],
    "api/message": ["pyczmq.Message.append", "pyczmq.Message.pop"],
    "api/poller": ["pyczmq.Poller.wait"],
    "api/loop": ["pyczmq.Loop.reader", "pyczmq.Loop.start"],
    "api/beacon": ["pyczmq.Beacon.publish", "pyczmq.Beacon.recv"],
    "api/auth": ["pyczmq.Auth.configure_curve"],
    "api/cert": ["pyczmq.Cert.apply", "pyczmq.Cert.new_from"],
    "api/certstore": ["pyczmq.CertStore.lookup"],
    "api/tracker": ["pyczmq.Tracker.wait"],
    "api/msg": ["pyczmq.zmq.Msg"],
    "api/errors": ["pyczmq.ZMQError", "pyczmq.ClosedError"],
    "api/asyncio": ["pyczmq.asyncio.Socket.recv", "pyczmq.asyncio.Poller"],
    "functional": ["pyczmq.zsocket.bind", "pyczmq.zframe.new", "pyczmq.zauth.configure_curve"],
    "zmq": ["pyczmq.zmq.proxy", "pyczmq.zmq.socket_monitor"],
}


@pytest.mark.parametrize("page", sorted(TYPE_PAGES))
def test_each_page_documents_its_type_from_the_docstrings(built_site, page):
    result, html = built_site
    assert result.returncode == 0, result.stderr
    text = (html / (page + ".html")).read_text()
    for anchor in TYPE_PAGES[page]:
        assert 'id="%s"' % anchor in text, "%s: no entry for %s" % (page, anchor)


def test_the_performance_page_shows_the_plot_of_the_committed_run(built_site):
    result, html = built_site
    assert result.returncode == 0, result.stderr
    page = (html / "performance.html").read_text()
    image = re.search(r'<img alt="[^"]*" src="(_images/[^"]+\.png)"', page)
    assert image, "no figure on the performance page"
    data = (html / image.group(1)).read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10000


def test_the_docs_have_examples_on_every_type_page():
    pages = {str(param.id).rsplit("-", 1)[0] for param in EXAMPLES}
    for page in TYPE_PAGES:
        assert page + ".rst" in pages, "%s.rst has no runnable example" % page


def test_no_example_escapes_the_runner():
    """Every example is a ``.. code-block:: python`` (run below): no doctest
    (``>>>``) blocks in the pages or the docstrings, which would go unchecked."""
    for page in PAGES:
        assert ">>>" not in page.read_text(), page
    for name in PUBLIC_MODULES:
        for _, obj in documented_objects(name):
            assert ">>>" not in (inspect.getdoc(obj) or ""), obj


@pytest.mark.parametrize("code", EXAMPLES)
def test_docs_example_runs(code, request):
    if "Beacon(" in code:
        # beacons broadcast: run inside a network namespace of the test's own
        lab = request.getfixturevalue("lab")
        host = lab.host(lab.network())
        result = host.run(code, timeout=60)
    else:
        result = run_python(code, timeout=60)
    assert_clean_run(result)


# -- every public name has a docstring -------------------------------------------------------

PUBLIC_MODULES = ["pyczmq", "pyczmq.types", "pyczmq.asyncio", "pyczmq.zmq", "pyczmq.zctx",
                  "pyczmq.zsocket", "pyczmq.zsockopt", "pyczmq.zstr", "pyczmq.zframe",
                  "pyczmq.zmsg", "pyczmq.zloop", "pyczmq.zpoller", "pyczmq.zbeacon", "pyczmq.zcert",
                  "pyczmq.zcertstore", "pyczmq.zauth", "pyczmq.perf"]

# Cython's embedsignature puts "name(args)" first in every docstring: a
# method without a docstring of its own has only that line.
SIGNATURE = re.compile(r"\A[\w.]+\(.*\)(?:\s*->\s*[^\n]*)?\n?")


def own_doc(obj):
    doc = getattr(obj, "__doc__", None)
    if not isinstance(doc, str):
        return ""
    return SIGNATURE.sub("", doc.strip(), count=1).strip()


def public_names(module):
    names = getattr(module, "__all__", None)
    if names is None:
        names = [name for name in dir(module) if not name.startswith("_")]
    return names


def documented_objects(module_name):
    """(qualified name, object) for the module, its public functions and
    classes, and each public method and property of those classes."""
    module = importlib.import_module(module_name)
    yield module_name, module
    for name in public_names(module):
        obj = getattr(module, name)
        if isinstance(obj, types.ModuleType):
            continue
        if inspect.isclass(obj):
            yield "%s.%s" % (module_name, name), obj
            for cls in obj.__mro__:
                if cls is object or not cls.__module__.startswith("pyczmq"):
                    continue
                for attribute, value in vars(cls).items():
                    if attribute.startswith("_"):
                        continue
                    if callable(value) or isinstance(value, (property, classmethod, staticmethod)) \
                            or inspect.isdatadescriptor(value) or inspect.ismethoddescriptor(value):
                        yield "%s.%s.%s" % (module_name, name, attribute), value
        elif callable(obj):
            yield "%s.%s" % (module_name, name), obj


def test_every_public_name_has_a_docstring():
    missing = sorted({qualified for module in PUBLIC_MODULES
                      for qualified, obj in documented_objects(module) if not own_doc(obj)})
    assert missing == [], "%d public names without a docstring:\n  %s" % (
        len(missing), "\n  ".join(missing))


def test_the_docstring_check_sees_a_name_without_one():
    """The check above finds a method that has only Cython's embedded signature."""
    import pyczmq

    def undocumented():
        pass

    assert own_doc(undocumented) == ""
    assert own_doc(type("T", (), {"__doc__": "Socket.close(self)"})) == ""
    assert own_doc(pyczmq.Socket.close) != ""
    names = dict(documented_objects("pyczmq"))
    assert "pyczmq.Socket.recv_bytes" in names and "pyczmq.Socket.linger" in names
