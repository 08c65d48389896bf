"""Contacts to phones and back (issue 21): vCard 4.0 (RFC 6350), or 3.0 for older phones,
written and read by ``vobject``.

Out: one card a contact of each live customer (its company as ORG, the customer's address),
or one for the customer itself when it has no contacts; the card's UID is the record's
uuid, so a phone that imports a newer export updates the card. One file, or one a customer.

In: a .vcf file (a phone's export, Outlook's, Google Contacts') is a ``Source`` like a sheet:
one row a card, with the headers the customer import knows (Name, Contact, Mobile, Phone,
Phone 2, Email, Address, City, Province, Postal Code, Country, Job Title, Birthday, Tags,
Notes), so it goes through the same wizard, checks and matching. A card with an ORG is that
company's customer with the person as its contact; a card without one is a person.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import vobject

from crmdesk.core.errors import CrmError
from crmdesk.core.io import atomic
from crmdesk.core.io.source import Sheet, Source
from crmdesk.core.models import Contact, Customer
from crmdesk.core.phones.rules import display as phone_display

VERSIONS = ("4.0", "3.0")
MAX_BYTES = 64 << 20  # a phone's export of 10,000 contacts is ~5 MB
HEAD = re.compile(rb"^(\xef\xbb\xbf)?\s*BEGIN:VCARD", re.IGNORECASE)
HEADERS = ["Name", "Type", "Contact", "Job Title", "Mobile", "Phone", "Phone 2", "Email", "Address", "City",
           "Province", "Postal Code", "Country", "Birthday", "Tags", "Notes"]
_CJK = re.compile(r"[\u3400-\u9fff]")


def is_vcard(head: bytes) -> bool:
    return bool(HEAD.match(head))


# ------------------------------------------------------------------ out
def _name_parts(name: str) -> vobject.vcard.Name:
    """王芳 -> 王 / 芳; Ann Lee -> Lee / Ann."""
    name = name.strip()
    if _CJK.search(name) and " " not in name:
        return vobject.vcard.Name(family=name[:1], given=name[1:])
    words = name.split()
    return vobject.vcard.Name(family=words[-1] if len(words) > 1 else name, given=" ".join(words[:-1]))


def _birthday(year: Optional[int], month: Optional[int], day: Optional[int], version: str) -> Optional[str]:
    if not month or not day:
        return None
    if year:
        return f"{year:04d}-{month:02d}-{day:02d}" if version == "3.0" else f"{year:04d}{month:02d}{day:02d}"
    return f"--{month:02d}{day:02d}" if version == "4.0" else None  # 3.0 cannot say a day without a year


def _tel(card, number: str, kind: str) -> None:
    if number:
        tel = card.add("tel")
        tel.value = phone_display(number) if not number.startswith("+86") else number
        tel.type_param = kind


def card_for(customer: Customer, contact: Optional[Contact], version: str = "4.0") -> vobject.base.Component:
    card = vobject.vCard()
    card.add("version").value = version
    person = contact.name if contact is not None else (customer.contact_person or customer.name)
    card.add("uid").value = f"urn:uuid:{(contact or customer).uuid}"
    card.add("fn").value = person
    card.add("n").value = _name_parts(person)
    if contact is not None or customer.kind != "individual":
        if customer.name != person:
            card.add("org").value = [customer.name]
    title = contact.title if contact is not None else customer.title
    if title:
        card.add("title").value = title
    _tel(card, contact.mobile if contact is not None else customer.mobile, "cell")
    _tel(card, contact.phone if contact is not None else customer.phone, "work")
    email = contact.email if contact is not None else customer.email
    if email:
        card.add("email").value = email
    source = contact if contact is not None else customer
    birthday = _birthday(source.birthday_year, source.birthday_month, source.birthday_day, version)
    if birthday:
        card.add("bday").value = birthday
    if any((customer.address, customer.city, customer.province, customer.postal_code, customer.country)):
        card.add("adr").value = vobject.vcard.Address(street=customer.address, city=customer.city,
                                                      region=customer.province, code=customer.postal_code,
                                                      country=customer.country)
    tags = [t.strip() for t in customer.tags.split(",") if t.strip()]
    if tags:
        card.add("categories").value = tags
    card.add("note").value = customer.code
    return card


def cards(customer_ids: Optional[Iterable[int]] = None, version: str = "4.0") -> Iterator[tuple[Customer, Any]]:
    """(customer, card) for each live customer's contacts, or the customer itself."""
    if version not in VERSIONS:
        raise CrmError("option_invalid", option="--version", choices=", ".join(VERSIONS))
    query = Customer.select().where(Customer.deleted_at.is_null()).order_by(Customer.id)
    if customer_ids is not None:
        query = query.where(Customer.id.in_(list(customer_ids)))
    for customer in query:
        people = list(Contact.select().where((Contact.customer == customer.id) & Contact.deleted_at.is_null())
                      .order_by(Contact.id))
        for contact in people or [None]:
            yield customer, card_for(customer, contact, version)


def export(path: Path | str, version: str = "4.0", per_customer: bool = False,
           customer_ids: Optional[Iterable[int]] = None) -> int:
    """Write the cards to ``path`` (one file), or into the folder ``path`` one file a
    customer (``per_customer``); returns the cards written."""
    count = 0
    if not per_customer:
        text = io.StringIO()
        for _customer, card in cards(customer_ids, version):
            text.write(card.serialize())
            count += 1
        atomic.write_bytes(path, text.getvalue().encode("utf-8"))
        return count
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise CrmError("file_unwritable", path=str(folder))
    by_customer: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for customer, card in cards(customer_ids, version):
        by_customer.setdefault(customer.id, []).append(card.serialize())
        names[customer.id] = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{customer.code}-{customer.name}")[:80]
        count += 1
    for customer_id, texts in by_customer.items():
        atomic.write_bytes(folder / f"{names[customer_id]}.vcf", "".join(texts).encode("utf-8"))
    return count


# ------------------------------------------------------------------ in
def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v)
    return str(value or "").strip()


def _row(card) -> list[Any]:
    contents = card.contents
    person = _text(contents["fn"][0].value) if "fn" in contents else ""
    if not person and "n" in contents:
        n = contents["n"][0].value
        person = (f"{n.family}{n.given}" if _CJK.search(f"{n.family}{n.given}") else f"{n.given} {n.family}").strip()
    org = _text(contents["org"][0].value) if "org" in contents else ""
    mobiles, phones = [], []
    for tel in contents.get("tel", []):
        kinds = {t.lower() for t in tel.params.get("TYPE", [])}
        number = re.sub(r"^tel:", "", _text(tel.value))
        (mobiles if kinds & {"cell", "mobile", "iphone"} else phones).append(number)
    mobile = mobiles[0] if mobiles else ""
    phone = phones[0] if phones else (mobiles[1] if len(mobiles) > 1 else "")
    others = [n for n in mobiles[1:] + phones if n not in (mobile, phone)]
    address = contents["adr"][0].value if "adr" in contents else None
    birthday = _text(contents["bday"][0].value) if "bday" in contents else ""
    if re.fullmatch(r"\d{8}", birthday):
        birthday = f"{birthday[:4]}-{birthday[4:6]}-{birthday[6:]}"
    elif re.fullmatch(r"--\d{4}", birthday):
        birthday = f"--{birthday[2:4]}-{birthday[4:]}"
    emails = [_text(e.value) for e in contents.get("email", [])]
    notes = [_text(n.value) for n in contents.get("note", [])] + [f"Email: {e}" for e in emails[1:]]
    return [org or person, "company" if org else "individual", person if org else "",
            _text(contents["title"][0].value) if "title" in contents else "",
            mobile, phone, " / ".join(others), emails[0] if emails else "",
            _text(address.street) if address else "", _text(address.city) if address else "",
            _text(address.region) if address else "", _text(address.code) if address else "",
            _text(address.country) if address else "", birthday,
            _text(contents["categories"][0].value) if "categories" in contents else "", "\n".join(n for n in notes if n)]


class VcardSource(Source):
    """A .vcf file as one sheet: row 1 the headers, then one row a card."""
    header_row = 1

    def __init__(self, path: Path):
        self.path = path
        self.format = "vcard"
        self.sheets = [Sheet(path.stem, 0)]
        if path.stat().st_size > MAX_BYTES:
            raise CrmError("file_too_large", path=str(path), limit=f"{MAX_BYTES >> 20} MB")
        raw = path.read_bytes()
        try:
            self._text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self._text = raw.decode("gb18030", errors="replace")  # old Chinese phones' exports
        self._rows: Optional[list[list[Any]]] = None

    def _cards(self) -> list[list[Any]]:
        if self._rows is None:
            rows = []
            try:
                for card in vobject.readComponents(self._text, ignoreUnreadable=True):
                    if card.name.upper() == "VCARD":
                        row = _row(card)
                        if row[0]:  # a card without a name or company says nothing to import
                            rows.append(row)
            except Exception:  # noqa: BLE001 - vobject's ParseError and the odd crash on a damaged file
                raise CrmError("file_damaged", path=str(self.path)) from None
            self._rows = rows
        return self._rows

    def rows(self, sheet: Optional[str] = None) -> Iterator[tuple[int, list[Any]]]:
        self._sheet(sheet)
        yield 1, list(HEADERS)
        for number, values in enumerate(self._cards(), start=2):
            while values and values[-1] in ("", None):
                values = values[:-1]
            if values:
                yield number, [v if v != "" else None for v in values]

    def row_count_hint(self, sheet: Optional[str] = None) -> Optional[int]:
        return len(self._cards()) + 1


def open_vcard(path: Path) -> VcardSource:
    source = VcardSource(path)
    if source.row_count_hint() <= 1:
        raise CrmError("file_no_data", path=str(path))
    return source

