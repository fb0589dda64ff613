from pyczmq.perf.throughput import main

main()
