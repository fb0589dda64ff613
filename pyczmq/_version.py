# The one place pyczmq's version is written: pyproject.toml reads it for the
# package's metadata ([tool.setuptools.dynamic]), pyczmq.__version__ imports it.
__version__ = "0.2.0"
