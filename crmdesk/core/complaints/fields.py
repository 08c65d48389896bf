"""What a complaint is made of: channels, categories, severities, states and the way
between them, each step's checklist, the satisfaction scales, the default deadlines, and
the complaints sheet's columns, in both languages. One definition for the services, the
export, the command line and the screens."""
from __future__ import annotations

from crmdesk.core.customers.fields import Choice, Column
from crmdesk.core.visits.fields import label  # noqa: F401 - a choice's label in a language, as for visits

CHANNELS = (
    Choice("phone", "电话"),
    Choice("visit", "来访"),
    Choice("email", "邮件"),
    Choice("wechat", "微信"),
    Choice("letter", "信函"),
    Choice("web", "网站"),
    Choice("other", "其他"),
)
CHANNEL_KEYS = tuple(c.key for c in CHANNELS)

# The usual causes the course names (product, service, attitude, promises not kept), plus
# the two a help desk sees most besides.
CATEGORIES = (
    Choice("product_quality", "产品质量"),
    Choice("service_quality", "服务质量"),
    Choice("staff_attitude", "服务态度"),
    Choice("promise_not_kept", "承诺未兑现"),
    Choice("delivery", "交付/物流"),
    Choice("price_billing", "价格/账单"),
    Choice("other", "其他"),
)
CATEGORY_KEYS = tuple(c.key for c in CATEGORIES)

LOW, NORMAL, HIGH, CRITICAL = "low", "normal", "high", "critical"
SEVERITIES = (Choice(LOW, "低"), Choice(NORMAL, "一般"), Choice(HIGH, "高"), Choice(CRITICAL, "紧急"))
SEVERITY_KEYS = tuple(c.key for c in SEVERITIES)

COMPENSATIONS = (
    Choice("none", "无"),
    Choice("refund", "退款"),
    Choice("replacement", "换货"),
    Choice("repair", "维修"),
    Choice("discount", "折扣"),
    Choice("voucher", "代金券"),
    Choice("gift", "礼品"),
    Choice("other", "其他"),
)
COMPENSATION_KEYS = tuple(c.key for c in COMPENSATIONS)

NEW, ACKNOWLEDGED, INVESTIGATING, PROPOSED, RESOLVED, CLOSED = (
    "new", "acknowledged", "investigating", "proposed", "resolved", "closed")
STATES = (
    Choice(NEW, "新投诉"),
    Choice(ACKNOWLEDGED, "已受理"),
    Choice(INVESTIGATING, "调查中"),
    Choice(PROPOSED, "已提出方案"),
    Choice(RESOLVED, "已解决"),
    Choice(CLOSED, "已关闭"),
)
STATE_KEYS = tuple(c.key for c in STATES)
OPEN_STATES = (NEW, ACKNOWLEDGED, INVESTIGATING, PROPOSED)
# Forward one step at a time; a rejected solution goes back to the investigation; a
# resolved or closed complaint is reopened into it.
TRANSITIONS = {
    NEW: {ACKNOWLEDGED},
    ACKNOWLEDGED: {INVESTIGATING},
    INVESTIGATING: {PROPOSED},
    PROPOSED: {RESOLVED, INVESTIGATING},
    RESOLVED: {CLOSED, INVESTIGATING},
    CLOSED: {INVESTIGATING},
}
WAITABLE = (ACKNOWLEDGED, INVESTIGATING, PROPOSED)  # the clock may stop for the customer

# Each step's checklist, after the course's three steps (listen and let the customer
# explain; establish the facts; offer a solution and follow up). ``required``: the step
# after this one is refused until the item is done.
CHECKLIST = {
    NEW: (("words", True), ("contact", False)),
    ACKNOWLEDGED: (("first_response", True),),
    INVESTIGATING: (("facts", True), ("root_cause", False)),
    PROPOSED: (("solution", True), ("compensation", False)),
    RESOLVED: (("accepted", True),),
    CLOSED: (("satisfaction", True), ("follow_up", False)),
}

# Business hours to the first response and to the resolution, per severity.
DEFAULT_DEADLINES = {LOW: (24, 90), NORMAL: (8, 45), HIGH: (4, 18), CRITICAL: (1, 9)}
MAX_DEADLINE_HOURS = 9999
DUE_SOON_SHARE = 0.75  # a deadline is "due soon" once three quarters of its time is used

SATISFACTION = {
    5: ("很不满意", "不满意", "一般", "满意", "很满意"),
    7: ("很不满意", "不满意", "较不满意", "一般", "较满意", "满意", "很满意"),
}
SATISFACTION_EN = {
    5: ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"),
    7: ("Very dissatisfied", "Dissatisfied", "Somewhat dissatisfied", "Neutral", "Somewhat satisfied",
        "Satisfied", "Very satisfied"),
}
REPEAT_DAYS = 90
FOLLOW_UP_DAYS = 7

COMPLAINT_COLUMNS: tuple[Column, ...] = (
    Column("number", "投诉编号", "Complaint No."),
    Column("customer_code", "客户编号", "Customer No."),
    Column("customer_name", "客户名称", "Customer"),
    Column("contact", "联系人", "Contact"),
    Column("contact_phone", "联系电话", "Contact phone"),
    Column("channel", "投诉渠道", "Channel"),
    Column("received_at", "受理时间", "Received"),
    Column("category", "投诉类别", "Category"),
    Column("subcategory", "细分类别", "Subcategory"),
    Column("product", "涉及产品/交易", "Product or transaction"),
    Column("severity", "严重程度", "Severity"),
    Column("state", "状态", "State"),
    Column("owner", "负责人", "Owner"),
    Column("words", "客户原话", "Customer's words"),
    Column("facts", "查明事实", "Facts"),
    Column("root_cause", "根本原因", "Root cause"),
    Column("solution", "解决方案", "Solution"),
    Column("compensation_kind", "补偿方式", "Compensation"),
    Column("compensation_amount", "补偿金额", "Compensation amount"),
    Column("accepted", "客户是否接受", "Accepted"),
    Column("response_due_at", "响应期限", "Respond by"),
    Column("first_response_at", "首次响应", "First response"),
    Column("resolution_due_at", "解决期限", "Resolve by"),
    Column("resolved_at", "解决时间", "Resolved"),
    Column("closed_at", "关闭时间", "Closed"),
    Column("response_hours", "响应用时(工时)", "Hours to respond"),
    Column("resolution_hours", "解决用时(工时)", "Hours to resolve"),
    Column("on_time", "按期解决", "Resolved on time"),
    Column("satisfaction", "满意度", "Satisfaction"),
    Column("repeat_of", "重复投诉", "Repeat of"),
    Column("reopened", "重开次数", "Times reopened"),
)
CONTACT_COLUMNS: tuple[Column, ...] = (
    Column("number", "投诉编号", "Complaint No."),
    Column("at", "时间", "When"),
    Column("channel", "方式", "Channel"),
    Column("by", "经办人", "By"),
    Column("note", "内容", "Note"),
)


def satisfaction_label(level: int | None, scale: int, lang: str) -> str:
    names = (SATISFACTION if lang == "zh" else SATISFACTION_EN).get(scale)
    if level is None or names is None or not 1 <= level <= len(names):
        return ""
    return names[level - 1]


def on_five(level: int, scale: int) -> float:
    """A level on any scale as a score from 1 to 5 (the customer's evaluation's scale)."""
    return 1 + (level - 1) * 4 / (scale - 1)
