<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../../crmdesk/ui/app.py" line="71"/>
        <source>crmdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/app.py" line="73"/>
        <source>Choose another database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/app.py" line="75"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/app.py" line="80"/>
        <source>Choose a database</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice:birthday_calendar</name>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="95"/>
        <source>Solar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="96"/>
        <source>Lunar</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice:credit_rating</name>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="88"/>
        <source>A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="89"/>
        <source>B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="90"/>
        <source>C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="91"/>
        <source>D</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice:gender</name>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="92"/>
        <source>Male</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="93"/>
        <source>Female</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="94"/>
        <source>Unspecified</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice:kind</name>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="67"/>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="68"/>
        <source>Individual</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice:relationship</name>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="84"/>
        <source>Transactional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="85"/>
        <source>Preferred supplier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="86"/>
        <source>Partner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="87"/>
        <source>Strategic alliance</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice:source</name>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="69"/>
        <source>Referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="70"/>
        <source>Advertising</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="71"/>
        <source>Exhibition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="72"/>
        <source>Internet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="73"/>
        <source>Cold call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="74"/>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="75"/>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice:stage</name>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="79"/>
        <source>Prospect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="80"/>
        <source>Developing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="81"/>
        <source>Mature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="82"/>
        <source>Declining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="83"/>
        <source>Lost</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice:tier</name>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="76"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="77"/>
        <source>Relationship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="78"/>
        <source>Transactional</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <location filename="../../crmdesk/cli.py" line="21"/>
        <source>crmdesk: an offline-first desktop CRM. Without a command, opens the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="27"/>
        <source>fill an empty database with realistic sample data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="28"/>
        <source>how many customers (default 200)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="29"/>
        <source>random seed: the same seed gives the same data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="31"/>
        <source>write customers to an Excel file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="32"/>
        <source>what to export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="35"/>
        <source>header language (default: your system language)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="37"/>
        <source>write an empty sheet with headers and an example row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="42"/>
        <source>a consistent copy of the database, while the app may be open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="45"/>
        <source>replace the data with a backup; keeps a copy of the current data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="83"/>
        <source>Stopped: nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="92"/>
        <source>Restored {file} into {db}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="94"/>
        <source>The data it replaced is kept in {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="99"/>
        <source>Wrote {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="107"/>
        <source>Creating demo data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="109"/>
        <source>Created {customers} customers, {contacts} contacts and {transactions} transactions in {db}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="115"/>
        <source>Exporting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="117"/>
        <source>Exported {count} customers to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py" line="121"/>
        <source>Backed up {db} to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactsEditor</name>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="32"/>
        <source>Add contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="34"/>
        <source>Remove contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="48"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="48"/>
        <source>Job Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="48"/>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="48"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="49"/>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="49"/>
        <source>WeChat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="49"/>
        <source>Birthday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="49"/>
        <source>Lunar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="50"/>
        <source>Decision maker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/contacts_editor.py" line="50"/>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message>
        <location filename="../../crmdesk/ui/dialogs/customer_dialog.py" line="35"/>
        <source>New customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/customer_dialog.py" line="35"/>
        <source>Edit customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/customer_dialog.py" line="47"/>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/customer_dialog.py" line="50"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/customer_dialog.py" line="51"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/customer_dialog.py" line="100"/>
        <source>Edit customer: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/dialogs/customer_dialog.py" line="161"/>
        <source>Fields to correct: %n. They are marked in red.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerList</name>
    <message>
        <location filename="../../crmdesk/ui/customer_source.py" line="41"/>
        <source>Last changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/customer_source.py" line="46"/>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerProfile</name>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="59"/>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="197"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="59"/>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="197"/>
        <source>Job Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="59"/>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="197"/>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="59"/>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="198"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="59"/>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="198"/>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="60"/>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="198"/>
        <source>WeChat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="60"/>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="199"/>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="200"/>
        <source>Birthday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="60"/>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="201"/>
        <source>Decision maker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="65"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="65"/>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="65"/>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="65"/>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="66"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="66"/>
        <source>Paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="72"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="72"/>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="72"/>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="72"/>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="72"/>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="73"/>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="74"/>
        <source>Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="75"/>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="76"/>
        <source>Transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="77"/>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="94"/>
        <source>No customer selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="100"/>
        <source> (in the trash)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="151"/>
        <source>Nothing recorded yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="158"/>
        <source>{date} (lunar)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="171"/>
        <source>{count} transactions from {first} to {last}: total {amount}, paid {paid}, outstanding {outstanding}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="176"/>
        <source>No transactions yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="180"/>
        <source>Customer created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="181"/>
        <source>Customer changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="182"/>
        <source>Customer deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="183"/>
        <source>Customer restored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="184"/>
        <source>Contact added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="185"/>
        <source>Contact changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="186"/>
        <source>Contact removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="187"/>
        <source>Transaction added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="188"/>
        <source>Transaction removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="200"/>
        <source>Birthday Calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="201"/>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/widgets/customer_profile.py" line="208"/>
        <source> (demo data)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomersTab</name>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="57"/>
        <source>Search name, code, contact, phone, city, pinyin (bjhr)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="67"/>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="67"/>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="68"/>
        <source>Relationship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="68"/>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="69"/>
        <source>City</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="69"/>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="81"/>
        <source>Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="82"/>
        <source>Show deleted customers, to restore them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="134"/>
        <source>&amp;New customer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="138"/>
        <source>&amp;Edit customer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="141"/>
        <source>&amp;Delete customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="146"/>
        <source>&amp;Restore from trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="149"/>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="152"/>
        <source>&amp;Columns…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="195"/>
        <source>Delete customers: %n</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="200"/>
        <source>Deleted customers: %n. Ctrl+Z brings them back, or find them in the trash.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="235"/>
        <source>In the trash: %n</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="237"/>
        <source>Customers: %n</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="239"/>
        <source>Shown: {shown} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="283"/>
        <source>All tiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="283"/>
        <source>All stages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="284"/>
        <source>All relationships</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="284"/>
        <source>All owners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="285"/>
        <source>All cities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/tabs/customers_tab.py" line="285"/>
        <source>All tags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="20"/>
        <source>{path} is not a crmdesk database: choose a .sqlite file that crmdesk created, or a new file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="21"/>
        <source>{path} is an SQLite database of another program: choose a crmdesk database or a new file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="22"/>
        <source>{path} was written by a newer crmdesk (schema {version}, this one reads up to {supported}): update crmdesk to open it; the file was not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="23"/>
        <source>crmdesk cannot write to {path}: choose a folder you are allowed to write to, or fix its permissions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="24"/>
        <source>There is no database at {path}: check the path, or create a new database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="25"/>
        <source>{path} is damaged and cannot be read: restore it from a backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="26"/>
        <source>{path} is on a network share, where SQLite can lose data: keep the database on this computer&apos;s own disk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="27"/>
        <source>{path} is a folder: give the path of a database file inside it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="28"/>
        <source>The database is busy with another program&apos;s long write: try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="30"/>
        <source>The backup to {path} failed its check and was not kept: make sure the disk has room and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="31"/>
        <source>{path} is not a crmdesk backup: choose a .sqlite file made by crmdesk&apos;s backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="32"/>
        <source>{path} comes from a newer crmdesk (schema {version}, this one reads up to {supported}): update crmdesk to restore it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="33"/>
        <source>{path} is damaged: choose another backup; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="34"/>
        <source>There is no file at {path}: check the name and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="35"/>
        <source>crmdesk cannot write {path}: choose another folder or close the program that has the file open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="37"/>
        <source>That customer no longer exists: it may have been deleted in another window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="38"/>
        <source>{name} was changed in another window since you opened it: reopen it to see the changes, then make yours again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="39"/>
        <source>{count} fields need correcting: they are marked in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="40"/>
        <source>The database already has customers: demo data goes only into an empty database, so create a new one first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="41"/>
        <source>Demo data is limited to {max} customers: ask for fewer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="43"/>
        <source>Required: type a value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="44"/>
        <source>Too long: at most {max} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="45"/>
        <source>Too few digits for a phone number: type at least 5 digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="46"/>
        <source>Too many digits for a phone number: type at most 20.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="47"/>
        <source>A phone number holds digits only (a leading + and an extension like x12 are fine).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="48"/>
        <source>Not an email address: it needs one @ and a domain with a dot, like name@example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="49"/>
        <source>Not an amount: type a number like 1234.50, ¥1,234 or 1.2万.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="50"/>
        <source>The amount cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="51"/>
        <source>Not a whole number: type digits only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="52"/>
        <source>Out of range: type a number from {low} to {high}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="53"/>
        <source>A score is a whole number from 1 to 5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="54"/>
        <source>A month is a number from 1 to 12.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="55"/>
        <source>Not a date: type it like 2023-04-02 or 2023年4月2日.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="56"/>
        <source>Day and month could be either way round: type the date as 2023-04-02.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="57"/>
        <source>The year is missing: type the full date, like 2023-04-02.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="58"/>
        <source>Not a birthday: type 1985-04-02, --04-02, 4月2日 or 农历八月十五.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="59"/>
        <source>There is no such month: a month is from 1 to 12.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="60"/>
        <source>That birthday is in the future: check the year.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="61"/>
        <source>Not one of the choices: pick one of {choices}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="62"/>
        <source>A tag is at most {max} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="63"/>
        <source>Customer No. {code} is already used by another customer: type another, or leave it blank to get a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/core/messages.py" line="65"/>
        <source>Something went wrong ({error}): nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/errors.py" line="26"/>
        <location filename="../../crmdesk/ui/errors.py" line="36"/>
        <source>crmdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/errors.py" line="37"/>
        <source>Something unexpected went wrong; your data is as it was before. Please send the details below to support.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="17"/>
        <source>Customer No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="18"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="19"/>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="20"/>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="21"/>
        <source>Job Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="22"/>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="23"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="24"/>
        <source>Fax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="25"/>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="26"/>
        <source>WeChat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="27"/>
        <source>Province</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="28"/>
        <source>City</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="29"/>
        <source>District</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="30"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="31"/>
        <source>Postal Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="32"/>
        <source>Website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="33"/>
        <source>Industry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="34"/>
        <source>Ownership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="35"/>
        <source>Company Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="36"/>
        <source>Annual Revenue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="37"/>
        <source>Fiscal Year Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="38"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="39"/>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="40"/>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="41"/>
        <source>Lifecycle Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="42"/>
        <source>Relationship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="43"/>
        <source>Credit Rating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="44"/>
        <source>Need</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="45"/>
        <source>Volume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="46"/>
        <source>Purchasing Power</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="47"/>
        <source>Creditworthiness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="48"/>
        <source>Decision Authority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="49"/>
        <source>Gender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="50"/>
        <source>Birthday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="51"/>
        <source>Birthday Calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="52"/>
        <source>Hometown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="53"/>
        <source>Education</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="54"/>
        <source>Interests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="55"/>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="56"/>
        <source>Delivery Preference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="57"/>
        <source>Payment Terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="58"/>
        <source>Bank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="59"/>
        <source>Bank Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="60"/>
        <source>Tax ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="61"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="62"/>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="63"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="40"/>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="70"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="71"/>
        <source>New &amp;database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="72"/>
        <source>&amp;Open database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="74"/>
        <source>&amp;Back up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="75"/>
        <source>&amp;Restore from backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="77"/>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="79"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="84"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="85"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="87"/>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="93"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="94"/>
        <source>&amp;Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="101"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="102"/>
        <source>&amp;About crmdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="106"/>
        <source>Database: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../crmdesk/ui/main_window.py" line="107"/>
        <source>Customers: %n</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="108"/>
        <source>crmdesk — {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="128"/>
        <source>New database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="136"/>
        <source>Open database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="142"/>
        <source>Back up the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="150"/>
        <source>Backed up to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="152"/>
        <source>Backing up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="155"/>
        <location filename="../../crmdesk/ui/main_window.py" line="166"/>
        <source>Restore from backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="167"/>
        <source>Replace all the data in {db} with the backup {file}? A copy of the current data is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="178"/>
        <source>Restored. The previous data is kept in {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="193"/>
        <source>About crmdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/main_window.py" line="194"/>
        <source>&lt;h3&gt;crmdesk {version}&lt;/h3&gt;&lt;p&gt;An offline-first desktop CRM: customer archive, visits, complaints and care, on your own computer.&lt;/p&gt;&lt;p&gt;Database: {path}&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Section</name>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="118"/>
        <source>Basic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="119"/>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="120"/>
        <source>Classification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="121"/>
        <source>Evaluation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="122"/>
        <source>Personal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="123"/>
        <source>Logistics and finance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/labels.py" line="124"/>
        <source>Tags and notes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../crmdesk/ui/dialogs/settings_dialog.py" line="13"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/settings_dialog.py" line="16"/>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/settings_dialog.py" line="20"/>
        <source>A new language takes effect the next time crmdesk starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/settings_dialog.py" line="23"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/settings_dialog.py" line="24"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crmdesk/ui/dialogs/settings_dialog.py" line="28"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <location filename="../../crmdesk/ui/tasks.py" line="103"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
