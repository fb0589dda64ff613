"""Build the example: `python setup.py build_ext --inplace` (needs pyczmq
installed, Cython and a C compiler)."""

from Cython.Build import cythonize
from setuptools import Extension, setup

import pyczmq

extension = Extension(
    "cython_throughput", ["cython_throughput.pyx"],
    include_dirs=pyczmq.get_include(),      # czmq.h and zmq.h
    libraries=["czmq", "zmq"],
)

setup(
    name="cython_throughput",
    ext_modules=cythonize([extension], include_path=pyczmq.get_include(),   # pyczmq's .pxd
                          compiler_directives={"language_level": 3}),
)
