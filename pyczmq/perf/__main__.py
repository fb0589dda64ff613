import sys

from pyczmq.perf.cli import main

sys.exit(main())
