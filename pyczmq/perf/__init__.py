"""pyczmq.perf: throughput and latency of pyczmq next to C, a nogil Cython
loop and pyzmq (``python -m pyczmq.perf``)."""
