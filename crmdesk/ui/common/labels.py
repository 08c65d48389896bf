"""Field headers and choice labels in the user's language.

The English headers and labels of ``spec/customer-sheet.md`` are the source strings
(contexts "Field" and "Choice:<field>", as the same English label can mean two
things: a transactional tier is 交易型, a transactional relationship 买卖关系); the zh_CN translation holds the spec's Chinese ones,
and a test checks the two agree. Generated once from ``crmdesk.core.customers.fields``; keep it
in step when a field is added."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from crmdesk import i18n
from crmdesk.core import custom_fields
from crmdesk.core.customers import fields as F

FIELD_SOURCES = {
    "code": QT_TRANSLATE_NOOP("Field", "Customer No."),
    "name": QT_TRANSLATE_NOOP("Field", "Name"),
    "kind": QT_TRANSLATE_NOOP("Field", "Type"),
    "contact_person": QT_TRANSLATE_NOOP("Field", "Contact"),
    "title": QT_TRANSLATE_NOOP("Field", "Job Title"),
    "mobile": QT_TRANSLATE_NOOP("Field", "Mobile"),
    "phone": QT_TRANSLATE_NOOP("Field", "Phone"),
    "fax": QT_TRANSLATE_NOOP("Field", "Fax"),
    "email": QT_TRANSLATE_NOOP("Field", "Email"),
    "wechat": QT_TRANSLATE_NOOP("Field", "WeChat"),
    "country": QT_TRANSLATE_NOOP("Field", "Country"),
    "province": QT_TRANSLATE_NOOP("Field", "Province"),
    "city": QT_TRANSLATE_NOOP("Field", "City"),
    "district": QT_TRANSLATE_NOOP("Field", "District"),
    "address": QT_TRANSLATE_NOOP("Field", "Address"),
    "postal_code": QT_TRANSLATE_NOOP("Field", "Postal Code"),
    "website": QT_TRANSLATE_NOOP("Field", "Website"),
    "industry": QT_TRANSLATE_NOOP("Field", "Industry"),
    "ownership": QT_TRANSLATE_NOOP("Field", "Ownership"),
    "company_size": QT_TRANSLATE_NOOP("Field", "Company Size"),
    "annual_revenue": QT_TRANSLATE_NOOP("Field", "Annual Revenue"),
    "fiscal_year_start": QT_TRANSLATE_NOOP("Field", "Fiscal Year Start"),
    "source": QT_TRANSLATE_NOOP("Field", "Source"),
    "owner": QT_TRANSLATE_NOOP("Field", "Owner"),
    "tier": QT_TRANSLATE_NOOP("Field", "Tier"),
    "stage": QT_TRANSLATE_NOOP("Field", "Lifecycle Stage"),
    "relationship": QT_TRANSLATE_NOOP("Field", "Relationship"),
    "credit_rating": QT_TRANSLATE_NOOP("Field", "Credit Rating"),
    "need_score": QT_TRANSLATE_NOOP("Field", "Need"),
    "volume_score": QT_TRANSLATE_NOOP("Field", "Volume"),
    "purchasing_power_score": QT_TRANSLATE_NOOP("Field", "Purchasing Power"),
    "credit_score": QT_TRANSLATE_NOOP("Field", "Creditworthiness"),
    "decision_score": QT_TRANSLATE_NOOP("Field", "Decision Authority"),
    "gender": QT_TRANSLATE_NOOP("Field", "Gender"),
    "birthday": QT_TRANSLATE_NOOP("Field", "Birthday"),
    "birthday_calendar": QT_TRANSLATE_NOOP("Field", "Birthday Calendar"),
    "hometown": QT_TRANSLATE_NOOP("Field", "Hometown"),
    "education": QT_TRANSLATE_NOOP("Field", "Education"),
    "hobbies": QT_TRANSLATE_NOOP("Field", "Interests"),
    "preferences": QT_TRANSLATE_NOOP("Field", "Preferences"),
    "delivery_preference": QT_TRANSLATE_NOOP("Field", "Delivery Preference"),
    "payment_terms": QT_TRANSLATE_NOOP("Field", "Payment Terms"),
    "bank_name": QT_TRANSLATE_NOOP("Field", "Bank"),
    "bank_account": QT_TRANSLATE_NOOP("Field", "Bank Account"),
    "tax_id": QT_TRANSLATE_NOOP("Field", "Tax ID"),
    "tags": QT_TRANSLATE_NOOP("Field", "Tags"),
    "notes": QT_TRANSLATE_NOOP("Field", "Notes"),
    "created_at": QT_TRANSLATE_NOOP("Field", "Created"),
}

# The transaction sheet's columns (spec § Transactions sheet), as a column can be mapped
# to them; "Customer name" rather than the sheet's bare "Name", which means the sale's
# customer here.
TRANSACTION_FIELD_SOURCES = {
    "customer_code": QT_TRANSLATE_NOOP("TransactionField", "Customer No."),
    "customer_name": QT_TRANSLATE_NOOP("TransactionField", "Customer name"),
    "date": QT_TRANSLATE_NOOP("TransactionField", "Date"),
    "product": QT_TRANSLATE_NOOP("TransactionField", "Product"),
    "category": QT_TRANSLATE_NOOP("TransactionField", "Category"),
    "quantity": QT_TRANSLATE_NOOP("TransactionField", "Quantity"),
    "amount": QT_TRANSLATE_NOOP("TransactionField", "Amount"),
    "paid": QT_TRANSLATE_NOOP("TransactionField", "Paid"),
    "notes": QT_TRANSLATE_NOOP("TransactionField", "Notes"),
}

CHOICE_SOURCES = {
    ("kind", "company"): QT_TRANSLATE_NOOP("Choice:kind", "Company"),
    ("kind", "individual"): QT_TRANSLATE_NOOP("Choice:kind", "Individual"),
    ("source", "referral"): QT_TRANSLATE_NOOP("Choice:source", "Referral"),
    ("source", "advertising"): QT_TRANSLATE_NOOP("Choice:source", "Advertising"),
    ("source", "exhibition"): QT_TRANSLATE_NOOP("Choice:source", "Exhibition"),
    ("source", "internet"): QT_TRANSLATE_NOOP("Choice:source", "Internet"),
    ("source", "cold_call"): QT_TRANSLATE_NOOP("Choice:source", "Cold call"),
    ("source", "network"): QT_TRANSLATE_NOOP("Choice:source", "Network"),
    ("source", "other"): QT_TRANSLATE_NOOP("Choice:source", "Other"),
    ("tier", "key"): QT_TRANSLATE_NOOP("Choice:tier", "Key"),
    ("tier", "relationship"): QT_TRANSLATE_NOOP("Choice:tier", "Relationship"),
    ("tier", "transactional"): QT_TRANSLATE_NOOP("Choice:tier", "Transactional"),
    ("stage", "prospect"): QT_TRANSLATE_NOOP("Choice:stage", "Prospect"),
    ("stage", "developing"): QT_TRANSLATE_NOOP("Choice:stage", "Developing"),
    ("stage", "mature"): QT_TRANSLATE_NOOP("Choice:stage", "Mature"),
    ("stage", "declining"): QT_TRANSLATE_NOOP("Choice:stage", "Declining"),
    ("stage", "lost"): QT_TRANSLATE_NOOP("Choice:stage", "Lost"),
    ("relationship", "transactional"): QT_TRANSLATE_NOOP("Choice:relationship", "Transactional"),
    ("relationship", "preferred_supplier"): QT_TRANSLATE_NOOP("Choice:relationship", "Preferred supplier"),
    ("relationship", "partner"): QT_TRANSLATE_NOOP("Choice:relationship", "Partner"),
    ("relationship", "strategic_alliance"): QT_TRANSLATE_NOOP("Choice:relationship", "Strategic alliance"),
    ("credit_rating", "A"): QT_TRANSLATE_NOOP("Choice:credit_rating", "A"),
    ("credit_rating", "B"): QT_TRANSLATE_NOOP("Choice:credit_rating", "B"),
    ("credit_rating", "C"): QT_TRANSLATE_NOOP("Choice:credit_rating", "C"),
    ("credit_rating", "D"): QT_TRANSLATE_NOOP("Choice:credit_rating", "D"),
    ("gender", "male"): QT_TRANSLATE_NOOP("Choice:gender", "Male"),
    ("gender", "female"): QT_TRANSLATE_NOOP("Choice:gender", "Female"),
    ("gender", "unspecified"): QT_TRANSLATE_NOOP("Choice:gender", "Unspecified"),
    ("birthday_calendar", "solar"): QT_TRANSLATE_NOOP("Choice:birthday_calendar", "Solar"),
    ("birthday_calendar", "lunar"): QT_TRANSLATE_NOOP("Choice:birthday_calendar", "Lunar"),
}


def field_label(key: str) -> str:
    source = FIELD_SOURCES.get(key)
    if source:
        return QCoreApplication.translate("Field", source)
    if custom_fields.is_custom(key):  # the user's own field: its name in their words
        field = custom_fields.get(key)
        return field.name(i18n.language()) if field else key[len(custom_fields.PREFIX):]
    return key


def transaction_field_label(key: str) -> str:
    source = TRANSACTION_FIELD_SOURCES.get(key)
    return QCoreApplication.translate("TransactionField", source) if source else key


def choice_label(field_key: str, value: Optional[str]) -> str:
    if not value:
        return ""
    source = CHOICE_SOURCES.get((field_key, value))
    return QCoreApplication.translate(f"Choice:{field_key}", source) if source else value


def choices(field_key: str) -> list[tuple[str, str]]:
    """(stored key, label) for every choice of an enum field."""
    return [(c.key, choice_label(field_key, c.key)) for c in F.BY_KEY[field_key].choices]


SECTION_SOURCES = {
    F.BASIC: QT_TRANSLATE_NOOP("Section", "Basic"),
    F.BUSINESS: QT_TRANSLATE_NOOP("Section", "Business"),
    F.CLASSIFICATION: QT_TRANSLATE_NOOP("Section", "Classification"),
    F.EVALUATION: QT_TRANSLATE_NOOP("Section", "Evaluation"),
    F.PERSONAL: QT_TRANSLATE_NOOP("Section", "Personal"),
    F.LOGISTICS: QT_TRANSLATE_NOOP("Section", "Logistics and finance"),
    F.OTHER: QT_TRANSLATE_NOOP("Section", "Tags and notes"),
}


def section_title(section: str) -> str:
    return QCoreApplication.translate("Section", SECTION_SOURCES[section])
