"""Allow ``python -m glossary``."""

from glossary.cli import main

main()
