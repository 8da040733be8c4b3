"""python -m transcheck.cli"""

from . import main

main()
