"""The words the analytics report writes, in Chinese and English: sheet titles, the loyalty
factors, the RFM segments, the churn signs (with their figures), the causes of loss and the
tiers' labels. Plain tables and functions, no Qt: the Excel report and the command line
read them; ``lang`` is "zh" or "en"."""
from __future__ import annotations

from typing import Optional

from crmdesk.core.customers import fields as F

SHEETS = {"summary": ("概览", "Summary"), "abc": ("ABC分类", "ABC"), "suggestions": ("建议等级", "Suggested tiers"),
          "value": ("客户价值", "Lifetime value"), "loyalty": ("忠诚度", "Loyalty"), "rfm": ("RFM", "RFM"),
          "at_risk": ("流失预警", "At risk"), "lost": ("流失原因", "Lost causes"),
          "satisfaction": ("满意度", "Satisfaction")}

FACTORS = {"duration": ("关系持续时间", "Relationship duration"), "frequency": ("购买频率", "Purchase frequency"),
           "frequency_trend": ("频率趋势", "Frequency trend"), "wallet_share": ("钱包份额", "Wallet share"),
           "cross_buying": ("交叉购买", "Cross-buying"), "mentions": ("口碑推荐", "Mentions"),
           "price_sensitivity": ("价格敏感度", "Price sensitivity"),
           "voluntariness": ("购买自愿性", "Voluntariness"), "satisfaction": ("满意度", "Satisfaction")}

SEGMENTS = {"champions": ("重要价值客户", "Champions"), "loyal": ("忠诚客户", "Loyal"),
            "potential": ("潜力客户", "Potential loyalists"), "new": ("新客户", "New customers"),
            "at_risk": ("流失风险客户", "At risk"), "cannot_lose": ("不能失去的客户", "Cannot lose them"),
            "hibernating": ("沉睡客户", "Hibernating"), "lost": ("已流失客户", "Lost"),
            "need_attention": ("需要关注", "Need attention")}

CAUSES = {"product": ("产品", "Product"), "service": ("服务", "Service"), "staff": ("员工", "Staff"),
          "image": ("形象", "Image"), "customer": ("客户自身", "The customer"),
          "competitor": ("竞争对手", "Competitors"), "": ("未记录", "Not recorded")}

NO_TIER = ("未分级", "No tier")


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def sheet(key: str, lang: str) -> str:
    return pick(SHEETS[key], lang)


def factor(key: str, lang: str) -> str:
    return pick(FACTORS.get(key, (key, key)), lang)


def segment(key: str, lang: str) -> str:
    return pick(SEGMENTS.get(key, (key, key)), lang)


def cause(key: Optional[str], lang: str) -> str:
    return pick(CAUSES.get(key or "", (key, key)), lang)


def tier(key: Optional[str], lang: str) -> str:
    return F.enum_label("tier", key, lang) if key else pick(NO_TIER, lang)


def relationship(key: Optional[str], lang: str) -> str:
    return F.enum_label("relationship", key, lang)


def why(cls: str, score: Optional[float], lang: str) -> str:
    """Why a tier is suggested: the ABC class and the evaluation score."""
    if lang == "zh":
        return f"{cls}类客户，评估分 {score:.1f}" if score is not None else f"{cls}类客户，尚无评估分"
    return f"class {cls}, evaluation score {score:.1f}" if score is not None else f"class {cls}, no evaluation score yet"


def sign(reason: str, figures: dict, lang: str) -> str:
    """One churn sign in words, with its figures."""
    f = figures
    if reason == "no_purchase":
        if lang == "zh":
            return (f"{f['days']}天未购买（平均间隔{f['interval']}天，预警线{f['threshold']}天，"
                    f"最后一次购买{f['last']}）")
        return (f"no purchase for {f['days']} days (usual interval {f['interval']} days, warning after "
                f"{f['threshold']}, last purchase {f['last']})")
    if reason == "falling_frequency":
        if lang == "zh":
            return f"购买频率下降（近12个月{f['last_12m']}天有购买，之前12个月{f['previous_12m']}天）"
        return (f"falling frequency ({f['last_12m']} days of purchase in the last 12 months, "
                f"{f['previous_12m']} in the 12 before)")
    if reason == "open_complaints":
        if lang == "zh":
            return f"近期有{f['count']}个未解决的投诉"
        return f"{f['count']} open complaint lately" if f["count"] == 1 else f"{f['count']} open complaints lately"
    if reason == "low_satisfaction":
        if lang == "zh":
            return f"投诉后满意度低（{f['satisfaction']}/5）"
        return f"low satisfaction after complaints ({f['satisfaction']} of 5)"
    return reason


def signs(found, lang: str) -> str:
    """A customer's churn signs (``churn.Sign``) as one text."""
    return ("；" if lang == "zh" else "; ").join(sign(s.reason, s.figures, lang) for s in found)
