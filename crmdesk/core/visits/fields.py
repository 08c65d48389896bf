"""What a visit is made of: its kinds, its states, the tiers' default frequencies, and the
visits sheet's columns (export), in both languages. One definition for the services, the
export, the command line and the screens."""
from __future__ import annotations

from crmdesk.core.customers.fields import Choice, Column

# The steps of developing a customer, as the course teaches them, plus service and care.
KINDS = (
    Choice("first_visit", "初次拜访"),
    Choice("needs_analysis", "需求分析"),
    Choice("presentation", "产品介绍/演示"),
    Choice("negotiation", "商务谈判"),
    Choice("delivery", "交付"),
    Choice("after_sales", "售后服务"),
    Choice("care", "关怀拜访"),
    Choice("win_back", "流失挽回"),
)
KIND_KEYS = tuple(c.key for c in KINDS)

PLANNED, DONE, POSTPONED, CANCELLED, MISSED = "planned", "done", "postponed", "cancelled", "missed"
STATES = (
    Choice(PLANNED, "计划中"),
    Choice(DONE, "已完成"),
    Choice(POSTPONED, "已改期"),
    Choice(CANCELLED, "已取消"),
    Choice(MISSED, "未拜访"),
)
STATE_KEYS = tuple(c.key for c in STATES)
# planned -> done | postponed | cancelled | missed; the others are final. A done visit's
# record can still be corrected (done -> done).
TRANSITIONS = {PLANNED: {DONE, POSTPONED, CANCELLED, MISSED}, DONE: {DONE}}

# How often each tier should be seen, in days (Settings ▸ Visits changes them); None: not
# tracked. "none" is for customers without a tier.
DEFAULT_FREQUENCY = {"key": 14, "relationship": 30, "transactional": 90, "none": 60}
FREQUENCY_TIERS = ("key", "relationship", "transactional", "none")
MAX_FREQUENCY = 3650

VISIT_COLUMNS: tuple[Column, ...] = (
    Column("customer_code", "客户编号", "Customer No."),
    Column("customer_name", "客户名称", "Name"),
    Column("starts_at", "开始时间", "Start"),
    Column("ends_at", "结束时间", "End"),
    Column("kind", "拜访类型", "Kind"),
    Column("state", "状态", "State"),
    Column("rep", "拜访人", "Rep"),
    Column("contacts", "拜访对象", "Contacts"),
    Column("place", "地点", "Place"),
    Column("objective", "拜访目的", "Objective"),
    Column("talking_points", "洽谈要点", "Talking points"),
    Column("materials", "携带资料", "Materials"),
    Column("expected_result", "预期结果", "Expected result"),
    Column("outcome", "拜访经过", "What happened"),
    Column("objections", "异议与答复", "Objections and answers"),
    Column("rating", "效果评分", "Rating"),
    Column("follow_up", "后续行动", "Follow-up"),
    Column("reason", "改期/取消原因", "Reason"),
    Column("recorded_at", "记录时间", "Recorded"),
)


def label(choices: tuple[Choice, ...], key: str, lang: str) -> str:
    choice = next((c for c in choices if c.key == key), None)
    if choice is None:
        return key or ""
    return choice.zh if lang == "zh" else choice.en
