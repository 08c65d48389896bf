"""Issue 18: ``crmdesk import`` says why a phone is refused, in one sentence, and writes nothing of that row."""
from __future__ import annotations

from tests.core.imports.test_import_customers import xlsx
from tests.cli.test_cli import call, digest, make_db


def test_a_seven_digit_mobile_is_one_sentence_and_the_database_is_unchanged(tmp_path):
    db = tmp_path / "crm.sqlite"
    make_db(db)
    before = digest(db)
    path = xlsx(tmp_path / "in.xlsx", [["客户名称", "手机", "电话"], ["乙", "1381234", None], ["丙", None, "88889999"]])
    code, out, _err = call("--db", str(db), "import", "customers", str(path), "--all-or-nothing")
    lines = out.splitlines()
    assert code != 0
    assert ("row 2: 手机: A Chinese mobile number has 11 digits starting with 1: "
            "check for a missing or an extra digit.") in lines
    assert ("row 3: 电话: The landline needs its area code in front, like 010-88889999 or 0755-1234567.") in lines
    assert digest(db) == before
