"""Peewee models (DESIGN §4): ``base`` holds the database handle and the base every record
shares; one module per capability holds its records."""
from __future__ import annotations

from crmdesk.core.models.base import BaseModel, MoneyField, database, new_uuid, utcnow
from crmdesk.core.models.journal import Batch, ChangeLog, Setting
from crmdesk.core.models.customers import Contact, Customer, CustomerTag, Transaction
from crmdesk.core.models.visits import Visit, VisitSeries
from crmdesk.core.models.complaints import Complaint, ComplaintContact
from crmdesk.core.models.care import CareEvent, PointsEntry
from crmdesk.core.models.custom_fields import CustomValue
from crmdesk.core.models.dedupe import CustomerMerge, DuplicateDismissed
from crmdesk.core.models.sales import Opportunity, Product, Sale, StageChange
from crmdesk.core.models.sync import SyncConflict, SyncField, SyncOutbox, SyncParked, SyncSetting, SyncState

MODELS = (Batch, Customer, CustomerTag, Contact, Transaction, VisitSeries, Visit, Complaint, ComplaintContact,
          CareEvent, PointsEntry, ChangeLog, Setting, Product, Opportunity, StageChange, Sale,
          SyncState, SyncOutbox, SyncField, SyncConflict, SyncParked, SyncSetting, DuplicateDismissed, CustomerMerge,
          CustomValue)

__all__ = ["BaseModel", "MoneyField", "database", "new_uuid", "utcnow", "MODELS", "Batch", "CareEvent", "ChangeLog",
           "Complaint", "ComplaintContact", "Contact", "Customer", "CustomerTag", "PointsEntry", "Setting",
           "Transaction", "Visit", "VisitSeries", "Opportunity", "Product", "Sale", "StageChange",
           "SyncConflict", "SyncField", "SyncOutbox", "SyncParked", "SyncSetting", "SyncState",
           "CustomerMerge", "CustomValue", "DuplicateDismissed"]
