"""Support console: SLA clocks, queues and handovers for support teams."""

__version__ = "0.1.0"
