"""The people at a customer: several per customer, each with title, phones, email,
WeChat, birthday and a decision-maker flag."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from crmdesk.core.changes import CREATED, DELETED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.models import Contact, utcnow
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.care import events as care
from crmdesk.core.customers import archive as customers
from crmdesk.core import history

ENTITY = "contact"
KEYS = ("name", "title", "mobile", "phone", "email", "wechat", "birthday", "birthday_calendar",
        "is_decision_maker", "notes")


@dataclass
class ContactData:
    """One contact as the form edits it; ``id`` is None for a new one."""
    name: str = ""
    title: str = ""
    mobile: str = ""
    phone: str = ""
    email: str = ""
    wechat: str = ""
    birthday: str = ""
    birthday_calendar: str = "solar"
    is_decision_maker: bool = False
    notes: str = ""
    id: Optional[int] = None


def validate(data: ContactData) -> dict[str, Any]:
    """Clean column values for a contact; raises ``ValidationError``."""
    errors: dict[str, FieldError] = {}
    clean: dict[str, Any] = {}
    name = normalize.text(data.name, collapse=True)
    if not name:
        errors["name"] = FieldError("required", "name")
    elif len(name) > 100:
        errors["name"] = FieldError("too_long", "name", max=100)
    clean["name"] = name
    for key in ("title", "wechat"):
        clean[key] = normalize.text(getattr(data, key))
        if len(clean[key]) > 100:
            errors[key] = FieldError("too_long", key, max=100)
    clean["notes"] = (data.notes or "").strip()
    for key in ("mobile", "phone"):
        try:
            phone = normalize.phone(getattr(data, key), mobile=key == "mobile")
            clean[key] = phone.number if phone else ""
        except FieldError as error:
            errors[key] = FieldError(error.code, key)
    try:
        clean["email"] = normalize.email(data.email)
    except FieldError as error:
        errors["email"] = FieldError(error.code, "email")
    try:
        birthday = normalize.birthday(data.birthday)
    except FieldError as error:
        errors["birthday"] = FieldError(error.code, "birthday")
        birthday = None
    clean["birthday_year"] = birthday.year if birthday else None
    clean["birthday_month"] = birthday.month if birthday else None
    clean["birthday_day"] = birthday.day if birthday else None
    lunar = data.birthday_calendar == "lunar" or (birthday is not None and birthday.calendar == "lunar")
    clean["birthday_calendar"] = "lunar" if lunar else "solar"
    clean["is_decision_maker"] = bool(data.is_decision_maker)
    if errors:
        raise ValidationError(errors)
    return clean


def birthday_text(contact: Contact) -> str:
    if not contact.birthday_month:
        return ""
    return normalize.Birthday(contact.birthday_year, contact.birthday_month,
                              contact.birthday_day, None).as_text()


def to_data(contact: Contact) -> ContactData:
    # the phones as people read and type them (stored in E.164)
    return ContactData(contact.name, contact.title, phone_display(contact.mobile), phone_display(contact.phone),
                       contact.email,
                       contact.wechat, birthday_text(contact), contact.birthday_calendar,
                       contact.is_decision_maker, contact.notes, contact.id)


def for_customer(customer_id: int) -> list[Contact]:
    return list(Contact.select().where((Contact.customer == customer_id) & Contact.deleted_at.is_null())
                .order_by(Contact.is_decision_maker.desc(), Contact.id))


def save_all(customer_id: int, wanted: list[ContactData]) -> Changes:
    """Make the customer's contacts what the form shows: create, update, delete softly.
    Every contact is validated first; one bad contact saves none of them."""
    with transaction():
        customer = customers.get(customer_id)
        cleaned, errors = [], {}
        for index, data in enumerate(wanted):
            try:
                cleaned.append((data, validate(data)))
            except ValidationError as error:
                for key, field_error in error.errors.items():
                    errors[f"contacts[{index}].{key}"] = field_error
        if errors:
            raise ValidationError(errors)
        existing = {c.id: c for c in for_customer(customer_id)}
        entries: list[history.Entry] = []
        ids: list[int] = []
        for data, clean in cleaned:
            contact = existing.pop(data.id, None) if data.id else None
            if contact is None:
                contact = Contact.create(customer=customer_id, **clean)
                entries.append(history.Entry(ENTITY, contact.id, contact.uuid, customer_id, CREATED,
                                             "", None, contact.name))
            else:
                changed = [(k, getattr(contact, k), v) for k, v in clean.items()
                           if history.as_text(getattr(contact, k)) != history.as_text(v)]
                if changed:
                    if any(k.startswith("birthday") for k, _o, _n in changed):
                        care.forget_birthdays(contact.id)
                    for key, _old, new in changed:
                        setattr(contact, key, new)
                    contact.updated_at = utcnow()
                    contact.save()
                    entries += [history.Entry(ENTITY, contact.id, contact.uuid, customer_id, UPDATED,
                                              k, o, n) for k, o, n in changed]
            ids.append(contact.id)
        gone = utcnow()
        care.withdraw_for_contacts([c.id for c in existing.values()], gone)
        for contact in existing.values():
            Contact.update(deleted_at=gone).where(Contact.id == contact.id).execute()
            entries.append(history.Entry(ENTITY, contact.id, contact.uuid, customer_id, DELETED,
                                         "", contact.name, None))
        history.write(entries)
        if entries:
            customers.refresh_search(customer.id)
            customers.touch(customer.id)  # a form opened before this save is now stale
    return Changes(ENTITY, UPDATED, tuple(ids))
