"""What a care event is made of: its kinds, channels and states, the rules that create
events and their defaults, the greeting placeholders, and the care sheet's columns, in both
languages. One definition for the services, the export, the command line and the screens."""
from __future__ import annotations

from crmdesk.core.customers.fields import Choice, Column
from crmdesk.core.visits.fields import label  # noqa: F401 - a choice's label in a language

BIRTHDAY, FESTIVAL, PURCHASE, COMPLAINT, SURVEY, ANNIVERSARY, GIFT, ROUTINE, INACTIVE = (
    "birthday", "festival", "purchase_follow_up", "complaint_follow_up", "survey", "anniversary", "gift",
    "routine", "inactivity")
PAYMENT_DUE = "payment_due"  # a sale unpaid past its due date (issue 19, receivables)
KINDS = (
    Choice(BIRTHDAY, "生日祝福", english="Birthday"),
    Choice(FESTIVAL, "节日问候", english="Festival greeting"),
    Choice(PURCHASE, "购后回访", english="After a purchase"),
    Choice(COMPLAINT, "投诉回访", english="After a complaint"),
    Choice(SURVEY, "满意度调查", english="Satisfaction survey"),
    Choice(ANNIVERSARY, "合作周年", english="Anniversary"),
    Choice(GIFT, "礼品/奖励", english="Gift or reward"),
    Choice(ROUTINE, "日常联系", english="Routine contact"),
    Choice(INACTIVE, "久未联系提醒", english="Inactivity check"),
    Choice(PAYMENT_DUE, "催收应收款", english="Payment due"),
)
KIND_KEYS = tuple(c.key for c in KINDS)

CHANNELS = (
    Choice("phone", "电话"),
    Choice("wechat", "微信", english="WeChat"),
    Choice("sms", "短信", english="SMS"),
    Choice("email", "邮件"),
    Choice("visit", "上门", english="Visit"),
    Choice("gift", "礼品"),
)
CHANNEL_KEYS = tuple(c.key for c in CHANNELS)

DUE, DONE, SKIPPED, SNOOZED = "due", "done", "skipped", "snoozed"
STATES = (Choice(DUE, "待办"), Choice(DONE, "已完成"), Choice(SKIPPED, "已跳过"), Choice(SNOOZED, "已推迟"))
STATE_KEYS = tuple(c.key for c in STATES)
PENDING = (DUE, SNOOZED)

# The day an event shows on: a snoozed one on the day it was put off to.
SHOWN_ON = "COALESCE(e.snoozed_until, e.due_on)"

# Rules (``care.rules``): each on or off, with its days. ``ahead``: how many days
# before the occasion the event appears; ``after``: how many days after the purchase.
RULES = ("birthdays", "festivals", "purchase", "anniversary", "no_contact", "no_purchase", "payment_due")
MAX_DAYS = 3650
CATCH_UP_DAYS = 60  # how far back a run looks for occasions missed while the app was closed
CHURN_FACTOR = 1.5  # no purchase for this many times the usual interval: a churn warning
MIN_PURCHASES = 3  # a usual interval needs at least two intervals

# Greeting placeholders: the Chinese and the English name of each.
PLACEHOLDERS = (
    ("salutation", "称呼"),
    ("name", "姓名"),
    ("company", "公司"),
    ("festival", "节日"),
    ("years", "客户年数"),
)

CARE_COLUMNS: tuple[Column, ...] = (
    Column("due_on", "日期", "Due"),
    Column("kind", "类型", "Kind"),
    Column("state", "状态", "State"),
    Column("customer_code", "客户编号", "Customer No."),
    Column("customer_name", "客户名称", "Customer"),
    Column("contact", "联系人", "Contact"),
    Column("phone", "电话", "Phone"),
    Column("wechat", "微信", "WeChat"),
    Column("channel", "方式", "Channel"),
    Column("title", "事由", "Subject"),
    Column("message", "内容", "Message"),
    Column("snoozed_until", "推迟到", "Snoozed until"),
    Column("done_at", "完成时间", "Done"),
    Column("result", "结果", "Result"),
    Column("response", "客户反馈", "Customer's response"),
    Column("owner", "负责人", "Owner"),
)
GREETING_COLUMNS: tuple[Column, ...] = (
    Column("customer_code", "客户编号", "Customer No."),
    Column("customer_name", "客户名称", "Customer"),
    Column("recipient", "收件人", "Recipient"),
    Column("salutation", "称呼", "Salutation"),
    Column("mobile", "手机", "Mobile"),
    Column("email", "邮箱", "Email"),
    Column("wechat", "微信", "WeChat"),
    Column("address", "地址", "Address"),
    Column("occasion", "事由", "Occasion"),
    Column("due_on", "日期", "Date"),
    Column("text", "祝福语", "Greeting"),
)
