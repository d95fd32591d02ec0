"""ctbt-glossary: a six-language terminology glossary for the CTBT verification regime."""

__version__ = "0.1.0"
