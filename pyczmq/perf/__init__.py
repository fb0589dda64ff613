"""pyczmq.perf: throughput of this binding (``python -m pyczmq.perf``)."""
