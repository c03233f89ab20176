"""Shipments, not just boxes: batch planning of a shipment list and ISO 14083 emission reports.

``read_shipments(path)`` reads a CSV or Excel list (one :class:`Shipment` or :class:`RowError`
per row), ``plan_shipments(items)`` plans them (each distinct lane searched once) and
:mod:`corridor.shipments.report` writes the results, the transport chain elements and the
report. Nothing heavy is imported until a function is called.
"""

from __future__ import annotations

from corridor.shipments.model import Shipment, chargeable_weight_kg, lcl_share
from corridor.shipments.reading import RowError, ShipmentFileError, read_shipments

__all__ = ["RowError", "Shipment", "ShipmentFileError", "chargeable_weight_kg", "lcl_share", "read_shipments"]
