<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Analytics</name>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="12"/>
        <source>Champions</source>
        <translation>重要价值客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="13"/>
        <source>Loyal</source>
        <translation>忠诚客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="14"/>
        <source>Potential loyalists</source>
        <translation>潜力客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="15"/>
        <source>New</source>
        <translation>新客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="16"/>
        <source>At risk</source>
        <translation>流失风险客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="17"/>
        <source>Cannot lose</source>
        <translation>重要挽留客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="18"/>
        <source>Hibernating</source>
        <translation>沉睡客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="19"/>
        <source>Lost</source>
        <translation>已流失</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="20"/>
        <source>Need attention</source>
        <translation>需关注客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="23"/>
        <source>Relationship duration</source>
        <translation>关系持续时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="24"/>
        <source>Purchase frequency</source>
        <translation>购买频率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="25"/>
        <source>Frequency trend</source>
        <translation>频率变化趋势</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="26"/>
        <source>Wallet share</source>
        <translation>钱包份额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="27"/>
        <source>Cross-buying</source>
        <translation>交叉购买</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="28"/>
        <source>Mentions</source>
        <translation>口碑推荐</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="29"/>
        <source>Price sensitivity</source>
        <translation>价格敏感度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="30"/>
        <source>Voluntary purchase</source>
        <translation>购买自愿度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="31"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="34"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="35"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="36"/>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="37"/>
        <source>Image</source>
        <translation>企业形象</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="38"/>
        <source>The customer</source>
        <translation>客户自身</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="39"/>
        <source>Competitors</source>
        <translation>竞争对手</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="40"/>
        <source>Not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="53"/>
        <source>no purchase for {days} days (usually one every {interval}; 1.5 × is {threshold}; last {date})</source>
        <translation>{days} 天未购买（平时每 {interval} 天一次，1.5 倍为 {threshold} 天；上次 {date}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="58"/>
        <source>bought on {now} days in the last 12 months against {before} the 12 before</source>
        <translation>近 12 个月购买 {now} 天，之前 12 个月 {before} 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="63"/>
        <source>%n open complaint(s) of the last 90 days</source>
        <translation>最近 90 天有 %n 个未结投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/labels.py" line="65"/>
        <source>satisfaction {value} of 5</source>
        <translation>满意度 {value}（满分 5）</translation>
    </message>
</context>
<context>
    <name>AnalyticsPages</name>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="32"/>
        <source>Revenue by share of customers (Pareto)</source>
        <translation>客户占比与销售额占比（帕累托曲线）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="33"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="81"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="101"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="123"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="33"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="45"/>
        <source>Revenue</source>
        <translation>销售额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="40"/>
        <source>A: {a} customers, {ra} of revenue · B: {b}, {rb} · C: {c}, {rc}. Total {total}.</source>
        <translation>A 类：{a} 位客户，占销售额 {ra} · B 类：{b} 位，{rb} · C 类：{c} 位，{rc}。合计 {total}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="43"/>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="43"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="71"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="93"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="104"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="127"/>
        <source>Customer No.</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="44"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="71"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="93"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="105"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="127"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="44"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="72"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="94"/>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="46"/>
        <source>Cumulative share %</source>
        <translation>累计占比 %</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="47"/>
        <source>Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="55"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="88"/>
        <source>No tier</source>
        <translation>未分级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="64"/>
        <source>Lifetime value by tier (yuan)</source>
        <translation>各等级客户终身价值（元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="65"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="72"/>
        <source>Historical</source>
        <translation>历史价值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="66"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="73"/>
        <source>Current</source>
        <translation>当前价值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="67"/>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="74"/>
        <source>Potential</source>
        <translation>潜在价值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="69"/>
        <source>Margin {margin} %, discount {discount} % a year, {years} years ahead: see docs/analytics.md.</source>
        <translation>毛利率 {margin}%，年折现率 {discount}%，预测 {years} 年：公式见 docs/analytics.md。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="74"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="75"/>
        <source>Evaluation score</source>
        <translation>评价得分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="80"/>
        <source>Customers by loyalty index</source>
        <translation>客户忠诚度分布</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="91"/>
        <source>Mean by tier: {means}. No data in the archive for: {missing}.</source>
        <translation>各等级平均：{means}。档案中暂无数据的因素：{missing}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="94"/>
        <source>Loyalty index</source>
        <translation>忠诚度指数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="100"/>
        <source>Customers by RFM segment</source>
        <translation>RFM 客户分群</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="106"/>
        <source>Segment</source>
        <translation>分群</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="107"/>
        <source>Recency, frequency and monetary value scored 1-5 by quintiles of the customers who bought.</source>
        <translation>最近购买（R）、购买频率（F）、购买金额（M）按有购买客户的五分位评 1–5 分。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="122"/>
        <source>Lost customers by cause</source>
        <translation>流失客户原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="128"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="128"/>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="134"/>
        <source>Satisfaction by month (1-{top})</source>
        <translation>各月满意度（1–{top}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="137"/>
        <source>Mean (1-{top})</source>
        <translation>平均（1–{top}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="135"/>
        <source>Mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="129"/>
        <source>Lost: %n customer(s).</source>
        <translation>流失：%n 个客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="137"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="138"/>
        <source>Answers</source>
        <translation>回答数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="140"/>
        <source>From complaints closed with a survey and satisfaction surveys done with a level.</source>
        <translation>来自投诉关闭时的回访调查，以及记录了满意度的满意度调查。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/pages.py" line="141"/>
        <source>No answers yet: close complaints with a survey, or record the level when a survey is done.</source>
        <translation>暂无数据：关闭投诉时做满意度回访，或完成满意度调查时记录满意度。</translation>
    </message>
</context>
<context>
    <name>AnalyticsSettingsDialog</name>
    <message>
        <location filename="../../crmdesk/ui/analytics/settings_dialog.py" line="34"/>
        <source>Analytics settings</source>
        <translation>分析设置</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/settings_dialog.py" line="52"/>
        <source>Shares of revenue</source>
        <translation>销售额占比</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/settings_dialog.py" line="53"/>
        <source>Gross margin</source>
        <translation>毛利率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/settings_dialog.py" line="54"/>
        <source>Discount rate a year</source>
        <translation>年折现率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/settings_dialog.py" line="56"/>
        <source>Years projected</source>
        <translation>预测年数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/settings_dialog.py" line="57"/>
        <source>Evaluation: weight of each factor</source>
        <translation>客户评价：各因素权重</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/settings_dialog.py" line="64"/>
        <source>Loyalty: weight of each factor</source>
        <translation>忠诚度：各因素权重</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/settings_dialog.py" line="69"/>
        <source> (no data yet)</source>
        <translation>（暂无数据）</translation>
    </message>
</context>
<context>
    <name>AnalyticsTab</name>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="68"/>
        <source>ABC / 80-20</source>
        <translation>ABC / 二八分析</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="68"/>
        <source>Suggested tiers</source>
        <translation>建议等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="69"/>
        <source>Lifetime value</source>
        <translation>客户终身价值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="69"/>
        <source>Loyalty</source>
        <translation>忠诚度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="70"/>
        <source>RFM</source>
        <translation>RFM</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="70"/>
        <source>Churn</source>
        <translation>流失</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="71"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="76"/>
        <source>Last 12 months</source>
        <translation>近 12 个月</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="76"/>
        <source>This year</source>
        <translation>今年</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="77"/>
        <source>Last year</source>
        <translation>去年</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="77"/>
        <source>All time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="86"/>
        <source>Every tier</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="103"/>
        <source>Export report…</source>
        <translation>导出报告…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="107"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="116"/>
        <source>Apply the ticked suggestions</source>
        <translation>应用勾选的建议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="119"/>
        <source>Tick all</source>
        <translation>全部勾选</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="122"/>
        <source>Untick all</source>
        <translation>全部取消勾选</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="144"/>
        <source>Plan a win-back visit…</source>
        <translation>安排挽回拜访…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="152"/>
        <source>Record the cause of the lost customer selected</source>
        <translation>记录所选流失客户的原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="192"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="197"/>
        <source>Every region</source>
        <translation>全部地区</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/analytics/tab.py" line="220"/>
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n 个客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/analytics/tab.py" line="230"/>
        <source>At risk: %n customer(s), the most signs first.</source>
        <translation>
            <numerusform>有流失风险：%n 个客户，迹象最多的在前。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/analytics/tab.py" line="248"/>
        <source>%n customer(s) whose tier or relationship differs from what the figures suggest: tick those to change, then apply.</source>
        <translation>
            <numerusform>%n 个客户的等级或关系与数据建议的不同：勾选要修改的，然后应用。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/analytics/tab.py" line="278"/>
        <source>%n customer&apos;s(customers&apos;) tier or relationship changed. Ctrl+Z takes it back.</source>
        <translation>
            <numerusform>已修改 %n 个客户的等级或关系。按 Ctrl+Z 可撤销。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="226"/>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="236"/>
        <source>Customer No.</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="226"/>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="236"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="226"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="226"/>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="227"/>
        <source>Signs</source>
        <translation>迹象数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="227"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="236"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="236"/>
        <source>Tier now</source>
        <translation>当前等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="237"/>
        <source>Suggested tier</source>
        <translation>建议等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="237"/>
        <source>Relationship now</source>
        <translation>当前关系类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="238"/>
        <source>Suggested relationship</source>
        <translation>建议关系类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="238"/>
        <source>Why (class, score)</source>
        <translation>依据（分类，得分）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/analytics/tab.py" line="274"/>
        <source>Apply suggested tiers: %n</source>
        <translation>
            <numerusform>应用建议等级：%n 位</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="315"/>
        <source>Export the report</source>
        <translation>导出分析报告</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="315"/>
        <source>analytics.xlsx</source>
        <translation>客户分析.xlsx</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/tab.py" line="325"/>
        <source>Wrote {path}.</source>
        <translation>已写入 {path}。</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../crmdesk/ui/app.py" line="50"/>
        <source>crmdesk</source>
        <translation>crmdesk</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/app.py" line="52"/>
        <source>Choose another database…</source>
        <translation>选择其他数据库…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/app.py" line="54"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/app.py" line="59"/>
        <source>Choose a database</source>
        <translation>选择数据库</translation>
    </message>
</context>
<context>
    <name>BackgroundFigures</name>
    <message>
        <location filename="../../crmdesk/ui/common/background_figures.py" line="44"/>
        <source>Working out the figures…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/background_figures.py" line="70"/>
        <source>The figures could not be worked out: {error}</source>
        <translation>无法计算这些数据：{error}</translation>
    </message>
</context>
<context>
    <name>BadValues</name>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="114"/>
        <source>{column} ({reason}): {value}</source>
        <translation>{column}（{reason}）：{value}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="116"/>
        <source>not a phone number</source>
        <translation>不是电话号码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="117"/>
        <source>not an e-mail address</source>
        <translation>不是邮箱地址</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="118"/>
        <location filename="../../crmdesk/core/imports/rows.py" line="119"/>
        <location filename="../../crmdesk/core/imports/rows.py" line="127"/>
        <source>not a date</source>
        <translation>不是日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="120"/>
        <source>not a month</source>
        <translation>不是月份</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="121"/>
        <source>not an amount</source>
        <translation>不是金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="122"/>
        <source>not a score from 1 to 5</source>
        <translation>不是 1 到 5 的评分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="123"/>
        <location filename="../../crmdesk/core/imports/rows.py" line="128"/>
        <source>not one of the choices</source>
        <translation>不在可选项中</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="126"/>
        <source>not a number</source>
        <translation>不是数字</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="129"/>
        <source>not yes or no</source>
        <translation>不是“是”或“否”</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="131"/>
        <source>too long</source>
        <translation>太长</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/imports/rows.py" line="132"/>
        <source>not valid</source>
        <translation>无效</translation>
    </message>
</context>
<context>
    <name>BoardView</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/board_view.py" line="131"/>
        <source>%n deal(s)</source>
        <translation>
            <numerusform>%n 个商机</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/board_view.py" line="142"/>
        <source>… and %n more (see the list view)</source>
        <translation>
            <numerusform>…… 另有 %n 个（见列表视图）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/board_view.py" line="157"/>
        <source>no amount</source>
        <translation>未填金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/board_view.py" line="158"/>
        <source>no close date</source>
        <translation>未定成交日期</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/board_view.py" line="160"/>
        <source>%n day(s) in stage</source>
        <translation>
            <numerusform>本阶段 %n 天</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/board_view.py" line="163"/>
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n 次拜访</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/board_view.py" line="167"/>
        <source>⚠ Close overdue</source>
        <translation>⚠ 成交日已过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/board_view.py" line="169"/>
        <source>Stalled</source>
        <translation>停滞</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/board_view.py" line="234"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/board_view.py" line="235"/>
        <source>Plan a visit…</source>
        <translation>计划拜访…</translation>
    </message>
</context>
<context>
    <name>ByRepButton</name>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_reps.py" line="223"/>
        <source>By rep</source>
        <translation>按拜访人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_reps.py" line="224"/>
        <source>Show each rep&apos;s week in a row of its own when all reps are shown</source>
        <translation>显示全部拜访人时，每位拜访人的一周各占一行</translation>
    </message>
</context>
<context>
    <name>Care</name>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="16"/>
        <source>Birthday</source>
        <translation>生日祝福</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="17"/>
        <source>Festival greeting</source>
        <translation>节日问候</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="18"/>
        <source>After a purchase</source>
        <translation>购后回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="19"/>
        <source>After a complaint</source>
        <translation>投诉回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="20"/>
        <source>Satisfaction survey</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="21"/>
        <source>Anniversary</source>
        <translation>合作周年</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="22"/>
        <source>Gift or reward</source>
        <translation>礼品/奖励</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="23"/>
        <source>Routine contact</source>
        <translation>日常联系</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="24"/>
        <source>Inactivity check</source>
        <translation>久未联系提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="25"/>
        <source>Payment due</source>
        <translation>催收应收款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="28"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="28"/>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="29"/>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="29"/>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="30"/>
        <source>Visit</source>
        <translation>上门</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="30"/>
        <source>Gift</source>
        <translation>礼品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="33"/>
        <source>Due</source>
        <translation>待办</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="33"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="34"/>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="34"/>
        <source>Snoozed</source>
        <translation>已推迟</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="37"/>
        <source>New Year&apos;s Day</source>
        <translation>元旦</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="38"/>
        <source>Spring Festival</source>
        <translation>春节</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="39"/>
        <source>Lantern Festival</source>
        <translation>元宵节</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="40"/>
        <source>Qingming Festival</source>
        <translation>清明节</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="41"/>
        <source>Labour Day</source>
        <translation>劳动节</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="42"/>
        <source>Dragon Boat Festival</source>
        <translation>端午节</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="43"/>
        <source>Mid-Autumn Festival</source>
        <translation>中秋节</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="44"/>
        <source>National Day</source>
        <translation>国庆节</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="45"/>
        <source>Double Ninth Festival</source>
        <translation>重阳节</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="74"/>
        <source>lunar {date}</source>
        <translation>农历{date}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="77"/>
        <source>{month}/{day}</source>
        <translation>{month}月{day}日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="78"/>
        <source>{name}&apos;s birthday ({date})</source>
        <translation>{name}生日（{date}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="82"/>
        <source>Follow-up on complaint {number}</source>
        <translation>投诉 {number} 回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="84"/>
        <source>Follow-up on the purchase of {date}</source>
        <translation>{date} 购买后回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="86"/>
        <source>{years} years since the first purchase ({date})</source>
        <translation>首次购买 {years} 周年（{date}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="89"/>
        <source>No contact for {days} days (last {date}; the limit is {limit})</source>
        <translation>{days} 天未联系（上次 {date}，设定 {limit} 天）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="92"/>
        <source>No purchase for {days} days: usually one every {interval} days ({count} purchases), 1.5 × is {threshold} days; last {date}</source>
        <translation>{days} 天未购买：平时约每 {interval} 天购买一次（共 {count} 次），超过 1.5 倍即 {threshold} 天；上次 {date}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="97"/>
        <source>Collect {owed}: the sale of {date}, due {due}</source>
        <translation>催收 {owed}：{date} 的销售，{due} 到期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="109"/>
        <source>Care done: {kind}</source>
        <translation>关怀已完成：{kind}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="111"/>
        <source>Care skipped: {kind}</source>
        <translation>关怀已跳过：{kind}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="113"/>
        <source>Care snoozed: {kind}</source>
        <translation>关怀已推迟：{kind}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="116"/>
        <source>Care reminder planned</source>
        <translation>新建关怀提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="116"/>
        <source>Care reminder deleted</source>
        <translation>删除关怀提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="117"/>
        <source>Care reminder restored</source>
        <translation>恢复关怀提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="117"/>
        <location filename="../../crmdesk/ui/care/labels.py" line="129"/>
        <source>Care reminder changed</source>
        <translation>修改关怀提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="121"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="121"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="121"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="122"/>
        <source>Channel</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="122"/>
        <source>Subject</source>
        <translation>事由</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="122"/>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/labels.py" line="123"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
</context>
<context>
    <name>CareActionDialog</name>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="33"/>
        <source>Mark as done</source>
        <translation>标记为已完成</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="33"/>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="33"/>
        <source>Snooze to a day</source>
        <translation>推迟到某天</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="39"/>
        <source>%n reminder(s) selected.</source>
        <translation>
            <numerusform>已选择 %n 条提醒。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="45"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="46"/>
        <source>What came of it, e.g. sent a WeChat greeting</source>
        <translation>结果如何，例如：已发微信祝福</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="47"/>
        <source>Customer&apos;s response</source>
        <translation>客户反馈</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="49"/>
        <source>What the customer said, if anything</source>
        <translation>客户说了什么（如有）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="55"/>
        <source>Not asked</source>
        <translation>未询问</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="58"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="60"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="61"/>
        <source>Why it is skipped, e.g. the customer is abroad</source>
        <translation>为什么跳过，例如：客户出国</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="70"/>
        <source>Show it again on</source>
        <translation>再次提醒日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="75"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="75"/>
        <source>Snooze</source>
        <translation>推迟</translation>
    </message>
</context>
<context>
    <name>CareDetails</name>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="44"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="44"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="45"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="45"/>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="45"/>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="46"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="46"/>
        <source>Due</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="46"/>
        <source>Channel</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="47"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="47"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="48"/>
        <source>Customer&apos;s response</source>
        <translation>客户反馈</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="57"/>
        <source>Greeting</source>
        <translation>祝福语</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="64"/>
        <source>&amp;Copy greeting</source>
        <translation>复制祝福语(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="80"/>
        <source>Choose a reminder in the list to see it here.</source>
        <translation>在列表中选择一条提醒，即可在此查看。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="124"/>
        <source>Snoozed to {date}</source>
        <translation>推迟到 {date}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/details.py" line="147"/>
        <source>crmdesk does not know {names}: it is left as written. Correct the template in Care ▸ Settings, or edit the text after copying.</source>
        <translation>crmdesk 不认识 {names}，已按原样保留。请在 关怀 ▸ 设置 中修改模板，或复制后自行修改文字。</translation>
    </message>
</context>
<context>
    <name>CareEventDialog</name>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="38"/>
        <source>Change the reminder</source>
        <translation>修改提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="38"/>
        <source>Plan a care reminder</source>
        <translation>新建关怀提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="46"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="50"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="51"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="59"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="60"/>
        <source>Channel</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="61"/>
        <source>Subject</source>
        <translation>事由</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="63"/>
        <source>e.g. ask how the new printer works</source>
        <translation>例如：问问新打印机用得怎么样</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="64"/>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="65"/>
        <source>Blank: the greeting template of the kind, personalised</source>
        <translation>留空：使用该类型的祝福模板，自动填入称呼等</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/event_dialog.py" line="83"/>
        <source>The customer&apos;s contact person</source>
        <translation>客户的联系人</translation>
    </message>
</context>
<context>
    <name>CareList</name>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="20"/>
        <source>Due</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="21"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="22"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="23"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="24"/>
        <source>Channel</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="25"/>
        <source>About</source>
        <translation>事由</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="26"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="27"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="28"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="29"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/sources.py" line="88"/>
        <source>Snoozed to {date}</source>
        <translation>推迟到 {date}</translation>
    </message>
</context>
<context>
    <name>CareReminder</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/reminder.py" line="109"/>
        <source>%n care reminder(s) due today</source>
        <translation>
            <numerusform>今天有 %n 条关怀提醒到期</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/reminder.py" line="111"/>
        <source>%n overdue</source>
        <translation>
            <numerusform>%n 条已逾期</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/reminder.py" line="113"/>
        <source>{today}; {overdue}.</source>
        <translation>{today}；{overdue}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/reminder.py" line="115"/>
        <source>{summary}.</source>
        <translation>{summary}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/reminder.py" line="122"/>
        <source>crmdesk care</source>
        <translation>crmdesk 客户关怀</translation>
    </message>
</context>
<context>
    <name>CareSettingsDialog</name>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="36"/>
        <source>Care settings</source>
        <translation>关怀设置</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="54"/>
        <source>Birthdays</source>
        <translation>生日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="54"/>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="55"/>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="56"/>
        <source>days ahead</source>
        <translation>天前提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="55"/>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="127"/>
        <source>Festivals</source>
        <translation>节日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="56"/>
        <source>Anniversary of the first purchase</source>
        <translation>首次购买周年</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="57"/>
        <source>Follow-up after a purchase</source>
        <translation>购后回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="57"/>
        <source>days after</source>
        <translation>天后</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="58"/>
        <source>Inactivity: no contact for</source>
        <translation>久未联系：超过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="58"/>
        <source>days</source>
        <translation>天未联系</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="59"/>
        <source>Payment due: a sale unpaid for</source>
        <translation>催收提醒：销售逾期未付</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="59"/>
        <source>days overdue</source>
        <translation>天后提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="83"/>
        <source>Churn warning: no purchase for 1.5 × the customer&apos;s usual interval</source>
        <translation>流失预警：超过客户平时购买间隔的 1.5 倍未购买</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="87"/>
        <source>Follow-ups after a complaint are set in Complaints ▸ Settings.</source>
        <translation>投诉后的回访在 投诉 ▸ 设置 中设定。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="90"/>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="104"/>
        <source>Greet the customers of these tiers (none ticked: every customer):</source>
        <translation>问候以下等级的客户（都不勾选：全部客户）：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="115"/>
        <source>Your own dates, one per line, a name and the month-day, e.g. 店庆 6-18:</source>
        <translation>自定义日期，每行一个，名称加月-日，例如 店庆 6-18：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="139"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="139"/>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="147"/>
        <source>Placeholders: {names}</source>
        <translation>可用占位符：{names}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="158"/>
        <source>Greetings</source>
        <translation>祝福模板</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="164"/>
        <source>Customers earn points for their purchases</source>
        <translation>客户购买可获得积分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="168"/>
        <source>Points per yuan</source>
        <translation>每元积分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="172"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/settings_dialog.py" line="199"/>
        <source>crmdesk does not know {names}: it will be left as written in the greeting.</source>
        <translation>crmdesk 不认识 {names}，祝福语中将按原样保留。</translation>
    </message>
</context>
<context>
    <name>CareTab</name>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="64"/>
        <source>Search customer, contact, subject, result…</source>
        <translation>搜索客户、联系人、事由、结果…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="72"/>
        <source>Every kind</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="137"/>
        <source>&amp;Plan a reminder…</source>
        <translation>新建提醒(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="139"/>
        <source>&amp;Done…</source>
        <translation>完成(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="140"/>
        <source>S&amp;kip…</source>
        <translation>跳过(&amp;K)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="141"/>
        <source>S&amp;nooze</source>
        <translation>推迟(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="143"/>
        <source>Until tomorrow</source>
        <translation>推迟到明天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="143"/>
        <source>For 3 days</source>
        <translation>推迟 3 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="143"/>
        <source>For a week</source>
        <translation>推迟一周</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="145"/>
        <source>Until a day I choose…</source>
        <translation>推迟到指定日期…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="149"/>
        <source>Set back to &amp;due</source>
        <translation>恢复为待办(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="150"/>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="151"/>
        <source>&amp;Copy greeting</source>
        <translation>复制祝福语(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="153"/>
        <source>&amp;Export greetings…</source>
        <translation>导出祝福语(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="155"/>
        <source>De&amp;lete reminder</source>
        <translation>删除提醒(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="213"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="217"/>
        <source>Today ({count})</source>
        <translation>今天（{count}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="218"/>
        <source>This week ({count})</source>
        <translation>本周（{count}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="219"/>
        <source>Overdue ({count})</source>
        <translation>已逾期（{count}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="220"/>
        <source>All open</source>
        <translation>全部待办</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="220"/>
        <source>Done and skipped</source>
        <translation>已完成和已跳过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="227"/>
        <source>Searching…</source>
        <translation>正在查找…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="228"/>
        <source>%n reminder(s)</source>
        <translation>
            <numerusform>%n 条提醒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="325"/>
        <source>%n reminder(s) changed.</source>
        <translation>
            <numerusform>已修改 %n 条提醒。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="365"/>
        <source>Exported %n greeting(s) to {path}.</source>
        <translation>
            <numerusform>已将 %n 条祝福导出到 {path}。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="377"/>
        <source>While crmdesk was closed, %n reminder(s) fell due: it(they) is(are) in the Overdue list.</source>
        <translation>
            <numerusform>crmdesk 关闭期间有 %n 条提醒到期：都在“已逾期”列表中。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="327"/>
        <source>%n left as it was: already done, skipped or deleted.</source>
        <translation>
            <numerusform>%n 条未变：已完成、已跳过或已删除。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="336"/>
        <source>The greeting is on the clipboard: paste it into WeChat, a text message or an email.</source>
        <translation>祝福语已复制，可粘贴到微信、短信或邮件中。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="343"/>
        <source>Delete reminders: %n</source>
        <translation>
            <numerusform>删除提醒：%n 条</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="346"/>
        <source>Deleted. Ctrl+Z brings it back.</source>
        <translation>已删除。按 Ctrl+Z 可恢复。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="356"/>
        <source>Export greetings</source>
        <translation>导出祝福语</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="356"/>
        <source>greetings.xlsx</source>
        <translation>祝福语.xlsx</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/tab.py" line="383"/>
        <source>The computer&apos;s date is earlier than when crmdesk last ran: check the clock. Nothing was created twice.</source>
        <translation>电脑的日期早于 crmdesk 上次运行的日期，请检查时钟。没有重复创建任何提醒。</translation>
    </message>
</context>
<context>
    <name>ChartTable</name>
    <message>
        <location filename="../../crmdesk/ui/common/chart_table.py" line="113"/>
        <location filename="../../crmdesk/ui/common/chart_table.py" line="127"/>
        <source>Show the data</source>
        <translation>查看数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/chart_table.py" line="127"/>
        <source>Show the chart</source>
        <translation>查看图表</translation>
    </message>
</context>
<context>
    <name>Choice:birthday_calendar</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="113"/>
        <source>Solar</source>
        <translation>公历</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="114"/>
        <source>Lunar</source>
        <translation>农历</translation>
    </message>
</context>
<context>
    <name>Choice:credit_rating</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="106"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="107"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="108"/>
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="109"/>
        <source>D</source>
        <translation>D</translation>
    </message>
</context>
<context>
    <name>Choice:gender</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="110"/>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="111"/>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="112"/>
        <source>Unspecified</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>Choice:kind</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="85"/>
        <source>Company</source>
        <translation>企业</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="86"/>
        <source>Individual</source>
        <translation>个人</translation>
    </message>
</context>
<context>
    <name>Choice:relationship</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="102"/>
        <source>Transactional</source>
        <translation>买卖关系</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="103"/>
        <source>Preferred supplier</source>
        <translation>优先供应关系</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="104"/>
        <source>Partner</source>
        <translation>合作伙伴关系</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="105"/>
        <source>Strategic alliance</source>
        <translation>战略联盟关系</translation>
    </message>
</context>
<context>
    <name>Choice:source</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="87"/>
        <source>Referral</source>
        <translation>转介绍</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="88"/>
        <source>Advertising</source>
        <translation>广告</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="89"/>
        <source>Exhibition</source>
        <translation>展会</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="90"/>
        <source>Internet</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="91"/>
        <source>Cold call</source>
        <translation>陌生拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="92"/>
        <source>Network</source>
        <translation>人脉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="93"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>Choice:stage</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="97"/>
        <source>Prospect</source>
        <translation>潜在</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="98"/>
        <source>Developing</source>
        <translation>发展期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="99"/>
        <source>Mature</source>
        <translation>成熟期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="100"/>
        <source>Declining</source>
        <translation>衰退期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="101"/>
        <source>Lost</source>
        <translation>流失</translation>
    </message>
</context>
<context>
    <name>Choice:tier</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="94"/>
        <source>Key</source>
        <translation>重点客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="95"/>
        <source>Relationship</source>
        <translation>关系型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="96"/>
        <source>Transactional</source>
        <translation>交易型</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="23"/>
        <source>crmdesk: an offline-first desktop CRM. Without a command, opens the app.</source>
        <translation>crmdesk：离线优先的桌面 CRM。不带命令运行时打开程序界面。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="25"/>
        <source>the database file (default: crmdesk.sqlite in your data folder; CRMDESK_DB overrides it)</source>
        <translation>数据库文件（默认：数据文件夹中的 crmdesk.sqlite；环境变量 CRMDESK_DB 可覆盖）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="32"/>
        <source>fill an empty database with realistic sample data</source>
        <translation>向空数据库填入逼真的示例数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="33"/>
        <source>how many customers (default 200)</source>
        <translation>客户数量（默认 200）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="34"/>
        <source>random seed: the same seed gives the same data</source>
        <translation>随机种子：相同的种子生成相同的数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="35"/>
        <source>customers, contacts and transactions only, no visits (a million customers&apos; visits take some 13 GB)</source>
        <translation>只生成客户、联系人和交易记录，不生成拜访（一百万客户的拜访约占 13 GB）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="52"/>
        <source>write customers, transactions, visits or complaints to an Excel file</source>
        <translation>把客户、交易、拜访或投诉导出到 Excel 文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="60"/>
        <location filename="../../crmdesk/cli/report.py" line="33"/>
        <source>header language (default: your system language)</source>
        <translation>表头语言（默认：系统语言）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="62"/>
        <source>write an empty sheet with headers and an example row</source>
        <translation>生成一个只含表头和示例行的空白表格</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="67"/>
        <source>a consistent copy of the database, while the app may be open</source>
        <translation>生成数据库的一致性副本，程序打开时也可执行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="70"/>
        <source>replace the data with a backup; keeps a copy of the current data</source>
        <translation>用备份替换现有数据；会保留当前数据的副本</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="109"/>
        <source>Stopped: nothing was changed.</source>
        <translation>已停止：未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="173"/>
        <source>Restored {file} into {db}.</source>
        <translation>已将 {file} 恢复到 {db}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="175"/>
        <source>The database it replaced was damaged: a raw copy of its files is kept in {path}.</source>
        <translation>被替换的数据库已损坏：其文件的原样副本保存在 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="178"/>
        <source>The data it replaced is kept in {path}.</source>
        <translation>被替换的数据已保存在 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="187"/>
        <location filename="../../crmdesk/cli/visits.py" line="151"/>
        <source>Wrote {path}.</source>
        <translation>已写入 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="208"/>
        <source>Creating demo data</source>
        <translation>正在生成演示数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="211"/>
        <source>Created {customers} customers, {contacts} contacts and {transactions} transactions in {db}.</source>
        <translation>已在 {db} 中创建 {customers} 个客户、{contacts} 个联系人和 {transactions} 条交易记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="215"/>
        <source>Created {count} visits, past and planned.</source>
        <translation>已生成 {count} 次拜访（含历史和计划）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="216"/>
        <source>Created {complaints} complaints, {care} care reminders and {points} points entries.</source>
        <translation>已创建 {complaints} 条投诉、{care} 条关怀提醒和 {points} 条积分记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="204"/>
        <location filename="../../crmdesk/cli/__init__.py" line="227"/>
        <location filename="../../crmdesk/cli/__init__.py" line="231"/>
        <location filename="../../crmdesk/cli/__init__.py" line="238"/>
        <location filename="../../crmdesk/cli/__init__.py" line="251"/>
        <location filename="../../crmdesk/cli/__init__.py" line="258"/>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="55"/>
        <source>what to export (vcard: contacts for phones; calendar: visits as .ics)</source>
        <translation>导出内容（vcard：供手机使用的联系人；calendar：.ics 格式的拜访日程）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="220"/>
        <source>Created {products} products, {sales} sales and {deals} opportunities.</source>
        <translation>已创建 {products} 个产品、{sales} 笔销售和 {deals} 个商机。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="233"/>
        <source>Exported %n complaint(s) to {path}.</source>
        <translation>已将 %n 条投诉导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="240"/>
        <source>Exported %n care event(s) to {path}.</source>
        <translation>已将 %n 条关怀记录导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="253"/>
        <source>Exported %n transaction(s) to {path}.</source>
        <translation>已将 %n 笔交易导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="260"/>
        <source>Exported %n customer(s) to {path}.</source>
        <translation>已将 %n 个客户导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="244"/>
        <source>Analysing</source>
        <translation>正在分析</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="264"/>
        <source>Importing</source>
        <translation>正在导入</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/__init__.py" line="277"/>
        <source>Backed up {db} to {path}.</source>
        <translation>已将 {db} 备份到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="27"/>
        <source>1-based row of the headers (default: detected)</source>
        <translation>表头所在的行号，从 1 开始计（默认：自动检测）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="29"/>
        <source>what a row matching an existing customer does (default: update)</source>
        <translation>与现有客户匹配的行如何处理（默认：update，更新该客户）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="31"/>
        <source>how rows are matched to existing customers (default: code, then mobile/phone, then email, then exact name)</source>
        <translation>如何将各行与现有客户匹配（默认：依次按客户编号、手机/电话、邮箱、完全相同的客户名称匹配）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="33"/>
        <source>how to read ambiguous dates like 04/02/2023 (default: ymd, ambiguous dates are errors)</source>
        <translation>如何解读 04/02/2023 这类有歧义的日期（默认：ymd，有歧义的日期视为错误）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="35"/>
        <source>customers: a row with a bad value other than its name or number is rejected (default), or imported with the value kept in its notes (keep)</source>
        <translation>客户导入：客户名称和编号以外的某个值无效时，拒绝该行（默认，reject），或导入该行并把这个值保存到备注中（keep）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="37"/>
        <source>make each column that matches no field a customer field of your own first (its type guessed from its values)</source>
        <translation>先把每个不对应任何字段的列设为自定义客户字段（类型按列中的值推测）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="39"/>
        <source>any row error: import nothing</source>
        <translation>任一行有错误时，不导入任何数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="40"/>
        <source>validate and report, write nothing</source>
        <translation>只校验并报告结果，不写入任何数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="41"/>
        <source>where to write the rejected rows (default: FILE-errors.xlsx beside the input)</source>
        <translation>被拒绝的行要写入的文件（默认：输入文件所在文件夹中的 FILE-errors.xlsx）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="42"/>
        <source>the CSV&apos;s text encoding, when detection gets it wrong (e.g. gb18030, cp1252)</source>
        <translation>CSV 文件的文本编码，在自动检测出错时指定（如 gb18030、cp1252）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="44"/>
        <source>take back the last import (or the one named)</source>
        <translation>撤销最近一次导入（或指定批次的导入）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="46"/>
        <source>list the recent imports, newest first</source>
        <translation>列出最近的导入，最新的在前</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="47"/>
        <source>how many (default 20)</source>
        <translation>列出多少条（默认 20）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="78"/>
        <source>kept in the notes</source>
        <translation>已保存到备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="85"/>
        <source>Would make these columns customer fields: {fields}.</source>
        <translation>将把这些列设为客户字段：{fields}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="86"/>
        <source>Made these columns customer fields: {fields}.</source>
        <translation>已把这些列设为客户字段：{fields}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="89"/>
        <source>Created {count} customer that was not in the database yet.</source>
        <translation>已新建 {count} 个数据库中原先没有的客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="90"/>
        <source>Created {count} customers that were not in the database yet.</source>
        <translation>已新建 {count} 个数据库中原先没有的客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="95"/>
        <source>Ignored columns that match no field: {columns}. --new-fields makes them customer fields of your own.</source>
        <translation>已忽略不对应任何字段的列：{columns}。加上 --new-fields 可把它们设为自定义客户字段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="132"/>
        <source>{count} customer removed</source>
        <translation>删除了 {count} 个客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="133"/>
        <source>{count} customers removed</source>
        <translation>删除了 {count} 个客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="134"/>
        <source>{count} moved to the trash because it was edited since</source>
        <translation>{count} 个客户因导入后被修改过而移入回收站</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="135"/>
        <source>{count} moved to the trash because they were edited since</source>
        <translation>{count} 个客户因导入后被修改过而移入回收站</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="136"/>
        <source>{count} customer put back as it was</source>
        <translation>{count} 个客户恢复为导入前的内容</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="137"/>
        <source>{count} customers put back as they were</source>
        <translation>{count} 个客户恢复为导入前的内容</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="138"/>
        <source>{count} transaction removed</source>
        <translation>删除了 {count} 条交易记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="139"/>
        <source>{count} transactions removed</source>
        <translation>删除了 {count} 条交易记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="140"/>
        <source>Import {batch} undone: {removed}, {trashed}, {restored}, {transactions}.</source>
        <translation>已撤销导入批次 {batch}：{removed}，{trashed}，{restored}，{transactions}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="145"/>
        <location filename="../../crmdesk/cli/imports.py" line="165"/>
        <source>{count} field was changed again after the import, so it was left as it is now.</source>
        <translation>有 {count} 个字段在导入后又被修改过，因此保留了其当前内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="146"/>
        <location filename="../../crmdesk/cli/imports.py" line="166"/>
        <source>{count} fields were changed again after the import, so they were left as they are now.</source>
        <translation>有 {count} 个字段在导入后又被修改过，因此保留了其当前内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="154"/>
        <source>{count} opportunity moved to the trash</source>
        <translation>{count} 个商机移入回收站</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="155"/>
        <source>{count} opportunities moved to the trash</source>
        <translation>{count} 个商机移入回收站</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="157"/>
        <source>{count} product moved to the trash</source>
        <translation>{count} 个产品移入回收站</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="158"/>
        <source>{count} products moved to the trash</source>
        <translation>{count} 个产品移入回收站</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="159"/>
        <source>{count} product put back as it was</source>
        <translation>{count} 个产品恢复为导入前的内容</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="160"/>
        <source>{count} products put back as they were</source>
        <translation>{count} 个产品恢复为导入前的内容</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="161"/>
        <source>{first}, {second}</source>
        <translation>{first}，{second}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="162"/>
        <source>Import {batch} undone: {what}.</source>
        <translation>已撤销导入 {batch}：{what}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="174"/>
        <source>customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="174"/>
        <source>transactions</source>
        <translation>交易</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="175"/>
        <source>opportunities</source>
        <translation>商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="175"/>
        <source>products</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="181"/>
        <source>undone</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="92"/>
        <source>These columns did not hold what their header says and were kept in the notes: {columns}.</source>
        <translation>以下列的内容与表头不符，已保存到备注中：{columns}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="21"/>
        <source>read customers or transactions from .xlsx .xlsm .xls .xlsb .ods .csv, or an Access database (.mdb .accdb)</source>
        <translation>从 .xlsx .xlsm .xls .xlsb .ods .csv 文件或 Access 数据库（.mdb .accdb）导入客户或交易记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="25"/>
        <source>which worksheet, or which table of an Access database (default: the first sheet with data; for transactions from Access, the orders joined with their lines and products)</source>
        <translation>要导入的工作表，或 Access 数据库中的表（默认：第一个有数据的工作表；从 Access 导入交易时，为订单与订单明细、产品关联后的结果）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="99"/>
        <source>Dry run: nothing was written.</source>
        <translation>试运行：未写入任何数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="101"/>
        <location filename="../../crmdesk/cli/pipeline.py" line="39"/>
        <source>Nothing was imported, because some rows were rejected and --all-or-nothing was given.</source>
        <translation>未导入任何数据：部分行被拒绝，且指定了 --all-or-nothing。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/imports.py" line="106"/>
        <source>The rejected rows, with the reason for each, are in {path}: fix them there and import that file.</source>
        <translation>被拒绝的行及其原因已写入 {path}：请在该文件中修正，然后导入该文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="49"/>
        <source>what is due: the visits of the coming days, visits nobody recorded, customers due for a visit (today&apos;s agenda also writes the care reminders due today into the database)</source>
        <translation>待办事项：未来几天的拜访、无人记录的拜访、该拜访的客户（查看今天的日程时，也会把今天到期的关怀提醒写入数据库）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="52"/>
        <source>What is due: the visits of the coming days, visits nobody recorded, customers due for a visit, complaint deadlines and care reminders. Today&apos;s agenda first runs the care rules, which write the reminders due today into the database, as the app does when it starts; an agenda of another day (--date) changes nothing.</source>
        <translation>待办事项：未来几天的拜访、无人记录的拜访、该拜访的客户、投诉期限和关怀提醒。查看今天的日程时会先运行关怀规则，把今天到期的提醒写入数据库，与应用启动时相同；查看其他日期（--date）的日程不会改动任何数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="57"/>
        <source>the first day (default: today), like 2026-11-24</source>
        <translation>起始日期（默认今天），如 2026-11-24</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="58"/>
        <source>how many days (default 1)</source>
        <translation>天数（默认 1）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="60"/>
        <source>also write the agenda to an Excel file</source>
        <translation>同时将待办事项写入 Excel 文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="110"/>
        <source>over the next %n week(s)</source>
        <translation>分摊到接下来 %n 周</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="111"/>
        <source>over this week</source>
        <translation>安排在本周内</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="112"/>
        <source>%n customer(s) has(have) had no contact or purchase for a long time: care checks spread {weeks}, key accounts first, at most {quota} a day per rep.</source>
        <translation>%n 个客户已很久没有联系或购买：关怀检查已{weeks}，重点客户优先，每位负责人每天最多 {quota} 条。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="121"/>
        <source>nothing planned</source>
        <translation>没有安排</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="126"/>
        <source>missed: {count}</source>
        <translation>未拜访：{count}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="131"/>
        <source>due for a visit: %n customer(s)</source>
        <translation>应拜访：%n 个客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="159"/>
        <source>complaint deadlines: %n complaint(s)</source>
        <translation>投诉期限：%n 条投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="179"/>
        <source>care: %n reminder(s)</source>
        <translation>关怀：%n 条提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="192"/>
        <source>deals due: %n opportunity(ies)</source>
        <translation>待跟进商机：%n 个</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="193"/>
        <source>next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="193"/>
        <source>expected close</source>
        <translation>预计成交</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="206"/>
        <source>Exported %n visit(s) to {path}.</source>
        <translation>已将 %n 次拜访导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="24"/>
        <source>record a sale</source>
        <translation>记录销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="26"/>
        <source>record a sale of one product to a customer</source>
        <translation>为客户记录一笔单一产品的销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="28"/>
        <source>the customer&apos;s number</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="29"/>
        <source>the product&apos;s name</source>
        <translation>产品名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="30"/>
        <source>the amount, like 12800 or 1.28万</source>
        <translation>金额，如 12800 或 1.28万</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="31"/>
        <source>how many (the unit price is the amount divided by it)</source>
        <translation>数量（单价为金额除以数量）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="32"/>
        <source>the day of the sale (default: today), like 2026-11-24</source>
        <translation>销售日期（默认今天），如 2026-11-24</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="33"/>
        <source>what was paid (default: all of it, or nothing when --terms is given)</source>
        <translation>已付款（默认全额；给出 --terms 时默认未付）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="35"/>
        <source>payment terms: paid within so many days</source>
        <translation>账期：在多少天内付款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="36"/>
        <source>a refund (goods returned), not a sale</source>
        <translation>退货退款，而非销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="80"/>
        <source>Recorded a refund of {amount} to {customer} on {date}.</source>
        <translation>已记录 {date} {customer} 的退款 {amount}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="81"/>
        <source>Recorded a sale of {amount} to {customer} on {date}.</source>
        <translation>已记录 {date} 对 {customer} 的销售 {amount}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="86"/>
        <source>Owed: {amount}, due {date}.</source>
        <translation>未付：{amount}，{date} 到期。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="88"/>
        <source>Owed: {amount}.</source>
        <translation>未付：{amount}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="98"/>
        <source>payments due: %n sale(s)</source>
        <translation>应收款：%n 笔销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="100"/>
        <location filename="../../crmdesk/cli/visits.py" line="135"/>
        <source>{days} days overdue</source>
        <translation>逾期 {days} 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="103"/>
        <source>sale of {date}</source>
        <translation>{date} 的销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sales.py" line="111"/>
        <source>Exported %n product(s) to {path}.</source>
        <translation>已将 %n 个产品导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="137"/>
        <source>1 day overdue</source>
        <translation>逾期 1 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="139"/>
        <source>due today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="140"/>
        <source>last visit {date}</source>
        <translation>上次拜访 {date}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="141"/>
        <source>never visited</source>
        <translation>从未拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="161"/>
        <source>first response</source>
        <translation>首次响应</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="161"/>
        <source>resolution</source>
        <translation>解决</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="164"/>
        <source>{hours} business hours late</source>
        <translation>已逾期 {hours} 个工作小时</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/visits.py" line="166"/>
        <location filename="../../crmdesk/cli/visits.py" line="182"/>
        <location filename="../../crmdesk/cli/visits.py" line="195"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/report.py" line="28"/>
        <source>the analytics and sales figures (ABC, value, loyalty, RFM, churn, satisfaction, funnel, forecast, sales by month, season, product, channel, owner, region), one sheet each</source>
        <translation>分析与销售数据（ABC、客户价值、忠诚度、RFM、流失、满意度、销售漏斗、销售预测、月度销售、季节、产品、渠道、销售员、地区），每项一张工作表</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/report.py" line="35"/>
        <source>the first day of the period for revenue, like 2026-01-01</source>
        <translation>统计销售额的起始日期，例如 2026-01-01</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/report.py" line="37"/>
        <source>the last day of the period for revenue (default: today)</source>
        <translation>统计销售额的截止日期（默认今天）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/report.py" line="38"/>
        <source>only this owner&apos;s customers</source>
        <translation>只统计此负责人的客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/report.py" line="40"/>
        <source>only the customers in this province or city</source>
        <translation>只统计此省份或城市的客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/report.py" line="42"/>
        <source>only the customers of this tier</source>
        <translation>只统计此等级的客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/report.py" line="80"/>
        <source>Wrote {path}: %n customer(s), {a} A / {b} B / {c} C, {risk} at risk.</source>
        <translation>已写入 {path}：%n 个客户，A 类 {a} / B 类 {b} / C 类 {c}，{risk} 个有流失风险。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/report.py" line="85"/>
        <source>Sales {amount} in %n sale(s); win rate {won}; forecast {forecast} weighted.</source>
        <translation>销售额 {amount}，共 %n 笔销售；赢单率 {won}；加权预测 {forecast}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/pipeline.py" line="28"/>
        <source>Exported %n opportunity(ies) to {path}.</source>
        <translation>已导出 %n 个商机到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="23"/>
        <source>list the open conflicts of the team, or resolve one</source>
        <translation>列出团队未解决的冲突，或解决其中一个</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="25"/>
        <source>keep your value (mine) or the one that stands (theirs); repeat for several</source>
        <translation>保留你的值（mine）或现行的值（theirs）；可重复给出多个</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="26"/>
        <source>your team password (default: the one kept)</source>
        <translation>你的团队密码（默认：已保存的密码）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="28"/>
        <source>give customers to another rep or team (managers)</source>
        <translation>把客户移交给另一位销售或另一个团队（经理）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="29"/>
        <source>a customer&apos;s code or name</source>
        <translation>客户编号或名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="30"/>
        <source>all customers of this owner</source>
        <translation>此负责人的全部客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="31"/>
        <source>the new owner</source>
        <translation>新负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="32"/>
        <source>the new team (default: the team stays)</source>
        <translation>新团队（默认：团队不变）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="33"/>
        <source>take back the hand-over numbered BATCH</source>
        <translation>撤销编号为 BATCH 的移交</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="40"/>
        <source>write this computer&apos;s waiting changes to a file for a colleague</source>
        <translation>把本机待发送的更改写入文件，交给同事</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="42"/>
        <source>merge a colleague&apos;s change package</source>
        <translation>合并同事的更改包</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="73"/>
        <source>Resolved %n conflict(s), keeping {side}.</source>
        <translation>已解决 %n 个冲突，保留{side}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="74"/>
        <source>mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="75"/>
        <source>theirs</source>
        <translation>对方的</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="79"/>
        <source>No open conflicts.</source>
        <translation>没有未解决的冲突。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="81"/>
        <source>both changed</source>
        <translation>双方都改了</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="81"/>
        <source>edited after it was deleted</source>
        <translation>删除后又被修改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="82"/>
        <source>renumbered</source>
        <translation>已重新编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="82"/>
        <source>refused by the server</source>
        <translation>被服务器拒绝</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="83"/>
        <source>possibly the same customer (mine and theirs both stay)</source>
        <translation>可能是同一客户（我的和对方的都保留）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="85"/>
        <source>{id}  {record}  {field}: mine {mine} ({who}, {when}) / theirs {theirs} ({theirs_who}) — {kind}</source>
        <translation>{id}  {record}  {field}：我的 {mine}（{who}，{when}）/ 对方的 {theirs}（{theirs_who}）— {kind}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="90"/>
        <source>%n open conflict(s): crmdesk conflicts --resolve ID mine|theirs</source>
        <translation>%n 个未解决的冲突：crmdesk conflicts --resolve ID mine|theirs</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="104"/>
        <source>Undid hand-over {batch}: %n customer(s) back with their old owner and team.</source>
        <translation>已撤销移交 {batch}：%n 个客户回到原负责人和原团队。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="112"/>
        <source>Handed %n customer(s) to {owner}{team} (hand-over {batch}; undo with crmdesk handover --undo {batch}); they reach the team at the next sync.</source>
        <translation>已将 %n 个客户移交给 {owner}{team}（移交 {batch}；可用 crmdesk handover --undo {batch} 撤销）；下次同步时送达团队。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="116"/>
        <source>Their open opportunities ({deals}) and planned visits ({visits}) went with them.</source>
        <translation>其进行中的商机（{deals}）和计划中的拜访（{visits}）一并移交。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="137"/>
        <source>Wrote %n change(s) to {path}: give it to a colleague of the team (crmdesk sync --import).</source>
        <translation>已将 %n 项更改写入 {path}：交给本团队的同事（crmdesk sync --import）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="142"/>
        <source>Imported %n change(s) from {user}&apos;s package; they go to the team server at the next sync.</source>
        <translation>已从 {user} 的更改包导入 %n 项更改；下次同步时发送到团队服务器。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/sync.py" line="145"/>
        <source>%n change(s) were here already and were skipped.</source>
        <translation>%n 项更改本机已有，已跳过。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="30"/>
        <source>run the team server and join it</source>
        <translation>运行团队服务器并加入团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="32"/>
        <source>create the team server on an empty PostgreSQL database</source>
        <translation>在空的 PostgreSQL 数据库上创建团队服务器</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="33"/>
        <source>postgresql://ADMIN[:PASSWORD]@HOST[:PORT]/DATABASE</source>
        <translation>postgresql://管理员[:密码]@主机[:端口]/数据库</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="34"/>
        <source>the first manager (default: the administrator)</source>
        <translation>第一位经理（默认：管理员本人）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="35"/>
        <source>the first team&apos;s name</source>
        <translation>第一个团队的名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="36"/>
        <source>add a member, or change one&apos;s role and teams</source>
        <translation>添加成员，或更改成员的角色和团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="39"/>
        <source>a team of the member (repeat for several)</source>
        <translation>成员所属的团队（多个团队可重复此选项）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="41"/>
        <source>the member&apos;s password (default: made up and printed once)</source>
        <translation>成员的密码（默认：自动生成并只显示一次）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="42"/>
        <location filename="../../crmdesk/cli/team.py" line="45"/>
        <location filename="../../crmdesk/cli/team.py" line="48"/>
        <source>the team server (default: the one team init created)</source>
        <translation>团队服务器（默认：team init 创建的那个）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="43"/>
        <source>a member can no longer sign in; the records stay</source>
        <translation>成员不能再登录；其记录保留</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="47"/>
        <source>who synced when, changes waiting, conflicts open</source>
        <translation>谁何时同步过、待发送的更改、未解决的冲突</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="49"/>
        <source>this database joins the team</source>
        <translation>让此数据库加入团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="50"/>
        <source>postgresql://NAME@HOST[:PORT]/DATABASE</source>
        <translation>postgresql://用户名@主机[:端口]/数据库</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="51"/>
        <source>your team login</source>
        <translation>您的团队登录名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="52"/>
        <source>your team password</source>
        <translation>您的团队密码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="53"/>
        <source>send this computer&apos;s changes and fetch the team&apos;s</source>
        <translation>发送本机的更改并获取团队的更改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="54"/>
        <source>your team password (default: the one kept, or asked)</source>
        <translation>您的团队密码（默认：使用已保存的密码，或询问）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="87"/>
        <source>Password of {user} on the server: </source>
        <translation>{user} 在服务器上的密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="99"/>
        <source>Created the team server at {server}; {manager} is its first manager.</source>
        <translation>已在 {server} 创建团队服务器；{manager} 是第一位经理。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="102"/>
        <location filename="../../crmdesk/cli/team.py" line="111"/>
        <source>Password of {user} (shown once, give it to them): {password}</source>
        <translation>{user} 的密码（只显示这一次，请转交本人）：{password}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="108"/>
        <source>Added {user} as {role} of {teams}.</source>
        <translation>已添加 {user}，角色为 {role}，团队：{teams}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="116"/>
        <source>Removed {user}: the login can no longer sign in; its records stay the team&apos;s.</source>
        <translation>已移除 {user}：该登录名不能再登录；其记录仍归团队所有。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="126"/>
        <source>Team server {server}: teams {teams}; {changes}; {conflicts}.</source>
        <translation>团队服务器 {server}：团队 {teams}；{changes}；{conflicts}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="128"/>
        <source>%n change(s)</source>
        <translation>%n 项更改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="132"/>
        <source>{user} ({role}; {teams}): last sent {push}, last fetched {pull}, {waiting}</source>
        <translation>{user}（{role}；{teams}）：上次发送 {push}，上次获取 {pull}，{waiting}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="180"/>
        <source>Built %n index(es) for the lists.</source>
        <translation>已为列表建好 %n 个索引。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="186"/>
        <source>{user} ({role}) at {server}: {waiting}, {conflicts}, last sync {when}.</source>
        <translation>{user}（{role}），服务器 {server}：{waiting}，{conflicts}，上次同步 {when}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="212"/>
        <source>The team server refused %n change(s) this login may not make: see crmdesk conflicts.</source>
        <translation>团队服务器拒绝了此登录名无权做出的 %n 项更改：请查看 crmdesk conflicts。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="215"/>
        <source>Only a manager (for complaints and care, also the desk) may change the team&apos;s settings: the team&apos;s were kept.</source>
        <translation>只有经理（投诉和关怀的设置还有客服台）可以修改团队的设置：已保留团队的设置。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="130"/>
        <location filename="../../crmdesk/cli/team.py" line="188"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="137"/>
        <source>removed</source>
        <translation>已移除</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="143"/>
        <source>%n change(s) waiting</source>
        <translation>%n 项更改待发送</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="147"/>
        <source>%n conflict(s) open</source>
        <translation>%n 个冲突未解决</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="167"/>
        <location filename="../../crmdesk/cli/team.py" line="196"/>
        <source>Team password of {user}: </source>
        <translation>{user} 的团队密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="172"/>
        <source>Joined the team at {server} as {user}.</source>
        <translation>已以 {user} 的身份加入 {server} 上的团队。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="205"/>
        <source>pushed {pushed}, pulled {pulled}, conflicts {conflicts}</source>
        <translation>发送 {pushed}，获取 {pulled}，冲突 {conflicts}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/team.py" line="208"/>
        <source>{old} was taken by another record on the team: it is now {new}.</source>
        <translation>{old} 已被团队中的另一条记录占用：现改为 {new}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="24"/>
        <source>list the customers that are probably the same, with a score and the reasons</source>
        <translation>列出很可能是同一客户的记录，附带评分和理由</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="26"/>
        <source>leave out pairs scoring under S, from 0 to 100 (default 50)</source>
        <translation>不列出评分低于 S 的配对，S 取 0 到 100（默认 50）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="27"/>
        <source>also write the pairs to a workbook</source>
        <translation>同时把配对写入 Excel 工作簿</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="29"/>
        <source>remember that customers A and B are not the same</source>
        <translation>记住客户 A 和 B 不是同一客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="31"/>
        <source>merge customers into the first one: their visits, sales, complaints and care move to it</source>
        <translation>把客户合并到第一个客户中：其拜访、销售、投诉和关怀都转到该客户名下</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="32"/>
        <source>the customer that stays (number or name)</source>
        <translation>保留的客户（编号或名称）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="33"/>
        <source>the customers merged into it</source>
        <translation>要并入的客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="34"/>
        <source>take back the last merge (or the one named)</source>
        <translation>撤销最近一次合并（或指定批次的合并）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="56"/>
        <source>same tax id</source>
        <translation>税号相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="56"/>
        <source>same e-mail</source>
        <translation>邮箱相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="57"/>
        <source>same phone</source>
        <translation>电话相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="57"/>
        <source>same customer number</source>
        <translation>客户编号相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="58"/>
        <source>same name</source>
        <translation>名称相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="58"/>
        <source>same pinyin</source>
        <translation>拼音相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="59"/>
        <source>similar name in the same city</source>
        <translation>同城且名称相近</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="67"/>
        <source>{a} and {b} will not be listed as duplicates again.</source>
        <translation>{a} 和 {b} 今后不会再被列为重复客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="80"/>
        <source>%n pair(s) of probable duplicates: crmdesk merge KEEP OTHER merges one.</source>
        <translation>共 %n 对可能重复的客户：用 crmdesk merge 保留者 其他 合并其中一对。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="90"/>
        <source>Merged {others} into {keep}: %n record(s) moved to it.</source>
        <translation>已将 {others} 合并到 {keep}：%n 条记录转到了该客户名下。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/dedupe.py" line="100"/>
        <source>Merge {batch} undone: %n customer(s) back with their own records.</source>
        <translation>已撤销合并 {batch}：%n 个客户连同各自的记录已恢复。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/exchange.py" line="20"/>
        <source>vcard and calendar</source>
        <translation>vcard 和 calendar</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/exchange.py" line="22"/>
        <source>vCard 4.0 (default), or 3.0 for older phones</source>
        <translation>vCard 4.0（默认），或供旧手机使用的 3.0</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/exchange.py" line="24"/>
        <source>one .vcf file a customer, into the folder OUT</source>
        <translation>每个客户一个 .vcf 文件，写入文件夹 OUT</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/exchange.py" line="25"/>
        <source>only this rep&apos;s visits (and customers&apos; reminders)</source>
        <translation>只导出该销售代表的拜访（及其客户的提醒）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/exchange.py" line="26"/>
        <source>also the open care reminders</source>
        <translation>同时导出未完成的关怀提醒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/exchange.py" line="28"/>
        <source>also the opportunities&apos; next steps</source>
        <translation>同时导出商机的下一步</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/exchange.py" line="52"/>
        <source>Wrote %n contact card(s) to {path}.</source>
        <translation>已将 %n 张联系人名片写入 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/exchange.py" line="57"/>
        <source>Wrote %n calendar event(s) to {path}.</source>
        <translation>已将 %n 个日程写入 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="24"/>
        <source>list, add, change or remove your own customer fields</source>
        <translation>列出、添加、修改或删除您自己的客户字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="26"/>
        <source>add a customer field</source>
        <translation>添加一个客户字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="29"/>
        <source>text, number, date, choice or yesno (default text)</source>
        <translation>text（文本）、number（数字）、date（日期）、choice（选项）或 yesno（是/否），默认 text</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="30"/>
        <source>a choice field&apos;s options, separated by commas</source>
        <translation>选项字段的选项，用逗号分隔</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="31"/>
        <source>the name English readers see</source>
        <translation>英文界面显示的名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="32"/>
        <source>rename a field or change its options</source>
        <translation>重命名字段或修改其选项</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="37"/>
        <source>remove a field (its values are kept hidden)</source>
        <translation>删除字段（其值隐藏保留）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="66"/>
        <source>Added the customer field {name}.</source>
        <translation>已添加客户字段 {name}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="72"/>
        <source>Changed the customer field {name}.</source>
        <translation>已修改客户字段 {name}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="77"/>
        <source>Removed the customer field {name}; the values of %n customer(s) are kept hidden.</source>
        <translation>已删除客户字段 {name}；%n 个客户的值已隐藏保留。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli/fields.py" line="85"/>
        <source>No customer fields of your own yet: crmdesk fields add NAME --type TYPE adds one.</source>
        <translation>还没有自定义客户字段：用 crmdesk fields add 名称 --type 类型 添加一个。</translation>
    </message>
</context>
<context>
    <name>CloseVisitDialog</name>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="261"/>
        <source>Postpone the visit</source>
        <translation>改期拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="261"/>
        <source>Cancel the visit</source>
        <translation>取消拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="262"/>
        <source>The visit did not take place</source>
        <translation>拜访未进行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="274"/>
        <source>New time</source>
        <translation>新时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="275"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="276"/>
        <source>Mark as missed</source>
        <translation>标记为未拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="277"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>Complaint</name>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="13"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="13"/>
        <source>Visit</source>
        <translation>来访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="14"/>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="14"/>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="15"/>
        <source>Letter</source>
        <translation>信函</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="15"/>
        <source>Website</source>
        <translation>网站</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="16"/>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="25"/>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="44"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="19"/>
        <source>Product quality</source>
        <translation>产品质量</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="20"/>
        <source>Service quality</source>
        <translation>服务质量</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="21"/>
        <source>Staff attitude</source>
        <translation>服务态度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="22"/>
        <source>Promise not kept</source>
        <translation>承诺未兑现</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="23"/>
        <source>Delivery</source>
        <translation>交付/物流</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="24"/>
        <source>Price or billing</source>
        <translation>价格/账单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="28"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="28"/>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="29"/>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="29"/>
        <source>Critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="32"/>
        <source>New</source>
        <translation>新投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="33"/>
        <source>Acknowledged</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="34"/>
        <source>Investigating</source>
        <translation>调查中</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="35"/>
        <source>Solution proposed</source>
        <translation>已提出方案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="36"/>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="37"/>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="40"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="40"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="41"/>
        <source>Replacement</source>
        <translation>换货</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="42"/>
        <source>Repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="42"/>
        <source>Discount</source>
        <translation>折扣</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="43"/>
        <source>Voucher</source>
        <translation>代金券</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="43"/>
        <source>Gift</source>
        <translation>礼品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="47"/>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="47"/>
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="48"/>
        <source>Waiting for the customer</source>
        <translation>等待客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="49"/>
        <source>On time</source>
        <translation>未超期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="52"/>
        <source>The customer&apos;s own words written down</source>
        <translation>记下客户原话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="53"/>
        <source>Whom to answer and how to reach them</source>
        <translation>答复对象及联系方式</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="54"/>
        <source>First response given</source>
        <translation>已首次响应</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="55"/>
        <source>Facts established</source>
        <translation>查明事实</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="56"/>
        <source>Root cause found</source>
        <translation>找到根本原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="57"/>
        <source>Solution offered</source>
        <translation>提出解决方案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="58"/>
        <source>Compensation decided</source>
        <translation>确定补偿</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="59"/>
        <source>The customer accepted</source>
        <translation>客户接受</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="60"/>
        <source>Satisfaction surveyed</source>
        <translation>满意度回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="61"/>
        <source>Follow-up planned</source>
        <translation>安排跟进回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="65"/>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="68"/>
        <source>Very dissatisfied</source>
        <translation>很不满意</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="65"/>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="68"/>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="66"/>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="69"/>
        <source>Neutral</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="66"/>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="70"/>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="67"/>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="71"/>
        <source>Very satisfied</source>
        <translation>很满意</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="69"/>
        <source>Somewhat dissatisfied</source>
        <translation>较不满意</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="70"/>
        <source>Somewhat satisfied</source>
        <translation>较满意</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="107"/>
        <source>{hours} h</source>
        <translation>{hours} 小时</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/labels.py" line="109"/>
        <source>{days} d {hours} h</source>
        <translation>{days} 天 {hours} 小时</translation>
    </message>
</context>
<context>
    <name>ComplaintDetails</name>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="47"/>
        <source>Select a complaint to see its deadlines, checklist and contacts, or log one with Ctrl+N.</source>
        <translation>选择一条投诉查看期限、检查清单和联系记录，或按 Ctrl+N 登记新投诉。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="67"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="69"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="70"/>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="71"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="72"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="75"/>
        <source>Product or sale</source>
        <translation>涉及产品/交易</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="78"/>
        <source>Repeat</source>
        <translation>重复投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="79"/>
        <source>Repeat complaint: the same customer complained about the same within 90 days ({number}).</source>
        <translation>重复投诉：该客户 90 天内曾就同类问题投诉（{number}）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="82"/>
        <source>Respond by</source>
        <translation>响应期限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="84"/>
        <source>First response</source>
        <translation>首次响应</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="86"/>
        <source>waiting for the customer since {time}</source>
        <translation>自 {time} 起等待客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="88"/>
        <source>Resolve by</source>
        <translation>解决期限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="90"/>
        <source>Resolved</source>
        <translation>解决时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="92"/>
        <source>Closed</source>
        <translation>关闭时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="94"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="97"/>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/complaints/details.py" line="97"/>
        <source>%n time(s)</source>
        <translation>
            <numerusform>%n 次</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="99"/>
        <source>The customer&apos;s words</source>
        <translation>客户原话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="99"/>
        <source>Facts established</source>
        <translation>查明事实</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="100"/>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="100"/>
        <source>Solution offered</source>
        <translation>提出解决方案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="105"/>
        <source>Compensation</source>
        <translation>补偿</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="108"/>
        <source>Checklist</source>
        <translation>检查清单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/details.py" line="117"/>
        <source>Contacts with the customer</source>
        <translation>与客户的联系</translation>
    </message>
</context>
<context>
    <name>ComplaintDialog</name>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="53"/>
        <source>Complaint details</source>
        <translation>投诉详情</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="53"/>
        <source>Log a complaint</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="61"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="68"/>
        <source>Who complained</source>
        <translation>投诉人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="71"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="74"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="76"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="77"/>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="79"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="80"/>
        <source>Subcategory</source>
        <translation>细分类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="82"/>
        <source>Your own, e.g. toner leaks</source>
        <translation>自行填写，如：硒鼓漏粉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="95"/>
        <source>Product or sale</source>
        <translation>涉及产品/交易</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="97"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="104"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="105"/>
        <source>Customer&apos;s words</source>
        <translation>客户原话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="106"/>
        <source>What the customer said, in their own words</source>
        <translation>客户怎么说的，照原话记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="108"/>
        <source>Facts</source>
        <translation>事实</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="109"/>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="110"/>
        <source>Solution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="117"/>
        <source>Amount, e.g. 200</source>
        <translation>金额，如 200</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="120"/>
        <source>Compensation</source>
        <translation>补偿</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/dialog.py" line="161"/>
        <source>(no particular sale)</source>
        <translation>（不涉及具体交易）</translation>
    </message>
</context>
<context>
    <name>ComplaintList</name>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="19"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="20"/>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="21"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="22"/>
        <source>Customer No.</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="23"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="24"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="25"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="26"/>
        <source>Subcategory</source>
        <translation>细分类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="27"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="28"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="29"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="30"/>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="31"/>
        <source>Due</source>
        <translation>到期时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="32"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="33"/>
        <source>Customer&apos;s words</source>
        <translation>客户原话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="34"/>
        <source>Solution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="35"/>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="56"/>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="89"/>
        <source>Repeat</source>
        <translation>重复投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="36"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="37"/>
        <source>Resolved</source>
        <translation>解决时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/sources.py" line="38"/>
        <source>Closed</source>
        <translation>关闭时间</translation>
    </message>
</context>
<context>
    <name>ComplaintSettingsDialog</name>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="27"/>
        <source>Complaint settings</source>
        <translation>投诉设置</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="31"/>
        <source>Business hours to the first response and to the resolution, per severity, counted on working days (China&apos;s public holidays and adjusted working days) within the working day below. New deadlines apply to complaints logged from now on.</source>
        <translation>按严重程度设定首次响应和解决的工作小时数，只计算下列上班时间内的工作日（按中国法定节假日和调休）。新期限适用于此后登记的投诉。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="51"/>
        <source> h to respond</source>
        <translation> 小时内响应</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="51"/>
        <source> h to resolve</source>
        <translation> 小时内解决</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="67"/>
        <source>Working day</source>
        <translation>上班时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="71"/>
        <source>{count} levels: {names}</source>
        <translation>{count} 级：{names}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="88"/>
        <source>Satisfaction scale</source>
        <translation>满意度量表</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="93"/>
        <source> days after closing</source>
        <translation> 天（关闭后）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="94"/>
        <source>Follow-up call</source>
        <translation>跟进回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="97"/>
        <source>One name per line: the people complaints can be given to, besides the customers&apos; owners and the reps</source>
        <translation>每行一个姓名：除客户负责人和业务员外，还可以负责投诉的人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/deadlines_dialog.py" line="100"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
</context>
<context>
    <name>ComplaintStatsView</name>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="62"/>
        <source>Last 12 months</source>
        <translation>最近 12 个月</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="62"/>
        <source>This year</source>
        <translation>今年</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="63"/>
        <source>Last year</source>
        <translation>去年</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="63"/>
        <source>All time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="69"/>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="73"/>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="75"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="89"/>
        <source>No complaints were received in this period.</source>
        <translation>这段时间没有收到投诉。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="109"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="141"/>
        <source>{hours} business hours</source>
        <translation>{hours} 个工作小时</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="149"/>
        <source>Complaints: {n}</source>
        <translation>投诉：{n}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="150"/>
        <source>Open: {n}</source>
        <translation>未解决：{n}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="151"/>
        <source>Overdue now: {n}</source>
        <translation>当前逾期：{n}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="152"/>
        <source>Repeat complaints: {n}</source>
        <translation>重复投诉：{n}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="153"/>
        <source>Resolved within the deadline: {share}</source>
        <translation>按期解决率：{share}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="154"/>
        <source>First answered in time: {share}</source>
        <translation>按期响应率：{share}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="156"/>
        <source>To first response: {hours}</source>
        <translation>平均响应：{hours}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="157"/>
        <source>To resolution: {hours}</source>
        <translation>平均解决：{hours}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="159"/>
        <source>Satisfaction: {average} / 5, satisfied {share}</source>
        <translation>满意度：{average} / 5，满意率 {share}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="162"/>
        <source>By category</source>
        <translation>按类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="163"/>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="167"/>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="175"/>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="166"/>
        <source>By month of receipt</source>
        <translation>按受理月份</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="168"/>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="169"/>
        <source>Resolved in time</source>
        <translation>按期解决</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="172"/>
        <source>Satisfaction after closing</source>
        <translation>关闭后满意度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="173"/>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="174"/>
        <source>By severity</source>
        <translation>按严重程度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="189"/>
        <source>Export the statistics</source>
        <translation>导出统计</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="189"/>
        <source>complaint statistics.xlsx</source>
        <translation>投诉统计.xlsx</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/charts.py" line="201"/>
        <source>Exported the statistics to {path}.</source>
        <translation>已把统计导出到 {path}。</translation>
    </message>
</context>
<context>
    <name>ComplaintStepDialog</name>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="34"/>
        <source>Acknowledge: the first response</source>
        <translation>受理：首次响应</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="35"/>
        <source>Start investigating</source>
        <translation>开始调查</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="36"/>
        <source>Propose a solution</source>
        <translation>提出解决方案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="36"/>
        <source>The customer rejected the solution</source>
        <translation>客户不接受方案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="37"/>
        <source>Resolved: the customer accepted</source>
        <translation>已解决：客户接受方案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="37"/>
        <source>Close with a survey</source>
        <translation>回访并关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="38"/>
        <source>Reopen the complaint</source>
        <translation>重新打开投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="38"/>
        <source>Wait for the customer</source>
        <translation>等待客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="39"/>
        <source>The customer answered: resume</source>
        <translation>客户已答复：恢复计时</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="39"/>
        <source>Log a contact</source>
        <translation>记录联系</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="50"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="53"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="56"/>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="60"/>
        <source>Facts established</source>
        <translation>查明事实</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="62"/>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="64"/>
        <source>Solution offered</source>
        <translation>提出解决方案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="73"/>
        <source>Amount, e.g. 200</source>
        <translation>金额，如 200</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="78"/>
        <source>Compensation</source>
        <translation>补偿</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="91"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="96"/>
        <source> days later</source>
        <translation> 天后</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="97"/>
        <source>Follow-up call</source>
        <translation>跟进回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="98"/>
        <source>Survey comment</source>
        <translation>回访意见</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="98"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="98"/>
        <source>What was said</source>
        <translation>沟通内容</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="99"/>
        <source>Waiting for what</source>
        <translation>等待什么</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="100"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="102"/>
        <source>What you told the customer</source>
        <translation>你对客户说了什么</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="106"/>
        <source>The customer said: {words}</source>
        <translation>客户原话：{words}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/step_dialog.py" line="112"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>ComplaintTimeline</name>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="19"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="20"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="21"/>
        <source>Contact&apos;s phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="22"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="23"/>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="24"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="25"/>
        <source>Subcategory</source>
        <translation>细分类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="26"/>
        <source>Product or sale</source>
        <translation>涉及产品/交易</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="27"/>
        <source>Sale concerned</source>
        <translation>涉及交易</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="28"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="29"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="30"/>
        <source>Customer&apos;s words</source>
        <translation>客户原话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="31"/>
        <source>Facts established</source>
        <translation>查明事实</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="32"/>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="33"/>
        <source>Solution offered</source>
        <translation>提出解决方案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="34"/>
        <source>Compensation</source>
        <translation>补偿</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="35"/>
        <source>Compensation amount</source>
        <translation>补偿金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="36"/>
        <source>Customer accepted</source>
        <translation>客户是否接受</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="37"/>
        <source>First response</source>
        <translation>首次响应</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="38"/>
        <source>Time to first response</source>
        <translation>响应用时</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="39"/>
        <source>Resolved</source>
        <translation>解决时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="40"/>
        <source>Time to resolution</source>
        <translation>解决用时</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="41"/>
        <source>Closed</source>
        <translation>关闭时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="42"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="43"/>
        <source>Survey comment</source>
        <translation>回访意见</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="44"/>
        <source>Waiting for the customer since</source>
        <translation>开始等待客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="45"/>
        <source>Clock stopped for</source>
        <translation>暂停计时</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="46"/>
        <source>Times reopened</source>
        <translation>重开次数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/timeline.py" line="47"/>
        <source>Repeat of</source>
        <translation>重复投诉</translation>
    </message>
</context>
<context>
    <name>ComplaintsTab</name>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="49"/>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="49"/>
        <source>Escalation</source>
        <translation>升级督办</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="50"/>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="56"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="71"/>
        <source>Search number, customer, contact, product, words…</source>
        <translation>搜索编号、客户、联系人、产品、原话…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="79"/>
        <source>Open</source>
        <translation>未解决</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="79"/>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="79"/>
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="80"/>
        <source>Waiting for the customer</source>
        <translation>等待客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="80"/>
        <source>Resolved and closed</source>
        <translation>已解决和已关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="81"/>
        <source>All complaints</source>
        <translation>全部投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="85"/>
        <source>Every severity</source>
        <translation>所有严重程度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="90"/>
        <source>Every category</source>
        <translation>所有类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="95"/>
        <source>Any time</source>
        <translation>任何时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="95"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="96"/>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="96"/>
        <source>Last 90 days</source>
        <translation>最近 90 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="97"/>
        <source>This year</source>
        <translation>今年</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="170"/>
        <source>&amp;Log a complaint…</source>
        <translation>登记投诉(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="172"/>
        <source>&amp;Details…</source>
        <translation>详情(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="173"/>
        <source>Log a &amp;contact…</source>
        <translation>记录联系(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="175"/>
        <source>&amp;Acknowledge…</source>
        <translation>受理(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="175"/>
        <source>&amp;Investigate…</source>
        <translation>调查(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="176"/>
        <source>&amp;Propose a solution…</source>
        <translation>提出方案(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="176"/>
        <source>Customer re&amp;jected…</source>
        <translation>客户不接受(&amp;J)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="177"/>
        <source>&amp;Resolved…</source>
        <translation>已解决(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="177"/>
        <source>Cl&amp;ose with survey…</source>
        <translation>回访并关闭(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="178"/>
        <source>Re&amp;open…</source>
        <translation>重新打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="178"/>
        <source>&amp;Wait for the customer…</source>
        <translation>等待客户(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="179"/>
        <source>Res&amp;ume…</source>
        <translation>恢复计时(&amp;U)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="182"/>
        <source>&amp;Delete complaint</source>
        <translation>删除投诉(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="240"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="259"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/complaints/tab.py" line="260"/>
        <source>%n complaint(s)</source>
        <translation>
            <numerusform>%n 条投诉</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="303"/>
        <source>Closed. A follow-up call is planned in the care list.</source>
        <translation>已关闭。跟进回访已排入关怀列表。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/complaints/tab.py" line="343"/>
        <source>Delete complaints: %n</source>
        <translation>
            <numerusform>删除投诉：%n 条</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/tab.py" line="348"/>
        <source>Deleted. Ctrl+Z brings it back.</source>
        <translation>已删除。按 Ctrl+Z 可恢复。</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="29"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="36"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="36"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="36"/>
        <source>Set aside</source>
        <translation>被搁置的值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="36"/>
        <source>Set aside by</source>
        <translation>搁置值的修改人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="36"/>
        <source>Kept</source>
        <translation>保留的值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="37"/>
        <source>Kept by</source>
        <translation>保留值的修改人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="37"/>
        <source>What happened</source>
        <translation>情况</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="47"/>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="113"/>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="117"/>
        <source>&amp;Use the set-aside value</source>
        <translation>改用被搁置的值(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="49"/>
        <source>The value that was set aside replaces the one that stands, for the team.</source>
        <translation>被搁置的值将替换当前值，对整个团队生效。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="50"/>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="118"/>
        <source>&amp;Keep as it is</source>
        <translation>保持现状(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="52"/>
        <source>The value that stands stays; the set-aside one is dropped.</source>
        <translation>保留当前值，丢弃被搁置的值。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="85"/>
        <source>%n conflict(s): the later edit stands; the other value is set aside here. Choose one or several and keep either value.</source>
        <translation>
            <numerusform>%n 个冲突：以较晚的修改为准，另一个值搁置在此。选择一个或多个，保留任一值。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="88"/>
        <source>No conflicts: every edit of the team fitted together.</source>
        <translation>没有冲突：团队的所有修改都已合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="110"/>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="111"/>
        <source>&amp;Leave it deleted</source>
        <translation>保持删除(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="115"/>
        <source>&amp;Keep both</source>
        <translation>都保留(&amp;K)</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <location filename="../../crmdesk/ui/team/connect_dialog.py" line="23"/>
        <source>Connect to a team</source>
        <translation>连接团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/connect_dialog.py" line="24"/>
        <source>This database joins your team&apos;s server: what you have here goes up, what your login may see comes down, and from then on your changes are shared.</source>
        <translation>此数据库将加入团队服务器：本机数据上传，您的账号可见的数据下载，此后您的更改将与团队共享。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/connect_dialog.py" line="30"/>
        <source>As your manager gave it: postgresql://SERVER/DATABASE</source>
        <translation>按经理提供的地址填写：postgresql://服务器/数据库</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/connect_dialog.py" line="38"/>
        <source>Remember the password on this computer</source>
        <translation>在此电脑上记住密码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/connect_dialog.py" line="47"/>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/connect_dialog.py" line="49"/>
        <source>&amp;Name:</source>
        <translation>用户名(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/connect_dialog.py" line="50"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/connect_dialog.py" line="54"/>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
</context>
<context>
    <name>ContactsEditor</name>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="39"/>
        <source>Add contact</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="41"/>
        <source>Remove contact</source>
        <translation>删除联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="63"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="63"/>
        <source>Job Title</source>
        <translation>职位</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="63"/>
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="63"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="64"/>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="64"/>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="64"/>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="64"/>
        <source>Lunar</source>
        <translation>农历</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="65"/>
        <source>Decision maker</source>
        <translation>决策人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="65"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/contacts_editor.py" line="175"/>
        <source>Contact {number}, {column}: {reason}</source>
        <translation>联系人 {number}，{column}：{reason}</translation>
    </message>
</context>
<context>
    <name>CustomFields</name>
    <message>
        <location filename="../../crmdesk/ui/common/formatting.py" line="94"/>
        <location filename="../../crmdesk/ui/custom_fields/editors.py" line="44"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/formatting.py" line="95"/>
        <location filename="../../crmdesk/ui/custom_fields/editors.py" line="45"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/filter_button.py" line="47"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/filter_button.py" line="57"/>
        <source>Between…</source>
        <translation>介于…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/filter_button.py" line="68"/>
        <source>Clear these filters</source>
        <translation>清除这些筛选</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/filter_button.py" line="89"/>
        <source>My fields ▾</source>
        <translation>自定义字段 ▾</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/filter_button.py" line="90"/>
        <source>Filter by your own customer fields</source>
        <translation>按您自己的客户字段筛选</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="20"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="21"/>
        <source>Number</source>
        <translation>数字</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="22"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="23"/>
        <source>Choice</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="24"/>
        <source>Yes / no</source>
        <translation>是 / 否</translation>
    </message>
</context>
<context>
    <name>CustomFieldsDialog</name>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="22"/>
        <source>Customer fields</source>
        <translation>客户字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="23"/>
        <source>Your own fields for customers, beside the built-in ones: they appear in the customer form (page “My fields”), the profile, the list&apos;s columns and filters, search, import and export.</source>
        <translation>在内置字段之外为客户添加您自己的字段：它们出现在客户表单（“自定义字段”页）、客户档案、列表的列和筛选、搜索、导入和导出中。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="30"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="30"/>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="30"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="30"/>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="31"/>
        <source>Customers with a value</source>
        <translation>有值的客户数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="35"/>
        <source>&amp;Add…</source>
        <translation>添加(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="36"/>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="37"/>
        <source>Move &amp;up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="38"/>
        <source>Move &amp;down</source>
        <translation>下移(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="39"/>
        <source>&amp;Remove…</source>
        <translation>删除(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="47"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="117"/>
        <source>Remove the field “{name}”? It leaves the form, the lists and exported files. The values of %n customer(s) are kept hidden: adding a field of the same name and type again brings them back.</source>
        <translation>
            <numerusform>删除字段“{name}”？它将从表单、列表和导出文件中移除。%n 个客户的值会隐藏保留：再次添加同名同类型的字段即可恢复。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="120"/>
        <source>Remove field</source>
        <translation>删除字段</translation>
    </message>
</context>
<context>
    <name>CustomerAnalytics</name>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="43"/>
        <source>The figures appear here once the Analytics tab (or crmdesk report) has worked them out for every customer.</source>
        <translation>在“分析”页（或 crmdesk report）为全部客户计算后，这里会显示该客户的各项指标。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="47"/>
        <source>ABC class</source>
        <translation>ABC 分类</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="48"/>
        <source>Evaluation score</source>
        <translation>评价得分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="49"/>
        <source>no scores yet</source>
        <translation>尚未评分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="50"/>
        <source>Suggested tier</source>
        <translation>建议等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="52"/>
        <source>Lifetime value</source>
        <translation>客户终身价值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="52"/>
        <source>{total}: historical {historical}, current {current}, potential {potential}</source>
        <translation>{total}：历史 {historical}，当前 {current}，潜在 {potential}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="56"/>
        <source>Loyalty index</source>
        <translation>忠诚度指数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="57"/>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="61"/>
        <source>no data</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="62"/>
        <source>RFM</source>
        <translation>RFM</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="63"/>
        <source>never bought</source>
        <translation>从未购买</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="64"/>
        <source>Churn signs</source>
        <translation>流失迹象</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="65"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/analytics/customer_analytics.py" line="68"/>
        <source>Against all customers as worked out on {date}.</source>
        <translation>与全部客户对比，计算于 {date}。</translation>
    </message>
</context>
<context>
    <name>CustomerCare</name>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="33"/>
        <source>Redeem points for a gift…</source>
        <translation>积分兑换礼品…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="36"/>
        <source>Plan a care reminder…</source>
        <translation>新建关怀提醒…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="43"/>
        <source>Due</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="43"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="43"/>
        <source>About</source>
        <translation>事由</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="43"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="44"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="44"/>
        <source>Customer&apos;s response</source>
        <translation>客户反馈</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="47"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="47"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="47"/>
        <source>For</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="53"/>
        <source>Points ledger</source>
        <translation>积分明细</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="69"/>
        <source>Points: {points}</source>
        <translation>积分：{points}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="76"/>
        <source>Snoozed to {date}</source>
        <translation>推迟到 {date}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="80"/>
        <source>Purchase</source>
        <translation>购买</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="80"/>
        <source>Gift</source>
        <translation>兑换礼品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="80"/>
        <source>Adjustment</source>
        <translation>调整</translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message>
        <location filename="../../crmdesk/ui/customers/dialog.py" line="46"/>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/dialog.py" line="46"/>
        <source>Edit customer</source>
        <translation>编辑客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/dialog.py" line="64"/>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/dialog.py" line="67"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/dialog.py" line="68"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/dialog.py" line="100"/>
        <location filename="../../crmdesk/ui/customers/dialog.py" line="177"/>
        <source>My fields</source>
        <translation>自定义字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/dialog.py" line="135"/>
        <source>Edit customer: {name}</source>
        <translation>编辑客户：{name}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/customers/dialog.py" line="213"/>
        <source>Fields to correct: %n. They are marked in red.</source>
        <translation>
            <numerusform>有 %n 个字段需要更正，已用红色标出。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerList</name>
    <message>
        <location filename="../../crmdesk/ui/customers/source.py" line="21"/>
        <source>Last changed</source>
        <translation>最后修改时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/source.py" line="22"/>
        <source>Deleted</source>
        <translation>删除时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/source.py" line="23"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
</context>
<context>
    <name>CustomerPicker</name>
    <message>
        <location filename="../../crmdesk/ui/common/pickers.py" line="23"/>
        <source>Type a customer&apos;s name, code, pinyin or phone…</source>
        <translation>输入客户名称、编号、拼音或电话…</translation>
    </message>
</context>
<context>
    <name>CustomerProfile</name>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="86"/>
        <source>Plan a visit…</source>
        <translation>计划拜访…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="89"/>
        <source>Log a visit…</source>
        <translation>补记拜访…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="92"/>
        <source>Log a complaint…</source>
        <translation>登记投诉…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="100"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="294"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="100"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="294"/>
        <source>Job Title</source>
        <translation>职位</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="100"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="294"/>
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="100"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="295"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="100"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="295"/>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="101"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="295"/>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="101"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="296"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="297"/>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="101"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="298"/>
        <source>Decision maker</source>
        <translation>决策人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="290"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="117"/>
        <source>Category</source>
        <translation>产品类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="290"/>
        <source>Paid</source>
        <translation>已付款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="107"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="110"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="107"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="107"/>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="107"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="107"/>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="108"/>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="110"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="290"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="355"/>
        <source>Kind</source>
        <translation>拜访类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="110"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="117"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="354"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="110"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="355"/>
        <source>Rep</source>
        <translation>拜访人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="110"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="356"/>
        <source>Objective</source>
        <translation>拜访目的</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="111"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="358"/>
        <source>What happened</source>
        <translation>拜访经过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="111"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="359"/>
        <source>Result</source>
        <translation>效果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="112"/>
        <source>Profile</source>
        <translation>档案</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="113"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="355"/>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="114"/>
        <source>Transactions</source>
        <translation>交易记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="115"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="341"/>
        <source>Visits</source>
        <translation>拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="117"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="117"/>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="117"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="118"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="290"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="118"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="123"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="351"/>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="129"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="188"/>
        <source>Care</source>
        <translation>关怀</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="132"/>
        <source>Figures</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="133"/>
        <source>Timeline</source>
        <translation>变更记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="162"/>
        <source>No customer selected</source>
        <translation>未选择客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="165"/>
        <source>Select a customer in the list to see their archive, or press Ctrl+N to add one.</source>
        <translation>在列表中选择一个客户以查看其档案，或按 Ctrl+N 新建客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="177"/>
        <source> (in the trash)</source>
        <translation>（在回收站中）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="187"/>
        <source>Care ({count})</source>
        <translation>关怀（{count}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="214"/>
        <source>Average score</source>
        <translation>平均分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="218"/>
        <source>Satisfaction after complaints</source>
        <translation>投诉后满意度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="226"/>
        <source>My fields</source>
        <translation>自定义字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="229"/>
        <source>Nothing recorded yet.</source>
        <translation>暂无记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="246"/>
        <source>{date} (lunar)</source>
        <translation>{date}（农历）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="253"/>
        <source>Customer created</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="254"/>
        <source>Customer changed</source>
        <translation>修改客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="255"/>
        <source>Customer deleted</source>
        <translation>删除客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="256"/>
        <source>Customer restored</source>
        <translation>恢复客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="257"/>
        <source>Contact added</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="258"/>
        <source>Contact changed</source>
        <translation>修改联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="259"/>
        <source>Contact removed</source>
        <translation>删除联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="260"/>
        <source>Transaction added</source>
        <translation>添加交易</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="261"/>
        <source>Transaction removed</source>
        <translation>删除交易</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="262"/>
        <source>Sale recorded</source>
        <translation>记录销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="263"/>
        <source>Sale corrected</source>
        <translation>更正销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="264"/>
        <source>Sale deleted</source>
        <translation>删除销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="265"/>
        <source>Sale restored</source>
        <translation>恢复销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="266"/>
        <source>Visit planned</source>
        <translation>计划了拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="267"/>
        <source>Visit changed</source>
        <translation>修改了拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="268"/>
        <source>Visit deleted</source>
        <translation>删除了拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="269"/>
        <source>Visit restored</source>
        <translation>恢复了拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="270"/>
        <source>Complaint logged</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="271"/>
        <source>Complaint changed</source>
        <translation>投诉已修改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="272"/>
        <source>Complaint deleted</source>
        <translation>投诉已删除</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="273"/>
        <source>Complaint restored</source>
        <translation>投诉已恢复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="274"/>
        <source>Follow-up planned</source>
        <translation>安排跟进回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="275"/>
        <source>Follow-up changed</source>
        <translation>跟进回访已修改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="276"/>
        <source>Follow-up withdrawn</source>
        <translation>跟进回访已撤回</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="277"/>
        <source>Follow-up restored</source>
        <translation>跟进回访已恢复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="278"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="291"/>
        <source>Paid on</source>
        <translation>付款日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="291"/>
        <source>Payment terms</source>
        <translation>账期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="292"/>
        <source>Due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="292"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="293"/>
        <source>Lines</source>
        <translation>明细</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="293"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="362"/>
        <source>Deal</source>
        <translation>商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="297"/>
        <source>Birthday Calendar</source>
        <translation>生日历法</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="292"/>
        <location filename="../../crmdesk/ui/customers/profile.py" line="298"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="309"/>
        <source> (demo data)</source>
        <translation>（演示数据）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="340"/>
        <source>Visits ({count})</source>
        <translation>拜访（{count}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="350"/>
        <source>Complaints ({count})</source>
        <translation>投诉（{count}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="354"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="354"/>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="356"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="357"/>
        <source>Talking points</source>
        <translation>洽谈要点</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="357"/>
        <source>Materials to bring</source>
        <translation>携带资料</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="358"/>
        <source>Expected result</source>
        <translation>预期结果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="359"/>
        <source>Objections</source>
        <translation>异议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="360"/>
        <source>Follow-up actions</source>
        <translation>后续行动</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="360"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="361"/>
        <source>Recorded</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/profile.py" line="361"/>
        <source>Next visit</source>
        <translation>下次拜访</translation>
    </message>
</context>
<context>
    <name>CustomerSales</name>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="50"/>
        <source>Record a sale…</source>
        <translation>记录销售…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="53"/>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="56"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="60"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="60"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="60"/>
        <source>Category</source>
        <translation>产品类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="60"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="61"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="61"/>
        <source>Paid</source>
        <translation>已付款</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="99"/>
        <source>%n transaction(s) from {first} to {last}: total {amount}, paid {paid}, outstanding {outstanding}</source>
        <translation>
            <numerusform>%n 笔交易，{first} 至 {last}：合计 {amount}，已付 {paid}，未付 {outstanding}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="105"/>
        <source>No transactions yet.</source>
        <translation>暂无交易记录。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="108"/>
        <source>Owes {owed} on %n sale(s)</source>
        <translation>
            <numerusform>%n 笔销售尚欠 {owed}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="110"/>
        <source>, of which {overdue} overdue</source>
        <translation>，其中逾期 {overdue}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="160"/>
        <source>Delete sale</source>
        <translation>删除销售</translation>
    </message>
</context>
<context>
    <name>CustomersTab</name>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="78"/>
        <source>Search name, code, contact, phone, city, pinyin (bjhr)…</source>
        <translation>搜索客户名称、客户编号、联系人、电话、城市或拼音首字母（bjhr）…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="89"/>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="89"/>
        <source>Stage</source>
        <translation>生命周期阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="90"/>
        <source>Relationship</source>
        <translation>关系类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="90"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="91"/>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="91"/>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="91"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="108"/>
        <source>Trash</source>
        <translation>回收站</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="109"/>
        <source>Show deleted customers, to restore them</source>
        <translation>显示已删除的客户，以便恢复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="160"/>
        <source>&amp;New customer…</source>
        <translation>新建客户(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="162"/>
        <source>&amp;Edit customer…</source>
        <translation>编辑客户(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="163"/>
        <source>&amp;Delete customer</source>
        <translation>删除客户(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="166"/>
        <source>&amp;Restore from trash</source>
        <translation>从回收站恢复(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="168"/>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="169"/>
        <source>&amp;Columns…</source>
        <translation>显示列(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="170"/>
        <source>&amp;Plan a visit…</source>
        <translation>计划拜访(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="172"/>
        <source>&amp;Log a visit…</source>
        <translation>补记拜访(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="174"/>
        <source>Log a &amp;complaint…</source>
        <translation>登记投诉(&amp;C)…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/customers/tab.py" line="259"/>
        <source>Delete customers: %n</source>
        <translation>
            <numerusform>删除 %n 个客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/customers/tab.py" line="269"/>
        <source>Deleted customers: %n. Ctrl+Z brings them back, or find them in the trash.</source>
        <translation>
            <numerusform>已删除 %n 个客户。按 Ctrl+Z 可撤销，也可以在回收站中找回。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="332"/>
        <source>Searching…</source>
        <translation>正在查找…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/customers/tab.py" line="334"/>
        <source>In the trash: %n</source>
        <translation>
            <numerusform>回收站中：%n 个客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/customers/tab.py" line="337"/>
        <source>Customers: %n</source>
        <translation>
            <numerusform>客户：%n 个</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="339"/>
        <source>Shown: {shown} of {total}</source>
        <translation>显示 {shown} 个，共 {total} 个</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="377"/>
        <source>All tiers</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="377"/>
        <source>All stages</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="378"/>
        <source>All relationships</source>
        <translation>全部关系类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="378"/>
        <source>All owners</source>
        <translation>全部负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="378"/>
        <source>All teams</source>
        <translation>所有团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="379"/>
        <source>All cities</source>
        <translation>全部城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customers/tab.py" line="379"/>
        <source>All tags</source>
        <translation>全部标签</translation>
    </message>
</context>
<context>
    <name>Damaged</name>
    <message>
        <location filename="../../crmdesk/ui/damaged_dialog.py" line="24"/>
        <source>Damaged database</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/damaged_dialog.py" line="27"/>
        <source>{path} is damaged; nothing was written to it. Restore its newest good automatic backup, {backup}? A raw copy of the damaged file is kept.</source>
        <translation>{path} 已损坏，没有向其写入任何内容。是否恢复它最新的完好自动备份 {backup}？损坏的文件会保留一份原样副本。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/damaged_dialog.py" line="30"/>
        <source>Restore this backup</source>
        <translation>恢复此备份</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/damaged_dialog.py" line="32"/>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/damaged_dialog.py" line="34"/>
        <source>{path} is damaged; nothing was written to it. There is no good automatic backup of it: use File ▸ Restore from backup with a backup of your own.</source>
        <translation>{path} 已损坏，没有向其写入任何内容。它没有完好的自动备份：请用“文件 ▸ 从备份恢复”恢复您自己的备份。</translation>
    </message>
</context>
<context>
    <name>DayPlanDialog</name>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="40"/>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="101"/>
        <source>Day plan</source>
        <translation>日程表</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="49"/>
        <source>All reps</source>
        <translation>全部拜访人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="56"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="59"/>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="62"/>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="65"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="68"/>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="70"/>
        <source>Rep</source>
        <translation>拜访人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="105"/>
        <source>Nothing is planned for this day.</source>
        <translation>这一天没有安排拜访。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="109"/>
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n 次拜访</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="111"/>
        <source>Say</source>
        <translation>要谈</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="111"/>
        <source>Bring</source>
        <translation>要带</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="112"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="112"/>
        <source>Customer and contacts</source>
        <translation>客户与联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="112"/>
        <source>Address and phone</source>
        <translation>地址与电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="113"/>
        <source>Objective, talking points, materials</source>
        <translation>目的、要点、资料</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="119"/>
        <source>No city given</source>
        <translation>未填城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="154"/>
        <source>day-plan-{day}.pdf</source>
        <translation>日程表-{day}.pdf</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="155"/>
        <source>Save the day plan as PDF</source>
        <translation>将日程表存为 PDF</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="173"/>
        <source>day-plan-{day}.xlsx</source>
        <translation>日程表-{day}.xlsx</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="174"/>
        <source>Export the day plan</source>
        <translation>导出日程表</translation>
    </message>
</context>
<context>
    <name>DueList</name>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="85"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="86"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="87"/>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="88"/>
        <source>Last visit</source>
        <translation>上次拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="89"/>
        <source>Every</source>
        <translation>频率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="90"/>
        <source>Planned</source>
        <translation>已安排</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="91"/>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="92"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="93"/>
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="94"/>
        <source>Evaluation</source>
        <translation>评估分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="100"/>
        <source>%n day</source>
        <translation>%n 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="101"/>
        <source>%n days</source>
        <translation>%n 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="132"/>
        <source>due today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="133"/>
        <source>in %n day</source>
        <translation>%n 天后到期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="134"/>
        <source>in %n days</source>
        <translation>%n 天后到期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="41"/>
        <location filename="../../crmdesk/ui/visits/sources.py" line="136"/>
        <source>No tier</source>
        <translation>未分级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="38"/>
        <source>All tiers</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="46"/>
        <source>and due within </source>
        <translation>及 </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="47"/>
        <source> days</source>
        <translation> 天内到期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="49"/>
        <source>Include customers with a visit planned</source>
        <translation>包括已安排拜访的客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="52"/>
        <source>Plan a visit to this customer</source>
        <translation>为此客户计划拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="55"/>
        <source>Visit frequency…</source>
        <translation>拜访频率…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="57"/>
        <source>How often this customer should be visited, instead of its tier&apos;s</source>
        <translation>为此客户单独设定拜访频率，代替其等级的频率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="108"/>
        <source>Searching…</source>
        <translation>正在查找…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="111"/>
        <source>No customer is due for a visit.</source>
        <translation>目前没有需要拜访的客户。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/visits/due_list.py" line="112"/>
        <source>%n customer(s) is(are) due for a visit.</source>
        <translation>
            <numerusform>%n 个客户应拜访。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="135"/>
        <source>Visit frequency</source>
        <translation>拜访频率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/due_list.py" line="136"/>
        <source>Visit {name} every how many days? 0 goes back to its tier&apos;s frequency.</source>
        <translation>{name} 每隔几天拜访一次？填 0 则按其客户等级的频率。</translation>
    </message>
</context>
<context>
    <name>DuplicateWarning</name>
    <message>
        <location filename="../../crmdesk/ui/dedupe/entry_warning.py" line="57"/>
        <source>Probably the same customer as {customer} ({reasons}): &lt;a href=&quot;open:{id}&quot;&gt;Open it&lt;/a&gt; · &lt;a href=&quot;merge:{id}&quot;&gt;Merge into it&lt;/a&gt;</source>
        <translation>很可能与 {customer} 是同一客户（{reasons}）：&lt;a href=&quot;open:{id}&quot;&gt;打开它&lt;/a&gt; · &lt;a href=&quot;merge:{id}&quot;&gt;合并到它&lt;/a&gt;</translation>
    </message>
</context>
<context>
    <name>Duplicates</name>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_actions.py" line="15"/>
        <source>&amp;Merge selected customers…</source>
        <translation>合并所选客户(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="37"/>
        <source>%n visit(s)</source>
        <translation>%n 次拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="38"/>
        <source>%n visit plan(s)</source>
        <translation>%n 个拜访计划</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="39"/>
        <source>%n transaction(s)</source>
        <translation>%n 笔交易</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="40"/>
        <source>%n sale(s)</source>
        <translation>%n 笔销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="41"/>
        <source>%n opportunity(ies)</source>
        <translation>%n 个商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="42"/>
        <source>%n complaint(s)</source>
        <translation>%n 条投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="43"/>
        <source>%n care event(s)</source>
        <translation>%n 条关怀</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="44"/>
        <source>%n points entry(ies)</source>
        <translation>%n 条积分记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="45"/>
        <source>%n contact(s)</source>
        <translation>%n 位联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_undo.py" line="20"/>
        <source>Merge %n customer(s)</source>
        <translation>合并 %n 个客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/reasons.py" line="8"/>
        <source>same tax id</source>
        <translation>税号相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/reasons.py" line="9"/>
        <source>same e-mail</source>
        <translation>邮箱相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/reasons.py" line="10"/>
        <source>same phone</source>
        <translation>电话相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/reasons.py" line="11"/>
        <source>same customer number</source>
        <translation>客户编号相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/reasons.py" line="12"/>
        <source>same name</source>
        <translation>名称相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/reasons.py" line="13"/>
        <source>same pinyin</source>
        <translation>拼音相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/reasons.py" line="14"/>
        <source>similar name in the same city</source>
        <translation>同城且名称相近</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/reasons.py" line="20"/>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="68"/>
        <source>Duplicate customers</source>
        <translation>重复客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="89"/>
        <source>&amp;Review and merge…</source>
        <translation>核对并合并(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="92"/>
        <source>&amp;Not duplicates</source>
        <translation>不是重复(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="94"/>
        <source>They are two customers: never list this pair again.</source>
        <translation>这是两个不同的客户：以后不再列出这一对。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="99"/>
        <source>Pairs scoring at least:</source>
        <translation>只列出评分不低于：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="121"/>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="123"/>
        <source>Looking for duplicates…</source>
        <translation>正在查找重复客户…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="130"/>
        <source>%n pair(s) of probable duplicates.</source>
        <translation>
            <numerusform>共 %n 对可能重复的客户。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="131"/>
        <source>No probable duplicates: every customer looks like one of a kind.</source>
        <translation>没有发现可能重复的客户：每个客户看起来都是独一无二的。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="20"/>
        <source>{path} is not a crmdesk database: choose a .sqlite file that crmdesk created, or a new file name.</source>
        <translation>{path} 不是 crmdesk 数据库：请选择由 crmdesk 创建的 .sqlite 文件，或输入新的文件名。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="21"/>
        <source>{path} is an SQLite database of another program: choose a crmdesk database or a new file name.</source>
        <translation>{path} 是其他程序的 SQLite 数据库：请选择 crmdesk 数据库，或输入新的文件名。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="22"/>
        <source>{path} was written by a newer crmdesk (schema {version}, this one reads up to {supported}): update crmdesk to open it; the file was not changed.</source>
        <translation>{path} 由更新版本的 crmdesk 创建（结构版本 {version}，当前版本最高支持 {supported}）：请升级 crmdesk 后再打开；该文件未被更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="23"/>
        <source>crmdesk cannot write to {path}: choose a folder you are allowed to write to, or fix its permissions.</source>
        <translation>crmdesk 无法写入 {path}：请选择有写入权限的文件夹，或修改该文件夹的权限。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="24"/>
        <source>There is no database at {path}: check the path, or create a new database.</source>
        <translation>{path} 处没有数据库：请检查路径，或新建数据库。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="25"/>
        <source>{path} is damaged and cannot be read: restore it from a backup.</source>
        <translation>{path} 已损坏，无法读取：请从备份恢复。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="26"/>
        <source>{path} is on a network share, where SQLite can lose data: keep the database on this computer&apos;s own disk.</source>
        <translation>{path} 位于网络共享位置，SQLite 在此可能丢失数据：请将数据库保存在本机磁盘上。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="27"/>
        <source>{path} is a folder: give the path of a database file inside it.</source>
        <translation>{path} 是一个文件夹：请指定该文件夹中的数据库文件路径。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="28"/>
        <source>The database is busy with another program&apos;s long write: try again in a moment.</source>
        <translation>另一个程序正在对数据库进行长时间写入：请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="30"/>
        <source>The backup to {path} failed its check and was not kept: make sure the disk has room and try again.</source>
        <translation>备份到 {path} 未通过校验，已被删除：请确认磁盘空间充足后重试。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="31"/>
        <source>{path} is not a crmdesk backup: choose a .sqlite file made by crmdesk&apos;s backup.</source>
        <translation>{path} 不是 crmdesk 备份：请选择由 crmdesk 备份功能生成的 .sqlite 文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="32"/>
        <source>{path} comes from a newer crmdesk (schema {version}, this one reads up to {supported}): update crmdesk to restore it.</source>
        <translation>{path} 来自更新版本的 crmdesk（结构版本 {version}，当前版本最高支持 {supported}）：请升级 crmdesk 后再恢复。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="33"/>
        <source>{path} is damaged: choose another backup; nothing was changed.</source>
        <translation>{path} 已损坏：请选择其他备份；未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="34"/>
        <source>There is no file at {path}: check the name and try again.</source>
        <translation>{path} 处没有文件：请检查文件名后重试。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="35"/>
        <source>{path} already exists: choose a new file name for a new database, or open it with File ▸ Open.</source>
        <translation>{path} 已存在：请为新数据库另取文件名，或通过“文件 ▸ 打开”打开它。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="36"/>
        <source>A backup cannot be written over the database itself ({path}): choose another file name.</source>
        <translation>备份不能覆盖数据库本身（{path}）：请另选一个文件名。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="37"/>
        <source>The amount is too large: at most 90,000,000,000,000.</source>
        <translation>金额过大：最多 90,000,000,000,000。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="38"/>
        <source>crmdesk cannot write {path}: choose another folder or close the program that has the file open.</source>
        <translation>crmdesk 无法写入 {path}：请选择其他文件夹，或关闭正在打开该文件的程序。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="40"/>
        <source>The folder of {path} does not exist: create it or give the path of an existing database; nothing was changed.</source>
        <translation>{path} 所在的文件夹不存在：请先创建该文件夹，或给出一个现有数据库的路径；没有做任何改动。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="41"/>
        <source>{path} is damaged and nothing was written to it: restore its newest good automatic backup with: crmdesk restore &quot;{backup}&quot; --db &quot;{path}&quot;</source>
        <translation>{path} 已损坏，没有向其写入任何内容：请用以下命令恢复它最新的完好自动备份：crmdesk restore &quot;{backup}&quot; --db &quot;{path}&quot;</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="42"/>
        <source>{path} is damaged and nothing was written to it; there is no good automatic backup of it: restore a backup of your own with: crmdesk restore FILE.sqlite --db &quot;{path}&quot;</source>
        <translation>{path} 已损坏，没有向其写入任何内容；它没有完好的自动备份：请用以下命令恢复您自己的备份：crmdesk restore FILE.sqlite --db &quot;{path}&quot;</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="43"/>
        <source>{path} is open in another crmdesk window or program: close it there, then restore again; nothing was changed.</source>
        <translation>{path} 正在另一个 crmdesk 窗口或程序中打开：请先在那里关闭它，再重新恢复；没有做任何改动。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="44"/>
        <source>Upgrading {path} to this crmdesk failed and nothing was changed; the copy made before the upgrade is {backup}: free some disk space or fix the folder&apos;s permissions, then start crmdesk again.</source>
        <translation>将 {path} 升级到此版本的 crmdesk 失败，没有做任何改动；升级前所做的副本是 {backup}：请腾出一些磁盘空间或修正文件夹的权限，然后重新启动 crmdesk。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="45"/>
        <source>Upgrading {path} to this crmdesk failed and nothing was changed: free some disk space or fix the folder&apos;s permissions, then start crmdesk again.</source>
        <translation>将 {path} 升级到此版本的 crmdesk 失败，没有做任何改动：请腾出一些磁盘空间或修正文件夹的权限，然后重新启动 crmdesk。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="47"/>
        <source>That customer no longer exists: it may have been deleted in another window.</source>
        <translation>该客户已不存在：可能已在其他窗口中被删除。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="49"/>
        <source>Fields to correct: {count}, marked in red.</source>
        <translation>需要更正的字段：{count} 个，已用红色标出。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="50"/>
        <source>The database already has customers: demo data goes only into an empty database, so create a new one first.</source>
        <translation>数据库中已有客户：演示数据只能导入空数据库，请先新建一个数据库。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="51"/>
        <source>Demo data is limited to {max} customers: ask for fewer.</source>
        <translation>演示数据最多 {max} 个客户：请减少数量。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="53"/>
        <source>The pipeline needs at least one open stage besides won and lost: add one; nothing was saved.</source>
        <translation>销售漏斗除“赢单”和“输单”外至少需要一个进行中的阶段：请添加一个；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="54"/>
        <source>Two stages are called “{name}”: give each stage its own name; nothing was saved.</source>
        <translation>有两个阶段都叫“{name}”：请给每个阶段取不同的名称；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="55"/>
        <source>Stage {position} needs a name and a probability from 0 to 100: correct it; nothing was saved.</source>
        <translation>第 {position} 个阶段需要名称和 0 到 100 之间的赢单概率：请更正；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="56"/>
        <source>Won and lost close a deal and come last, once each: move them to the end; nothing was saved.</source>
        <translation>“赢单”和“输单”用于结束商机，各出现一次且必须排在最后：请把它们移到末尾；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="59"/>
        <source>That opportunity no longer exists: it, or its customer, may have been deleted in another window.</source>
        <translation>该商机已不存在：它或它的客户可能已在另一个窗口中被删除。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="60"/>
        <source>There is no stage “{stage}”: choose one of {known}; nothing was saved.</source>
        <translation>没有“{stage}”这个阶段：请从 {known} 中选择；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="61"/>
        <source>Say why “{title}” was lost: choose a reason; nothing was saved.</source>
        <translation>请说明“{title}”输单的原因：选择一个原因；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="62"/>
        <source>“{title}” is still open: only a won or lost opportunity can be reopened.</source>
        <translation>“{title}”仍在跟进中：只有赢单或输单的商机才能重新打开。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="63"/>
        <source>“{title}” is a deal of another customer: choose one of this customer&apos;s opportunities; nothing was saved.</source>
        <translation>“{title}”是其他客户的商机：请选择本客户的商机；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="64"/>
        <source>The sheet has no opportunity column (商机名称 or Opportunity), so crmdesk cannot tell one deal from the next: add it and import the file again; nothing was imported.</source>
        <translation>表格中没有商机名称列（商机名称或 Opportunity），crmdesk 无法区分各个商机：请添加该列后重新导入；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="65"/>
        <source>No customer has the number “{code}” or exactly the name “{name}”: correct it, or add the customer first.</source>
        <translation>没有编号为“{code}”或名称恰为“{name}”的客户：请更正，或先添加该客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="66"/>
        <source>Choose the customer the deal is with: type a name, code or phone and pick one from the list.</source>
        <translation>请选择商机所属客户：输入名称、编号或电话，然后从列表中选择。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="68"/>
        <source>Required: type a value.</source>
        <translation>必填：请输入内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="69"/>
        <source>Too long: at most {max} characters.</source>
        <translation>内容过长：最多 {max} 个字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="70"/>
        <source>Too few digits for a phone number: type at least 5 digits.</source>
        <translation>电话号码位数过少：请至少输入 5 位数字。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="71"/>
        <source>Too many digits for a phone number: type at most 20.</source>
        <translation>电话号码位数过多：最多输入 20 位。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="72"/>
        <source>A phone number holds digits only (a leading + and an extension like x12 are fine).</source>
        <translation>电话号码只能包含数字（可以以 + 开头，也可以带分机号，如 x12）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="73"/>
        <source>Not an email address: it needs one @ and a domain with a dot, like name@example.com.</source>
        <translation>邮箱格式不正确：需要包含一个 @ 和带点的域名，如 name@example.com。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="74"/>
        <source>Not an amount: type a number like 1234.50, ¥1,234 or 1.2万.</source>
        <translation>金额格式不正确：请输入数字，如 1234.50、¥1,234 或 1.2万。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="75"/>
        <source>The amount cannot be negative.</source>
        <translation>金额不能为负数。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="76"/>
        <source>Not a whole number: type digits only.</source>
        <translation>不是整数：请只输入数字。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="77"/>
        <source>Out of range: type a number from {low} to {high}.</source>
        <translation>超出范围：请输入 {low} 到 {high} 之间的数字。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="78"/>
        <source>A score is a whole number from 1 to 5.</source>
        <translation>评分必须是 1 到 5 之间的整数。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="79"/>
        <source>A month is a number from 1 to 12.</source>
        <translation>月份必须是 1 到 12 之间的数字。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="80"/>
        <source>Not a date: type it like 2023-04-02 or 2023年4月2日.</source>
        <translation>日期格式不正确：请按 2023-04-02 或 2023年4月2日 的格式输入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="81"/>
        <source>Day and month could be either way round: type the date as 2023-04-02.</source>
        <translation>无法确定日和月的顺序：请按 2023-04-02 的格式输入日期。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="82"/>
        <source>The year is missing: type the full date, like 2023-04-02.</source>
        <translation>缺少年份：请输入完整日期，如 2023-04-02。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="83"/>
        <source>Not a birthday: type 1985-04-02, --04-02, 4月2日 or 农历八月十五.</source>
        <translation>生日格式不正确：请输入 1985-04-02、--04-02、4月2日 或 农历八月十五。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="84"/>
        <source>There is no such month: a month is from 1 to 12.</source>
        <translation>没有这个月份：月份应为 1 到 12。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="85"/>
        <source>That birthday is in the future: check the year.</source>
        <translation>生日晚于今天：请检查年份。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="86"/>
        <source>Not one of the choices: pick one of {choices}.</source>
        <translation>不是可选值：请从 {choices} 中选择一项。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="100"/>
        <source>There is no custom field {name}: check its name in File ▸ Customer fields; nothing was changed.</source>
        <translation>没有名为 {name} 的自定义字段：请在 文件 ▸ 客户字段 中核对名称；未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="101"/>
        <source>A tag is at most {max} characters.</source>
        <translation>标签最多 {max} 个字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="102"/>
        <source>Customer No. {code} is already used by another customer: type another, or leave it blank to get a new one.</source>
        <translation>客户编号 {code} 已被其他客户使用：请输入其他编号，或留空以自动生成。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="104"/>
        <source>Not a date and time: pick it in the calendar, or type it like 2026-11-24 09:30.</source>
        <translation>不是有效的日期时间：请在日历中选择，或按 2026-11-24 09:30 的格式输入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="105"/>
        <source>The visit ends before it starts: set the end after the start.</source>
        <translation>结束时间早于开始时间：请把结束时间设在开始之后。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="106"/>
        <source>A visit cannot last more than {days} days: check the end date.</source>
        <translation>一次拜访不能超过 {days} 天：请检查结束日期。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="107"/>
        <source>The result is rated from 1 to 5 stars.</source>
        <translation>效果评分为 1 到 5 星。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="108"/>
        <source>Choose the customer to visit: type part of the name and pick it from the list.</source>
        <translation>请选择要拜访的客户：输入名称的一部分，再从列表中选取。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="109"/>
        <source>That visit no longer exists: it, or its customer, may have been deleted in another window.</source>
        <translation>该拜访已不存在：它或它的客户可能已在其他窗口中被删除。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="111"/>
        <source>This visit was already recorded, postponed, cancelled or marked as missed, so it cannot be changed that way any more.</source>
        <translation>这次拜访已记录、改期、取消或标记为未拜访，不能再这样修改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="112"/>
        <source>The repeat ends before the first visit: choose a later end date.</source>
        <translation>重复的结束日期早于第一次拜访：请选择更晚的结束日期。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="113"/>
        <source>No date matches this repeat: choose other weekdays or a later end date.</source>
        <translation>没有符合此重复规则的日期：请选择其他星期几或更晚的结束日期。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="114"/>
        <source>{value} is not a date: give the first day of the agenda like 2026-11-24.</source>
        <translation>{value} 不是日期：请按 2026-11-24 的格式给出待办事项的起始日期。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="115"/>
        <source>{value} is not a date: give --from and --to like 2026-11-24.</source>
        <translation>“{value}”不是日期：--from 和 --to 请写成 2026-11-24 这样。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="116"/>
        <source>--from {start} comes after --to {end}: give the first day of the period, then the last.</source>
        <translation>--from {start} 晚于 --to {end}：请先写起始日期，再写截止日期。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="117"/>
        <source>--days takes a whole number of days from 1 to {max}, not {value}.</source>
        <translation>--days 应为 1 到 {max} 之间的整数天数，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="119"/>
        <source>Choose the customer who complains: type part of the name and pick it from the list.</source>
        <translation>请选择投诉的客户：输入名称的一部分，再从列表中选取。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="120"/>
        <source>That complaint no longer exists: it, or its customer, may have been deleted in another window.</source>
        <translation>该投诉已不存在：它或它的客户可能已在另一个窗口中被删除。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="122"/>
        <source>Complaint {number} cannot take that step from where it stands now: take the steps in order (acknowledge, investigate, propose a solution, resolve, close).</source>
        <translation>投诉 {number} 当前的状态不能进行这一步：请按顺序处理（受理、调查、提出方案、解决、关闭）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="123"/>
        <source>A deadline is a whole number of business hours from 1 to {max}.</source>
        <translation>期限是 1 到 {max} 之间的整数工作小时。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="124"/>
        <source>The resolution deadline cannot come before the first-response deadline: give it at least as many hours.</source>
        <translation>解决期限不能早于首次响应期限：请至少给出同样多的小时数。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="125"/>
        <source>Not a time of day: type it like 09:00.</source>
        <translation>不是有效的时间：请按 09:00 的格式输入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="126"/>
        <source>The working day ends before it starts: set the end after the start.</source>
        <translation>下班时间早于上班时间：请把下班时间设在上班时间之后。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="127"/>
        <source>The date must lie between the years {low} and {high}: check the year.</source>
        <translation>日期必须在 {low} 年到 {high} 年之间：请检查年份。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="128"/>
        <source>The complaint cannot have been received in the future: check the date and time.</source>
        <translation>受理时间不能是将来的时间：请检查日期和时间。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="129"/>
        <source>{name} is not someone crmdesk knows: pick the owner from the list, or add the name to the team in Complaints ▸ Settings.</source>
        <translation>crmdesk 中没有“{name}”这个人：请从列表中选择负责人，或在“投诉 ▸ 设置”中把此人加入团队。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="130"/>
        <source>That transaction does not belong to this customer: pick one from the customer&apos;s transactions.</source>
        <translation>该交易不属于这个客户：请从该客户的交易中选择。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="131"/>
        <source>The complaint would be received after it was first answered: set the time of receipt earlier.</source>
        <translation>受理时间会晚于首次响应时间：请把受理时间改早。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="132"/>
        <source>The complaint would be received after it was resolved: set the time of receipt earlier.</source>
        <translation>受理时间会晚于解决时间：请把受理时间改早。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="133"/>
        <source>Write down the customer&apos;s own words before acknowledging the complaint: listen first.</source>
        <translation>受理投诉前请先记下客户的原话：先倾听。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="134"/>
        <source>Write down the facts you established before proposing a solution.</source>
        <translation>提出解决方案前，请先写下查明的事实。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="135"/>
        <source>Describe the solution you offer the customer.</source>
        <translation>请写明向客户提出的解决方案。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="136"/>
        <source>Complaint {number} has no solution written down: describe the solution before you resolve or close it.</source>
        <translation>投诉 {number} 还没有写明解决方案：请先写明方案，再解决或关闭。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="137"/>
        <source>Choose how satisfied the customer is before closing the complaint.</source>
        <translation>关闭投诉前，请选择客户的满意程度。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="138"/>
        <source>The first response cannot come before the complaint was received: check the date and time.</source>
        <translation>首次响应不能早于受理时间：请检查日期和时间。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="139"/>
        <source>The complaint cannot be resolved before it was received: check the date and time of the resolution.</source>
        <translation>解决时间不能早于受理时间：请检查解决的日期和时间。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="140"/>
        <source>That time is before the complaint was received: check the date and time.</source>
        <translation>该时间早于投诉的受理时间：请检查日期和时间。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="141"/>
        <source>That time is before the complaint&apos;s last step ({at}): give the time this step really happened.</source>
        <translation>该时间早于投诉的上一步（{at}）：请填写这一步实际发生的时间。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="142"/>
        <source>That time is in the future: record steps when they have happened.</source>
        <translation>该时间在将来：请在事情发生后再记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="143"/>
        <source>The complaint cannot be closed before it was resolved: check the date and time.</source>
        <translation>关闭时间不能早于解决时间：请检查日期和时间。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="144"/>
        <source>The clock of complaint {number} cannot be stopped now: only an acknowledged complaint that is not resolved can wait for the customer.</source>
        <translation>投诉 {number} 现在不能暂停计时：只有已受理、尚未解决的投诉才能等待客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="145"/>
        <source>Complaint {number} is not waiting for the customer.</source>
        <translation>投诉 {number} 并未在等待客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="147"/>
        <source>A number of days from {low} to {high}: 0 or a negative number would remind nobody, so turn the rule off instead.</source>
        <translation>天数须在 {low} 到 {high} 之间：0 或负数不会提醒任何人，不需要时请关闭该规则。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="148"/>
        <source>{value} is not a festival crmdesk can use: give a name (without a colon) and a real day of the year, like 店庆 6-18.</source>
        <translation>“{value}”不是可用的节日：请写名称（不含冒号）和一年中真实存在的日期，例如 店庆 6-18。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="149"/>
        <source>Points per yuan is a number above 0 and at most {high}, like 1 or 0.5.</source>
        <translation>每元积分须大于 0、不超过 {high}，例如 1 或 0.5。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="150"/>
        <source>Choose the customer: type part of the name and pick it from the list.</source>
        <translation>请选择客户：输入部分名称，再从列表中选取。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="151"/>
        <source>That care event no longer exists: it, or its customer, may have been deleted in another window.</source>
        <translation>这条关怀提醒已不存在：它或它的客户可能已在另一个窗口中被删除。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="269"/>
        <source>&quot;{name}&quot; cannot be a login or team name: use 1 to 60 characters without quotes or semicolons.</source>
        <translation>“{name}”不能用作登录名或团队名：请使用 1 到 60 个字符，不含引号或分号。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="48"/>
        <source>{name} was changed elsewhere since you opened it{fields}: reopen it to see the changes, then make yours again.</source>
        <translation>{name} 自你打开后已在别处被修改{fields}：请重新打开查看修改，再重新做你的修改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="57"/>
        <source>Deals are still in the stage “{name}” ({count}): move them to another stage before removing it; nothing was saved.</source>
        <translation>阶段“{name}”中仍有商机（{count} 个）：请先把它们移到其他阶段再删除；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="87"/>
        <source>Not a number: type it like 12, 3.5 or 1.2万.</source>
        <translation>不是数字：请输入如 12、3.5 或 1.2万。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="88"/>
        <source>Not yes or no: type 是 or 否 (yes or no).</source>
        <translation>不是“是”或“否”：请输入 是 或 否（yes 或 no）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="90"/>
        <source>--new-fields makes customer fields, so it goes with import customers only: leave it out; nothing was imported.</source>
        <translation>--new-fields 用于创建客户字段，只能与 import customers 一起使用：请去掉它；未导入任何数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="91"/>
        <source>The field has no name: type one, like 宗教信仰 or Religion.</source>
        <translation>字段没有名称：请输入一个，例如 宗教信仰 或 Religion。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="92"/>
        <source>A field&apos;s name is at most {max} characters: shorten it.</source>
        <translation>字段名称最多 {max} 个字符：请缩短。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="93"/>
        <source>{name} is a customer field already: use that field, or choose another name.</source>
        <translation>{name} 已是客户字段：请使用该字段，或换一个名称。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="94"/>
        <source>There is a field named {name} already: choose another name.</source>
        <translation>已有名为 {name} 的字段：请换一个名称。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="95"/>
        <source>{type} is not a field type: choose text, number, date, choice or yesno.</source>
        <translation>{type} 不是字段类型：请选择 text、number、date、choice 或 yesno。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="96"/>
        <source>A choice field needs its options: type one or more, one a line.</source>
        <translation>选项字段需要选项：请输入一个或多个，每行一个。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="97"/>
        <source>An option is at most {max} characters: shorten it.</source>
        <translation>一个选项最多 {max} 个字符：请缩短。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="98"/>
        <source>A choice field holds at most {max} options: make it a text field instead.</source>
        <translation>选项字段最多 {max} 个选项：请改用文本字段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="99"/>
        <source>There are {max} custom fields already, the most there can be: remove one that is no longer used.</source>
        <translation>自定义字段已达上限 {max} 个：请删除不再使用的字段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="110"/>
        <source>The visit to {name} was changed elsewhere since you opened it{fields}: close this one and open the visit again to see the changes.</source>
        <translation>拜访 {name} 的记录自你打开后已在别处被修改{fields}：请关闭此窗口并重新打开该拜访查看修改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="121"/>
        <source>Complaint {number} was changed elsewhere since you opened it{fields}: close this one and open the complaint again to see the changes.</source>
        <translation>投诉 {number} 自你打开后已在别处被修改{fields}：请关闭此窗口并重新打开该投诉查看修改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="152"/>
        <source>This care event was changed elsewhere since you opened it{fields}: open it again to see the changes.</source>
        <translation>这条关怀记录自你打开后已在别处被修改{fields}：请重新打开查看修改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="153"/>
        <source>That contact does not belong to this customer: pick one of the customer&apos;s contacts.</source>
        <translation>该联系人不属于这个客户：请从该客户的联系人中选择。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="154"/>
        <source>Snooze to a day after today ({today}), at most a year ahead.</source>
        <translation>请推迟到今天（{today}）之后的某一天，最多一年以内。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="155"/>
        <source>This care event is already done or skipped: open it again to see what was recorded.</source>
        <translation>这条关怀提醒已完成或已跳过：请重新打开查看记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="156"/>
        <source>Say why it is skipped, so that the next person knows.</source>
        <translation>请写明跳过的原因，方便后来的同事了解。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="157"/>
        <source>The date must lie between the years 1901 and 2099: check the year.</source>
        <translation>日期须在 1901 年到 2099 年之间：请检查年份。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="158"/>
        <source>Points are a whole number above 0, at most {max}.</source>
        <translation>积分须为大于 0 的整数，最多 {max}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="159"/>
        <source>The customer has only {balance} points, fewer than the {points} this gift needs.</source>
        <translation>该客户只有 {balance} 积分，不足兑换此礼品所需的 {points} 积分。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="161"/>
        <source>The A, B and C shares are three numbers above 0 that add up to 100 %, like 80, 15 and 5.</source>
        <translation>A、B、C 三类的占比须为大于 0、合计 100% 的三个数，例如 80、15、5。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="162"/>
        <source>At least one evaluation factor needs a weight above 0.</source>
        <translation>至少要有一个评价因素的权重大于 0。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="163"/>
        <source>Not a cause crmdesk knows: pick product, service, staff, image, the customer or competitors.</source>
        <translation>不是可用的原因：请选择产品、服务、员工、企业形象、客户自身或竞争对手。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="165"/>
        <source>This line has {found} cells where the header has {expected}: its quotes or separators are broken, so its values would land in the wrong columns; fix the line and import it again.</source>
        <translation>此行有 {found} 个单元格，而表头有 {expected} 个：此行的引号或分隔符有误，数据会错位到其他列；请修正此行后重新导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="166"/>
        <source>A cell holds more than {max} characters, more than Excel allows: shorten it.</source>
        <translation>单元格内容超过 {max} 个字符，超出了 Excel 的上限：请缩短内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="167"/>
        <source>{option} takes one of: {choices}.</source>
        <translation>{option} 的取值只能是以下之一：{choices}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="168"/>
        <source>The workbook has no sheet named {sheet}: choose one of {sheets}.</source>
        <translation>工作簿中没有名为 {sheet} 的工作表：请从 {sheets} 中选择一个。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="169"/>
        <source>The sheet {sheet} is empty: choose a sheet with data.</source>
        <translation>工作表 {sheet} 是空的：请选择有数据的工作表。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="170"/>
        <source>No header row was found in sheet {sheet}: add a row of column names (such as 客户名称, 手机 or Name, Mobile) above the data, or give the header row and map the columns yourself.</source>
        <translation>在工作表 {sheet} 中找不到表头行：请在数据上方添加一行列名（如“客户名称”“手机”或 Name、Mobile），或指定表头行并手动对应各列。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="171"/>
        <source>This sheet does not look like a customer list (its columns are {headers}): choose the sheet that holds your customers, or check the header row and map the columns yourself in the Import customers window.</source>
        <translation>此工作表看起来不是客户列表（其中的列为 {headers}）：请选择包含客户的工作表，或在“导入客户”窗口中核对表头行，并手动对应各列。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="172"/>
        <source>This sheet does not look like a list of transactions (its columns are {headers}): it needs at least a date and an amount, product or quantity column.</source>
        <translation>此工作表看起来不是交易记录列表（其中的列为 {headers}）：至少需要一个日期列，以及金额、产品或数量列中的一列。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="173"/>
        <source>The sheet has no customer column (customer number or name), so crmdesk cannot tell whom each sale belongs to: add a 客户名称 or 客户编号 column and import it again.</source>
        <translation>此工作表没有客户列（客户编号或客户名称），crmdesk 无法判断每笔交易属于哪个客户：请添加“客户名称”或“客户编号”列后重新导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="174"/>
        <source>The file has no amount column: the transactions were imported with an amount of 0.</source>
        <translation>文件中没有金额列：这些交易记录已按金额 0 导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="175"/>
        <source>Most dates were rejected as ambiguous or unreadable; if they are written day first (16-01-17), import again with the date order set to day-month-year (--date-order dmy).</source>
        <translation>大部分日期因有歧义或无法识别而被拒绝；如果日期是日在前的写法（如 16-01-17），请将日期顺序设为“日-月-年”（--date-order dmy）后重新导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="176"/>
        <source>{target} is not a column crmdesk knows: choose one from the list.</source>
        <translation>{target} 不是 crmdesk 能识别的列：请从列表中选择。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="177"/>
        <source>Two columns are mapped to {target}: keep one of them.</source>
        <translation>有两列都对应到 {target}：请只保留其中一列。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="178"/>
        <source>The file has more than {max:,} rows, more than one import takes: split it into smaller files and import them one after the other.</source>
        <translation>文件超过 {max:,} 行，超出单次导入的上限：请拆分为几个较小的文件，逐个导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="179"/>
        <source>There is no import to undo: every import has been undone already, or none was made in this database.</source>
        <translation>没有可撤销的导入：所有导入都已撤销，或此数据库从未导入过数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="180"/>
        <source>There is no import {batch}: run the command without a batch to undo the last import.</source>
        <translation>不存在导入批次 {batch}：不指定批次运行该命令，即可撤销最近一次导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="181"/>
        <source>No customer has the number {code} yet, and a new customer needs a name: add its name to the row, or correct the number.</source>
        <translation>还没有编号为 {code} 的客户，而新客户必须有名称：请在该行填上名称，或改正编号。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="182"/>
        <source>Import {batch} was undone already.</source>
        <translation>导入批次 {batch} 已经撤销过了。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="184"/>
        <source>{path} is empty (0 bytes): choose the file that holds your data, or save it again from Excel.</source>
        <translation>{path} 是空文件（0 字节）：请选择包含数据的文件，或用 Excel 重新保存。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="185"/>
        <source>{path} is not a spreadsheet or CSV file, whatever its name says: open it in Excel or WPS, save it as .xlsx or .csv, and import that file.</source>
        <translation>{path} 实际上不是电子表格或 CSV 文件（与其扩展名无关）：请用 Excel 或 WPS 打开它，另存为 .xlsx 或 .csv，再导入另存的文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="186"/>
        <source>{path} is password-protected: remove the password in Excel (File ▸ Info ▸ Protect Workbook), save it, and import it again.</source>
        <translation>{path} 受密码保护：请在 Excel 中取消密码（文件 ▸ 信息 ▸ 保护工作簿），保存后重新导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="187"/>
        <source>{path} is damaged and cannot be read: open it in Excel or WPS to repair it, save a copy, and import the copy.</source>
        <translation>{path} 已损坏，无法读取：请用 Excel 或 WPS 打开并修复，另存一份副本，然后导入该副本。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="188"/>
        <source>{path} is too large to read safely (more than {limit}): delete unused rows and columns, or split it into smaller files and import them one after the other.</source>
        <translation>{path} 过大，无法安全读取（超过 {limit}）：请删除未使用的行和列，或拆分成较小的文件，逐个导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="189"/>
        <source>{path} contains XML declarations that spreadsheet programs never write and that could freeze the computer: open it in Excel, save it as a new .xlsx, and import that file.</source>
        <translation>{path} 含有电子表格程序从不写入、且可能导致电脑卡死的 XML 声明：请用 Excel 打开它，另存为新的 .xlsx 文件，再导入该文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="191"/>
        <source>A merge needs the customer to keep and at least one other customer: choose two or more different customers.</source>
        <translation>合并需要一个保留的客户和至少一个其他客户：请选择两个或更多不同的客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="192"/>
        <source>One of the customers to merge no longer exists: it may have been deleted or merged already; nothing was merged.</source>
        <translation>要合并的客户中有一个已不存在：可能已被删除或已合并；未做任何合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="193"/>
        <source>No customer has the number or the exact name {name}: give the numbers the customer list shows; nothing was merged.</source>
        <translation>没有编号或名称正好是 {name} 的客户：请使用客户列表中显示的编号；未做任何合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="194"/>
        <source>There is no merge to undo: every merge has been undone already, or none was made.</source>
        <translation>没有可撤销的合并：所有合并都已撤销，或从未合并过。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="195"/>
        <source>There is no merge {batch}: run the command without a batch to undo the last merge.</source>
        <translation>没有批次为 {batch} 的合并：不指定批次运行该命令即可撤销最近一次合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="196"/>
        <source>Merge {batch} was undone already.</source>
        <translation>合并 {batch} 已经撤销过了。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="198"/>
        <source>Reading Access databases needs mdbtools, which is not installed on this computer: install it (Debian or Ubuntu: sudo apt install mdbtools; macOS: brew install mdbtools), or export the table from Access as .xlsx and import that file.</source>
        <translation>读取 Access 数据库需要 mdbtools，但这台电脑上没有安装：请先安装（Debian 或 Ubuntu：sudo apt install mdbtools；macOS：brew install mdbtools），或在 Access 中把该表导出为 .xlsx 后导入那个文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="199"/>
        <source>{path} is a password-protected or damaged Access database: remove the password in Access (File ▸ Info ▸ Decrypt Database) or repair it (Compact and Repair), and import it again.</source>
        <translation>{path} 是设有密码或已损坏的 Access 数据库：请在 Access 中撤销密码（文件 ▸ 信息 ▸ 解密数据库）或修复它（压缩和修复），然后重新导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="200"/>
        <source>The Access database has no table named {table}: choose one of {tables}.</source>
        <translation>该 Access 数据库中没有名为 {table} 的表：请从以下表中选择一个：{tables}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="201"/>
        <source>This Access database holds several tables, {tables}: name the one to import with --table.</source>
        <translation>该 Access 数据库中有多个表（{tables}）：请用 --table 指定要导入的表。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="202"/>
        <source>Dates that Access can store but not export (year 9999, or before 1900) were left empty: {count} in {columns}, rows {rows}.</source>
        <translation>Access 能保存但无法导出的日期（9999 年或 1900 年以前）已留空：共 {count} 个，位于 {columns} 列，第 {rows} 行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="203"/>
        <source>{count} of {orders} orders are due before they were placed, so their day and month may be swapped in the database: they were imported as stored; check them in Access.</source>
        <translation>{orders} 张订单中有 {count} 张的要求日期早于下单日期，数据库中这些日期的日和月可能颠倒了：已按原样导入；请在 Access 中核对。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="204"/>
        <source>{path} has no data in any visible sheet: choose the file with your list, or unhide the sheet that holds it.</source>
        <translation>{path} 的所有可见工作表中都没有数据：请选择包含您的列表的文件，或取消隐藏包含数据的工作表。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="205"/>
        <source>The text in {path} is in an encoding crmdesk cannot recognise: save it from Excel as &quot;CSV UTF-8&quot; and import it again.</source>
        <translation>crmdesk 无法识别 {path} 的文本编码：请在 Excel 中将其另存为“CSV UTF-8”格式，然后重新导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="206"/>
        <source>crmdesk cannot read {path}: check that you may open it and that no other program has it locked, then try again.</source>
        <translation>crmdesk 无法读取 {path}：请确认您有权限打开该文件，且没有其他程序锁定它，然后重试。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="208"/>
        <source>The disk is full (or the file grew past the size this disk allows): free some space or choose another disk, then try again; nothing was changed.</source>
        <translation>磁盘已满（或文件超出了此磁盘允许的大小）：请腾出一些空间或选择另一个磁盘，然后重试；没有做任何改动。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="210"/>
        <source>{path} is the database crmdesk is using (or one of its working files), and writing there would destroy it: choose another file name; nothing was written.</source>
        <translation>{path} 是 crmdesk 正在使用的数据库（或其工作文件之一），写入那里会毁掉它：请选择另一个文件名；没有写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="211"/>
        <source>{path} is one of crmdesk&apos;s automatic backups: choose another file name, so that the backup stays as it is; nothing was written.</source>
        <translation>{path} 是 crmdesk 的自动备份之一：请选择另一个文件名，以保持备份原样；没有写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="212"/>
        <source>{path} is the file being imported: choose another file name for what crmdesk writes; nothing was written.</source>
        <translation>{path} 是正在导入的文件：请为 crmdesk 要写出的文件选择另一个文件名；没有写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="213"/>
        <source>crmdesk cannot write {path}: the folder {folder} does not exist, so create it first or choose another folder; nothing was written.</source>
        <translation>crmdesk 无法写入 {path}：文件夹 {folder} 不存在，请先创建它或选择另一个文件夹；没有写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="214"/>
        <source>crmdesk writes an Excel workbook, and {path} does not end in .xlsx: give a file name that ends in .xlsx; nothing was written.</source>
        <translation>crmdesk 写出的是 Excel 工作簿，而 {path} 不以 .xlsx 结尾：请给出以 .xlsx 结尾的文件名；没有写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="215"/>
        <source>{value} lies outside the years {low} to {high}: give a date between them, like 2026-11-24.</source>
        <translation>{value} 不在 {low} 年到 {high} 年之间：请给出此范围内的日期，如 2026-11-24。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="216"/>
        <source>{path} is not written in the {encoding} encoding: leave the encoding out so that crmdesk detects it, or give the file&apos;s real encoding.</source>
        <translation>{path} 不是用 {encoding} 编码写的：请不要指定编码，让 crmdesk 自动识别，或给出文件真正的编码。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="217"/>
        <source>--db was given an empty path: give the path of a database file, or leave --db out to use the default database.</source>
        <translation>--db 给出的路径为空：请给出数据库文件的路径，或省略 --db 以使用默认数据库。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="218"/>
        <source>{path} is an empty file without crmdesk data: import customers or create demo data into it first, or give the path of your database.</source>
        <translation>{path} 是一个空文件，没有 crmdesk 数据：请先向其中导入客户或生成演示数据，或给出您的数据库的路径。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="220"/>
        <source>No one called {owner} owns customers here, so the report would be empty: give one of {known}, or leave --owner out for everyone; nothing was written.</source>
        <translation>这里没有名为 {owner} 的客户负责人，报表会是空的：请填写 {known} 之一，或去掉 --owner 以包含所有人；未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="221"/>
        <source>No customer is in a province or city called {region}, so the report would be empty: give one as the customer list writes it (such as {known}), or leave --region out; nothing was written.</source>
        <translation>没有客户位于名为 {region} 的省份或城市，报表会是空的：请按客户列表中的写法填写（例如 {known}），或去掉 --region；未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="222"/>
        <source>{tier} is not a tier: give one of {known}, or leave --tier out; nothing was written.</source>
        <translation>{tier} 不是客户等级：请填写 {known} 之一，或去掉 --tier；未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="224"/>
        <source>The file holds only the template&apos;s example row, which is never imported: add your own rows below it (or in its place) and import the file again; nothing was added.</source>
        <translation>文件中只有模板的示例行，示例行永远不会导入：请在它下面（或替换它）填入你自己的数据后再导入；未添加任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="225"/>
        <source>This is the template&apos;s example row, which is never imported: add your own rows, or clear this row&apos;s notes cell to import it as it is now.</source>
        <translation>这是模板的示例行，永远不会导入：请填入你自己的数据，或清空此行的备注单元格，按现在的内容导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="226"/>
        <source>The template&apos;s example row was left out: it is never imported.</source>
        <translation>模板的示例行已被跳过：示例行永远不会导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="227"/>
        <source>{code} is {existing}, not {given}: correct the customer number or the name in this row; nothing of it was imported.</source>
        <translation>{code} 是 {existing}，不是 {given}：请更正此行的客户编号或名称；此行未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="229"/>
        <source>This is not a mobile number: type the mobile (in China 11 digits starting with 1), or put a landline in the Phone field.</source>
        <translation>这不是手机号码：请填写手机号（中国为以 1 开头的 11 位数字），座机请填在“电话”一栏。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="230"/>
        <source>A Chinese mobile number has 11 digits starting with 1: check for a missing or an extra digit.</source>
        <translation>中国的手机号码是以 1 开头的 11 位数字：请检查是否少了或多了一位。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="231"/>
        <source>The landline needs its area code in front, like 010-88889999 or 0755-1234567.</source>
        <translation>座机号码前面需要区号，例如 010-88889999 或 0755-1234567。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="232"/>
        <source>This is not a valid phone number: check the digits; a number abroad starts with + and its country code.</source>
        <translation>这不是有效的电话号码：请检查数字；国外号码以 + 和国家代码开头。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="234"/>
        <source>That sale no longer exists: it, or its customer, may have been deleted in another window.</source>
        <translation>该销售记录已不存在：它或其客户可能已在另一个窗口中被删除。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="235"/>
        <source>Choose the customer who bought; nothing was saved.</source>
        <translation>请选择购买的客户；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="236"/>
        <source>{name} has been deleted: restore the customer first, or record the sale for another customer; nothing was saved.</source>
        <translation>{name} 已被删除：请先恢复该客户，或为其他客户记录销售；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="237"/>
        <source>A sale needs at least one line with a product and an amount: add one; nothing was saved.</source>
        <translation>一笔销售至少需要一行产品和金额：请添加一行；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="238"/>
        <source>Line {row} has a negative quantity, price or amount: a sale&apos;s are positive, and goods returned are recorded as a refund; nothing was saved.</source>
        <translation>第 {row} 行的数量、单价或金额为负数：销售的这些值应为正数，退货请记录为退款；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="239"/>
        <source>Line {row} has no amount: type the amount, or the unit price (and quantity) to compute it; nothing was saved.</source>
        <translation>第 {row} 行没有金额：请输入金额，或输入单价（和数量）自动计算；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="240"/>
        <source>Line {row}: the discount is a percentage from 0 to 100; nothing was saved.</source>
        <translation>第 {row} 行：折扣是 0 到 100 之间的百分比；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="241"/>
        <source>Paid ({paid}) is more than the sale&apos;s amount ({amount}): correct what was paid; nothing was saved.</source>
        <translation>已付款（{paid}）超过了销售金额（{amount}）：请更正已付款；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="242"/>
        <source>{date} is more than a year ahead: check the year; nothing was saved.</source>
        <translation>{date} 晚于今天一年以上：请检查年份；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="243"/>
        <source>Line {row}: the product “{name}” no longer exists: pick another one from the list; nothing was saved.</source>
        <translation>第 {row} 行：产品“{name}”已不存在：请从列表中另选一个；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="244"/>
        <source>Payment terms are a whole number of days from 0 to {max}; nothing was saved.</source>
        <translation>账期是 0 到 {max} 之间的整数天数；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="245"/>
        <source>That product no longer exists: it may have been deleted or merged in another window.</source>
        <translation>该产品已不存在：它可能已在另一个窗口中被删除或合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="246"/>
        <source>There is already a product called “{name}”: give this one another name, or merge the two.</source>
        <translation>已有名为“{name}”的产品：请给这个产品另起名称，或将两者合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="247"/>
        <source>The code {code} is another product&apos;s: give this one its own code.</source>
        <translation>编号 {code} 已属于另一个产品：请为这个产品另设编号。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="248"/>
        <source>Select at least two products to merge: the one to keep and its spelling variants.</source>
        <translation>请至少选择两个产品进行合并：要保留的一个和它的不同写法。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="249"/>
        <source>No customer has the number {code}: give the customer&apos;s number as the customer list shows it; nothing was saved.</source>
        <translation>没有编号为 {code} 的客户：请按客户列表中显示的编号输入；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="250"/>
        <source>This sheet does not look like a product list (its columns are {headers}): it needs at least a product name column, like 产品名称 or Name; nothing was imported.</source>
        <translation>此工作表看起来不是产品清单（其列为 {headers}）：至少需要一列产品名称，如“产品名称”或 Name；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="251"/>
        <source>Not a yes or no: type 是 or 否 (yes or no), or leave it empty for a product on sale.</source>
        <translation>不是“是”或“否”：请填写 是 或 否，在售产品可留空。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="252"/>
        <source>The visit or opportunity this sale is linked to belongs to another customer or was deleted: record the sale from that customer; nothing was saved.</source>
        <translation>此销售关联的拜访或商机属于其他客户或已被删除：请在该客户下记录销售；未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="254"/>
        <source>Which team server? Give its address with --server postgresql://ADMIN@HOST/DATABASE (team init remembers it on the computer that ran it).</source>
        <translation>哪个团队服务器？请用 --server postgresql://管理员@主机/数据库 给出地址（运行过 team init 的电脑会记住它）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="255"/>
        <source>{url} is not a team server address: write it as postgresql://NAME@HOST/DATABASE, as your administrator gave it.</source>
        <translation>{url} 不是团队服务器地址：请按管理员给您的格式写成 postgresql://用户名@主机/数据库。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="256"/>
        <source>The address {url} names no login: write it as postgresql://NAME@HOST/DATABASE or give the name with --user.</source>
        <translation>地址 {url} 中没有登录名：请写成 postgresql://用户名@主机/数据库，或用 --user 给出用户名。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="257"/>
        <source>The connection to {host} would not be encrypted: remove sslmode from the address (crmdesk then requires TLS) or ask your administrator to turn TLS on.</source>
        <translation>与 {host} 的连接不会加密：请从地址中删去 sslmode（crmdesk 随后会要求 TLS），或请管理员开启 TLS。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="258"/>
        <source>The team server {server} does not offer an encrypted (TLS) connection: ask your administrator to turn TLS on (docs/team.md).</source>
        <translation>团队服务器 {server} 不提供加密（TLS）连接：请管理员开启 TLS（见 docs/team.md）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="259"/>
        <source>The team server {server} refused the name {user} or its password: check both and try again.</source>
        <translation>团队服务器 {server} 拒绝了用户名 {user} 或其密码：请检查两者后重试。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="260"/>
        <source>The login {user} was removed from the team on {server}: this computer no longer syncs; its data stays here, readable. Ask your manager for a login.</source>
        <translation>登录名 {user} 已被移出 {server} 上的团队：本机不再同步；本机数据仍保留且可查看。请向经理申请登录名。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="261"/>
        <source>{user} is not a member of the team on {server}: ask your manager to add you (crmdesk team add-user).</source>
        <translation>{user} 不是 {server} 上团队的成员：请经理添加您（crmdesk team add-user）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="262"/>
        <source>The server has no database named in {server}: check the address your administrator gave you.</source>
        <translation>服务器上没有 {server} 中指定的数据库：请核对管理员给您的地址。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="263"/>
        <source>The team server {server} cannot be reached: check the network; your changes are kept here and go out at the next sync.</source>
        <translation>无法连接团队服务器 {server}：请检查网络；您的更改保存在本机，下次同步时发出。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="264"/>
        <source>{server} is a PostgreSQL database but not a crmdesk team server: check the address, or create the team with crmdesk team init.</source>
        <translation>{server} 是 PostgreSQL 数据库，但不是 crmdesk 团队服务器：请核对地址，或用 crmdesk team init 创建团队。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="265"/>
        <source>The team server {server} runs a newer crmdesk (version {version}): update crmdesk on this computer to sync; your data here is unchanged.</source>
        <translation>团队服务器 {server} 使用的是更新版本的 crmdesk（版本 {version}）：请先更新本机的 crmdesk 再同步；本机数据未作改动。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="266"/>
        <source>The team server {server} was set up by an earlier crmdesk (version {version}), which this one cannot sync with: ask your administrator to set up the team again with crmdesk team init on an empty database; your data here is unchanged.</source>
        <translation>团队服务器 {server} 由较早版本的 crmdesk（版本 {version}）建立，本版本无法与之同步：请管理员在一个空数据库上用 crmdesk team init 重新建立团队；本机数据未作任何改动。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="267"/>
        <source>{server} is already a crmdesk team server: add people with crmdesk team add-user, or give another database.</source>
        <translation>{server} 已经是 crmdesk 团队服务器：请用 crmdesk team add-user 添加成员，或指定另一个数据库。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="268"/>
        <source>The PostgreSQL at {server} is older than version 13: use PostgreSQL 13 or newer for the team server.</source>
        <translation>{server} 上的 PostgreSQL 版本低于 13：团队服务器请使用 PostgreSQL 13 或更新版本。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="270"/>
        <source>{role} is not a role: choose rep, desk or manager.</source>
        <translation>{role} 不是有效角色：请选择 rep（销售代表）、desk（客服）或 manager（经理）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="271"/>
        <source>A rep works in a team: give {user} one with --team.</source>
        <translation>销售代表必须属于一个团队：请用 --team 为 {user} 指定团队。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="272"/>
        <source>{user} is the administrator login of the server: give team members their own names.</source>
        <translation>{user} 是服务器的管理员登录名：请为团队成员使用各自的名字。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="273"/>
        <source>The team has no member {user}: crmdesk team status lists them.</source>
        <translation>团队中没有成员 {user}：crmdesk team status 会列出所有成员。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="274"/>
        <source>This database already belongs to the team at {server}: disconnect it first (File ▸ Team ▸ Disconnect) or use another database.</source>
        <translation>此数据库已属于 {server} 上的团队：请先断开（文件 ▸ 团队 ▸ 断开连接），或使用另一个数据库。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="275"/>
        <source>This database belongs to no team: connect it first (File ▸ Team ▸ Connect, or crmdesk team join).</source>
        <translation>此数据库不属于任何团队：请先连接（文件 ▸ 团队 ▸ 连接，或 crmdesk team join）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="276"/>
        <source>The team password of {user} is needed: type it when asked, or set CRMDESK_PASSWORD.</source>
        <translation>需要 {user} 的团队密码：请在提示时输入，或设置 CRMDESK_PASSWORD。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="277"/>
        <source>This computer&apos;s clock is {minutes} minutes off the team server&apos;s: set the date and time right (automatic time), then sync again; nothing was sent.</source>
        <translation>本机时钟与团队服务器相差 {minutes} 分钟：请校正日期和时间（设为自动校时）后再同步；未发送任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="278"/>
        <source>A change from the team is dated {minutes} minutes in the future: the computer that made it has a wrong clock; nothing was applied. Ask its owner to set the time right.</source>
        <translation>团队中的一项更改时间比现在晚 {minutes} 分钟：做出更改的电脑时钟有误；未应用任何内容。请其使用者校正时间。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="280"/>
        <source>&quot;{keep}&quot; is not a side of a conflict: keep mine or theirs.</source>
        <translation>“{keep}”不是冲突的一方：请选择 mine（我的）或 theirs（对方的）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="281"/>
        <source>There is no open conflict {id}: crmdesk conflicts lists the open ones with their numbers.</source>
        <translation>没有未解决的冲突 {id}：crmdesk conflicts 会列出未解决的冲突及其编号。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="282"/>
        <source>The code {code} belongs to another customer of the team: keep the new code (theirs); nothing was changed.</source>
        <translation>编号 {code} 已属于团队中的另一个客户：请保留新编号（对方的）；未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="283"/>
        <source>Only a manager hands customers over, and {user} is not one: ask your manager; nothing was changed.</source>
        <translation>只有经理可以移交客户，而 {user} 不是经理：请找你的经理；未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="284"/>
        <source>The team has no team named {team}: choose one of {teams}; nothing was changed.</source>
        <translation>没有名为 {team} 的团队：请从 {teams} 中选择；未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="285"/>
        <source>Whom do the customers go to? Name the new owner with --to-owner; nothing was changed.</source>
        <translation>客户移交给谁？请用 --to-owner 指定新负责人；未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="286"/>
        <source>Which customers? Name them, or give the old owner with --from-owner; nothing was changed.</source>
        <translation>移交哪些客户？请列出客户，或用 --from-owner 指定原负责人；未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="287"/>
        <source>{owner} owns no customers here: check the name (as the customers&apos; owner column shows it); nothing was changed.</source>
        <translation>{owner} 在本机没有负责的客户：请检查名字（与客户的负责人一栏一致）；未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="288"/>
        <source>No single customer has the code or name {name}: give its code (as in the customer list); nothing was changed.</source>
        <translation>没有唯一一个客户的编号或名称是 {name}：请给出客户编号（与客户列表中一致）；未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="289"/>
        <source>Name the customers or give --from-owner, not both; nothing was changed.</source>
        <translation>请列出客户或给出 --from-owner，二者不能同时使用；未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="290"/>
        <source>There is no hand-over {batch}: nothing was undone.</source>
        <translation>没有移交 {batch}：未撤销任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="291"/>
        <source>The hand-over {batch} was undone already: nothing was changed.</source>
        <translation>移交 {batch} 已经撤销过了：未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="292"/>
        <source>There is no file {path}: check the name and where the package was saved.</source>
        <translation>没有文件 {path}：请检查文件名和更改包保存的位置。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="293"/>
        <source>The change package {path} is incomplete (cut off while copying or sending): ask for it again; nothing was imported.</source>
        <translation>更改包 {path} 不完整（复制或发送时被截断）：请让对方重新发送；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="294"/>
        <source>{path} is not a crmdesk change package: choose the file made with sync --export (File ▸ Team ▸ Export changes); nothing was imported.</source>
        <translation>{path} 不是 crmdesk 更改包：请选择用 sync --export（文件 ▸ 团队 ▸ 导出更改）生成的文件；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="295"/>
        <source>The change package {path} was made by a newer crmdesk: update crmdesk on this computer to import it; nothing was imported.</source>
        <translation>更改包 {path} 由更新版本的 crmdesk 生成：请先更新本机的 crmdesk 再导入；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="296"/>
        <source>The change package {path} comes from another team&apos;s server ({hub}): only packages of your own team can be imported; nothing was imported.</source>
        <translation>更改包 {path} 来自另一个团队的服务器（{hub}）：只能导入本团队的更改包；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="297"/>
        <source>The change package {path} was changed after it was made: ask its author for a fresh one; nothing was imported.</source>
        <translation>更改包 {path} 在生成后被改动过：请让作者重新生成一份；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="299"/>
        <source>Something went wrong ({error}): nothing was changed.</source>
        <translation>出现错误（{error}）：未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/errors.py" line="45"/>
        <location filename="../../crmdesk/ui/messages.py" line="24"/>
        <source>crmdesk</source>
        <translation>crmdesk</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/errors.py" line="46"/>
        <source>Something unexpected went wrong; your data is as it was before. Please send the details below to support.</source>
        <translation>发生意外错误；您的数据未受影响。请将以下详细信息发送给技术支持。</translation>
    </message>
</context>
<context>
    <name>EscalationList</name>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="44"/>
        <source>Late by</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="44"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="44"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="44"/>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="47"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="44"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="45"/>
        <source>Missed</source>
        <translation>错过的期限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="45"/>
        <source>Was due</source>
        <translation>原定期限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="45"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="47"/>
        <source>Late</source>
        <translation>逾期数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="47"/>
        <source>Longest</source>
        <translation>最长逾期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="68"/>
        <source>Nothing is late.</source>
        <translation>没有逾期的投诉。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="69"/>
        <source>%n complaint(s) is(are) late</source>
        <translation>
            <numerusform>%n 条投诉已超期</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="70"/>
        <source>First response</source>
        <translation>首次响应</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="70"/>
        <source>Resolution</source>
        <translation>解决</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="74"/>
        <source>since closing time</source>
        <translation>下班后到期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="86"/>
        <source>(nobody)</source>
        <translation>（无人）</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../crmdesk/ui/imports/export_dialog.py" line="15"/>
        <location filename="../../crmdesk/ui/imports/export_dialog.py" line="48"/>
        <source>Export customers</source>
        <translation>导出客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/export_dialog.py" line="17"/>
        <source>The list as shown (filtered and sorted, {count} customer)</source>
        <translation>当前显示的列表（按当前筛选和排序，共 {count} 个客户）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/export_dialog.py" line="18"/>
        <source>The list as shown (filtered and sorted, {count} customers)</source>
        <translation>当前显示的列表（按当前筛选和排序，共 {count} 个客户）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/export_dialog.py" line="21"/>
        <source>All customers ({count})</source>
        <translation>全部客户（{count} 个）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/export_dialog.py" line="27"/>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/export_dialog.py" line="32"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/export_dialog.py" line="36"/>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/export_dialog.py" line="49"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="19"/>
        <source>Customer No.</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="20"/>
        <source>Name</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="21"/>
        <source>Type</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="22"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="23"/>
        <source>Job Title</source>
        <translation>职位</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="24"/>
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="25"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="26"/>
        <source>Fax</source>
        <translation>传真</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="27"/>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="28"/>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="29"/>
        <source>Country</source>
        <translation>国家/地区</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="30"/>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="31"/>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="32"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="33"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="34"/>
        <source>Postal Code</source>
        <translation>邮编</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="35"/>
        <source>Website</source>
        <translation>网址</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="36"/>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="37"/>
        <source>Ownership</source>
        <translation>企业性质</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="38"/>
        <source>Company Size</source>
        <translation>企业规模</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="39"/>
        <source>Annual Revenue</source>
        <translation>年销售额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="40"/>
        <source>Fiscal Year Start</source>
        <translation>财年起始月</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="41"/>
        <source>Source</source>
        <translation>客户来源</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="42"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="43"/>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="44"/>
        <source>Lifecycle Stage</source>
        <translation>生命周期阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="45"/>
        <source>Relationship</source>
        <translation>关系类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="46"/>
        <source>Credit Rating</source>
        <translation>信用等级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="47"/>
        <source>Need</source>
        <translation>需求度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="48"/>
        <source>Volume</source>
        <translation>需求量</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="49"/>
        <source>Purchasing Power</source>
        <translation>购买力</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="50"/>
        <source>Creditworthiness</source>
        <translation>信誉度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="51"/>
        <source>Decision Authority</source>
        <translation>决策权</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="52"/>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="53"/>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="54"/>
        <source>Birthday Calendar</source>
        <translation>生日历法</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="55"/>
        <source>Hometown</source>
        <translation>籍贯</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="56"/>
        <source>Education</source>
        <translation>学历</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="57"/>
        <source>Interests</source>
        <translation>兴趣爱好</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="58"/>
        <source>Preferences</source>
        <translation>偏好与忌讳</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="59"/>
        <source>Delivery Preference</source>
        <translation>送货要求</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="60"/>
        <source>Payment Terms</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="61"/>
        <source>Bank</source>
        <translation>开户银行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="62"/>
        <source>Bank Account</source>
        <translation>银行账号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="63"/>
        <source>Tax ID</source>
        <translation>税号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="64"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="65"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="66"/>
        <source>Created</source>
        <translation>建档日期</translation>
    </message>
</context>
<context>
    <name>FieldDialog</name>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="38"/>
        <source>New customer field</source>
        <translation>新建客户字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="38"/>
        <source>Change customer field</source>
        <translation>修改客户字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="41"/>
        <source>e.g. 宗教信仰</source>
        <translation>例如 宗教信仰</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="44"/>
        <source>optional, shown to English readers</source>
        <translation>可选，英文界面显示</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="53"/>
        <source>One option a line</source>
        <translation>每行一个选项</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="54"/>
        <source>Options:</source>
        <translation>选项：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="57"/>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="58"/>
        <source>&amp;English name:</source>
        <translation>英文名称(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="59"/>
        <source>&amp;Type:</source>
        <translation>类型(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="62"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/field_dialog.py" line="63"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="39"/>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="46"/>
        <source>An Excel workbook (.xlsx, .xls, .xlsm, .xlsb), an OpenDocument sheet (.ods) or a CSV file with one product per row: its name, and its code, category, unit and list price if you have them.</source>
        <translation>Excel 工作簿（.xlsx、.xls、.xlsm、.xlsb）、OpenDocument 表格（.ods）或 CSV 文件，每行一个产品：产品名称，以及（如有）编号、类别、单位和标准价格。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="55"/>
        <source>The file to import</source>
        <translation>要导入的文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="57"/>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="68"/>
        <location filename="../../crmdesk/ui/imports/pages.py" line="119"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="75"/>
        <source>How the text of a CSV file is stored. Excel workbooks say it themselves; for a CSV file crmdesk finds it, and when names look garbled you can choose another here.</source>
        <translation>CSV 文件中文字的编码方式。Excel 工作簿自带编码；CSV 文件由 crmdesk 自动识别，如果名称显示为乱码，可以在这里改选。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="91"/>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="92"/>
        <location filename="../../crmdesk/ui/imports/pages.py" line="180"/>
        <source>&amp;Sheet:</source>
        <translation>工作表(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="95"/>
        <source>&amp;Header row:</source>
        <translation>表头行(&amp;H)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="96"/>
        <source>Text &amp;encoding:</source>
        <translation>文字编码(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="41"/>
        <source>An Excel workbook (.xlsx, .xls, .xlsm, .xlsb), an OpenDocument sheet (.ods) or a CSV file with one sale per row: its date, its customer (number or name) and its amount, product or quantity. From an Access database (.mdb, .accdb), its orders are joined with their lines and products.</source>
        <translation>Excel 工作簿（.xlsx、.xls、.xlsm、.xlsb）、OpenDocument 表格（.ods）或 CSV 文件，每行一笔交易：日期、客户（编号或名称），以及金额、产品或数量。从 Access 数据库（.mdb、.accdb）导入时，订单会与订单明细和产品关联起来。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="50"/>
        <source>An Excel workbook (.xlsx, .xls, .xlsm, .xlsb), an OpenDocument sheet (.ods), a CSV file with one customer per row, or a table of an Access database (.mdb, .accdb).</source>
        <translation>Excel 工作簿（.xlsx、.xls、.xlsm、.xlsb）、OpenDocument 表格（.ods）、每行一个客户的 CSV 文件，或 Access 数据库（.mdb、.accdb）中的一个表。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="108"/>
        <source>Spreadsheets, CSV and Access databases ({patterns});;All files (*)</source>
        <translation>表格、CSV 文件和 Access 数据库（{patterns}）;;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="119"/>
        <source>UTF-8</source>
        <translation>UTF-8</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="119"/>
        <source>Chinese, simplified (GB18030, GBK)</source>
        <translation>简体中文（GB18030、GBK）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="120"/>
        <source>Chinese, traditional (Big5)</source>
        <translation>繁体中文（Big5）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="120"/>
        <source>Western European (Windows-1252)</source>
        <translation>西欧语言（Windows-1252）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="121"/>
        <source>UTF-16</source>
        <translation>UTF-16</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="151"/>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="165"/>
        <source>Reading the sheet…</source>
        <translation>正在读取工作表…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="174"/>
        <source>If you know how the file was saved, choose its text encoding above.</source>
        <translation>如果知道文件保存时用的编码，请在上面选择。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="180"/>
        <source>&amp;Table:</source>
        <translation>表(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="185"/>
        <source>{table} ({records})</source>
        <translation>{table}（{records}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="186"/>
        <source>%n record(s)</source>
        <translation>%n 条记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="195"/>
        <source>Automatic: {encoding}</source>
        <translation>自动：{encoding}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="214"/>
        <source>You can still map the columns yourself on the next page.</source>
        <translation>您仍可在下一页手动对应各列。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="220"/>
        <source>The headers are in row {row}.</source>
        <translation>表头位于第 {row} 行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="221"/>
        <source>The headers are in rows {first} and {last}.</source>
        <translation>表头位于第 {first} 至 {last} 行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/pages.py" line="223"/>
        <source>Text encoding: {encoding}.</source>
        <translation>文本编码：{encoding}。</translation>
    </message>
</context>
<context>
    <name>FirstDay</name>
    <message>
        <location filename="../../crmdesk/ui/welcome/demo_switch.py" line="63"/>
        <source>Try the de&amp;mo data</source>
        <translation>试用演示数据(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/demo_switch.py" line="64"/>
        <source>Back to my d&amp;ata</source>
        <translation>回到我的数据(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/demo_switch.py" line="65"/>
        <source>Show &amp;tips again</source>
        <translation>再次显示提示(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/demo_switch.py" line="74"/>
        <source>Demo database: sample data, not yours.</source>
        <translation>演示数据库：示例数据，不是你的数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/demo_switch.py" line="75"/>
        <source>Back to my data</source>
        <translation>回到我的数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/demo_switch.py" line="94"/>
        <source>crmdesk — DEMO DATABASE (sample data, not yours)</source>
        <translation>crmdesk — 演示数据库（示例数据，不是你的数据）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/welcome/demo_switch.py" line="124"/>
        <source>The demo database is ready: %n sample customer(s).</source>
        <translation>
            <numerusform>演示数据库已就绪：%n 个示例客户。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/demo_switch.py" line="131"/>
        <source>Creating the demo data…</source>
        <translation>正在创建演示数据…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/demo_switch.py" line="143"/>
        <source>Each tab shows its tip again.</source>
        <translation>每个标签页都会再次显示提示。</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <location filename="../../crmdesk/ui/team/handover_dialog.py" line="42"/>
        <source>Hand over customers</source>
        <translation>移交客户</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/handover_dialog.py" line="43"/>
        <source>The %n selected customer(s)</source>
        <translation>
            <numerusform>选中的 %n 个客户</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/handover_dialog.py" line="46"/>
        <source>All customers of</source>
        <translation>以下销售的全部客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/handover_dialog.py" line="64"/>
        <source>Their visits, opportunities, complaints and care go with them. The old team&apos;s laptops drop them at their next sync; the new team&apos;s receive them.</source>
        <translation>其拜访、商机、投诉和关怀随之转移。原团队的电脑在下次同步时移除这些客户，新团队的电脑将收到它们。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/handover_dialog.py" line="70"/>
        <source>To &amp;rep:</source>
        <translation>移交给销售(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/handover_dialog.py" line="71"/>
        <source>To &amp;team:</source>
        <translation>移交给团队(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/handover_dialog.py" line="74"/>
        <source>&amp;Hand over</source>
        <translation>移交(&amp;H)</translation>
    </message>
</context>
<context>
    <name>HintStrip</name>
    <message>
        <location filename="../../crmdesk/ui/welcome/hint_strip.py" line="40"/>
        <source>Hide this tip (Help ▸ Show tips again brings it back)</source>
        <translation>隐藏此提示（“帮助 ▸ 再次显示提示”可恢复）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/hint_strip.py" line="62"/>
        <source>Your customers: search by name, number, phone, city or pinyin (Ctrl+F), filter with the lists under it, Ctrl+N for a new customer, Enter to edit, Del to delete (Ctrl+Z undoes). The profile on the right shows contacts, sales and history.</source>
        <translation>你的客户：按名称、编号、电话、城市或拼音搜索（Ctrl+F），用下方的列表筛选；Ctrl+N 新建客户，Enter 编辑，Del 删除（Ctrl+Z 撤销）。右侧的客户档案显示联系人、销售和历史。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/hint_strip.py" line="65"/>
        <source>Visit plans: the calendar and list of planned and done visits. Ctrl+N plans a visit; record its result when it is done, or postpone, cancel or mark it missed.</source>
        <translation>拜访计划：已计划和已完成拜访的日历与列表。Ctrl+N 计划拜访；拜访完成后记录结果，或推迟、取消、标记为未拜访。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/hint_strip.py" line="67"/>
        <source>Complaints: every complaint with its deadline and next step. Ctrl+N logs one; open it to take the next step, and close it when the customer is satisfied.</source>
        <translation>投诉：每条投诉及其期限和下一步。Ctrl+N 登记投诉；打开投诉处理下一步，客户满意后结案。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/hint_strip.py" line="69"/>
        <source>Care: birthdays, festivals, anniversaries and follow-ups due. Ctrl+N plans a reminder by hand; mark one done when you have called or written.</source>
        <translation>关怀：到期的生日、节日、纪念日和回访。Ctrl+N 手动计划提醒；打电话或写信后标记为已完成。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/hint_strip.py" line="71"/>
        <source>Analytics: sales, loyalty and tier suggestions for all customers or a filtered group. Apply a suggestion to change a customer&apos;s tier (Ctrl+Z undoes).</source>
        <translation>分析：全部客户或筛选出的客户的销售、忠诚度和等级建议。应用建议即可修改客户等级（Ctrl+Z 撤销）。</translation>
    </message>
</context>
<context>
    <name>ImportActions</name>
    <message>
        <location filename="../../crmdesk/ui/window_imports.py" line="50"/>
        <source>Take back the import of {file} made {time}? The records it added go to the trash and the ones it changed get their earlier values back.</source>
        <translation>要撤销 {time} 导入的 {file} 吗？这次导入新增的记录将移到回收站，修改过的记录将恢复为导入前的内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_imports.py" line="53"/>
        <source>Take back the import of {file} made {time}? The transactions it added are removed, and so are the customers it created for them.</source>
        <translation>要撤销 {time} 导入的 {file} 吗？它添加的交易记录将被删除，为这些交易新建的客户也会被删除。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_imports.py" line="56"/>
        <source>Take back the import of {file} made {time}? The customers it added are removed and the ones it changed get their earlier values back.</source>
        <translation>确定要撤销 {time} 对 {file} 的导入吗？该次导入新增的客户将被删除，修改过的客户将恢复为导入前的内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_imports.py" line="60"/>
        <location filename="../../crmdesk/ui/window_imports.py" line="68"/>
        <source>Undo import</source>
        <translation>撤销导入</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_imports.py" line="70"/>
        <source>Undoing the import…</source>
        <translation>正在撤销导入…</translation>
    </message>
</context>
<context>
    <name>ImportHistoryDialog</name>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="42"/>
        <source>Import history</source>
        <translation>导入记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="49"/>
        <source>The recent imports, newest first. Undoing one removes what it added and puts back what it changed; edits made since are kept.</source>
        <translation>最近的导入，最新的在前。撤销一次导入会删除它添加的内容，并恢复它修改过的内容；之后所做的修改会保留。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="54"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="54"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="54"/>
        <source>Imported</source>
        <translation>导入内容</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="55"/>
        <source>What it did</source>
        <translation>导入结果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="55"/>
        <source>Undone</source>
        <translation>撤销时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="68"/>
        <source>&amp;Undo this import</source>
        <translation>撤销本次导入(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="114"/>
        <source>This import was undone already.</source>
        <translation>这次导入已经撤销过了。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="124"/>
        <source>No imports yet: File ▸ Import customers… and File ▸ Import transactions… add them here.</source>
        <translation>还没有导入记录：通过“文件 ▸ 导入客户…”和“文件 ▸ 导入交易记录…”导入的内容会列在这里。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="147"/>
        <source>Transactions</source>
        <translation>交易记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="149"/>
        <source>Opportunities</source>
        <translation>商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="151"/>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="152"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="159"/>
        <source>%n opportunity(ies) added</source>
        <translation>新增 %n 个商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="163"/>
        <source>%n product(s) added</source>
        <translation>新增 %n 个产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="166"/>
        <source>%n product(s) changed</source>
        <translation>修改了 %n 个产品</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="169"/>
        <source>%n transaction(s) added</source>
        <translation>
            <numerusform>新增 %n 笔交易</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="172"/>
        <source>%n new customer(s)</source>
        <translation>
            <numerusform>%n 个新客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="176"/>
        <source>%n customer(s) added</source>
        <translation>
            <numerusform>新增 %n 个客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="179"/>
        <source>%n customer(s) changed</source>
        <translation>
            <numerusform>修改了 %n 个客户</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="181"/>
        <source>Nothing changed</source>
        <translation>没有任何改动</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="184"/>
        <source>{first}, {second}</source>
        <translation>{first}，{second}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="190"/>
        <source>Take back the import of {file} made {time} ({did})? The opportunities it added go to the trash.</source>
        <translation>要撤销 {time} 导入的 {file}（{did}）吗？这次导入新增的商机将移到回收站。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="193"/>
        <source>Take back the import of {file} made {time} ({did})? The products it added go to the trash, and the products it changed get their earlier values back unless they were changed again since.</source>
        <translation>要撤销 {time} 导入的 {file}（{did}）吗？这次导入新增的产品将移到回收站，修改过的产品将恢复为导入前的内容（导入后又被改过的字段保留现在的值）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="197"/>
        <source>Take back the import of {file} made {time} ({did})? The transactions it added are removed, and so are the customers it created for them; a customer edited since goes to the trash instead.</source>
        <translation>要撤销 {time} 导入的 {file}（{did}）吗？它添加的交易记录将被删除，为这些交易新建的客户也会被删除；之后被修改过的客户则移到回收站。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="201"/>
        <source>Take back the import of {file} made {time} ({did})? The customers it added are removed (one edited since goes to the trash instead), and the customers it changed get their earlier values back unless they were changed again since.</source>
        <translation>要撤销 {time} 导入的 {file}（{did}）吗？它添加的客户将被删除（之后被修改过的移到回收站），它修改过的客户恢复原来的值，之后又被修改过的字段除外。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="212"/>
        <source>Undo this import</source>
        <translation>撤销本次导入</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="217"/>
        <source>Undoing the import…</source>
        <translation>正在撤销导入…</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../crmdesk/ui/imports/wizard.py" line="90"/>
        <source>Import customers</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/wizard.py" line="89"/>
        <source>Import transactions</source>
        <translation>导入交易记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/wizard.py" line="89"/>
        <source>Import products</source>
        <translation>导入产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/wizard.py" line="180"/>
        <location filename="../../crmdesk/ui/imports/wizard.py" line="192"/>
        <source>Reading {file}…</source>
        <translation>正在读取 {file}…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/wizard.py" line="245"/>
        <source>Reading and checking the rows…</source>
        <translation>正在读取并检查各行…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/wizard.py" line="267"/>
        <source>Checking the rows…</source>
        <translation>正在检查各行…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/wizard.py" line="292"/>
        <source>Importing {file}…</source>
        <translation>正在导入 {file}…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/wizard.py" line="302"/>
        <source>Undoing the import…</source>
        <translation>正在撤销导入…</translation>
    </message>
</context>
<context>
    <name>ListStack</name>
    <message>
        <location filename="../../crmdesk/ui/welcome/welcome_panel.py" line="74"/>
        <source>No customer matches the search or the filters: change them, or clear the search to see every customer.</source>
        <translation>没有客户符合搜索或筛选条件：请修改条件，或清空搜索查看全部客户。</translation>
    </message>
</context>
<context>
    <name>LostDialog</name>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="33"/>
        <source>Deal lost</source>
        <translation>输单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="35"/>
        <source>Why was “{title}” lost?</source>
        <translation>“{title}”为什么输单？</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="39"/>
        <source>Choose a reason…</source>
        <translation>选择原因…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="44"/>
        <source>What happened, who won it, what to do differently</source>
        <translation>发生了什么、谁拿下了订单、下次可以怎样改进</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="51"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="52"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="57"/>
        <source>Mark as lost</source>
        <translation>标记为输单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="64"/>
        <source>Choose why the deal was lost.</source>
        <translation>请选择输单原因。</translation>
    </message>
</context>
<context>
    <name>LostReason</name>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="14"/>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="15"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="16"/>
        <source>Went to a competitor</source>
        <translation>被竞争对手拿下</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="17"/>
        <source>Timing</source>
        <translation>时机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="18"/>
        <source>No decision</source>
        <translation>迟迟未决策</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="19"/>
        <source>No budget</source>
        <translation>没有预算</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="20"/>
        <source>Relationship</source>
        <translation>客户关系</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/lost_dialog.py" line="21"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="95"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="96"/>
        <source>Visits</source>
        <translation>拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="27"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="28"/>
        <source>New &amp;database…</source>
        <translation>新建数据库(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="29"/>
        <source>&amp;Open database…</source>
        <translation>打开数据库(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="31"/>
        <source>&amp;Back up…</source>
        <translation>备份(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="32"/>
        <source>&amp;Restore from backup…</source>
        <translation>从备份恢复(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="33"/>
        <location filename="../../crmdesk/ui/window_menus.py" line="82"/>
        <location filename="../../crmdesk/ui/window_menus.py" line="85"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="35"/>
        <source>Customer &amp;fields…</source>
        <translation>客户字段(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="37"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="38"/>
        <source>&amp;Import customers…</source>
        <translation>导入客户(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="41"/>
        <source>Import &amp;products…</source>
        <translation>导入产品(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="43"/>
        <source>Undo &amp;import…</source>
        <translation>撤销导入(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="46"/>
        <source>&amp;Export customers…</source>
        <translation>导出客户(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="47"/>
        <source>Export contacts for &amp;phones (vCard)…</source>
        <translation>导出联系人到手机（vCard）(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="54"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="55"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="57"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="59"/>
        <source>Find &amp;duplicates…</source>
        <translation>查找重复客户(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="74"/>
        <source>V&amp;isits</source>
        <translation>拜访(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="75"/>
        <source>Visit &amp;frequencies…</source>
        <translation>拜访频率(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="76"/>
        <source>&amp;Export visits…</source>
        <translation>导出拜访(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="65"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="97"/>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="98"/>
        <source>Care</source>
        <translation>关怀</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="99"/>
        <source>Analytics</source>
        <translation>分析</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="39"/>
        <source>Import &amp;transactions…</source>
        <translation>导入交易记录(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="44"/>
        <source>Import &amp;history…</source>
        <translation>导入记录(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="66"/>
        <source>&amp;Trash</source>
        <translation>回收站(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="77"/>
        <source>Export to a &amp;calendar (.ics)…</source>
        <translation>导出到日历（.ics）(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="79"/>
        <source>Com&amp;plaints</source>
        <translation>投诉(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="80"/>
        <source>&amp;Export complaints…</source>
        <translation>导出投诉(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="83"/>
        <source>Ca&amp;re</source>
        <translation>关怀(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="84"/>
        <source>E&amp;xport care history…</source>
        <translation>导出关怀记录(&amp;X)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="87"/>
        <source>&amp;Sales</source>
        <translation>销售(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="94"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="96"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_menus.py" line="97"/>
        <source>&amp;About crmdesk</source>
        <translation>关于 crmdesk(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="192"/>
        <source>Database: {path}</source>
        <translation>数据库：{path}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/main_window.py" line="193"/>
        <source>Customers: %n</source>
        <translation>
            <numerusform>客户：%n 个</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="194"/>
        <source>crmdesk — {name}</source>
        <translation>crmdesk — {name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="219"/>
        <source>New database</source>
        <translation>新建数据库</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="228"/>
        <source>Open database</source>
        <translation>打开数据库</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="235"/>
        <source>Back up the database</source>
        <translation>备份数据库</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="246"/>
        <source>Backed up to {path}.</source>
        <translation>已备份到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="248"/>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="251"/>
        <location filename="../../crmdesk/ui/main_window.py" line="262"/>
        <source>Restore from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="263"/>
        <source>Replace all the data in {db} with the backup {file}? A copy of the current data is kept.</source>
        <translation>确定要用备份 {file} 替换 {db} 中的全部数据吗？系统会保留当前数据的副本。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="272"/>
        <source>Restored. The damaged database was kept as a raw copy in {path}.</source>
        <translation>已恢复。损坏的数据库已作为原样副本保存在 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="273"/>
        <source>Restored. The previous data is kept in {path}.</source>
        <translation>已恢复。原有数据已保存在 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="288"/>
        <source>The automatic backup failed: use File ▸ Back up to make one.</source>
        <translation>自动备份失败：请使用“文件 ▸ 备份”手动备份。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/main_window.py" line="319"/>
        <source>Exported %n customer(s) to {path}.</source>
        <translation>
            <numerusform>已将 %n 个客户导出到 {path}。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="303"/>
        <source>customers.xlsx</source>
        <translation>客户.xlsx</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="100"/>
        <source>Sales</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="323"/>
        <source>Exporting customers…</source>
        <translation>正在导出客户…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="38"/>
        <source>visits.xlsx</source>
        <translation>拜访记录.xlsx</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="38"/>
        <source>Export visits</source>
        <translation>导出拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="40"/>
        <source>Exported %n visit(s) to {path}.</source>
        <translation>已将 %n 次拜访导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="41"/>
        <source>Exporting visits…</source>
        <translation>正在导出拜访…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="47"/>
        <source>complaints.xlsx</source>
        <translation>投诉.xlsx</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="47"/>
        <source>Export complaints</source>
        <translation>导出投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="49"/>
        <source>Exported %n complaint(s) to {path}.</source>
        <translation>已将 %n 条投诉导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="58"/>
        <source>Exported %n care event(s) to {path}.</source>
        <translation>已将 %n 条关怀记录导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="66"/>
        <source>Export contacts for phones</source>
        <translation>导出联系人到手机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="72"/>
        <source>Exported %n contact card(s) to {path}.</source>
        <translation>已将 %n 张联系人名片导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="75"/>
        <source>Exporting contacts…</source>
        <translation>正在导出联系人…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="84"/>
        <source>Export visits to a calendar</source>
        <translation>把拜访导出到日历</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="97"/>
        <source>Exported %n calendar event(s) to {path}.</source>
        <translation>已将 %n 个日程导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="99"/>
        <source>Exporting to the calendar…</source>
        <translation>正在导出到日历…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="50"/>
        <source>Exporting complaints…</source>
        <translation>正在导出投诉…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="56"/>
        <source>care.xlsx</source>
        <translation>关怀记录.xlsx</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="56"/>
        <source>Export care history</source>
        <translation>导出关怀记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/window_exports.py" line="59"/>
        <source>Exporting the care history…</source>
        <translation>正在导出关怀记录…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="357"/>
        <source>About crmdesk</source>
        <translation>关于 crmdesk</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="358"/>
        <source>&lt;h3&gt;crmdesk {version}&lt;/h3&gt;&lt;p&gt;An offline-first desktop CRM: customer archive, visits, complaints and care, on your own computer.&lt;/p&gt;&lt;p&gt;Database: {path}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;crmdesk {version}&lt;/h3&gt;&lt;p&gt;离线优先的桌面 CRM：客户档案、拜访、投诉与客户关怀，数据都保存在您自己的电脑上。&lt;/p&gt;&lt;p&gt;数据库：{path}&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="34"/>
        <source>Check the columns</source>
        <translation>核对各列</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="38"/>
        <source>Choose what each column of the file holds: every product needs its name.</source>
        <translation>请选择文件中每一列的内容：每个产品都需要名称。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="40"/>
        <source>Choose what each column of the file holds: every sale needs its date and its customer&apos;s number or name.</source>
        <translation>选择文件中每一列的内容：每笔交易都需要日期，以及客户编号或客户名称。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="43"/>
        <source>Choose what each column of the file holds. Your choices are remembered for the next file with the same headers.</source>
        <translation>请选择文件中每一列对应的字段。您的选择会被记住，下次导入表头相同的文件时自动沿用。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="57"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="57"/>
        <source>Header in the file</source>
        <translation>文件中的表头</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="58"/>
        <source>Sample values</source>
        <translation>示例值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="58"/>
        <source>Import as</source>
        <translation>导入为</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="77"/>
        <source>First name</source>
        <translation>名字</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="77"/>
        <source>Last name</source>
        <translation>姓氏</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="78"/>
        <source>Second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="78"/>
        <source>Add to notes</source>
        <translation>添加到备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="81"/>
        <source>Make it a new field…</source>
        <translation>设为新字段…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="184"/>
        <source>No column is mapped to {name}: map the column with the product&apos;s name to it.</source>
        <translation>没有列对应到“{name}”：请将产品名称所在的列对应到它。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="195"/>
        <source>A sale needs a date and an amount, a product or a quantity: map a column to {date} and one to {targets}.</source>
        <translation>每笔交易需要日期，以及金额、产品或数量：请把一列对应到“{date}”，另一列对应到 {targets} 之一。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="199"/>
        <source>No column is mapped to the customer: map the column with the customer&apos;s number or name to {targets}, so that each sale has its customer.</source>
        <translation>没有一列对应到客户：请把客户编号或客户名称所在的列对应到 {targets}，这样每笔交易才能找到所属客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="207"/>
        <source>No column is mapped to {amount}: the sales are imported with an amount of 0.</source>
        <translation>没有一列对应到“{amount}”：交易将以金额 0 导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="76"/>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="79"/>
        <source>(ignore)</source>
        <translation>（忽略）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="113"/>
        <source>The columns are mapped as you mapped them last time for a file with these headers.</source>
        <translation>已按您上次导入相同表头的文件时的设置对应各列。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="115"/>
        <source>These columns did not hold what their header says and go to the notes: {columns}.</source>
        <translation>以下列的内容与表头不符，将保存到备注中：{columns}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/mapping_page.py" line="188"/>
        <source>No column is mapped to a name: map the column with the customer&apos;s or the contact&apos;s name to one of {targets}.</source>
        <translation>还没有列对应到名称：请将包含客户名称或联系人姓名的列对应为 {targets} 之一。</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="62"/>
        <source>Merge customers</source>
        <translation>合并客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="63"/>
        <source>Tick the value to keep in each row. Their visits, sales, complaints and care move to the customer kept; the others go to the trash. Edit ▸ Undo takes the merge back.</source>
        <translation>在每一行勾选要保留的值。这些客户的拜访、销售、投诉和关怀都会转到保留的客户名下，其余客户移入回收站。用“编辑 ▸ 撤销”可以撤销合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="83"/>
        <source>&amp;Merge</source>
        <translation>合并(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="87"/>
        <source>&amp;Keep:</source>
        <translation>保留(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="150"/>
        <source>{code} (kept)</source>
        <translation>{code}（保留）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="157"/>
        <source>Moves to {customer}: {records}.</source>
        <translation>将转到 {customer} 名下：{records}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/merge_dialog.py" line="158"/>
        <source>The others have no visits, sales, complaints or care to move.</source>
        <translation>其他客户没有需要转移的拜访、销售、投诉或关怀。</translation>
    </message>
</context>
<context>
    <name>ObjectionType</name>
    <message>
        <location filename="../../crmdesk/ui/visits/form.py" line="121"/>
        <source>Need</source>
        <translation>需求异议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/form.py" line="122"/>
        <source>Budget</source>
        <translation>财力异议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/form.py" line="123"/>
        <source>Authority</source>
        <translation>权力异议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/form.py" line="124"/>
        <source>Price</source>
        <translation>价格异议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/form.py" line="125"/>
        <source>Product</source>
        <translation>产品异议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/form.py" line="126"/>
        <source>Salesperson</source>
        <translation>营销员异议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/form.py" line="127"/>
        <source>Timing</source>
        <translation>购买时间异议</translation>
    </message>
</context>
<context>
    <name>OpportunityDialog</name>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="40"/>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="40"/>
        <source>New opportunity</source>
        <translation>新建商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="48"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="49"/>
        <source>Title</source>
        <translation>商机名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="51"/>
        <source>What the deal is about, e.g. 200 t stainless pipe</source>
        <translation>商机内容，例如：不锈钢管道 200 吨</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="52"/>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="54"/>
        <source>Amount (¥)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="56"/>
        <source>e.g. 125000 or 12.5万</source>
        <translation>例如 125000 或 12.5万</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="57"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="61"/>
        <source>Probability</source>
        <translation>成交概率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="68"/>
        <source>Lost because</source>
        <translation>输单原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="70"/>
        <source>Choose a reason…</source>
        <translation>选择原因…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="74"/>
        <source>Expected close</source>
        <translation>预计成交日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="77"/>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="79"/>
        <source>Next step on</source>
        <translation>下一步日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="82"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="87"/>
        <source>Competitors</source>
        <translation>竞争对手</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="89"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="91"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="151"/>
        <source>Visits for this deal: %n</source>
        <translation>
            <numerusform>本商机的拜访：%n 次</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="153"/>
        <source>No visits for this deal yet.</source>
        <translation>本商机还没有拜访记录。</translation>
    </message>
</context>
<context>
    <name>OpportunityList</name>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="46"/>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="47"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="48"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="49"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="50"/>
        <source>Probability</source>
        <translation>成交概率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="51"/>
        <source>Expected close</source>
        <translation>预计成交日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="52"/>
        <source>Days in stage</source>
        <translation>本阶段天数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="53"/>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="54"/>
        <source>Next step on</source>
        <translation>下一步日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="55"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="56"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="57"/>
        <source>Tier</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="58"/>
        <source>Closed on</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="59"/>
        <source>Lost because</source>
        <translation>输单原因</translation>
    </message>
</context>
<context>
    <name>OpportunityTimeline</name>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_timeline.py" line="18"/>
        <source>Deal opened</source>
        <translation>新建商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_timeline.py" line="19"/>
        <source>Deal changed</source>
        <translation>商机修改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_timeline.py" line="20"/>
        <source>Deal deleted</source>
        <translation>商机删除</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_timeline.py" line="21"/>
        <source>Deal restored</source>
        <translation>商机恢复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_timeline.py" line="23"/>
        <source>Deal moved</source>
        <translation>商机推进</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_timeline.py" line="25"/>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_timeline.py" line="26"/>
        <source>Competitors</source>
        <translation>竞争对手</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_timeline.py" line="27"/>
        <source>Why lost, in words</source>
        <translation>输单说明</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/opportunity_timeline.py" line="28"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>PairsModel</name>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="41"/>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="41"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="41"/>
        <source>Probably the same as</source>
        <translation>很可能相同的客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="41"/>
        <source>Why</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>PipelinePage</name>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="39"/>
        <source>Whole pipeline</source>
        <translation>全部商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="40"/>
        <source>Closing this month</source>
        <translation>本月成交</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="41"/>
        <source>Closing next month</source>
        <translation>下月成交</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="42"/>
        <source>Closing this quarter</source>
        <translation>本季度成交</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="43"/>
        <source>Closing this year</source>
        <translation>本年成交</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="148"/>
        <source>Board</source>
        <translation>看板</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="148"/>
        <source>List</source>
        <translation>列表</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="158"/>
        <source>Every tier</source>
        <translation>所有类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="166"/>
        <source>&amp;New opportunity…</source>
        <translation>新建商机(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="168"/>
        <source>&amp;Delete opportunity</source>
        <translation>删除商机(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="172"/>
        <source>New opportunity…</source>
        <translation>新建商机…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="175"/>
        <source>Plan a visit…</source>
        <translation>计划拜访…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="218"/>
        <source>Every owner</source>
        <translation>所有负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="300"/>
        <source>Delete opportunity</source>
        <translation>删除商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="302"/>
        <source>Deleted. Ctrl+Z brings it back.</source>
        <translation>已删除。按 Ctrl+Z 可恢复。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="311"/>
        <source>Lifecycle stage</source>
        <translation>客户生命周期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="312"/>
        <source>The deal is won. Move {customer} to the {stage} stage? It shows in the customer&apos;s profile and history.</source>
        <translation>商机已赢单。是否把{customer}移到“{stage}”阶段？客户档案和历史记录中会显示这一变化。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="348"/>
        <source>Move to {stage}</source>
        <translation>移到{stage}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/pipeline_page.py" line="350"/>
        <source>Moved to {stage}. Ctrl+Z moves it back.</source>
        <translation>已移到{stage}。按 Ctrl+Z 可撤销。</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="22"/>
        <source>Check the rows</source>
        <translation>核对各行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="23"/>
        <source>Cells in error are marked: point at one to see why, double-click it to fix it. Rows still in error are skipped and listed in an error workbook.</source>
        <translation>有错误的单元格已标出：将鼠标指向单元格可查看原因，双击即可修改。仍有错误的行将被跳过，并列入错误工作簿。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="27"/>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="38"/>
        <source>Update the existing customer</source>
        <translation>更新现有客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="39"/>
        <source>Skip the row</source>
        <translation>跳过该行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="40"/>
        <source>Add it as a new customer</source>
        <translation>作为新客户添加</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="44"/>
        <source>Customer number, then phone, then e-mail, then exact name</source>
        <translation>依次按客户编号、电话、邮箱、完全相同的名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="45"/>
        <source>Customer number only</source>
        <translation>只按客户编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="46"/>
        <source>Mobile or phone only</source>
        <translation>只按手机或电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="47"/>
        <source>E-mail only</source>
        <translation>只按邮箱</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="48"/>
        <source>Exact name only</source>
        <translation>只按完全相同的名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="49"/>
        <source>Name and phone together</source>
        <translation>名称和电话都相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="54"/>
        <source>Each sale goes to the customer with its customer number, else to the one with exactly its name; a customer not found is added.</source>
        <translation>每笔交易归入客户编号相同的客户，没有编号时归入名称完全相同的客户；找不到的客户会自动新建。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="58"/>
        <source>Year, month, day (2024-04-02)</source>
        <translation>年-月-日（2024-04-02）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="59"/>
        <source>Day, month, year (02/04/2024)</source>
        <translation>日-月-年（02/04/2024）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="60"/>
        <source>Month, day, year (04/02/2024)</source>
        <translation>月-日-年（04/02/2024）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="65"/>
        <source>Reject the row</source>
        <translation>拒绝该行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="66"/>
        <source>Import the row and keep the value in its notes</source>
        <translation>导入该行，并把这个值保存到备注中</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="68"/>
        <source>A phone, e-mail, date or other value a field cannot take. A row without a usable name or customer number is rejected either way.</source>
        <translation>指字段无法接受的电话、邮箱、日期等值。没有可用客户名称或客户编号的行，无论如何都会被拒绝。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="71"/>
        <source>Import &amp;nothing if any row has an error</source>
        <translation>任一行有错误时不导入任何数据(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="73"/>
        <source>Show only rows with &amp;errors</source>
        <translation>只显示有错误的行(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="87"/>
        <source>A row matching an existing &amp;customer:</source>
        <translation>与现有客户匹配的行(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="88"/>
        <source>Match rows to existing customers &amp;by:</source>
        <translation>与现有客户的匹配方式(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="89"/>
        <source>Customers:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="95"/>
        <source>&amp;Dates like 04/02/2024 are:</source>
        <translation>04/02/2024 这类日期的顺序(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="96"/>
        <source>A row with a &amp;bad value:</source>
        <translation>含无效值的行(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="111"/>
        <source>Reading the rows…</source>
        <translation>正在读取各行…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="125"/>
        <source>Reading the rows was cancelled: go back and choose Next to read them again.</source>
        <translation>已取消读取：请返回上一页，再点击“下一步”重新读取。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="143"/>
        <source>{problem} It will be kept in the notes.</source>
        <translation>{problem}该值将保存到备注中。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="146"/>
        <source>Probably the same customer as {customer} ({reasons}): it would be added as another one.</source>
        <translation>很可能与 {customer} 是同一客户（{reasons}）：导入后会成为另一个客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="154"/>
        <source>The sheet has no rows under the header.</source>
        <translation>该工作表的表头下方没有数据行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="156"/>
        <source>The only row has errors.</source>
        <translation>表中只有 1 行，且该行有错误。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="157"/>
        <source>The only row is ready to import.</source>
        <translation>表中只有 1 行，可以导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="159"/>
        <source>{ok} of {total} rows are ready to import; 1 has errors.</source>
        <translation>共 {total} 行，其中 {ok} 行可以导入，1 行有错误。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="160"/>
        <source>{ok} of {total} rows are ready to import; {bad} have errors.</source>
        <translation>共 {total} 行，其中 {ok} 行可以导入，{bad} 行有错误。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="163"/>
        <source>All {total} rows are ready to import.</source>
        <translation>全部 {total} 行均可导入。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="167"/>
        <source>%n row(s) looks(look) like customers you already have (≈ by the row number: point at it to see which).</source>
        <translation>
            <numerusform>有 %n 行看起来像已有的客户（行号旁标有 ≈：将鼠标指向行号可查看是哪一个）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="172"/>
        <source>%n row(s) will keep a bad value in the notes (marked yellow).</source>
        <translation>
            <numerusform>有 %n 行的无效值将保存到备注中（以黄色标出）。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="191"/>
        <source>The import was cancelled: nothing was imported.</source>
        <translation>导入已取消：未导入任何数据。</translation>
    </message>
</context>
<context>
    <name>ProductDialog</name>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="82"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="82"/>
        <source>New product</source>
        <translation>新建产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="90"/>
        <source>Name</source>
        <translation>产品名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="90"/>
        <source>Code</source>
        <translation>产品编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="90"/>
        <source>Category</source>
        <translation>产品类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="91"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="91"/>
        <source>List price</source>
        <translation>标准价格</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="92"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="96"/>
        <source>Active: offered when a sale is recorded</source>
        <translation>在售：记录销售时可选</translation>
    </message>
</context>
<context>
    <name>ProductList</name>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="29"/>
        <source>Code</source>
        <translation>产品编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="30"/>
        <source>Name</source>
        <translation>产品名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="31"/>
        <source>Category</source>
        <translation>产品类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="32"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="33"/>
        <source>List price</source>
        <translation>标准价格</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="34"/>
        <source>Active</source>
        <translation>在售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="35"/>
        <source>Lines sold</source>
        <translation>销售笔数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="36"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="62"/>
        <source>inactive</source>
        <translation>已停售</translation>
    </message>
</context>
<context>
    <name>ProductsPage</name>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="162"/>
        <source>Search name, code, pinyin or initials…</source>
        <translation>搜索名称、编号、拼音或首字母…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="166"/>
        <source>Active only</source>
        <translation>仅显示在售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="171"/>
        <source>New product…</source>
        <translation>新建产品…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="172"/>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="173"/>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="233"/>
        <source>Deactivate</source>
        <translation>停售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="174"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="175"/>
        <source>Merge…</source>
        <translation>合并…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/products_page.py" line="220"/>
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n 个产品</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="233"/>
        <source>Activate</source>
        <translation>恢复在售</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/products_page.py" line="259"/>
        <source>Delete products: %n</source>
        <translation>
            <numerusform>删除产品：%n 个</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="264"/>
        <source>Merge products</source>
        <translation>合并产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/products_page.py" line="265"/>
        <source>Keep which name? The others become it: their sales move to it.</source>
        <translation>保留哪个名称？其余的将并入它，其销售记录也随之转入。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/products_page.py" line="283"/>
        <source>Merge products: %n</source>
        <translation>
            <numerusform>合并产品：%n 个</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RangeDialog</name>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/range_dialog.py" line="26"/>
        <source>Filter by {field}</source>
        <translation>按{field}筛选</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/range_dialog.py" line="35"/>
        <source>No customer has a value in this field yet.</source>
        <translation>还没有客户填写这个字段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/range_dialog.py" line="37"/>
        <source>Values in use: {low} to {high}. Leave a box empty for no limit on that side.</source>
        <translation>已有的值：{low} 至 {high}。某一边留空表示那一边不设限。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/range_dialog.py" line="42"/>
        <source>&amp;From:</source>
        <translation>从(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/range_dialog.py" line="43"/>
        <source>&amp;To:</source>
        <translation>到(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/range_dialog.py" line="45"/>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/custom_fields/range_dialog.py" line="46"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="52"/>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="212"/>
        <source>Record the visit</source>
        <translation>记录拜访结果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="52"/>
        <source>Log a visit</source>
        <translation>补记拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="67"/>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="68"/>
        <source>Ended</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="75"/>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="120"/>
        <source>Kind</source>
        <translation>拜访类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="76"/>
        <source>What happened</source>
        <translation>拜访经过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="77"/>
        <source>For the deal</source>
        <translation>关联商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="81"/>
        <source>Objection</source>
        <translation>客户异议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="81"/>
        <source>Answer given</source>
        <translation>我方答复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="81"/>
        <source>Type</source>
        <translation>异议类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="87"/>
        <source>Objections</source>
        <translation>异议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="90"/>
        <source>Not rated</source>
        <translation>未评分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="91"/>
        <source>Excellent</source>
        <translation>很好</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="91"/>
        <source>Good</source>
        <translation>好</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="91"/>
        <source>Fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="92"/>
        <source>Poor</source>
        <translation>差</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="92"/>
        <source>Bad</source>
        <translation>很差</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="94"/>
        <source>Result</source>
        <translation>效果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="95"/>
        <source>Follow-up actions</source>
        <translation>后续行动</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="104"/>
        <source>Plan the next visit</source>
        <translation>安排下次拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="119"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="121"/>
        <source>Objective</source>
        <translation>拜访目的</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="131"/>
        <source>Move {customer} from {old} to {new}</source>
        <translation>将{customer}从“{old}”转为“{new}”</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="137"/>
        <source>Record a sale from this visit</source>
        <translation>根据本次拜访记录销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="203"/>
        <source>Lifecycle stage</source>
        <translation>生命周期阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="204"/>
        <source>Move {customer} to the {stage} stage? It shows in the customer&apos;s profile and history.</source>
        <translation>将{customer}转入“{stage}”阶段？此变更会显示在客户档案和历史记录中。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/record_dialog.py" line="213"/>
        <source>This visit is planned for {when}, after now: record it as done anyway?</source>
        <translation>这次拜访计划在 {when}，还没到时间：仍然记录为已完成吗？</translation>
    </message>
</context>
<context>
    <name>RedeemDialog</name>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="103"/>
        <source>Redeem points</source>
        <translation>积分兑换</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="114"/>
        <source>Balance</source>
        <translation>积分余额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="115"/>
        <source>Points</source>
        <translation>兑换积分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="119"/>
        <source>Gift</source>
        <translation>礼品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="121"/>
        <source>e.g. a tea set</source>
        <translation>例如：茶具一套</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/customer_care.py" line="125"/>
        <source>Redeem</source>
        <translation>兑换</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="25"/>
        <source>Import finished</source>
        <translation>导入完成</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="29"/>
        <source>&amp;Open the error workbook</source>
        <translation>打开错误工作簿(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="32"/>
        <source>&amp;Undo this import</source>
        <translation>撤销本次导入(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="49"/>
        <source>Products created: {created}; updated: {updated}; unchanged: {skipped}; rejected: {rejected}.</source>
        <translation>新建产品：{created}；更新：{updated}；未变：{skipped}；拒绝：{rejected}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="53"/>
        <source>Transactions added: {created}; new customers: {customers}; skipped: {skipped}; rejected: {rejected}.</source>
        <translation>添加交易记录 {created} 条；新建客户 {customers} 个；跳过 {skipped} 行；拒绝 {rejected} 行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="57"/>
        <source>Created {created}, updated {updated}, skipped {skipped}, rejected {rejected}.</source>
        <translation>新建 {created} 个，更新 {updated} 个，跳过 {skipped} 个，拒绝 {rejected} 个。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="63"/>
        <source>%n row(s) went in with a value its field could not take: the value is in the customer&apos;s notes, named by its column.</source>
        <translation>
            <numerusform>有 %n 行已导入，但其中有字段无法接受的值：这些值已按列名保存在客户备注中。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="66"/>
        <source>Nothing was imported, because some rows had errors and you chose to import nothing in that case.</source>
        <translation>未导入任何数据：部分行有错误，而您选择了在此情况下不导入任何数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="69"/>
        <source>The rejected rows, with the reason for each, are in {path}: fix them there and import that file.</source>
        <translation>被拒绝的行及其原因已写入 {path}：请在该文件中修正，然后导入该文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="83"/>
        <source>Take back this import? The products it added go to the trash and the ones it changed get their earlier values back.</source>
        <translation>确定要撤销本次导入吗？本次导入新增的产品将移入回收站，修改过的产品将恢复为导入前的内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="86"/>
        <source>Take back this import? The transactions it added are removed, and so are the customers it created for them.</source>
        <translation>要撤销这次导入吗？它添加的交易记录将被删除，为这些交易新建的客户也会被删除。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="92"/>
        <source>Undo this import</source>
        <translation>撤销本次导入</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="89"/>
        <source>Take back this import? The customers it added are removed and the ones it changed get their earlier values back.</source>
        <translation>确定要撤销本次导入吗？本次导入新增的客户将被删除，修改过的客户将恢复为导入前的内容。</translation>
    </message>
</context>
<context>
    <name>SaleDialog</name>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="65"/>
        <source>Correct the sale</source>
        <translation>更正销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="65"/>
        <source>Record a sale</source>
        <translation>记录销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="73"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="76"/>
        <source>For the deal</source>
        <translation>关联商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="86"/>
        <source>Sale</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="87"/>
        <source>Refund</source>
        <translation>退货退款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="93"/>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="96"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="98"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="100"/>
        <source>Lines</source>
        <translation>明细</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="104"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="110"/>
        <source>blank: paid in full</source>
        <translation>留空：已全额付款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="114"/>
        <source>on</source>
        <translation>付款日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="116"/>
        <source>Paid</source>
        <translation>已付款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="123"/>
        <source>days, e.g. 30</source>
        <translation>天数，如 30</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="129"/>
        <source>Payment terms</source>
        <translation>账期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="130"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="181"/>
        <source>Record the sale of the deal won: {title}</source>
        <translation>登记赢单商机的销售：{title}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="260"/>
        <source>owed {amount}</source>
        <translation>未付 {amount}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_dialog.py" line="264"/>
        <source>due {date}</source>
        <translation>{date} 到期</translation>
    </message>
</context>
<context>
    <name>SaleLines</name>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_lines.py" line="96"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_lines.py" line="96"/>
        <source>Category</source>
        <translation>产品类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_lines.py" line="96"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_lines.py" line="97"/>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_lines.py" line="97"/>
        <source>Discount %</source>
        <translation>折扣 %</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_lines.py" line="97"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
</context>
<context>
    <name>SaleList</name>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="18"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="19"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="20"/>
        <source>Customer No.</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="21"/>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="22"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="23"/>
        <source>Paid</source>
        <translation>已付款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="24"/>
        <source>Owed</source>
        <translation>未付款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="25"/>
        <source>Due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="26"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="27"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="28"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="30"/>
        <source>Sale</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="30"/>
        <source>Refund</source>
        <translation>退货退款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sale_sources.py" line="68"/>
        <source>Refund: {products}</source>
        <translation>退货退款：{products}</translation>
    </message>
</context>
<context>
    <name>SalesPage</name>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="45"/>
        <source>Search customer, product, owner, notes…</source>
        <translation>搜索客户、产品、负责人、备注…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="51"/>
        <source>All sales</source>
        <translation>全部销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="51"/>
        <source>Owing</source>
        <translation>有欠款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="52"/>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="52"/>
        <source>Refunds</source>
        <translation>退货退款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="59"/>
        <source>&amp;New sale…</source>
        <translation>新建销售(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="61"/>
        <source>&amp;Edit sale…</source>
        <translation>修改销售(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="62"/>
        <source>&amp;Delete sale</source>
        <translation>删除销售(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="86"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="112"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="117"/>
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n 笔销售</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="120"/>
        <source>owed {owed}, overdue {overdue}</source>
        <translation>应收 {owed}，逾期 {overdue}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="159"/>
        <source>Delete sales: %n</source>
        <translation>
            <numerusform>删除销售：%n 笔</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="163"/>
        <source>Deleted. Ctrl+Z brings it back.</source>
        <translation>已删除。按 Ctrl+Z 可恢复。</translation>
    </message>
</context>
<context>
    <name>SalesReportCharts</name>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="37"/>
        <source>No product</source>
        <translation>未填写产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="38"/>
        <source>No category</source>
        <translation>未分类</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="39"/>
        <source>No source</source>
        <translation>未记录来源</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="40"/>
        <source>No owner</source>
        <translation>未指定销售员</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="41"/>
        <source>No region</source>
        <translation>未填写地区</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="51"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="57"/>
        <source>Deals by stage</source>
        <translation>各阶段商机数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="58"/>
        <source>In the stage now</source>
        <translation>当前处于该阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="59"/>
        <source>Reached the stage</source>
        <translation>到达过该阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="63"/>
        <source>Win rate {rate} ({won} won, {lost} lost) · average cycle {days} · average deal {size} · {deals} deals opened in the period.</source>
        <translation>赢单率 {rate}（赢单 {won}，输单 {lost}）· 平均成交周期 {days} · 平均成交金额 {size} · 期间新增商机 {deals} 个。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="66"/>
        <source>{n} days</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="68"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="68"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="82"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="94"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="220"/>
        <source>Deals</source>
        <translation>商机数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="69"/>
        <source>Reached</source>
        <translation>到达该阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="69"/>
        <source>Conversion</source>
        <translation>阶段转化率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="75"/>
        <source>Weighted (amount × probability)</source>
        <translation>加权金额（金额×赢单概率）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="76"/>
        <source>Won in the same months last year</source>
        <translation>去年同期赢单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="78"/>
        <source>Forecast by expected close month (10,000 yuan)</source>
        <translation>按预计成交月份的销售预测（万元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="82"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="107"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="119"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="149"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="84"/>
        <source>Open deals weighted {weighted} of {amount}; past their expected close: {overdue}; no expected close: {undated}.</source>
        <translation>进行中商机加权金额 {weighted}（总额 {amount}）；已过预计成交日：{overdue} 个；未填预计成交日：{undated} 个。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="89"/>
        <source>Forecast by owner (10,000 yuan)</source>
        <translation>按销售员的销售预测（万元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="94"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="188"/>
        <source>Owner</source>
        <translation>销售员</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="97"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="138"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="191"/>
        <source>The chart shows the first %n; the table has them all.</source>
        <translation>图中显示前 %n 项，表格中列出全部。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="104"/>
        <source>Sales by month (10,000 yuan)</source>
        <translation>月度销售额（万元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="107"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="120"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="133"/>
        <source>Sales</source>
        <translation>销售笔数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="109"/>
        <source>%n sale(s), refunds netted out.</source>
        <translation>共 %n 笔销售，已扣除退货。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="110"/>
        <source>Total {total}.</source>
        <translation>合计 {total}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="115"/>
        <source>Per year</source>
        <translation>每年平均</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="116"/>
        <source>When customers buy: each month of the year, mean per year (10,000 yuan)</source>
        <translation>客户何时购买：各月份的年均销售额（万元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="119"/>
        <source>All years</source>
        <translation>历年合计</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="120"/>
        <source>Years</source>
        <translation>年数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="122"/>
        <source>The busiest month: {month}.</source>
        <translation>销售最旺的月份：{month}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="124"/>
        <source>No sales in the period.</source>
        <translation>该期间没有销售。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="131"/>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="173"/>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="132"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="133"/>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="145"/>
        <source>Churn rate %</source>
        <translation>流失率 %</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="146"/>
        <source>Churn rate by month (%)</source>
        <translation>月度客户流失率（%）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="149"/>
        <source>Customers at the start</source>
        <translation>月初客户数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="150"/>
        <source>Lost</source>
        <translation>当月流失</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="150"/>
        <source>New customers</source>
        <translation>新客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="152"/>
        <source>Lost: no purchase for 1.5 × the usual interval, or marked lost; the rate is of the customers at the month&apos;s start.</source>
        <translation>流失：超过平时购买间隔的1.5倍未再购买，或已标记为流失；流失率按月初客户数计算。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="159"/>
        <source>No reason given</source>
        <translation>未填写原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="163"/>
        <source>No type</source>
        <translation>未分类</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="169"/>
        <source>Lost deals</source>
        <translation>输单数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="170"/>
        <source>Deals lost in the period, by reason</source>
        <translation>本期输单商机（按原因）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="173"/>
        <source>Reason</source>
        <translation>输单原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="175"/>
        <source>%n deal(s) lost in the period, for {amount}; the most frequent reason: {reason}.</source>
        <translation>本期输单 %n 个，金额 {amount}；最常见原因：{reason}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="178"/>
        <source>No deal lost in the period.</source>
        <translation>本期没有输单。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="184"/>
        <source>Of them: {reason}</source>
        <translation>其中：{reason}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="186"/>
        <source>Deals lost, by owner</source>
        <translation>输单商机（按销售员）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="193"/>
        <source>The table counts each owner&apos;s lost deals by reason.</source>
        <translation>表格按原因列出每位销售员的输单数。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="200"/>
        <source>None of the deals they were raised on was lost.</source>
        <translation>提出异议的商机均未输单。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="202"/>
        <source>Most often on deals that were lost: {type} ({lost} of {deals} deals, {share}).</source>
        <translation>最常出现在输单商机上的是：{type}（{deals} 个商机中输单 {lost} 个，占 {share}）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="209"/>
        <source>Raised</source>
        <translation>提出次数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="209"/>
        <source>Answered</source>
        <translation>已答复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="211"/>
        <source>No objection recorded on the period&apos;s visits.</source>
        <translation>本期拜访未记录异议。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="213"/>
        <source>%n objection(s) on the period&apos;s visits, {answered} answered.</source>
        <translation>本期拜访中共提出异议 %n 次，答复率 {answered}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="216"/>
        <source>Objections met on the period&apos;s visits, by type</source>
        <translation>本期拜访中的异议（按类型）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="219"/>
        <source>Type</source>
        <translation>异议类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="219"/>
        <source>Answered share</source>
        <translation>答复率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="220"/>
        <source>Of them lost</source>
        <translation>其中输单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_charts.py" line="221"/>
        <source>Lost share</source>
        <translation>输单比例</translation>
    </message>
</context>
<context>
    <name>SalesReportPage</name>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="65"/>
        <source>Funnel</source>
        <translation>销售漏斗</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="65"/>
        <source>Forecast</source>
        <translation>销售预测</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="66"/>
        <source>By month</source>
        <translation>月度销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="66"/>
        <source>Seasons</source>
        <translation>季节</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="67"/>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="67"/>
        <source>Channels</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="68"/>
        <source>Owners</source>
        <translation>销售员</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="68"/>
        <source>Regions</source>
        <translation>地区</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="69"/>
        <source>Churn rate</source>
        <translation>流失率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="69"/>
        <source>Lost reasons</source>
        <translation>输单原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="70"/>
        <source>Objections</source>
        <translation>异议</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="76"/>
        <source>This year</source>
        <translation>今年</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="76"/>
        <source>Last 12 months</source>
        <translation>近12个月</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="77"/>
        <source>This quarter</source>
        <translation>本季度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="77"/>
        <source>Last year</source>
        <translation>去年</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="78"/>
        <source>All time</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="88"/>
        <source>Export all to Excel…</source>
        <translation>全部导出到Excel…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="91"/>
        <source>Period:</source>
        <translation>期间：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="119"/>
        <source>To Excel…</source>
        <translation>导出到Excel…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="147"/>
        <source>%n sale(s)</source>
        <translation>%n 笔销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="153"/>
        <source>Sales by product (10,000 yuan)</source>
        <translation>按产品的销售额（万元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="154"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="155"/>
        <source>Sales by category (10,000 yuan)</source>
        <translation>按产品类别的销售额（万元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="156"/>
        <source>Category</source>
        <translation>产品类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="157"/>
        <source>Sales by source channel (10,000 yuan)</source>
        <translation>按客户来源渠道的销售额（万元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="158"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="159"/>
        <source>Sales by owner (10,000 yuan)</source>
        <translation>按销售员的销售额（万元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="159"/>
        <source>Owner</source>
        <translation>销售员</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="160"/>
        <source>Sales by province (10,000 yuan)</source>
        <translation>按省份的销售额（万元）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="161"/>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="177"/>
        <source>sales-figures.xlsx</source>
        <translation>销售数据.xlsx</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="177"/>
        <source>sales-{sheet}.xlsx</source>
        <translation>销售-{sheet}.xlsx</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="178"/>
        <source>Export the sales figures</source>
        <translation>导出销售数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/report_page.py" line="186"/>
        <source>Wrote {path}.</source>
        <translation>已写入 {path}。</translation>
    </message>
</context>
<context>
    <name>SalesTab</name>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_tab.py" line="38"/>
        <source>Sales</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_tab.py" line="39"/>
        <source>Pipeline</source>
        <translation>商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_tab.py" line="40"/>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_tab.py" line="41"/>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_tab.py" line="47"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/sales_tab.py" line="50"/>
        <source>Pipeline &amp;stages…</source>
        <translation>商机阶段(&amp;S)…</translation>
    </message>
</context>
<context>
    <name>Section</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="146"/>
        <source>Basic</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="147"/>
        <source>Business</source>
        <translation>业务信息</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="148"/>
        <source>Classification</source>
        <translation>客户分类</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="149"/>
        <source>Evaluation</source>
        <translation>客户评估</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="150"/>
        <source>Personal</source>
        <translation>个人信息</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="151"/>
        <source>Logistics and finance</source>
        <translation>物流与财务</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="152"/>
        <source>Tags and notes</source>
        <translation>标签与备注</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../crmdesk/ui/settings_dialog.py" line="15"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/settings_dialog.py" line="18"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/settings_dialog.py" line="23"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/settings_dialog.py" line="24"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/settings_dialog.py" line="28"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/settings_dialog.py" line="30"/>
        <source>Customer fields…</source>
        <translation>客户字段…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/settings_dialog.py" line="33"/>
        <source>Your own fields</source>
        <translation>自定义字段</translation>
    </message>
</context>
<context>
    <name>SharedSettings</name>
    <message>
        <location filename="../../crmdesk/ui/team/shared_settings.py" line="21"/>
        <source>These settings are the team&apos;s: only a manager or the complaint desk can change them. They come with each sync.</source>
        <translation>这些是团队的设置：只有经理或投诉客服台可以修改，每次同步时更新。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/shared_settings.py" line="23"/>
        <source>These settings are the team&apos;s: only a manager can change them. They come with each sync.</source>
        <translation>这些是团队的设置：只有经理可以修改，每次同步时更新。</translation>
    </message>
</context>
<context>
    <name>SpreadText</name>
    <message>
        <location filename="../../crmdesk/ui/care/reminder.py" line="33"/>
        <source>The care rules ran for the first time.</source>
        <translation>关怀规则第一次运行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/reminder.py" line="34"/>
        <source>The care rules had not run for a while.</source>
        <translation>关怀规则已有一段时间没有运行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/reminder.py" line="35"/>
        <source>Many customers became due at once (an import or a first run).</source>
        <translation>许多客户同时到期（一次导入或第一次运行）。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/reminder.py" line="36"/>
        <source>over the next %n week(s)</source>
        <translation>
            <numerusform>分摊到接下来 %n 周</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/care/reminder.py" line="37"/>
        <source>over this week</source>
        <translation>安排在本周内</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/reminder.py" line="38"/>
        <source>%n customer(s) has(have) had no contact or purchase for a long time: spread {weeks}, key accounts first, at most {quota} a day per rep.</source>
        <translation>
            <numerusform>%n 个客户已很久没有联系或购买：已{weeks}，重点客户优先，每位负责人每天最多 {quota} 条。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StagesDialog</name>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="24"/>
        <source>Pipeline stages</source>
        <translation>商机阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="27"/>
        <source>The stages a deal goes through, in order, with the probability it gets on entering each. Won and lost close a deal and always come last.</source>
        <translation>商机依次经过的阶段，以及进入每个阶段时的默认成交概率。赢单和输单表示商机结束，始终排在最后。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="36"/>
        <source>Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="36"/>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="37"/>
        <source>Probability</source>
        <translation>成交概率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="37"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="50"/>
        <source>&amp;Add stage</source>
        <translation>添加阶段(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="52"/>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="54"/>
        <source>Move &amp;up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="56"/>
        <source>Move &amp;down</source>
        <translation>下移(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="78"/>
        <source>Open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="78"/>
        <source>Closes as won</source>
        <translation>结束：赢单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/sales/stages_dialog.py" line="78"/>
        <source>Closes as lost</source>
        <translation>结束：输单</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <location filename="../../crmdesk/ui/tasks.py" line="107"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>TeamConflicts</name>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="18"/>
        <source>Edited by two people</source>
        <translation>两人同时修改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="19"/>
        <source>Edited after it was deleted</source>
        <translation>删除后又被修改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="20"/>
        <source>Renumbered</source>
        <translation>已重新编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="21"/>
        <source>Refused by the server</source>
        <translation>被服务器拒绝</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="22"/>
        <source>Possibly the same customer</source>
        <translation>可能是同一客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="25"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="26"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="27"/>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="28"/>
        <source>Visit</source>
        <translation>拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="29"/>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="30"/>
        <source>Care</source>
        <translation>关怀</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="31"/>
        <source>Sale</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="32"/>
        <source>Transaction</source>
        <translation>交易</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="33"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="34"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="35"/>
        <source>Visit series</source>
        <translation>周期拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="36"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="37"/>
        <source>Complaint contact</source>
        <translation>投诉联系记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="102"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="104"/>
        <source>deleted {time}</source>
        <translation>已于 {time} 删除</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/conflict_rows.py" line="121"/>
        <source>A record no longer here</source>
        <translation>本机已无此记录</translation>
    </message>
</context>
<context>
    <name>TeamFilter</name>
    <message>
        <location filename="../../crmdesk/ui/common/filters.py" line="49"/>
        <source>Only the records of this team&apos;s customers</source>
        <translation>只显示该团队客户的记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/filters.py" line="50"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/filters.py" line="60"/>
        <source>Every team</source>
        <translation>所有团队</translation>
    </message>
</context>
<context>
    <name>TeamHandover</name>
    <message>
        <location filename="../../crmdesk/ui/team/handover_undo.py" line="20"/>
        <source>Hand over %n customer(s)</source>
        <translation>移交 %n 个客户</translation>
    </message>
</context>
<context>
    <name>TeamSync</name>
    <message>
        <location filename="../../crmdesk/ui/team/indicator.py" line="36"/>
        <source>Syncing…</source>
        <translation>同步中…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/indicator.py" line="38"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/indicator.py" line="40"/>
        <source>Password needed</source>
        <translation>需要密码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/indicator.py" line="42"/>
        <source>Not synced</source>
        <translation>未同步</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/indicator.py" line="44"/>
        <source>Synced {time}</source>
        <translation>已同步 {time}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/indicator.py" line="46"/>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/indicator.py" line="50"/>
        <source>%n change(s) waiting</source>
        <translation>%n 条更改待发送</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/indicator.py" line="52"/>
        <source>%n conflict(s)</source>
        <translation>%n 个冲突</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/indicator.py" line="80"/>
        <source>{login} on {server}. Click to sync now.</source>
        <translation>{server} 上的 {login}。点击立即同步。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/indicator.py" line="83"/>
        <source>{login} on {server}. Click to see the conflicts.</source>
        <translation>{server} 上的 {login}。点击查看冲突。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/sync_controller.py" line="31"/>
        <source>Downloading {done} of %Ln change(s)…</source>
        <translation>正在下载第 {done} 条，共 %Ln 条更改…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/sync_controller.py" line="33"/>
        <source>Preparing the lists: {done} of %Ln index(es) built…</source>
        <translation>正在准备列表：已建好 {done} 个索引，共 %Ln 个…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/sync_controller.py" line="35"/>
        <source>Uploading {done} of %Ln change(s)…</source>
        <translation>正在上传第 {done} 条，共 %Ln 条更改…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/sync_controller.py" line="161"/>
        <source>Syncing with the team…</source>
        <translation>正在与团队同步…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/sync_controller.py" line="196"/>
        <source>Connecting to the team…</source>
        <translation>正在连接团队…</translation>
    </message>
</context>
<context>
    <name>TeamUi</name>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="39"/>
        <source>&amp;Team</source>
        <translation>团队(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="41"/>
        <source>&amp;Connect to a team…</source>
        <translation>连接团队(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="42"/>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="191"/>
        <source>&amp;Sync now</source>
        <translation>立即同步(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="44"/>
        <source>C&amp;onflicts…</source>
        <translation>冲突(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="45"/>
        <source>&amp;Hand over customers…</source>
        <translation>移交客户(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="47"/>
        <source>&amp;Disconnect…</source>
        <translation>断开连接(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="100"/>
        <source>Connected to the team.</source>
        <translation>已连接团队。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="110"/>
        <source>Team password</source>
        <translation>团队密码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="111"/>
        <source>Password of {login} on the team server:</source>
        <translation>{login} 在团队服务器上的密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="121"/>
        <source>Only a manager (for complaints and care, also the desk) may change the team&apos;s settings: the team&apos;s were kept.</source>
        <translation>只有经理（投诉和关怀的设置还有客服台）可以修改团队的设置：已保留团队的设置。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/team_ui.py" line="125"/>
        <source>Synced: %n change(s) sent</source>
        <translation>
            <numerusform>已同步：发送 %n 条更改</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/team_ui.py" line="126"/>
        <source>%n change(s) received</source>
        <translation>
            <numerusform>收到 %n 条更改</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="159"/>
        <source>Stop syncing this database with the team at {server}? Your data stays here.</source>
        <translation>停止此数据库与 {server} 团队的同步？您的数据保留在本机。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/team_ui.py" line="162"/>
        <source>%n change(s) made here have not gone out yet and never will.</source>
        <translation>
            <numerusform>本机有 %n 条更改尚未发出，断开后将不再发出。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="164"/>
        <source>Disconnect</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="172"/>
        <source>Disconnected from the team: this database is yours alone.</source>
        <translation>已断开团队：此数据库仅供您本人使用。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="187"/>
        <source>Changes waiting</source>
        <translation>有待发送的更改</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/team_ui.py" line="188"/>
        <source>%n change(s) made here have not gone out to the team yet. They are kept and go out at the next sync.</source>
        <translation>
            <numerusform>本机有 %n 条更改尚未发送给团队。它们会保留，并在下次同步时发出。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/team/team_ui.py" line="193"/>
        <source>&amp;Close anyway</source>
        <translation>仍然关闭(&amp;C)</translation>
    </message>
</context>
<context>
    <name>TransactionField</name>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="73"/>
        <source>Customer No.</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="74"/>
        <source>Customer name</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="75"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="76"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="77"/>
        <source>Category</source>
        <translation>产品类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="78"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="79"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="80"/>
        <source>Paid</source>
        <translation>已付款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/common/labels.py" line="81"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>UndoImport</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="123"/>
        <source>%n customer(s) removed</source>
        <translation>
            <numerusform>删除了 %n 个客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="125"/>
        <source>%n moved to the trash because it(they) was(were) edited since</source>
        <translation>
            <numerusform>%n 个客户在导入后又被修改过，已移到回收站</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="127"/>
        <source>%n customer(s) put back as it(they) was(were)</source>
        <translation>
            <numerusform>%n 个客户已恢复为导入前的样子</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="128"/>
        <source>Import undone: {removed}, {trashed}, {restored}.</source>
        <translation>已撤销导入：{removed}，{trashed}，{restored}。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="132"/>
        <source>%n transaction(s) was(were) removed.</source>
        <translation>
            <numerusform>已删除 %n 笔交易。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="135"/>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="154"/>
        <source>%n field(s) was(were) changed again after the import, so it(they) was(were) left as it(they) is(are) now.</source>
        <translation>
            <numerusform>%n 个字段在导入后又被修改过，因此保留了现在的内容。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="145"/>
        <source>Import undone: %n opportunity(ies) moved to the trash.</source>
        <translation>已撤销导入：%n 个商机已移到回收站。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="148"/>
        <source>%n product(s) moved to the trash</source>
        <translation>%n 个产品已移到回收站</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="150"/>
        <source>%n product(s) put back as it(they) was(were)</source>
        <translation>%n 个产品已恢复为导入前的样子</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/imports/result_page.py" line="151"/>
        <source>Import undone: {removed}, {restored}.</source>
        <translation>已撤销导入：{removed}，{restored}。</translation>
    </message>
</context>
<context>
    <name>VisitCalendar</name>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="31"/>
        <source>MMMM yyyy</source>
        <comment>month title, a QDate format</comment>
        <translation>yyyy年M月</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="34"/>
        <source>MMM d, yyyy</source>
        <comment>week title: first day, in another year (a QDate format)</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="35"/>
        <source>MMM d, yyyy</source>
        <comment>week title: last day, in another year (a QDate format)</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="37"/>
        <source>MMM d</source>
        <comment>week title: first day (a QDate format)</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="38"/>
        <source>d, yyyy</source>
        <comment>week title: last day, in the same month (a QDate format)</comment>
        <translation>d日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="40"/>
        <source>MMM d, yyyy</source>
        <comment>week title: last day, in another month (a QDate format)</comment>
        <translation>M月d日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="59"/>
        <source>Click to see only {rep}&apos;s visits</source>
        <translation>点击只看 {rep} 的拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="60"/>
        <source>Click to see the day</source>
        <translation>点击查看当天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="62"/>
        <source>{rep}: click to see only their visits</source>
        <translation>{rep}：点击只看其拜访</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/visits/calendar.py" line="196"/>
        <source>+%n more</source>
        <translation>
            <numerusform>还有 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar.py" line="204"/>
        <source>No rep</source>
        <translation>无拜访人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="78"/>
        <source>Click to see the day, or pick a rep above to see only theirs</source>
        <translation>点击查看当天，或在上方选择拜访人，只看其拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="79"/>
        <source>Pick a rep above to see only theirs</source>
        <translation>在上方选择拜访人，只看其拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="48"/>
        <source>Rep: {rep}</source>
        <translation>拜访人：{rep}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="49"/>
        <source>Place: {place}</source>
        <translation>地点：{place}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/calendar_text.py" line="50"/>
        <source>Clashes with another visit of the same rep</source>
        <translation>与同一拜访人的另一拜访时间冲突</translation>
    </message>
</context>
<context>
    <name>VisitDetails</name>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="44"/>
        <source>Select a visit to see its plan and what came of it, or plan one with Ctrl+N.</source>
        <translation>选择一次拜访查看其计划和结果，或按 Ctrl+N 计划新的拜访。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="63"/>
        <source>Rep</source>
        <translation>拜访人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="64"/>
        <source>Contacts</source>
        <translation>拜访对象</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="65"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="67"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="68"/>
        <source>Objective</source>
        <translation>拜访目的</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="69"/>
        <source>Talking points</source>
        <translation>洽谈要点</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="70"/>
        <source>Materials to bring</source>
        <translation>携带资料</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="71"/>
        <source>Expected result</source>
        <translation>预期结果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="74"/>
        <source>For the deal</source>
        <translation>关联商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="78"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="78"/>
        <source>No reason given</source>
        <translation>未填原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="81"/>
        <source>What happened</source>
        <translation>拜访经过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="87"/>
        <source>Objections and answers</source>
        <translation>异议与答复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="90"/>
        <source>Result</source>
        <translation>效果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="91"/>
        <source>Follow-up actions</source>
        <translation>后续行动</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="95"/>
        <source>Next visit</source>
        <translation>下次拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/details.py" line="99"/>
        <source>Part of a repeating plan.</source>
        <translation>属于重复拜访计划。</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="41"/>
        <source>Change the visit plan</source>
        <translation>修改拜访计划</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="41"/>
        <source>Plan a visit</source>
        <translation>计划拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="50"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="52"/>
        <source>For the deal</source>
        <translation>关联商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="59"/>
        <source>Whom you will meet</source>
        <translation>要见的人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="62"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="68"/>
        <source>Contacts</source>
        <translation>拜访对象</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="70"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="71"/>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="81"/>
        <source>Rep</source>
        <translation>拜访人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="82"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="89"/>
        <source>Kind</source>
        <translation>拜访类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="90"/>
        <source>Objective</source>
        <translation>拜访目的</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="92"/>
        <source>What this visit should achieve</source>
        <translation>这次拜访要达到什么</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="93"/>
        <source>Talking points</source>
        <translation>洽谈要点</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="94"/>
        <source>Materials to bring</source>
        <translation>携带资料</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="95"/>
        <source>Expected result</source>
        <translation>预期结果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="127"/>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="136"/>
        <source>weeks</source>
        <translation>周</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="137"/>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="146"/>
        <source>No end</source>
        <translation>不结束</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="148"/>
        <source>Until</source>
        <translation>直到</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="154"/>
        <source>After</source>
        <translation>共</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="160"/>
        <source> visits</source>
        <translation> 次</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="163"/>
        <source>Every</source>
        <translation>每</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="176"/>
        <source>At most {count} visits are planned at once; the next ones are planned as these are recorded.</source>
        <translation>一次最多安排 {count} 次拜访；记录这些拜访后，会陆续安排后面的。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/dialog.py" line="275"/>
        <source>{rep} already has a visit then: {time} {customer}. Both are kept; move one if it can&apos;t be done.</source>
        <translation>{rep} 这个时间已有拜访：{time} {customer}。两者都会保留；如果无法同时进行，请调整其中一个。</translation>
    </message>
</context>
<context>
    <name>VisitForm</name>
    <message>
        <location filename="../../crmdesk/ui/visits/form.py" line="54"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/form.py" line="55"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/form.py" line="149"/>
        <source>No deal</source>
        <translation>不关联商机</translation>
    </message>
</context>
<context>
    <name>VisitKind</name>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="10"/>
        <source>First visit</source>
        <translation>初次拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="11"/>
        <source>Needs analysis</source>
        <translation>需求分析</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="12"/>
        <source>Presentation / demo</source>
        <translation>产品介绍/演示</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="13"/>
        <source>Negotiation</source>
        <translation>商务谈判</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="14"/>
        <source>Delivery</source>
        <translation>交付</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="15"/>
        <source>After-sales service</source>
        <translation>售后服务</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="16"/>
        <source>Care visit</source>
        <translation>关怀拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="17"/>
        <source>Win-back</source>
        <translation>流失挽回</translation>
    </message>
</context>
<context>
    <name>VisitList</name>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="20"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="21"/>
        <source>Until</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="22"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="23"/>
        <source>Customer No.</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="24"/>
        <source>Kind</source>
        <translation>拜访类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="25"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="26"/>
        <source>Rep</source>
        <translation>拜访人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="27"/>
        <source>Contacts</source>
        <translation>拜访对象</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="28"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="29"/>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="30"/>
        <source>Objective</source>
        <translation>拜访目的</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="31"/>
        <source>What happened</source>
        <translation>拜访经过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="32"/>
        <source>Result</source>
        <translation>效果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/sources.py" line="33"/>
        <source>Follow-up</source>
        <translation>后续行动</translation>
    </message>
</context>
<context>
    <name>VisitSettingsDialog</name>
    <message>
        <location filename="../../crmdesk/ui/visits/settings_dialog.py" line="21"/>
        <source>Visit frequencies</source>
        <translation>拜访频率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/settings_dialog.py" line="23"/>
        <source>Visit each customer at least this often; the due list shows who is overdue. 0 means the tier is not tracked. A customer&apos;s own frequency (set in the due list) comes first.</source>
        <translation>每位客户至少按此频率拜访；待拜访列表会显示逾期的客户。0 表示该等级不跟踪。客户单独设定的频率（在待拜访列表中设置）优先。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/settings_dialog.py" line="38"/>
        <source> days</source>
        <translation> 天内到期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/settings_dialog.py" line="39"/>
        <source>Not tracked</source>
        <translation>不跟踪</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/settings_dialog.py" line="41"/>
        <source>Customers without a tier</source>
        <translation>未分级客户</translation>
    </message>
</context>
<context>
    <name>VisitState</name>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="20"/>
        <source>Planned</source>
        <translation>计划中</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="21"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="22"/>
        <source>Postponed</source>
        <translation>已改期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="23"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/labels.py" line="24"/>
        <source>Missed</source>
        <translation>未拜访</translation>
    </message>
</context>
<context>
    <name>VisitsTab</name>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="51"/>
        <source>Visits</source>
        <translation>拜访列表</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="51"/>
        <source>Calendar</source>
        <translation>日历</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="51"/>
        <source>Due for a visit</source>
        <translation>待拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="58"/>
        <source>Rep</source>
        <translation>拜访人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="71"/>
        <source>Search customer, place, objective, contacts…</source>
        <translation>搜索客户、地点、目的、拜访对象…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="79"/>
        <source>Upcoming and to record</source>
        <translation>即将进行和待记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="79"/>
        <location filename="../../crmdesk/ui/visits/tab.py" line="119"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="80"/>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="80"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="81"/>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="81"/>
        <source>All visits</source>
        <translation>全部拜访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="85"/>
        <source>Every state</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="132"/>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="132"/>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="132"/>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="188"/>
        <source>&amp;Plan a visit…</source>
        <translation>计划拜访(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="190"/>
        <location filename="../../crmdesk/ui/visits/tab.py" line="221"/>
        <source>&amp;Record…</source>
        <translation>记录结果(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="191"/>
        <source>C&amp;hange plan…</source>
        <translation>修改计划(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="220"/>
        <source>Correct the rec&amp;ord…</source>
        <translation>更正记录(&amp;O)…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/visits/tab.py" line="265"/>
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n 次拜访</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="192"/>
        <source>Post&amp;pone…</source>
        <translation>改期(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="194"/>
        <source>&amp;Cancel visit…</source>
        <translation>取消拜访(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="196"/>
        <source>Did not take place…</source>
        <translation>未进行…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="198"/>
        <source>&amp;Delete visit</source>
        <translation>删除拜访(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="200"/>
        <source>Day &amp;plan…</source>
        <translation>日程表(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="237"/>
        <source>All reps</source>
        <translation>全部拜访人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="264"/>
        <source>Searching…</source>
        <translation>正在查找…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="307"/>
        <source>Planned the first {count} visits of the repeating plan; the next ones are planned as these are recorded.</source>
        <translation>已安排重复计划的前 {count} 次拜访；记录这些拜访后，会陆续安排后面的。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/visits/tab.py" line="399"/>
        <source>Delete visits: %n</source>
        <translation>
            <numerusform>删除拜访：%n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/visits/tab.py" line="404"/>
        <source>Deleted. Ctrl+Z brings it back.</source>
        <translation>已删除。按 Ctrl+Z 可恢复。</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <location filename="../../crmdesk/ui/welcome/welcome_panel.py" line="18"/>
        <source>Welcome to crmdesk</source>
        <translation>欢迎使用 crmdesk</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/welcome_panel.py" line="24"/>
        <source>There are no customers yet. Start in one of three ways:</source>
        <translation>还没有客户。可以从以下三种方式开始：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/welcome_panel.py" line="30"/>
        <source>Import a spreadsheet…</source>
        <translation>导入电子表格…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/welcome_panel.py" line="31"/>
        <source>Bring in your customer list from Excel, WPS or a CSV file: the wizard matches the columns and shows every problem first.</source>
        <translation>从 Excel、WPS 或 CSV 文件导入你的客户名单：向导会匹配各列，并先列出所有问题。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/welcome_panel.py" line="34"/>
        <source>Try the demo data</source>
        <translation>试用演示数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/welcome_panel.py" line="35"/>
        <source>Open a separate demo database with 2,000 sample customers to look around; your own data stays apart and one click brings it back.</source>
        <translation>打开一个单独的演示数据库，内有 2,000 个示例客户，随意浏览；你自己的数据互不混合，一键即可回到你的数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/welcome_panel.py" line="38"/>
        <source>Create the first customer…</source>
        <translation>新建第一个客户…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/welcome/welcome_panel.py" line="39"/>
        <source>Type in one customer by hand (Ctrl+N), then add more as you go.</source>
        <translation>手动录入一个客户（Ctrl+N），以后再逐个添加。</translation>
    </message>
</context>
</TS>
