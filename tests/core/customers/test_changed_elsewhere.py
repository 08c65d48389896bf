"""The "changed elsewhere" sentence names what changed in the user's language (issue 18)."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk import i18n
from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.core.customers import archive as customers


@pytest.fixture
def chinese():
    i18n.set_language("zh_CN")
    yield
    i18n.set_language(None)


def stale_update(time_machine) -> CrmError:
    customer_id, _ = customers.create({"name": "北京华润", "city": "北京"})
    opened = customers.get(customer_id).updated_at
    time_machine.shift(dt.timedelta(minutes=2))
    customers.update(customer_id, {"owner": "张伟", "phone": "010-88889999"})  # the command line, an import
    with pytest.raises(CrmError) as error:
        customers.update(customer_id, {"city": "天津"}, expected_updated_at=opened)
    assert customers.get(customer_id).city == "北京"
    return error.value


def test_the_fields_are_named_in_english(db, time_machine):
    i18n.set_language("en")
    try:
        assert stale_update(time_machine).params["fields"] == " (owner, phone)"
    finally:
        i18n.set_language(None)


def test_the_fields_are_named_in_chinese(db, time_machine, chinese):
    error = stale_update(time_machine)
    assert error.params["fields"] == "（负责人、电话）"
    assert "（负责人、电话）" in message(error, i18n.translate)
