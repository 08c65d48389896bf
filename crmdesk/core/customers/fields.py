"""The customer record as ``spec/customer-sheet.md`` defines it: one definition of every
column (key, headers, type, rules, synonyms) shared by the form, import, export and
validation."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

# Types
TEXT, LONGTEXT, CODE, PHONE, EMAIL, ENUM, DECIMAL, MONTH, SCORE, DATE, BIRTHDAY, TAGS = (
    "text", "longtext", "code", "phone", "email", "enum", "decimal", "month", "score",
    "date", "birthday", "tags")

# Sections of the profile, in the order a rep reads them.
BASIC, BUSINESS, CLASSIFICATION, EVALUATION, PERSONAL, LOGISTICS, OTHER = (
    "basic", "business", "classification", "evaluation", "personal", "logistics", "other")
SECTIONS = (BASIC, BUSINESS, CLASSIFICATION, EVALUATION, PERSONAL, LOGISTICS, OTHER)


@dataclass(frozen=True)
class Choice:
    key: str
    zh: str  # the first Chinese label: what a Chinese export writes
    synonyms: tuple[str, ...] = ()
    english: str = ""  # the English label, when the key does not read as one ("wechat")

    @property
    def en(self) -> str:
        """English label: ``english``, else the key with underscores as spaces, capital first letter."""
        if self.english:
            return self.english
        text = self.key.replace("_", " ")
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Field:
    key: str
    zh: str
    en: str
    type: str
    section: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    max_length: Optional[int] = None
    choices: tuple[Choice, ...] = ()
    default: Optional[str] = None

    def choice(self, key: str) -> Optional[Choice]:
        return next((c for c in self.choices if c.key == key), None)


KIND = (Choice("company", "企业", ("公司", "单位")), Choice("individual", "个人", ("个体",)))
SOURCE = (
    Choice("referral", "转介绍", ("介绍", "推荐")),
    Choice("advertising", "广告"),
    Choice("exhibition", "展会"),
    Choice("internet", "网络", ("互联网", "网上")),
    Choice("cold_call", "陌生拜访", ("陌拜",)),
    Choice("network", "人脉", ("关系",)),
    Choice("other", "其他", ("其它",)),
)
TIER = (
    Choice("key", "重点客户", ("大客户", "VIP", "A", "key account")),
    Choice("relationship", "关系型", ("R型", "B", "关系型客户")),
    Choice("transactional", "交易型", ("T型", "价格型", "C", "交易型客户")),
)
STAGE = (
    Choice("prospect", "潜在", ("潜在客户", "潜在期")),
    Choice("developing", "发展期", ("考察期",)),
    Choice("mature", "成熟期", ("稳定期",)),
    Choice("declining", "衰退期"),
    Choice("lost", "流失", ("已流失", "流失期")),
)
RELATIONSHIP = (
    Choice("transactional", "买卖关系"),
    Choice("preferred_supplier", "优先供应关系"),
    Choice("partner", "合作伙伴关系"),
    Choice("strategic_alliance", "战略联盟关系"),
)
CREDIT = tuple(Choice(k, k) for k in "ABCD")
GENDER = (Choice("male", "男", ("男性", "M")), Choice("female", "女", ("女性", "F")),
          Choice("unspecified", "未知", ("不详", "保密")))
CALENDAR = (Choice("solar", "公历", ("阳历", "新历")), Choice("lunar", "农历", ("阴历", "旧历")))


def _f(key, zh, en, type_, section, synonyms="", **kw) -> Field:
    syn = tuple(s.strip() for s in synonyms.split(",") if s.strip())
    return Field(key, zh, en, type_, section, syn, **kw)


CUSTOMER_FIELDS: tuple[Field, ...] = (
    _f("code", "客户编号", "Customer No.", CODE, BASIC, "编号, 客户代码, ID, Customer ID, Code", max_length=40),
    _f("name", "客户名称", "Name", TEXT, BASIC,
       "名称, 客户, 客户名, 公司名称, 单位名称, 姓名, Customer, Company, Customer Name",
       required=True, max_length=200),
    _f("kind", "客户类型", "Type", ENUM, BASIC, "类型, 企业/个人", choices=KIND, default="company"),
    _f("contact_person", "联系人", "Contact", TEXT, BASIC, "联系人姓名, 负责人姓名, Contact Person, Contact Name", max_length=100),
    _f("title", "职位", "Job Title", TEXT, BASIC, "职务, 头衔, Position", max_length=100),
    _f("mobile", "手机", "Mobile", PHONE, BASIC, "手机号, 手机号码, 移动电话, Cell, Mobile Phone"),
    _f("phone", "电话", "Phone", PHONE, BASIC, "座机, 固定电话, 联系电话, 办公电话, Tel, Telephone, Office Phone"),
    _f("fax", "传真", "Fax", PHONE, BASIC, "传真号"),
    _f("email", "邮箱", "Email", EMAIL, BASIC, "电子邮箱, 电子邮件, E-mail, Mail", max_length=254),
    _f("wechat", "微信", "WeChat", TEXT, BASIC, "微信号, WeChat ID", max_length=100),
    _f("country", "国家/地区", "Country", TEXT, BASIC, "国家, 国别, 国家或地区, Country/Region, Nation", max_length=60),
    _f("province", "省份", "Province", TEXT, BASIC, "省, State", max_length=50),
    _f("city", "城市", "City", TEXT, BASIC, "市", max_length=50),
    _f("district", "区县", "District", TEXT, BASIC, "区, 县, 区域", max_length=50),
    _f("address", "地址", "Address", TEXT, BASIC, "详细地址, 通讯地址, 联系地址, Street", max_length=300),
    _f("postal_code", "邮编", "Postal Code", CODE, BASIC, "邮政编码, Zip, ZIP Code", max_length=20),
    _f("website", "网址", "Website", TEXT, BUSINESS, "网站, 主页, URL", max_length=300),
    _f("industry", "行业", "Industry", TEXT, BUSINESS, "所属行业, 行业类别, Sector", max_length=100),
    _f("ownership", "企业性质", "Ownership", TEXT, BUSINESS, "公司性质, 单位性质", max_length=50),
    _f("company_size", "企业规模", "Company Size", TEXT, BUSINESS, "规模, 员工人数, Employees", max_length=50),
    _f("annual_revenue", "年销售额", "Annual Revenue", DECIMAL, BUSINESS, "全年销售额, 年营业额, Revenue"),
    _f("fiscal_year_start", "财年起始月", "Fiscal Year Start", MONTH, BUSINESS, "财年开始, 财务年度起始"),
    _f("source", "客户来源", "Source", ENUM, BUSINESS, "来源, 渠道, Lead Source", choices=SOURCE),
    _f("owner", "负责人", "Owner", TEXT, CLASSIFICATION, "销售代表, 业务员, 客户经理, Sales Rep, Account Manager", max_length=100),
    _f("tier", "客户等级", "Tier", ENUM, CLASSIFICATION, "等级, 级别, 客户级别, Level, Grade", choices=TIER),
    _f("stage", "生命周期阶段", "Lifecycle Stage", ENUM, CLASSIFICATION, "阶段, 客户阶段, Stage", choices=STAGE),
    _f("relationship", "关系类型", "Relationship", ENUM, CLASSIFICATION, "客户关系", choices=RELATIONSHIP),
    _f("credit_rating", "信用等级", "Credit Rating", ENUM, EVALUATION, "信用, 信誉等级", choices=CREDIT),
    _f("need_score", "需求度", "Need", SCORE, EVALUATION),
    _f("volume_score", "需求量", "Volume", SCORE, EVALUATION),
    _f("purchasing_power_score", "购买力", "Purchasing Power", SCORE, EVALUATION),
    _f("credit_score", "信誉度", "Creditworthiness", SCORE, EVALUATION),
    _f("decision_score", "决策权", "Decision Authority", SCORE, EVALUATION),
    _f("gender", "性别", "Gender", ENUM, PERSONAL, choices=GENDER),
    _f("birthday", "生日", "Birthday", BIRTHDAY, PERSONAL, "出生日期, 生日日期, Date of Birth, DOB"),
    _f("birthday_calendar", "生日历法", "Birthday Calendar", ENUM, PERSONAL, "历法, 公历/农历",
       choices=CALENDAR, default="solar"),
    _f("hometown", "籍贯", "Hometown", TEXT, PERSONAL, "出生地", max_length=100),
    _f("education", "学历", "Education", TEXT, PERSONAL, "教育程度", max_length=50),
    _f("hobbies", "兴趣爱好", "Interests", TEXT, PERSONAL, "爱好, 兴趣, Hobbies", max_length=500),
    _f("preferences", "偏好与忌讳", "Preferences", TEXT, PERSONAL, "偏好, 忌讳, 口味", max_length=500),
    _f("delivery_preference", "送货要求", "Delivery Preference", TEXT, LOGISTICS, "送货偏好, 物流要求", max_length=500),
    _f("payment_terms", "付款方式", "Payment Terms", TEXT, LOGISTICS, "结算方式, 账期", max_length=200),
    _f("bank_name", "开户银行", "Bank", TEXT, LOGISTICS, "开户行", max_length=100),
    _f("bank_account", "银行账号", "Bank Account", CODE, LOGISTICS, "账号", max_length=40),
    _f("tax_id", "税号", "Tax ID", CODE, LOGISTICS, "统一社会信用代码, 纳税人识别号", max_length=30),
    _f("tags", "标签", "Tags", TAGS, OTHER),
    _f("notes", "备注", "Notes", LONGTEXT, OTHER, "说明, 附注, Remarks, Comment", max_length=20000),
    _f("created_at", "建档日期", "Created", DATE, OTHER, "建档时间, 创建日期"),
)

BY_KEY: dict[str, Field] = {f.key: f for f in CUSTOMER_FIELDS}
SCORE_KEYS = tuple(f.key for f in CUSTOMER_FIELDS if f.type == SCORE)


def enum_label(key: str, value: Optional[str], lang: str) -> str:
    """The label an export in ``lang`` ("zh" or "en") writes for an enum value."""
    if not value:
        return ""
    choice = BY_KEY[key].choice(value)
    if choice is None:
        return value
    return choice.zh if lang == "zh" else choice.en


# The transactions sheet (交易记录): a second sheet of the customer workbook, or its own file.
@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    synonyms: tuple[str, ...] = ()


def _c(key, zh, en, synonyms="") -> Column:
    return Column(key, zh, en, tuple(s.strip() for s in synonyms.split(",") if s.strip()))


TRANSACTION_COLUMNS: tuple[Column, ...] = (
    _c("customer_code", "客户编号", "Customer No.", "客户代码, 客户id, Customer ID, Customer Code"),
    _c("customer_name", "客户名称", "Name", "客户, 客户名, 客户姓名, 商户名称, 公司名称, Customer, Customer Name, Company"),
    _c("date", "日期", "Date", "订单日期, 交易日期, 交易时间, 销售日期, 下单日期, Order Date, Transaction Date"),
    _c("product", "产品", "Product", "产品名称, 商品, 商品名称, 品名, Product Name, Item"),
    _c("category", "产品类别", "Category", "类别, 产品分类, 商品类别, Product Category"),
    _c("quantity", "数量", "Quantity", "Qty"),
    _c("amount", "金额", "Amount", "交易金额, 销售金额, 销售额, 订单金额, 总金额, Sales, Total, Revenue"),
    _c("paid", "已付款", "Paid", "已付, 实付金额, Paid Amount"),
    _c("notes", "备注", "Notes", "说明, Remarks, Comment"),
)
