"""The sales vocabularies: the kinds of a sale, why a deal was lost, and the course's types
of objection. Keys are stored; the labels are translated in the UI and the exports."""
from __future__ import annotations

SALE_KINDS = ("sale", "refund")

# Why a deal was lost (输单原因): the lost dialog offers these, the analytics count them.
LOST_REASONS = ("price", "product", "competitor", "timing", "no_decision", "no_budget", "relationship", "other")

# The course's objection types (异议类型): need, budget, authority, price, product,
# salesperson, timing.
OBJECTION_TYPES = ("need", "budget", "authority", "price", "product", "salesperson", "timing")
