"""unionkg: a knowledge graph of Chinese trade-union (工会) policy documents.

Stages, one module each: ingest -> structure -> extract -> resolve -> build -> query / viz / export.
"""

__version__ = "0.1.0"
