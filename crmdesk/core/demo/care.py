"""Demo care: a care history as if the rules had run while the demo's sales team worked, and
a points ledger, so that the care tab shows something in every view.

For about three customers in ten: birthday greetings to their contacts (and to individual
customers) with a birthday in the last year, festival greetings to key accounts at 中秋,
国庆 and 春节 of the demo period, follow-ups after some of the last year's purchases, now
and then a satisfaction survey, and a few gifts for points. Most are done, with a result and
the customer's response, some skipped with a reason; those around the demo's "now" (``NOW``,
the evening of ``END_DATE``) are still open: overdue, due today, due this week, a few
snoozed. Every event a rule would have made carries the rule's own key
(``care_rules``: "birthday:p<contact uuid>:2026-09-25", "festival:spring:2026:<customer uuid>"),
and the uuid that key gives (``made_ids``), so a rules run afterwards creates none of them again. Like the complaints' follow-ups,
they write nothing to the change log (the demo's batch holds the customers' creation and
the complaints').

Points: every purchase of every customer earns one point per yuan (``care_settings`` is
stored with points from the demo's first day, and the rules' mark after the last purchase,
so they credit nothing twice), and the gifts are redeemed from the balance.

Running the rules day by day over the demo's last months is far too slow for a big demo;
the rows are made here and inserted with ``executemany``, drawn from a ``random.Random``
of their own, so the customers are the same with or without them."""
from __future__ import annotations

import datetime as dt
import json
import random
from typing import Optional

from crmdesk.core.care import dates as D
from crmdesk.core.care import fields as C
from crmdesk.core.made_ids import made_uuid, points_uuid_sql
from crmdesk.core.models import database
from crmdesk.core.care import rules as care_rules, settings as care_settings
from crmdesk.core.demo.complaints import CHANGE_COLUMNS, NOW
from crmdesk.core.demo.vocabulary import CHUNK, END_DATE, START_DATE, pick_one, uuid_from_bits

SHARE = 0.3  # customers with a care history
HISTORY_DAYS = 365  # how far back birthdays and purchase follow-ups go
OPEN_DAYS = 7  # events due within this many days before NOW are still open (overdue)
AHEAD_DAYS = 6  # ... and up to this many days after it (this week)
PURCHASE_SHARE = 0.35  # purchases of the last year followed up
SURVEY_SHARE = 0.12
GIFT_SHARE = 0.08
SKIP_SHARE = 0.12
SNOOZE_SHARE = 0.15  # of the open events
FESTIVALS = ("spring", "mid_autumn", "national")
SHOWCASE = 4  # the first customers with a care history get a survey due today and a call overdue

EVENT_COLUMNS = ("id", "uuid", "created_at", "updated_at", "customer_id", "contact_id", "kind", "due_on",
                 "channel", "title", "message", "state", "snoozed_until", "result", "response", "done_at",
                 "rule", "version", "occasion", "facts")
POINTS_COLUMNS = ("uuid", "created_at", "updated_at", "customer_id", "on", "points", "kind", "note",
                  "care_event_id")

BIRTHDAY_RESULTS = ("已发微信祝福", "已发微信祝福并送上生日红包", "已电话祝福", "已发短信祝福", "已寄送生日贺卡",
                    "已送蛋糕券")
FESTIVAL_RESULTS = {"spring": ("已发微信拜年", "已电话拜年", "已寄送新春礼盒", "已送春联和福字"),
                    "mid_autumn": ("已寄送月饼礼盒", "已发微信中秋祝福", "已上门送月饼"),
                    "national": ("已发微信国庆祝福", "已发短信问候")}
PURCHASE_RESULTS = ("已电话回访，设备运行正常", "已回访，客户反馈使用顺利", "已回访，已安排技术人员上门调试",
                    "已回访，客户需要补发说明书，已寄出", "已回访，客户对送货速度满意", "已回访，客户询问续保政策，已发报价")
SURVEY_TITLES = ("年度客户满意度调查", "售后服务满意度调查", "新品试用满意度调查")
SURVEY_RESULTS = ("满意度 5 分，很满意", "满意度 4 分，希望缩短交货周期", "满意度 4 分，对业务员的服务很认可",
                  "满意度 3 分，对售后响应速度有意见", "满意度 5 分，愿意推荐给同行")
RESPONSES = ("客户回复感谢", "客户回复：谢谢，也祝你们生意兴隆！", "客户表示满意", "客户回了一个大拇指表情",
             "客户说下个月还要追加订单", "客户回复：收到，谢谢关心", "", "")
SKIP_REASONS = ("联系人已离职，联系方式失效", "联系人休假中，改由同事跟进", "客户要求不再发送节日问候",
                "电话多次未接通", "与投诉回访重复，合并处理", "本周刚拜访过，无需再联系")
GIFTS = (("定制保温杯", 300), ("品牌雨伞", 200), ("办公绿植", 500), ("中秋月饼礼盒", 800), ("茶叶礼盒", 1200),
         ("京东购物卡 200 元", 2000))
ROUTINE_TITLES = ("回访新品试用情况", "确认年度框架协议续签意向", "了解下季度采购计划")
CHANNEL_BY_KIND = {C.BIRTHDAY: "wechat", C.FESTIVAL: "wechat", C.PURCHASE: "phone", C.SURVEY: "phone",
                   C.GIFT: "gift", C.ROUTINE: "phone"}


class CareMaker:
    def __init__(self, seed: int, first_id: int, batch_id: int, purchase_after: int):
        self.rng = random.Random(seed * 1_000_037 + 23)
        self.r = self.rng.random
        self.bits = self.rng.getrandbits
        self.next_id = first_id
        self.batch_id = batch_id
        self.after = purchase_after
        self.events: list[tuple] = []
        self.points: list[tuple] = []
        self.changes: list[tuple] = []  # done and skipped events in the customers' timelines
        self.shown = 0  # customers given a care history so far
        self.first = END_DATE - dt.timedelta(days=HISTORY_DAYS)
        self.festivals = [(key, day) for key, day in D.festivals_between(START_DATE, END_DATE, FESTIVALS)]
        self.lunar = care_rules.lunar_table(range(self.first.year - 1, END_DATE.year + 1))

    def birthdays_between(self, month: int, day: int, calendar: str, start: dt.date, end: dt.date) -> list[dt.date]:
        if calendar != "lunar":
            return D.birthdays_between(month, day, calendar, start, end)
        found = (self.lunar.get((year, month, day)) for year in range(start.year - 1, end.year + 1))
        return sorted(d for d in found if d is not None and start <= d <= end)

    def take(self) -> tuple[list, list, list]:
        found = (self.events, self.points, self.changes)
        self.events, self.points, self.changes = [], [], []
        return found

    def chosen(self) -> bool:
        return self.r() < SHARE

    # ------------------------------------------------------------ one customer
    def customer(self, cid: int, key: str, owner: str, tier: str, created: dt.date, birthdays: list[tuple],
                 purchases: list[tuple[dt.date, int, int, int]]) -> None:
        """``key``: the customer's uuid; ``birthdays``: (contact id or None, its uuid, month,
        day, calendar); ``purchases``: (day, lines, amount in fen, points) by day."""
        r = self.r
        self.shown += 1
        start = max(self.first, created)
        for pid, person, month, day, calendar in birthdays:
            try:
                D.check_birthday(month, day, calendar)
            except D.BadDate:
                continue
            for due in self.birthdays_between(month, day, calendar, start, END_DATE + dt.timedelta(days=AHEAD_DAYS)):
                rule = f"birthday:p{person}:{due.isoformat()}" if pid else f"birthday:c{key}:{due.isoformat()}"
                self._event(cid, pid, owner, C.BIRTHDAY, due, rule=rule, occasion=calendar,
                            facts={"calendar": calendar, "month": month, "day": day})
        if tier == "key":
            for name, day in self.festivals:
                if day >= created:
                    self._event(cid, None, owner, C.FESTIVAL, day, rule=f"festival:{name}:{day.year}:{key}",
                                occasion=name)
        for bought, lines, amount, _points in purchases:
            due = bought + dt.timedelta(days=self.after)
            if bought < start or due > END_DATE + dt.timedelta(days=AHEAD_DAYS) or amount <= 0:
                continue
            if due >= END_DATE - dt.timedelta(days=OPEN_DAYS) or r() < PURCHASE_SHARE:
                self._event(cid, None, owner, C.PURCHASE, due, rule=f"purchase:{key}:{bought.isoformat()}",
                            facts={"date": bought.isoformat(), "lines": lines, "amount": amount / 100})
        if r() < SURVEY_SHARE:
            due = END_DATE - dt.timedelta(days=OPEN_DAYS + 1 + int(r() * 300))
            if due >= created:
                self._event(cid, None, owner, C.SURVEY, due, title=pick_one(r, SURVEY_TITLES))
        if self.shown <= SHOWCASE:  # whatever the seed: one due today, one overdue
            self._event(cid, None, owner, C.SURVEY, END_DATE, title=SURVEY_TITLES[0])
            self._event(cid, None, owner, C.ROUTINE, END_DATE - dt.timedelta(days=2 + self.shown),
                        title=ROUTINE_TITLES[self.shown % len(ROUTINE_TITLES)])
        if purchases and r() < GIFT_SHARE:
            self._gift(cid, owner, start, purchases)

    # ------------------------------------------------------------ one event
    def _event(self, cid: int, pid: Optional[int], owner: str, kind: str, due: dt.date, rule: Optional[str] = None,
               occasion: str = "", facts: Optional[dict] = None, title: str = "") -> None:
        r = self.r
        eid = self.next_id
        self.next_id += 1
        uuid = uuid_from_bits(self.bits(128))  # drawn whatever the key: the same stream either way
        if rule:
            uuid = made_uuid(rule)
        created = "%s 07:%02d:%02d" % ((due - dt.timedelta(days=7)).isoformat(), int(r() * 60), int(r() * 60))
        channel = CHANNEL_BY_KIND.get(kind, "phone")
        state, snoozed, result, response, done_at = C.DUE, None, "", "", None
        if due > END_DATE - dt.timedelta(days=OPEN_DAYS):  # around NOW: not done yet
            if due < END_DATE and r() < SNOOZE_SHARE:
                state, snoozed = C.SNOOZED, END_DATE + dt.timedelta(days=1 + int(r() * 4))
        elif r() < SKIP_SHARE:
            state, result = C.SKIPPED, pick_one(r, SKIP_REASONS)
        else:
            state = C.DONE
            if kind == C.BIRTHDAY:
                result = pick_one(r, BIRTHDAY_RESULTS)
                channel = "phone" if "电话" in result else "sms" if "短信" in result else \
                    "gift" if ("寄送" in result or "蛋糕" in result) else "wechat"
            elif kind == C.FESTIVAL:
                result = pick_one(r, FESTIVAL_RESULTS.get(occasion, FESTIVAL_RESULTS["national"]))
                channel = "phone" if "电话" in result else "sms" if "短信" in result else \
                    "visit" if "上门" in result else "gift" if "寄送" in result or "送" in result[:2] else "wechat"
            elif kind == C.SURVEY:
                result = pick_one(r, SURVEY_RESULTS)
            else:
                result = pick_one(r, PURCHASE_RESULTS)
            response = pick_one(r, RESPONSES)
        if state in (C.DONE, C.SKIPPED):
            late = 0 if r() < 0.7 else 1 + int(r() * 3)
            moment = dt.datetime.combine(due + dt.timedelta(days=late), dt.time(9)) + dt.timedelta(
                minutes=int(r() * 540))
            done_at = min(moment, NOW).isoformat(" ")
        updated = done_at or created
        if done_at:  # as care.mark_done and care.skip log it
            self.changes.append((done_at, owner or "demo", "care_event", eid, uuid, cid, "updated", state, kind,
                                 result, self.batch_id))
        self.events.append((eid, uuid, created, updated, cid, pid, kind, due.isoformat(), channel, title, "", state,
                            snoozed and snoozed.isoformat(), result, response, done_at, rule,
                            2 if state != C.DUE else 1, occasion,
                            json.dumps(facts, ensure_ascii=False) if facts else ""))

    def _gift(self, cid: int, owner: str, start: dt.date, purchases: list[tuple]) -> None:
        r = self.r
        day = END_DATE - dt.timedelta(days=OPEN_DAYS + 1 + int(r() * 200))
        if day < start:
            return
        earned = sum(p for bought, _lines, _amount, p in purchases if bought < day)
        gift, cost = pick_one(r, GIFTS)
        if earned < cost:
            return
        eid = self.next_id
        self.next_id += 1
        uuid = uuid_from_bits(self.bits(128))
        at = dt.datetime.combine(day, dt.time(10)) + dt.timedelta(minutes=int(r() * 420))
        stamp = at.isoformat(" ")
        self.events.append((eid, uuid, stamp, stamp, cid, None, C.GIFT, day.isoformat(), "gift", gift, "", C.DONE,
                            None, gift, pick_one(r, RESPONSES), stamp, None, 1, "", json.dumps({"points": cost})))
        self.points.append((uuid_from_bits(self.bits(128)), stamp, stamp, cid, day.isoformat(), -cost, "redeemed", gift, eid))
        self.changes.append((stamp, owner or "demo", "care_event", eid, uuid, cid, "updated", C.DONE, C.GIFT,
                             f"{gift} (-{cost})", self.batch_id))


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'


def _earned_points() -> int:
    """Every purchase's points, one per yuan, on its day: one INSERT ... SELECT."""
    stamp = NOW.replace(hour=8, minute=0).isoformat(" ")
    return database.execute_sql(
        'INSERT INTO points_entry (uuid, created_at, updated_at, customer_id, "on", points, kind, note, '
        f"transaction_id) SELECT {points_uuid_sql('t.uuid')}, t.date || ' 20:00:00', ?, t.customer_id, t.date, "
        "CAST(t.amount / 100 AS INTEGER), 'earned', '', t.id FROM transactions t "
        "WHERE t.deleted_at IS NULL AND t.amount >= 100 ORDER BY t.id", (stamp,)).rowcount


def _settings() -> None:
    """Points from the demo's first day, already credited up to its last purchase."""
    rules = care_settings.load()
    if not rules.points_from:
        from dataclasses import replace
        rules = replace(rules, points_from=START_DATE.isoformat())
        database.execute_sql('INSERT OR REPLACE INTO setting ("key", "value") VALUES (?, ?)',
                             (care_settings.RULES_KEY, json.dumps(rules.as_json(), ensure_ascii=False)))
    top = database.execute_sql("SELECT max(id) FROM transactions").fetchone()[0] or 0
    database.execute_sql('INSERT OR REPLACE INTO setting ("key", "value") VALUES (?, ?)',
                         (care_rules.PURCHASE_MARK_KEY, json.dumps(top)))


def generate(seed: int, batch_id: int) -> tuple[int, int, int]:
    """Every chosen customer's care history, the points ledger, the settings that go with
    it. Runs inside the demo's transaction, after the customers, contacts, transactions
    and complaints, with their indexes in place. (care events, points entries, timeline entries)"""
    first = (database.execute_sql("SELECT max(id) FROM care_event").fetchone()[0] or 0) + 1
    after = care_settings.load().purchase.days
    maker = CareMaker(seed, first, batch_id, after)
    connection = database.connection()
    statements = [_insert_sql(t, cols) for t, cols in (("care_event", EVENT_COLUMNS),
                                                         ("points_entry", POINTS_COLUMNS),
                                                         ("change_log", CHANGE_COLUMNS))]
    points = _earned_points()
    counts = [0, 0, 0]
    cursor = database.execute_sql(
        "SELECT id, uuid, owner, tier, kind, birthday_month, birthday_day, birthday_calendar, created_at FROM customer "
        "WHERE deleted_at IS NULL ORDER BY id")
    while True:
        rows = cursor.fetchmany(CHUNK)
        if not rows:
            break
        chosen = [row for row in rows if maker.chosen()]
        if not chosen:
            continue
        ids = [row[0] for row in chosen]
        marks = ",".join("?" * len(ids))
        birthdays: dict[int, list[tuple]] = {}
        for pid, person, cid, month, day, calendar in database.execute_sql(
                f"SELECT id, uuid, customer_id, birthday_month, birthday_day, birthday_calendar FROM contact "
                f"WHERE customer_id IN ({marks}) AND deleted_at IS NULL AND birthday_month IS NOT NULL "
                f"AND birthday_day IS NOT NULL ORDER BY id", ids):
            birthdays.setdefault(cid, []).append((pid, person, month, day, "lunar" if calendar == "lunar" else "solar"))
        purchases: dict[int, list[tuple]] = {}
        for cid, day, lines, amount, earned in database.execute_sql(
                f"SELECT customer_id, date, count(*), sum(amount), sum(CASE WHEN amount >= 100 THEN amount / 100 "
                f"ELSE 0 END) FROM transactions WHERE customer_id IN ({marks}) AND deleted_at IS NULL "
                f"GROUP BY customer_id, date ORDER BY customer_id, date", ids):
            purchases.setdefault(cid, []).append((dt.date.fromisoformat(str(day)), lines, amount, earned))
        for cid, key, owner, tier, kind, month, day, calendar, created in chosen:
            own = list(birthdays.get(cid, ()))
            if kind == "individual" and month and day:
                own.append((None, None, month, day, "lunar" if calendar == "lunar" else "solar"))
            maker.customer(cid, key, owner, tier, dt.date.fromisoformat(str(created)[:10]), own, purchases.get(cid, []))
        for index, (sql, made) in enumerate(zip(statements, maker.take())):
            if made:
                connection.executemany(sql, made)
                counts[index] += len(made)
    _settings()
    return counts[0], points + counts[1], counts[2]
