"""Build pyczmq: find CZMQ and libzmq, then compile the Cython modules.

CZMQ and libzmq are found with pkg-config (``libczmq``, ``libzmq``).  For an
installation pkg-config does not know, set ``PYCZMQ_PREFIX`` to its prefix
(headers in ``$PYCZMQ_PREFIX/include``, libraries in ``$PYCZMQ_PREFIX/lib``).
Set ``PYCZMQ_DEBUG=1`` for a build with C asserts, line tracing and annotation.

CZMQ is looked for, and the modules cythonized, only when extensions are built
(``build_ext``, which ``pip install`` and ``bdist_wheel`` run): ``python -m build
--sdist`` works on a machine without CZMQ, pkg-config or a C compiler.
"""

import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext as _build_ext

MIN_CZMQ = (4, 2)
MIN_LIBZMQ = (4, 3)
INSTALL_HINT = ("install it with `apt-get install libczmq-dev pkg-config` (Debian/Ubuntu), "
                "`brew install czmq` or `conda install -c conda-forge czmq`, "
                "or set PYCZMQ_PREFIX to where it is installed")

# The Cython modules: one compilation unit for the extension types, and the
# functional modules of pyczmq 0.1 as thin layers over it.
MODULES = ["_core", "zctx", "zsocket", "zsockopt", "zstr", "zframe", "zmsg", "zmq", "zloop",
           "zpoller", "zcert", "zcertstore", "zauth", "zbeacon"]


# What pyczmq needs of the operating system beyond POSIX: the checks that keep
# libzmq from aborting read a socket's family with SO_DOMAIN
# (types/options.pxi), and the wake pipes are made with pipe2 (types/wait.pxi).
LINUX_ONLY = "SO_DOMAIN (types/options.pxi) and pipe2 (types/wait.pxi)"


def fail(message):
    sys.stderr.write("pyczmq: %s\n" % message)
    raise SystemExit(1)


def version_tuple(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def header_version(path, prefix):
    """Read MAJOR.MINOR.PATCH from #defines like CZMQ_VERSION_MAJOR in a header."""
    with open(path) as header:
        text = header.read()
    parts = []
    for part in ("MAJOR", "MINOR", "PATCH"):
        match = re.search(r"#define\s+%s_VERSION_%s\s+(\d+)" % (prefix, part), text)
        if not match:
            fail("cannot read the %s version from %s" % (prefix, path))
        parts.append(int(match.group(1)))
    return tuple(parts)


def pkg_config(package):
    """Return (version, include_dirs, library_dirs, libraries) for a package."""
    if shutil.which("pkg-config") is None:
        fail("pkg-config is missing, so CZMQ cannot be found: " + INSTALL_HINT)
    try:
        version = subprocess.run(["pkg-config", "--modversion", package], check=True,
                                 capture_output=True, text=True).stdout.strip()
        cflags = subprocess.run(["pkg-config", "--cflags-only-I", package], check=True,
                                capture_output=True, text=True).stdout.split()
        libs = subprocess.run(["pkg-config", "--libs", package], check=True,
                              capture_output=True, text=True).stdout.split()
    except subprocess.CalledProcessError:
        fail("%s not found by pkg-config: %s" % (package, INSTALL_HINT))
    return (version_tuple(version),
            [flag[2:] for flag in cflags if flag.startswith("-I")],
            [flag[2:] for flag in libs if flag.startswith("-L")],
            [flag[2:] for flag in libs if flag.startswith("-l")])


def find_libraries():
    prefix = os.environ.get("PYCZMQ_PREFIX")
    if prefix:
        include = os.path.join(prefix, "include")
        for header in ("czmq.h", "zmq.h"):
            if not os.path.exists(os.path.join(include, header)):
                fail("PYCZMQ_PREFIX=%s has no include/%s: %s" % (prefix, header, INSTALL_HINT))
        czmq_version = header_version(os.path.join(include, "czmq_library.h"), "CZMQ")
        zmq_version = header_version(os.path.join(include, "zmq.h"), "ZMQ")
        libdir = os.path.join(prefix, "lib")
        include_dirs, library_dirs = [include], [libdir]
        runtime_dirs = [libdir]
    else:
        czmq_version, czmq_inc, czmq_libdirs, _ = pkg_config("libczmq")
        zmq_version, zmq_inc, zmq_libdirs, _ = pkg_config("libzmq")
        include_dirs = list(dict.fromkeys(czmq_inc + zmq_inc))
        library_dirs = list(dict.fromkeys(czmq_libdirs + zmq_libdirs))
        runtime_dirs = [d for d in library_dirs if not d.startswith("/usr/lib")]
    if czmq_version[:2] < MIN_CZMQ:
        fail("CZMQ %s found, pyczmq needs CZMQ >= %d.%d: %s"
             % (".".join(map(str, czmq_version)), MIN_CZMQ[0], MIN_CZMQ[1], INSTALL_HINT))
    if zmq_version[:2] < MIN_LIBZMQ:
        fail("libzmq %s found, pyczmq needs libzmq >= %d.%d: %s"
             % (".".join(map(str, zmq_version)), MIN_LIBZMQ[0], MIN_LIBZMQ[1], INSTALL_HINT))
    return include_dirs, library_dirs, runtime_dirs


def check_platform():
    if not sys.platform.startswith("linux"):
        fail("pyczmq builds on Linux only (%s found): it uses the Linux-only %s"
             % (sys.platform, LINUX_ONLY))


def write_build_config(folder, include_dirs, library_dirs):
    """Record where CZMQ was found, for pyczmq.get_include() and downstream builds."""
    os.makedirs(os.path.join(folder, "pyczmq"), exist_ok=True)
    with open(os.path.join(folder, "pyczmq", "_build_config.py"), "w") as config:
        config.write("# Written by setup.py: where this build found CZMQ and libzmq.\n")
        config.write("INCLUDE_DIRS = %r\nLIBRARY_DIRS = %r\n" % (include_dirs, library_dirs))


def extensions():
    """The extension modules, before CZMQ is found: their .pyx sources only
    (what the sdist lists).  build_ext completes them."""
    return [Extension("pyczmq." + name, [os.path.join("pyczmq", name + ".pyx")])
            for name in MODULES]


class build_ext(_build_ext):
    """Find CZMQ and libzmq, then cythonize: only when extensions are built."""

    def run(self):
        from Cython.Build import cythonize

        check_platform()
        debug = os.environ.get("PYCZMQ_DEBUG") == "1"
        include_dirs, library_dirs, runtime_dirs = find_libraries()
        here = os.path.dirname(os.path.abspath(__file__))
        write_build_config(here, include_dirs, library_dirs)
        if not self.inplace:                        # build_py has copied the package already
            write_build_config(self.build_lib, include_dirs, library_dirs)
        macros = [("ZSOCK_NOCHECK", None)]
        if debug:
            macros.append(("CYTHON_TRACE_NOGIL", "1"))
        for module in self.extensions:
            module.include_dirs = [os.path.join(here, "include")] + include_dirs
            module.library_dirs = library_dirs
            module.runtime_library_dirs = runtime_dirs
            module.libraries = ["czmq", "zmq"]
            module.define_macros = macros
            module.extra_compile_args = ["-UNDEBUG", "-O0"] if debug else ["-O2"]
        directives = {"language_level": 3, "binding": True, "embedsignature": True}
        if debug:
            directives.update(linetrace=True, boundscheck=True)
        compiled = cythonize(self.extensions, compiler_directives=directives, annotate=debug,
                             include_path=[here],
                             nthreads=int(os.environ.get("PYCZMQ_JOBS", "0")))
        for module, generated in zip(self.extensions, compiled):
            if module.name != generated.name:
                fail("cythonize returned %s for %s" % (generated.name, module.name))
            module.sources = generated.sources      # the generated C
            module.depends = generated.depends
        super().run()


setup(
    packages=["pyczmq", "pyczmq.includes", "pyczmq.types", "pyczmq.perf"],
    # Every .pxd installed here compiles when a downstream extension cimports
    # it (tests/test_cython_api.py builds one that cimports each).  The types'
    # declarations, types/<type>.decl.pxi, are fragments of _core.pxd, not
    # modules.  includes/monitor.pxd, thread_settings.pxd and zframe_access.pxd
    # (over include/*.h) serve only pyczmq's own build: MANIFEST.in puts them in
    # the sdist, not in the installed package.
    package_data={
        "pyczmq": ["*.pxd", "*.pyx", "*.pxi", "*.pyi", "py.typed"],
        "pyczmq.includes": ["*.pxd"],
        "pyczmq.types": ["*.pxi"],
        "pyczmq.perf": ["*.c"],
    },
    exclude_package_data={
        "pyczmq": ["*.c"],                          # Cython's generated C
        "pyczmq.includes": ["monitor.pxd", "thread_settings.pxd", "zerocopy.pxd",
                            "zframe_access.pxd"],
    },
    ext_modules=extensions(),
    cmdclass={"build_ext": build_ext},
    zip_safe=False,
)
