"""The team's conflicts, hand-over and change packages on the command line (issue 20),
against a real PostgreSQL: what each command prints, and one sentence for each mistake."""
from __future__ import annotations

import io
import re

from crmdesk import cli
from tests.core.sync.pkg_helpers import PASSWORD, close, customer_with_everything, team_fixture

MEMBERS = {"lina": ("rep", ["华东"]), "wang": ("rep", ["华东"]), "boss": ("manager", [])}


team = team_fixture(MEMBERS)


def crmdesk(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def test_conflicts_are_listed_one_a_line_and_resolved(team):
    from crmdesk.core.customers import archive as customers
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.join()
    cid, _ = customers.create({"name": "东方贸易", "city": "杭州"})
    lina.sync()
    wang.join()
    code, out, err = crmdesk("conflicts", "--db", wang.path)
    assert (code, out, err) == (0, "No open conflicts.\n", "")
    wang.use()
    customers.update(cid, {"city": "北京"})
    lina.use()
    customers.update(cid, {"city": "上海"})  # later: it stands
    wang.sync()
    lina.sync()
    wang.sync()
    close()

    code, out, err = crmdesk("conflicts", "--db", wang.path)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2 and lines[-1].startswith("1 open conflict")
    assert re.fullmatch(r"(\d+)  东方贸易 \(C000001\)  city: mine 北京 \(wang, \d{4}-\d\d-\d\d \d\d:\d\d\) / theirs 上海 "
                        r"\(lina\) — both changed", lines[0]), lines[0]
    conflict = lines[0].split()[0]

    code, out, err = crmdesk("conflicts", "--resolve", "424242", "mine", "--db", wang.path)
    assert code == 2 and out == ""
    assert err == "There is no open conflict 424242: crmdesk conflicts lists the open ones with their numbers.\n"
    code, out, err = crmdesk("conflicts", "--resolve", conflict, "mine", "--password", PASSWORD, "--db", wang.path)
    assert (code, out) == (0, "Resolved 1 conflict, keeping mine.\n"), err
    assert crmdesk("conflicts", "--db", wang.path)[1] == "No open conflicts.\n"
    assert crmdesk("sync", "--password", PASSWORD, "--db", wang.path)[1].startswith("pushed ")
    lina.sync()
    assert customers.get(customers.Customer.get(customers.Customer.name == "东方贸易").id).city == "北京"


def test_handover_by_a_manager_and_refused_for_a_rep(team):
    lina, boss = team.laptop("lina"), team.laptop("boss")
    lina.join()
    customer_with_everything("东方贸易", "lina")
    lina.sync()
    boss.join()
    close()
    code, out, err = crmdesk("handover", "C000001", "--to-owner", "wang", "--db", lina.path)
    assert (code, out) == (2, "")
    assert err == "Only a manager hands customers over, and lina is not one: ask your manager; nothing was changed.\n"
    code, out, err = crmdesk("handover", "C000001", "--to-owner", "zhao", "--team", "西南", "--db", boss.path)
    assert code == 2 and err.startswith("The team has no team named 西南: choose one of 华东")
    code, out, err = crmdesk("handover", "C009999", "--to-owner", "wang", "--db", boss.path)
    assert code == 2 and "C009999" in err
    code, out, err = crmdesk("handover", "--from-owner", "lina", "--to-owner", "wang", "--db", boss.path)
    assert code == 0, err
    batch = re.search(r"hand-over (\d+)", out).group(1)
    assert out.startswith("Handed 1 customer to wang (hand-over ")
    assert "Their open opportunities (1) and planned visits (1) went with them." in out
    code, out, err = crmdesk("handover", "--undo", batch, "--db", boss.path)
    assert code == 0 and out.startswith(f"Undid hand-over {batch}: 1 customer back"), err


def test_sync_export_and_import_a_package(team, tmp_path):
    from crmdesk.core.customers import archive as customers
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.join()
    wang.join()
    lina.use()
    customers.create({"name": "离线公司"})
    close()
    package = tmp_path / "lina.crmchanges"
    code, out, err = crmdesk("sync", "--export", package, "--db", lina.path)
    assert code == 0, err
    count = int(re.match(r"Wrote (\d+) changes to ", out).group(1))
    code, out, err = crmdesk("sync", "--import", package, "--db", wang.path)
    assert (code, out) == (0, f"Imported {count} changes from lina's package; they go to the team server at the "
                              "next sync.\n"), err
    code, out, err = crmdesk("sync", "--import", package, "--db", wang.path)
    assert out == (f"Imported 0 changes from lina's package; they go to the team server at the next sync.\n"
                   f"{count} changes were here already and were skipped.\n")
    junk = tmp_path / "junk.txt"
    junk.write_text("not a package")
    code, out, err = crmdesk("sync", "--import", junk, "--db", wang.path)
    assert code == 2 and out == "" and "is not a crmdesk change package" in err
    code, out, err = crmdesk("sync", "--export", lina.path, "--db", lina.path)
    assert code == 2 and out == ""  # never over the database itself
