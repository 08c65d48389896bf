"""The demo's sales (``crmdesk demo``, called by ``core.demo.generate`` inside its
transaction once the customers, their purchases and visits are in): the product list the
demo sells (codes, units, list prices), every purchase as a sale with its lines (a purchase
of one day with accessories added to some, the owner, the customer's payment terms and
what was paid; the recent unpaid and the part-paid ones fall overdue), and the pipeline: a
few hundred opportunities per 2,000 customers, in every stage, with their stage histories;
the won ones are the sales they became, the lost ones say why.

Deterministic for a seed: everything is drawn from one ``random.Random`` in a fixed order,
over the customers and lines read back in id order, against the demo's fixed last day
(``vocabulary.END_DATE``), never the clock. Rows go in with ``executemany``."""
from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Optional

from crmdesk.core.models import database
from crmdesk.core.sales import stages as S
from crmdesk.core.sales.fields import LOST_REASONS
from crmdesk.core.search.keys import pinyin_keys
from crmdesk.core.demo.vocabulary import END_DATE, PRODUCTS

# (category, code prefix); every product of the demo's list gets a unit.
PREFIXES = {"办公设备": "BG", "电脑及配件": "DN", "耗材": "HC", "网络设备": "WL", "软件服务": "RJ", "办公家具": "JJ"}
UNITS = {"激光打印机": "台", "多功能一体机": "台", "碎纸机": "台", "投影仪": "台", "考勤机": "台", "笔记本电脑": "台",
         "台式电脑": "台", "显示器": "台", "键盘鼠标套装": "套", "移动硬盘": "个", "硒鼓": "个", "墨盒": "个",
         "A4复印纸（箱）": "箱", "标签纸": "卷", "交换机": "台", "路由器": "台", "无线AP": "个", "超五类网线（箱）": "箱",
         "财务软件授权": "套", "杀毒软件年费": "点", "云存储服务（年）": "年", "系统维护服务": "月", "办公椅": "把",
         "办公桌": "张", "文件柜": "组", "会议桌": "张"}
# What is bought with a product of a category, now and then, on the same sale.
WITH = {"办公设备": ("硒鼓", "墨盒", "A4复印纸（箱）"), "电脑及配件": ("键盘鼠标套装", "移动硬盘", "杀毒软件年费"),
        "网络设备": ("超五类网线（箱）", "无线AP"), "办公家具": ("办公椅", "文件柜"), "耗材": ("标签纸", "A4复印纸（箱）"),
        "软件服务": ("系统维护服务",)}
WITH_SHARE = 0.25  # of the sales that get a second line
# Payment terms in days, from the customer's terms as the archive words them.
TERMS = {"月结30天": 30, "月结60天": 60, "款到发货": 0, "货到付款": 0, "预付30%，发货前付清尾款": 0, "季度结算": 90,
         "银行承兑汇票": 90, "现金": 0}
DEFAULT_TERMS = 30
SETTLED_AFTER = 120  # days past due: what was still owed then has been paid since (late)

# Deals per customer by lifecycle stage: (open, won, lost) chances.
DEALS = {"prospect": (0.25, 0.0, 0.10), "developing": (0.20, 0.12, 0.08), "mature": (0.06, 0.08, 0.04),
         "declining": (0.04, 0.04, 0.08), "lost": (0.0, 0.0, 0.12)}
OPEN_SHARE = (("lead", 35), ("qualified", 25), ("proposal", 22), ("negotiation", 18))
LOST_SHARE = (("price", 30), ("competitor", 22), ("no_budget", 12), ("timing", 10), ("no_decision", 10),
              ("product", 8), ("relationship", 5), ("other", 3))
LOST_NOTES = {"price": "报价高于对手约8%，客户不愿加价", "competitor": "客户选择了竞争对手的整体方案",
              "no_budget": "今年预算被砍，项目暂停", "timing": "采购计划推迟到明年", "no_decision": "决策人迟迟未拍板",
              "product": "部分参数不满足技术要求", "relationship": "新任采购负责人有固定供应商", "other": "客户内部调整"}
TITLES = ("{product}采购项目", "{category}年度框架协议", "新办公区{category}配置", "{product}更新换代", "{category}增补采购")
NEXT_STEPS = ("发送正式报价单", "安排产品演示", "约见采购经理", "提交技术方案", "商务谈判，确认折扣",
              "确认合同条款", "跟进样品试用反馈", "邀请参观展厅")
COMPETITORS = ("得力", "齐心", "晨光办公", "史泰博", "欧菲斯", "京东企业购")

SALE_COLUMNS = ("id", "uuid", "created_at", "updated_at", "customer_id", "date", "kind", "owner",
                "payment_terms_days", "due_on", "paid", "paid_on", "notes", "opportunity_id", "batch_id", "version")
LINE_COLUMNS = ("id", "uuid", "created_at", "updated_at", "customer_id", "date", "product", "category", "quantity",
                "amount", "paid", "notes", "batch_id", "sale_id", "product_id", "unit_price", "discount", "line_no")
PRODUCT_COLUMNS = ("id", "uuid", "created_at", "updated_at", "code", "name", "category", "unit", "list_price",
                   "active", "notes", "sort_name", "name_initials", "batch_id")
OPPORTUNITY_COLUMNS = ("id", "uuid", "created_at", "updated_at", "customer_id", "title", "contacts", "amount", "stage",
                       "probability", "expected_close", "next_step", "next_step_on", "source", "competitors", "owner",
                       "lost_reason", "lost_note", "notes", "stage_since", "closed_on", "batch_id", "version")
STAGE_COLUMNS = ("id", "uuid", "created_at", "updated_at", "opportunity_id", "stage", "entered_at", "left_at")


@dataclass(frozen=True)
class DemoSales:
    products: int
    sales: int
    lines_added: int  # the accessory lines put on sales
    opportunities: int
    stage_changes: int


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'


def _pick(r, pairs):
    total = sum(w for _k, w in pairs)
    draw = r() * total
    for key, weight in pairs:
        draw -= weight
        if draw < 0:
            return key
    return pairs[-1][0]


class SalesMaker:
    """Made once per demo (it writes the product list), then fed chunk by chunk."""

    def __init__(self, seed: int, batch_id: int):
        self.rng = random.Random(seed * 7919 + 19)
        self.r = self.rng.random
        self.batch_id = batch_id
        self.end = END_DATE
        self.ids = {table: (database.execute_sql(f'SELECT max(id) FROM "{table}"').fetchone()[0] or 0) + 1
                    for table in ("product", "sale", "opportunity", "stage_change")}
        self.shared: dict[str, int] = {}  # the demo generator's next ids of the lines and the change log
        self.stages = S.load()
        self.probability = {s.key: s.probability for s in self.stages}
        self.sales: list[tuple] = []
        self.lines: list[tuple] = []  # the chunk's lines, in LINE_COLUMNS, accessories included
        self.opportunities: list[tuple] = []
        self.history: list[tuple] = []
        self.changes: list[tuple] = []
        self.links: list[tuple] = []  # (opportunity id, sale id): the sale a won deal became
        self.counts = [0, 0, 0, 0]  # sales, accessory lines, opportunities, stage changes made
        self.products = self._products()

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def next(self, table: str) -> int:
        ids = self.shared if table in self.shared else self.ids
        value = ids[table]
        ids[table] += 1
        return value

    def stamp(self, day: dt.date, hour: Optional[int] = None) -> str:
        return "%s %02d:%02d:%02d" % (day.isoformat(), hour if hour is not None else 9 + int(self.r() * 9),
                                      int(self.r() * 60), int(self.r() * 60))

    # ------------------------------------------------------------ products
    def _products(self) -> dict[str, tuple[int, str, int]]:
        """The product list; name → (id, category, list price in cents)."""
        found, numbers, rows = {}, {}, []
        stamp = "%s 08:00:00" % (self.end - dt.timedelta(days=3 * 365)).isoformat()
        for name, category, price, _most in PRODUCTS:
            numbers[category] = numbers.get(category, 0) + 1
            pid = self.next("product")
            full, initials = pinyin_keys(name)
            rows.append((pid, self.uuid(), stamp, stamp, f"{PREFIXES[category]}-{numbers[category]:03d}", name,
                         category, UNITS[name], price, 1, "", full, initials, self.batch_id))
            found[name] = (pid, category, price)
        database.connection().executemany(_insert("product", PRODUCT_COLUMNS), rows)
        return found

    # ------------------------------------------------------------ sales
    def purchases(self, cid: int, owner: str, terms_text: str, lines: list[tuple]) -> list:
        """The sales of one customer's lines (the generator's rows, in date order), one per
        day (a refund its own), some with an accessory added; the lines go to ``self.lines``
        with their sale, product, unit price, discount and place; (sale id, date, total,
        first product) of each sale, in date order."""
        terms = TERMS.get(terms_text, DEFAULT_TERMS)
        products = self.products
        made, sale = [], None
        for line in lines:
            day, product, category, quantity, amount, paid, created = (line[5], line[6], line[7], line[8], line[9],
                                                                       line[10], line[2])
            kind = "refund" if amount < 0 else "sale"
            if sale is None or (sale["day"], sale["kind"]) != (day, kind):
                if sale is not None:
                    made.append(self._sale(cid, owner, terms, sale))
                sale = {"id": self.next("sale"), "day": day, "kind": kind, "created": created, "total": 0, "paid": 0,
                        "lines": 0, "product": product}
            pid, _category, price = products.get(product, (None, category, None))
            unit = abs(amount) // max(1, abs(int(quantity or 1)))
            sale["lines"] += 1
            self.lines.append((*line, sale["id"], pid, unit, _discount(unit, price), sale["lines"]))
            sale["total"] += amount
            sale["paid"] += paid or 0
            if kind == "sale" and category in WITH and self.r() < WITH_SHARE:
                self._accessory(cid, sale, WITH[category], (paid or 0) >= amount)
        if sale is not None:
            made.append(self._sale(cid, owner, terms, sale))
        return made

    def _accessory(self, cid: int, sale: dict, names: tuple, paid_up: bool) -> None:
        name = names[int(self.r() * len(names))]
        pid, category, price = self.products[name]
        quantity = 1 + int(self.r() * self.r() * 6)
        unit = price * (85 + int(self.r() * 16)) // 100 // 100 * 100  # a discount, whole yuan
        amount = unit * quantity
        sale["lines"] += 1
        sale["total"] += amount
        sale["paid"] += amount if paid_up else 0
        self.counts[1] += 1
        self.lines.append((self.next("transactions"), self.uuid(), sale["created"], sale["created"], cid, sale["day"],
                           name, category, float(quantity), amount, amount if paid_up else 0, "", self.batch_id,
                           sale["id"], pid, unit, _discount(unit, price), sale["lines"]))

    def _sale(self, cid: int, owner: str, terms: int, sale: dict) -> tuple[int, str, int, str]:
        date = dt.date.fromisoformat(sale["day"])
        due = date + dt.timedelta(days=terms)
        total, paid = sale["total"], sale["paid"]
        if sale["kind"] == "refund":
            paid, paid_on = total, sale["day"]  # paid back the day it was returned
        elif paid < total and (self.end - due).days > SETTLED_AFTER:  # long since paid, if late
            paid, paid_on = total, min(due + dt.timedelta(days=int(self.r() * 61)), self.end).isoformat()
        elif paid >= total:
            paid_on = min(date + dt.timedelta(days=int(self.r() * (terms + 1))), self.end).isoformat()
        elif paid > 0:  # part paid: the rest is owed, overdue once the terms have run
            paid_on = min(date + dt.timedelta(days=int(self.r() * (terms + 1))), self.end).isoformat()
        else:
            paid, paid_on = None, None
        self.sales.append([sale["id"], self.uuid(), sale["created"], sale["created"], cid, sale["day"], sale["kind"],
                           owner, terms, due.isoformat(), paid, paid_on, "", None, self.batch_id, 1])
        return sale["id"], sale["day"], total, sale["product"]

    # ------------------------------------------------------------ pipeline
    def pipeline(self, cid: int, lifecycle: str, owner: str, source: str, contact: str, made: list) -> None:
        """The customer's deals: open ones, won ones (each one of the sales ``made``) and lost ones."""
        chances = DEALS.get(lifecycle, (0.05, 0.05, 0.05))
        if self.r() < chances[0]:
            self._open(cid, owner, source, contact)
        won_from = [m for m in made if m[2] > 0 and m[1] >= (self.end - dt.timedelta(days=900)).isoformat()]
        if won_from and self.r() < chances[1]:
            self._won(cid, owner, source, contact, max(won_from[-6:], key=lambda m: m[2]))
        if self.r() < chances[2]:
            self._lost(cid, owner, source, contact)

    def _days(self, low: int, high: int) -> int:
        return low + int(self.r() * (high - low + 1))

    def _offer(self) -> tuple[str, str, int]:
        """(product, category, amount in cents) of a deal: a few to many units at list price less a bit."""
        name, category, price, most = PRODUCTS[int(self.r() * len(PRODUCTS))]
        quantity = 1 + int(self.r() * most)
        return name, category, price * quantity * (88 + int(self.r() * 13)) // 100 // 10000 * 10000 or price

    def _title(self, product: str, category: str) -> str:
        return TITLES[int(self.r() * len(TITLES))].format(product=product, category=category)

    def _path(self, last: str) -> list[str]:
        """The open stages up to ``last`` (the first always, the middle ones now and then skipped)."""
        keys = [s.key for s in S.open_stages(self.stages)]
        upto = keys[:keys.index(last) + 1] if last in keys else keys
        return [k for i, k in enumerate(upto) if i in (0, len(upto) - 1) or self.r() > 0.12]

    def _deal(self, cid: int, owner: str, source: str, contact: str, title: str, amount: int, stage: str,
              created: dt.date, steps: list[str], moved: list[dt.date], **values) -> int:
        oid = self.next("opportunity")
        created_at = self.stamp(created)
        entered = [created_at]
        for day in moved:  # in order, however the hours fell
            entered.append(max(self.stamp(day), entered[-1]))
        for i, step in enumerate(steps):
            left = entered[i + 1] if i + 1 < len(steps) else None
            self.history.append((self.next("stage_change"), self.uuid(), entered[i], left or entered[i], oid, step,
                                 entered[i], left))
        row = {"id": oid, "uuid": self.uuid(), "created_at": created_at, "updated_at": entered[-1],
               "customer_id": cid, "title": title, "contacts": contact, "amount": amount, "stage": stage,
               "probability": self.probability.get(stage, 0), "expected_close": None, "next_step": "",
               "next_step_on": None, "source": source or "", "competitors": "", "owner": owner, "lost_reason": None,
               "lost_note": "", "notes": "", "stage_since": entered[-1], "closed_on": None,
               "batch_id": self.batch_id, "version": 1}
        row.update(values)
        self.opportunities.append(tuple(row[c] for c in OPPORTUNITY_COLUMNS))
        self.changes.append((self.next("change_log"), created_at, owner, "opportunity", oid, row["uuid"], cid,
                             "created", "", None, title, self.batch_id))
        if row["closed_on"] is not None:
            self.changes.append((self.next("change_log"), entered[-1], owner, "opportunity", oid, row["uuid"], cid,
                                 "updated", "stage", steps[-2] if len(steps) > 1 else None, stage, self.batch_id))
        return oid

    def _moves(self, first: dt.date, last: dt.date, count: int) -> list[dt.date]:
        """``count`` days in order between ``first`` and ``last``."""
        span = max(0, (last - first).days)
        return sorted(first + dt.timedelta(days=int(self.r() * (span + 1))) for _ in range(count))

    def _open(self, cid: int, owner: str, source: str, contact: str) -> None:
        stage = _pick(self.r, [p for p in OPEN_SHARE if p[0] in self.probability])
        product, category, amount = self._offer()
        created = self.end - dt.timedelta(days=self._days(10, 150))
        steps = self._path(stage)
        moved = self._moves(created + dt.timedelta(days=1), self.end - dt.timedelta(days=self._days(1, 8)),
                            len(steps) - 1)
        probability = self.probability[stage]
        if 10 < probability < 90 and self.r() < 0.3:
            probability += 10 if self.r() < 0.5 else -10
        competitors = "、".join(sorted({COMPETITORS[int(self.r() * len(COMPETITORS))]
                                       for _ in range(1 + int(self.r() * 2))})) if self.r() < 0.4 else ""
        self._deal(cid, owner, source, contact, self._title(product, category), amount, stage, created, steps, moved,
                   probability=probability,
                   expected_close=(self.end + dt.timedelta(days=self._days(-20, 120))).isoformat(),
                   next_step=NEXT_STEPS[int(self.r() * len(NEXT_STEPS))],
                   next_step_on=(self.end + dt.timedelta(days=self._days(-5, 14))).isoformat(),
                   competitors=competitors)

    def _won(self, cid: int, owner: str, source: str, contact: str, sale: tuple) -> None:
        sid, day, total, product = sale
        closed = dt.date.fromisoformat(day)
        created = closed - dt.timedelta(days=self._days(7, 90))
        steps = self._path("negotiation") + [s.key for s in self.stages if s.kind == S.WON]
        moved = self._moves(created + dt.timedelta(days=1), closed - dt.timedelta(days=1), len(steps) - 2) + [closed]
        category = next((p[1] for p in PRODUCTS if p[0] == product), "")
        oid = self._deal(cid, owner, source, contact, self._title(product, category or product), total, steps[-1],
                         created, steps, moved, expected_close=day, closed_on=day)
        self.links.append((oid, sid))

    def _lost(self, cid: int, owner: str, source: str, contact: str) -> None:
        product, category, amount = self._offer()
        created = self.end - dt.timedelta(days=self._days(30, 700))
        closed = min(created + dt.timedelta(days=self._days(10, 120)), self.end - dt.timedelta(days=1))
        reached = _pick(self.r, [p for p in OPEN_SHARE if p[0] in self.probability])
        steps = self._path(reached) + [s.key for s in self.stages if s.kind == S.LOST]
        moved = self._moves(created + dt.timedelta(days=1), closed - dt.timedelta(days=1), len(steps) - 2) + [closed]
        reason = _pick(self.r, [p for p in LOST_SHARE if p[0] in LOST_REASONS])
        self._deal(cid, owner, source, contact, self._title(product, category), amount, steps[-1], created, steps,
                   moved, expected_close=closed.isoformat(), closed_on=closed.isoformat(), lost_reason=reason,
                   lost_note=LOST_NOTES.get(reason, ""),
                   competitors=COMPETITORS[int(self.r() * len(COMPETITORS))] if reason == "competitor" else "")

    # ------------------------------------------------------------ a chunk
    def chunk(self, customers: list[tuple], customer_columns: tuple[str, ...], lines: list[tuple],
              ids: dict[str, int]) -> tuple[list[tuple], list[tuple], dict[str, list]]:
        """One chunk of the generator's customers and their lines (in ``TRANSACTION_COLUMNS``):
        the lines in ``LINE_COLUMNS`` (accessories added), the change-log rows of the deals (in
        the generator's columns) and the rows of the sales tables (``TABLES``). Ids of lines
        and change-log rows come from the generator's ``ids``, so that its next chunk follows."""
        self.shared = ids
        at = {name: customer_columns.index(name) for name in
              ("id", "owner", "payment_terms", "stage", "source", "contact_person")}
        by_customer: dict[int, list] = {}
        for line in lines:
            by_customer.setdefault(line[4], []).append(line)
        for row in customers:
            cid = row[at["id"]]
            owner = row[at["owner"]]
            made = self.purchases(cid, owner, row[at["payment_terms"]], by_customer.get(cid, []))
            self.pipeline(cid, row[at["stage"]] or "", owner, row[at["source"]] or "", row[at["contact_person"]], made)
        won = dict((sid, oid) for oid, sid in self.links)
        for row in self.sales:
            row[13] = won.get(row[0])
        self.counts[0] += len(self.sales)
        self.counts[2] += len(self.opportunities)
        self.counts[3] += len(self.history)
        taken = (self.lines, self.changes, {"opportunity": self.opportunities, "stage_change": self.history,
                                            "sale": self.sales})
        self.sales, self.lines, self.opportunities, self.history, self.changes, self.links = [], [], [], [], [], []
        return taken

    def finish(self) -> DemoSales:
        """Once every chunk is in and the indexes are built: the visits made during a deal
        serve it (the customer's deal open on the visit's day)."""
        database.execute_sql(
            "UPDATE visit SET opportunity_id = (SELECT o.id FROM opportunity o WHERE o.customer_id = visit.customer_id "
            "AND o.batch_id = ? AND o.created_at <= visit.starts_at AND (o.closed_on IS NULL OR "
            "o.closed_on >= substr(visit.starts_at, 1, 10)) ORDER BY o.id LIMIT 1) "
            "WHERE opportunity_id IS NULL AND customer_id IN (SELECT customer_id FROM opportunity WHERE batch_id = ?)",
            [self.batch_id, self.batch_id])
        return DemoSales(len(self.products), *self.counts)


# The tables filled beside the generator's, in the order they are written; the lines gain
# these columns.
TABLES = (("opportunity", OPPORTUNITY_COLUMNS), ("stage_change", STAGE_COLUMNS), ("sale", SALE_COLUMNS))
LINE_EXTRA = LINE_COLUMNS[13:]


def _discount(unit: int, price: Optional[int]) -> Optional[float]:
    """The percent off the list price a unit price is (None without a list price)."""
    return round(100 - 100 * unit / price, 1) if price else None
