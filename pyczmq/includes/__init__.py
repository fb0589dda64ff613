"""C declarations of CZMQ and libzmq (``.pxd`` files) for ``cimport``."""
