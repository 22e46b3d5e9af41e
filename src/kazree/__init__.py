"""kazree: the rare-earth value chain, modelled and traded."""

__version__ = "0.1.0"
