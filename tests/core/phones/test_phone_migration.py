"""0013: the phones stored before become E.164 where they are valid numbers, by the
customer's country; the rest stays as it was; the lists and exports show them as dialled."""
from __future__ import annotations

from crmdesk.core import migrations
from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Complaint, Contact, Customer
from crmdesk.core.phones.rules import display

_CUSTOMER = ("INSERT INTO customer (uuid, created_at, updated_at, code, name, kind, contact_person, title, mobile, phone,"
             " fax, email, wechat, province, city, district, address, postal_code, website, industry, ownership,"
             " company_size, owner, birthday_calendar, hometown, education, hobbies, preferences, delivery_preference,"
             " payment_terms, bank_name, bank_account, tax_id, tags, notes, sort_name, name_initials, search_text)"
             " VALUES (?, '2024-01-01', '2024-01-01', ?, ?, 'company', '', '', ?, ?, ?, '', '', ?, '', '', '', '', '',"
             " '', '', '', '', 'solar', '', '', '', '', '', '', '', '', '', '', '', '', '', ?)")


def test_stored_phones_become_e164_where_valid(tmp_path, data_dir, monkeypatch):
    path = tmp_path / "old.sqlite"
    everything = migrations.available()
    monkeypatch.setattr(migrations, "available", lambda: [m for m in everything if m[0] < 13])
    old = open_database(path)
    old.execute_sql(_CUSTOMER, ("u1", "C1", "甲", "13812345678", "01088889999x123", "95588", "北京", "甲 01088889999"))
    old.execute_sql(_CUSTOMER, ("u2", "C2", "乙", "+8613987654321", "075512345678", "1381234", "广东", ""))
    old.execute_sql(_CUSTOMER, ("u3", "C3", "丙", "91234567", "23456789", "", "香港", ""))
    old.execute_sql("INSERT INTO contact (uuid, created_at, updated_at, customer_id, name, title, mobile, phone, email,"
                    " wechat, birthday_calendar, is_decision_maker, notes) VALUES ('k1', '2024-01-01', '2024-01-01',"
                    " 1, '王', '', '13900001111', '', '', '', 'solar', 0, '')")
    close_database()
    monkeypatch.setattr(migrations, "available", lambda: everything)
    open_database(path)
    try:
        phones = {c.code: (c.mobile, c.phone, c.fax) for c in Customer.select()}
        assert phones == {"C1": ("+8613812345678", "+861088889999x123", "95588"),
                          "C2": ("+8613987654321", "+8675512345678", "1381234"),
                          "C3": ("+85291234567", "+85223456789", "")}
        assert Contact.get().mobile == "+8613900001111"
        # shown and exported as dialled; the search text as it was (01088889999 still found)
        assert [display(v) for v in phones["C1"]] == ["13812345678", "01088889999x123", "95588"]
        assert display(phones["C3"][0]) == "+85291234567"
        assert Customer.get(Customer.code == "C1").search_text == "甲 01088889999"
        assert Complaint.select().count() == 0
    finally:
        close_database()
