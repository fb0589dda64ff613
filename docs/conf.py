"""Sphinx configuration of pyczmq's documentation site.

Build it from the source tree after an in-place build of the extensions
(``python setup.py build_ext -i``, which ``bash scripts/test.sh`` does):

    sphinx-build -W -n docs docs/_build/html

The pages document the compiled modules with autodoc, so the pyczmq that
``import pyczmq`` finds is the one documented.  The performance page's figure
is drawn here, at build time, from the committed run ``docs/perf/run.json``
with ``pyczmq.perf``'s own plot (no benchmark runs during the build).
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))        # the source tree, built in place
# Sphinx 9 documents a compiled module from its .pyi stub when there is one;
# the stubs carry types, not the docstrings these pages are made of.
os.environ["SPHINX_AUTODOC_IGNORE_NATIVE_MODULE_TYPE_STUBS"] = "1"

import pyczmq  # noqa: E402

project = "pyczmq"
author = "the pyczmq authors"
copyright = "2013-2026, the pyczmq authors"
release = pyczmq.__version__
version = ".".join(release.split(".")[:2])

extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx"]
html_theme = "furo"
html_title = "pyczmq %s" % release
exclude_patterns = ["_build"]
templates_path = []
html_static_path = []

# Python's own objects (OSError, memoryview, asyncio...) resolve without the
# network: no intersphinx inventory is fetched, those references are plain.
intersphinx_mapping = {}
nitpick_ignore_regex = [
    # builtins and the standard library named in signatures and docstrings
    ("py:class", r"(int|str|bytes|bytearray|float|bool|object|list|dict|tuple|None|"
                 r"memoryview|callable|optional|iterable|buffer|OSError|ValueError|"
                 r"TypeError|BaseException|Exception|asyncio\..*|socket\..*|os\..*)"),
    ("py:exc", r"(OSError|ValueError|TypeError|KeyboardInterrupt|BufferError|RuntimeError)"),
]

autodoc_default_options = {
    "members": True,
    "member-order": "bysource",
}
autodoc_docstring_signature = True
autoclass_content = "class"
add_module_names = False
default_role = "literal"


def draw_performance_figure(app):
    """The performance page's plot, drawn by ``pyczmq.perf`` from a committed run."""
    from pyczmq.perf import cli
    with open(os.path.join(HERE, "perf", "run.json")) as handle:
        run = json.load(handle)
    contestants = [name for name in cli.CONTESTANTS
                   if any(name in row["results"] for row in run["rows"])]
    target = os.path.join(HERE, "perf", "_generated")
    os.makedirs(target, exist_ok=True)
    cli.plot(run["rows"], contestants, run.get("missing", {}),
             os.path.join(target, "throughput.png"), run.get("unsupported", {}))


def drop_self(app, what, name, obj, options, signature, return_annotation):
    """Cython's embedded signatures name `self`; Python's documentation does not."""
    if signature and what in ("method", "class", "exception"):
        signature = re.sub(r"^\(self(?:, |\))", "(", signature)
        signature = "()" if signature == "(" else signature
    return signature, return_annotation


def setup(app):
    app.connect("builder-inited", draw_performance_figure)
    app.connect("autodoc-process-signature", drop_self)
