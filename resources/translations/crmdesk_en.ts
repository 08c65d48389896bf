<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AnalyticsTab</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/analytics/tab.py" line="220" />
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n customer</numerusform>
            <numerusform>%n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/analytics/tab.py" line="230" />
        <source>At risk: %n customer(s), the most signs first.</source>
        <translation>
            <numerusform>At risk: %n customer, the most signs first.</numerusform>
            <numerusform>At risk: %n customers, the most signs first.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/analytics/tab.py" line="248" />
        <source>%n customer(s) whose tier or relationship differs from what the figures suggest: tick those to change, then apply.</source>
        <translation>
            <numerusform>%n customer whose tier or relationship differs from what the figures suggest: tick those to change, then apply.</numerusform>
            <numerusform>%n customers whose tier or relationship differs from what the figures suggest: tick those to change, then apply.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/analytics/tab.py" line="274" />
        <source>Apply suggested tiers: %n</source>
        <translation>
            <numerusform>Apply suggested tiers: %n</numerusform>
            <numerusform>Apply suggested tiers: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/analytics/tab.py" line="278" />
        <source>%n customer's(customers') tier or relationship changed. Ctrl+Z takes it back.</source>
        <translation>
            <numerusform>%n customer's tier or relationship changed. Ctrl+Z takes it back.</numerusform>
            <numerusform>%n customers' tier or relationship changed. Ctrl+Z takes it back.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BoardView</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/board_view.py" line="131" />
        <source>%n deal(s)</source>
        <translation>
            <numerusform>%n deal</numerusform>
            <numerusform>%n deals</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/board_view.py" line="142" />
        <source>… and %n more (see the list view)</source>
        <translation>
            <numerusform>… and %n more (see the list view)</numerusform>
            <numerusform>… and %n more (see the list view)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/board_view.py" line="160" />
        <source>%n day(s) in stage</source>
        <translation>
            <numerusform>%n day in stage</numerusform>
            <numerusform>%n days in stage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/board_view.py" line="163" />
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n visit</numerusform>
            <numerusform>%n visits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CareActionDialog</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/action_dialog.py" line="39" />
        <source>%n reminder(s) selected.</source>
        <translation>
            <numerusform>%n reminder selected.</numerusform>
            <numerusform>%n reminders selected.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CareReminder</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/reminder.py" line="109" />
        <source>%n care reminder(s) due today</source>
        <translation>
            <numerusform>%n care reminder due today</numerusform>
            <numerusform>%n care reminders due today</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/reminder.py" line="111" />
        <source>%n overdue</source>
        <translation>
            <numerusform>%n overdue</numerusform>
            <numerusform>%n overdue</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CareTab</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="228" />
        <source>%n reminder(s)</source>
        <translation>
            <numerusform>%n reminder</numerusform>
            <numerusform>%n reminders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="325" />
        <source>%n reminder(s) changed.</source>
        <translation>
            <numerusform>%n reminder changed.</numerusform>
            <numerusform>%n reminders changed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="327" />
        <source>%n left as it was: already done, skipped or deleted.</source>
        <translation>
            <numerusform>%n left as it was: already done, skipped or deleted.</numerusform>
            <numerusform>%n left as it was: already done, skipped or deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="343" />
        <source>Delete reminders: %n</source>
        <translation>
            <numerusform>Delete reminders: %n</numerusform>
            <numerusform>Delete reminders: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="365" />
        <source>Exported %n greeting(s) to {path}.</source>
        <translation>
            <numerusform>Exported %n greeting to {path}.</numerusform>
            <numerusform>Exported %n greetings to {path}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/tab.py" line="377" />
        <source>While crmdesk was closed, %n reminder(s) fell due: it(they) is(are) in the Overdue list.</source>
        <translation>
            <numerusform>While crmdesk was closed, %n reminder fell due: it is in the Overdue list.</numerusform>
            <numerusform>While crmdesk was closed, %n reminders fell due: they are in the Overdue list.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ComplaintDetails</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/complaints/details.py" line="97" />
        <source>%n time(s)</source>
        <translation>
            <numerusform>%n time</numerusform>
            <numerusform>%n times</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ComplaintsTab</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/complaints/tab.py" line="260" />
        <source>%n complaint(s)</source>
        <translation>
            <numerusform>%n complaint</numerusform>
            <numerusform>%n complaints</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/complaints/tab.py" line="343" />
        <source>Delete complaints: %n</source>
        <translation>
            <numerusform>Delete complaints: %n</numerusform>
            <numerusform>Delete complaints: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/conflicts_dialog.py" line="85" />
        <source>%n conflict(s): the later edit stands; the other value is set aside here. Choose one or several and keep either value.</source>
        <translation>
            <numerusform>%n conflict: the later edit stands; the other value is set aside here. Choose one or several and keep either value.</numerusform>
            <numerusform>%n conflicts: the later edit stands; the other value is set aside here. Choose one or several and keep either value.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomFieldsDialog</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/custom_fields/settings_dialog.py" line="117" />
        <source>Remove the field “{name}”? It leaves the form, the lists and exported files. The values of %n customer(s) are kept hidden: adding a field of the same name and type again brings them back.</source>
        <translation>
            <numerusform>Remove the field “{name}”? It leaves the form, the lists and exported files. The values of %n customer are kept hidden: adding a field of the same name and type again brings them back.</numerusform>
            <numerusform>Remove the field “{name}”? It leaves the form, the lists and exported files. The values of %n customers are kept hidden: adding a field of the same name and type again brings them back.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/customers/dialog.py" line="213" />
        <source>Fields to correct: %n. They are marked in red.</source>
        <translation>
            <numerusform>Fields to correct: %n. They are marked in red.</numerusform>
            <numerusform>Fields to correct: %n. They are marked in red.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerSales</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="99" />
        <source>%n transaction(s) from {first} to {last}: total {amount}, paid {paid}, outstanding {outstanding}</source>
        <translation>
            <numerusform>%n transaction from {first} to {last}: total {amount}, paid {paid}, outstanding {outstanding}</numerusform>
            <numerusform>%n transactions from {first} to {last}: total {amount}, paid {paid}, outstanding {outstanding}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/customer_sales.py" line="108" />
        <source>Owes {owed} on %n sale(s)</source>
        <translation>
            <numerusform>Owes {owed} on %n sale</numerusform>
            <numerusform>Owes {owed} on %n sales</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomersTab</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/customers/tab.py" line="259" />
        <source>Delete customers: %n</source>
        <translation>
            <numerusform>Delete customers: %n</numerusform>
            <numerusform>Delete customers: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/customers/tab.py" line="269" />
        <source>Deleted customers: %n. Ctrl+Z brings them back, or find them in the trash.</source>
        <translation>
            <numerusform>Deleted customers: %n. Ctrl+Z brings them back, or find them in the trash.</numerusform>
            <numerusform>Deleted customers: %n. Ctrl+Z brings them back, or find them in the trash.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/customers/tab.py" line="334" />
        <source>In the trash: %n</source>
        <translation>
            <numerusform>In the trash: %n</numerusform>
            <numerusform>In the trash: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/customers/tab.py" line="337" />
        <source>Customers: %n</source>
        <translation>
            <numerusform>Customers: %n</numerusform>
            <numerusform>Customers: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DayPlanDialog</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/visits/day_plan_dialog.py" line="109" />
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n visit</numerusform>
            <numerusform>%n visits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DueList</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/visits/due_list.py" line="112" />
        <source>%n customer(s) is(are) due for a visit.</source>
        <translation>
            <numerusform>%n customer is due for a visit.</numerusform>
            <numerusform>%n customers are due for a visit.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/dedupe/duplicates_dialog.py" line="130" />
        <source>%n pair(s) of probable duplicates.</source>
        <translation>
            <numerusform>%n pair of probable duplicates.</numerusform>
            <numerusform>%n pairs of probable duplicates.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EscalationList</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/complaints/escalation_list.py" line="69" />
        <source>%n complaint(s) is(are) late</source>
        <translation>
            <numerusform>%n complaint is late</numerusform>
            <numerusform>%n complaints are late</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FirstDay</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/welcome/demo_switch.py" line="124" />
        <source>The demo database is ready: %n sample customer(s).</source>
        <translation>
            <numerusform>The demo database is ready: %n sample customer.</numerusform>
            <numerusform>The demo database is ready: %n sample customers.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/handover_dialog.py" line="43" />
        <source>The %n selected customer(s)</source>
        <translation>
            <numerusform>The %n selected customer</numerusform>
            <numerusform>The %n selected customers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportHistoryDialog</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="169" />
        <source>%n transaction(s) added</source>
        <translation>
            <numerusform>%n transaction added</numerusform>
            <numerusform>%n transactions added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="172" />
        <source>%n new customer(s)</source>
        <translation>
            <numerusform>%n new customer</numerusform>
            <numerusform>%n new customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="176" />
        <source>%n customer(s) added</source>
        <translation>
            <numerusform>%n customer added</numerusform>
            <numerusform>%n customers added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/history_dialog.py" line="179" />
        <source>%n customer(s) changed</source>
        <translation>
            <numerusform>%n customer changed</numerusform>
            <numerusform>%n customers changed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/main_window.py" line="193" />
        <source>Customers: %n</source>
        <translation>
            <numerusform>Customers: %n</numerusform>
            <numerusform>Customers: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/main_window.py" line="319" />
        <source>Exported %n customer(s) to {path}.</source>
        <translation>
            <numerusform>Exported %n customer to {path}.</numerusform>
            <numerusform>Exported %n customers to {path}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OpportunityDialog</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/opportunity_dialog.py" line="151" />
        <source>Visits for this deal: %n</source>
        <translation>
            <numerusform>Visits for this deal: %n</numerusform>
            <numerusform>Visits for this deal: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="167" />
        <source>%n row(s) looks(look) like customers you already have (≈ by the row number: point at it to see which).</source>
        <translation>
            <numerusform>%n row looks like customers you already have (≈ by the row number: point at it to see which).</numerusform>
            <numerusform>%n rows look like customers you already have (≈ by the row number: point at it to see which).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/preview_page.py" line="172" />
        <source>%n row(s) will keep a bad value in the notes (marked yellow).</source>
        <translation>
            <numerusform>%n row will keep a bad value in the notes (marked yellow).</numerusform>
            <numerusform>%n rows will keep a bad value in the notes (marked yellow).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProductsPage</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/products_page.py" line="220" />
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n product</numerusform>
            <numerusform>%n products</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/products_page.py" line="259" />
        <source>Delete products: %n</source>
        <translation>
            <numerusform>Delete products: %n</numerusform>
            <numerusform>Delete products: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/products_page.py" line="283" />
        <source>Merge products: %n</source>
        <translation>
            <numerusform>Merge products: %n</numerusform>
            <numerusform>Merge products: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="63" />
        <source>%n row(s) went in with a value its field could not take: the value is in the customer's notes, named by its column.</source>
        <translation>
            <numerusform>%n row went in with a value its field could not take: the value is in the customer's notes, named by its column.</numerusform>
            <numerusform>%n rows went in with a value its field could not take: the value is in the customer's notes, named by its column.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SalesPage</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="117" />
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n sale</numerusform>
            <numerusform>%n sales</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/sales/sales_page.py" line="159" />
        <source>Delete sales: %n</source>
        <translation>
            <numerusform>Delete sales: %n</numerusform>
            <numerusform>Delete sales: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SpreadText</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/reminder.py" line="36" />
        <source>over the next %n week(s)</source>
        <translation>
            <numerusform>over the next %n week</numerusform>
            <numerusform>over the next %n weeks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/care/reminder.py" line="38" />
        <source>%n customer(s) has(have) had no contact or purchase for a long time: spread {weeks}, key accounts first, at most {quota} a day per rep.</source>
        <translation>
            <numerusform>%n customer has had no contact or purchase for a long time: spread {weeks}, key accounts first, at most {quota} a day per rep.</numerusform>
            <numerusform>%n customers have had no contact or purchase for a long time: spread {weeks}, key accounts first, at most {quota} a day per rep.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TeamUi</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/team_ui.py" line="125" />
        <source>Synced: %n change(s) sent</source>
        <translation>
            <numerusform>Synced: %n change sent</numerusform>
            <numerusform>Synced: %n changes sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/team_ui.py" line="126" />
        <source>%n change(s) received</source>
        <translation>
            <numerusform>%n change received</numerusform>
            <numerusform>%n changes received</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/team_ui.py" line="162" />
        <source>%n change(s) made here have not gone out yet and never will.</source>
        <translation>
            <numerusform>%n change made here have not gone out yet and never will.</numerusform>
            <numerusform>%n changes made here have not gone out yet and never will.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/team/team_ui.py" line="188" />
        <source>%n change(s) made here have not gone out to the team yet. They are kept and go out at the next sync.</source>
        <translation>
            <numerusform>%n change made here have not gone out to the team yet. They are kept and go out at the next sync.</numerusform>
            <numerusform>%n changes made here have not gone out to the team yet. They are kept and go out at the next sync.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UndoImport</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="123" />
        <source>%n customer(s) removed</source>
        <translation>
            <numerusform>%n customer removed</numerusform>
            <numerusform>%n customers removed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="125" />
        <source>%n moved to the trash because it(they) was(were) edited since</source>
        <translation>
            <numerusform>%n moved to the trash because it was edited since</numerusform>
            <numerusform>%n moved to the trash because they were edited since</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="127" />
        <source>%n customer(s) put back as it(they) was(were)</source>
        <translation>
            <numerusform>%n customer put back as it was</numerusform>
            <numerusform>%n customers put back as they were</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="132" />
        <source>%n transaction(s) was(were) removed.</source>
        <translation>
            <numerusform>%n transaction was removed.</numerusform>
            <numerusform>%n transactions were removed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/imports/result_page.py" line="135" />
        <location filename="../../crmdesk/ui/imports/result_page.py" line="154" />
        <source>%n field(s) was(were) changed again after the import, so it(they) was(were) left as it(they) is(are) now.</source>
        <translation>
            <numerusform>%n field was changed again after the import, so it was left as it is now.</numerusform>
            <numerusform>%n fields were changed again after the import, so they were left as they are now.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitCalendar</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/visits/calendar.py" line="196" />
        <source>+%n more</source>
        <translation>
            <numerusform>+%n more</numerusform>
            <numerusform>+%n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitsTab</name>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/visits/tab.py" line="265" />
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n visit</numerusform>
            <numerusform>%n visits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/visits/tab.py" line="399" />
        <source>Delete visits: %n</source>
        <translation>
            <numerusform>Delete visits: %n</numerusform>
            <numerusform>Delete visits: %n</numerusform>
        </translation>
    </message>
</context>
</TS>