"""The one sentence a user sees for each ``CrmError`` code: what is wrong and what to do.

Templates are English source strings marked for Qt Linguist with ``QT_TRANSLATE_NOOP``
(context "Errors"); the UI translates them with ``QCoreApplication.translate`` and the
command line with ``crmdesk.i18n`` (which reads the same .ts file, without Qt)."""
from __future__ import annotations

from typing import Callable, Optional

from crmdesk.core.errors import CrmError


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker name
    return text


CONTEXT = "Errors"
TEMPLATES: dict[str, str] = {
    # database
    "db_not_sqlite": QT_TRANSLATE_NOOP("Errors", "{path} is not a crmdesk database: choose a .sqlite file that crmdesk created, or a new file name."),
    "db_not_crmdesk": QT_TRANSLATE_NOOP("Errors", "{path} is an SQLite database of another program: choose a crmdesk database or a new file name."),
    "db_too_new": QT_TRANSLATE_NOOP("Errors", "{path} was written by a newer crmdesk (schema {version}, this one reads up to {supported}): update crmdesk to open it; the file was not changed."),
    "db_unwritable": QT_TRANSLATE_NOOP("Errors", "crmdesk cannot write to {path}: choose a folder you are allowed to write to, or fix its permissions."),
    "db_missing": QT_TRANSLATE_NOOP("Errors", "There is no database at {path}: check the path, or create a new database."),
    "db_corrupt": QT_TRANSLATE_NOOP("Errors", "{path} is damaged and cannot be read: restore it from a backup."),
    "db_network_share": QT_TRANSLATE_NOOP("Errors", "{path} is on a network share, where SQLite can lose data: keep the database on this computer's own disk."),
    "db_is_directory": QT_TRANSLATE_NOOP("Errors", "{path} is a folder: give the path of a database file inside it."),
    "db_busy": QT_TRANSLATE_NOOP("Errors", "The database is busy with another program's long write: try again in a moment."),
    # backup and restore
    "backup_failed": QT_TRANSLATE_NOOP("Errors", "The backup to {path} failed its check and was not kept: make sure the disk has room and try again."),
    "restore_not_crmdesk": QT_TRANSLATE_NOOP("Errors", "{path} is not a crmdesk backup: choose a .sqlite file made by crmdesk's backup."),
    "restore_too_new": QT_TRANSLATE_NOOP("Errors", "{path} comes from a newer crmdesk (schema {version}, this one reads up to {supported}): update crmdesk to restore it."),
    "restore_damaged": QT_TRANSLATE_NOOP("Errors", "{path} is damaged: choose another backup; nothing was changed."),
    "file_missing": QT_TRANSLATE_NOOP("Errors", "There is no file at {path}: check the name and try again."),
    "file_exists": QT_TRANSLATE_NOOP("Errors", "{path} already exists: choose a new file name for a new database, or open it with File ▸ Open."),
    "backup_onto_itself": QT_TRANSLATE_NOOP("Errors", "A backup cannot be written over the database itself ({path}): choose another file name."),
    "money_too_large": QT_TRANSLATE_NOOP("Errors", "The amount is too large: at most 90,000,000,000,000."),
    "file_unwritable": QT_TRANSLATE_NOOP("Errors", "crmdesk cannot write {path}: choose another folder or close the program that has the file open."),
    # damaged databases, backups and upgrades (issue 17)
    "restore_no_folder": QT_TRANSLATE_NOOP("Errors", "The folder of {path} does not exist: create it or give the path of an existing database; nothing was changed."),
    "db_damaged_backup": QT_TRANSLATE_NOOP("Errors", "{path} is damaged and nothing was written to it: restore its newest good automatic backup with: crmdesk restore \"{backup}\" --db \"{path}\""),
    "db_damaged_no_backup": QT_TRANSLATE_NOOP("Errors", "{path} is damaged and nothing was written to it; there is no good automatic backup of it: restore a backup of your own with: crmdesk restore FILE.sqlite --db \"{path}\""),
    "restore_db_open": QT_TRANSLATE_NOOP("Errors", "{path} is open in another crmdesk window or program: close it there, then restore again; nothing was changed."),
    "migration_failed": QT_TRANSLATE_NOOP("Errors", "Upgrading {path} to this crmdesk failed and nothing was changed; the copy made before the upgrade is {backup}: free some disk space or fix the folder's permissions, then start crmdesk again."),
    "migration_failed_no_backup": QT_TRANSLATE_NOOP("Errors", "Upgrading {path} to this crmdesk failed and nothing was changed: free some disk space or fix the folder's permissions, then start crmdesk again."),
    # records
    "customer_not_found": QT_TRANSLATE_NOOP("Errors", "That customer no longer exists: it may have been deleted in another window."),
    "record_changed_elsewhere": QT_TRANSLATE_NOOP("Errors", "{name} was changed elsewhere since you opened it{fields}: reopen it to see the changes, then make yours again."),
    "validation_failed": QT_TRANSLATE_NOOP("Errors", "Fields to correct: {count}, marked in red."),
    "demo_not_empty": QT_TRANSLATE_NOOP("Errors", "The database already has customers: demo data goes only into an empty database, so create a new one first."),
    "demo_too_many": QT_TRANSLATE_NOOP("Errors", "Demo data is limited to {max} customers: ask for fewer."),
    # sales (issue 19): the pipeline's stages
    "stages_empty": QT_TRANSLATE_NOOP("Errors", "The pipeline needs at least one open stage besides won and lost: add one; nothing was saved."),
    "stage_name_twice": QT_TRANSLATE_NOOP("Errors", "Two stages are called “{name}”: give each stage its own name; nothing was saved."),
    "stage_invalid": QT_TRANSLATE_NOOP("Errors", "Stage {position} needs a name and a probability from 0 to 100: correct it; nothing was saved."),
    "stages_won_lost_last": QT_TRANSLATE_NOOP("Errors", "Won and lost close a deal and come last, once each: move them to the end; nothing was saved."),
    "stage_in_use": QT_TRANSLATE_NOOP("Errors", "Deals are still in the stage “{name}” ({count}): move them to another stage before removing it; nothing was saved."),
    # sales (issue 19): the pipeline (opportunities, the board, objections)
    "opportunity_not_found": QT_TRANSLATE_NOOP("Errors", "That opportunity no longer exists: it, or its customer, may have been deleted in another window."),
    "opportunity_stage_unknown": QT_TRANSLATE_NOOP("Errors", "There is no stage “{stage}”: choose one of {known}; nothing was saved."),
    "opportunity_lost_reason_required": QT_TRANSLATE_NOOP("Errors", "Say why “{title}” was lost: choose a reason; nothing was saved."),
    "opportunity_not_closed": QT_TRANSLATE_NOOP("Errors", "“{title}” is still open: only a won or lost opportunity can be reopened."),
    "opportunity_other_customer": QT_TRANSLATE_NOOP("Errors", "“{title}” is a deal of another customer: choose one of this customer's opportunities; nothing was saved."),
    "import_no_title_column": QT_TRANSLATE_NOOP("Errors", "The sheet has no opportunity column (商机名称 or Opportunity), so crmdesk cannot tell one deal from the next: add it and import the file again; nothing was imported."),
    "import_customer_unknown": QT_TRANSLATE_NOOP("Errors", "No customer has the number “{code}” or exactly the name “{name}”: correct it, or add the customer first."),
    "opportunity_customer_required": QT_TRANSLATE_NOOP("Errors", "Choose the customer the deal is with: type a name, code or phone and pick one from the list."),
    # fields
    "required": QT_TRANSLATE_NOOP("Errors", "Required: type a value."),
    "too_long": QT_TRANSLATE_NOOP("Errors", "Too long: at most {max} characters."),
    "phone_too_short": QT_TRANSLATE_NOOP("Errors", "Too few digits for a phone number: type at least 5 digits."),
    "phone_too_long": QT_TRANSLATE_NOOP("Errors", "Too many digits for a phone number: type at most 20."),
    "phone_invalid_chars": QT_TRANSLATE_NOOP("Errors", "A phone number holds digits only (a leading + and an extension like x12 are fine)."),
    "email_invalid": QT_TRANSLATE_NOOP("Errors", "Not an email address: it needs one @ and a domain with a dot, like name@example.com."),
    "money_invalid": QT_TRANSLATE_NOOP("Errors", "Not an amount: type a number like 1234.50, ¥1,234 or 1.2万."),
    "money_negative": QT_TRANSLATE_NOOP("Errors", "The amount cannot be negative."),
    "number_invalid": QT_TRANSLATE_NOOP("Errors", "Not a whole number: type digits only."),
    "number_out_of_range": QT_TRANSLATE_NOOP("Errors", "Out of range: type a number from {low} to {high}."),
    "score_out_of_range": QT_TRANSLATE_NOOP("Errors", "A score is a whole number from 1 to 5."),
    "month_out_of_range": QT_TRANSLATE_NOOP("Errors", "A month is a number from 1 to 12."),
    "date_invalid": QT_TRANSLATE_NOOP("Errors", "Not a date: type it like 2023-04-02 or 2023年4月2日."),
    "date_ambiguous": QT_TRANSLATE_NOOP("Errors", "Day and month could be either way round: type the date as 2023-04-02."),
    "date_no_year": QT_TRANSLATE_NOOP("Errors", "The year is missing: type the full date, like 2023-04-02."),
    "birthday_invalid": QT_TRANSLATE_NOOP("Errors", "Not a birthday: type 1985-04-02, --04-02, 4月2日 or 农历八月十五."),
    "birthday_month_invalid": QT_TRANSLATE_NOOP("Errors", "There is no such month: a month is from 1 to 12."),
    "birthday_in_future": QT_TRANSLATE_NOOP("Errors", "That birthday is in the future: check the year."),
    "enum_invalid": QT_TRANSLATE_NOOP("Errors", "Not one of the choices: pick one of {choices}."),
    "tag_too_long": QT_TRANSLATE_NOOP("Errors", "A tag is at most {max} characters."),
    "code_taken": QT_TRANSLATE_NOOP("Errors", "Customer No. {code} is already used by another customer: type another, or leave it blank to get a new one."),
    # visits
    "datetime_invalid": QT_TRANSLATE_NOOP("Errors", "Not a date and time: pick it in the calendar, or type it like 2026-11-24 09:30."),
    "end_before_start": QT_TRANSLATE_NOOP("Errors", "The visit ends before it starts: set the end after the start."),
    "visit_too_long": QT_TRANSLATE_NOOP("Errors", "A visit cannot last more than {days} days: check the end date."),
    "rating_out_of_range": QT_TRANSLATE_NOOP("Errors", "The result is rated from 1 to 5 stars."),
    "visit_no_customer": QT_TRANSLATE_NOOP("Errors", "Choose the customer to visit: type part of the name and pick it from the list."),
    "visit_not_found": QT_TRANSLATE_NOOP("Errors", "That visit no longer exists: it, or its customer, may have been deleted in another window."),
    "visit_changed_elsewhere": QT_TRANSLATE_NOOP("Errors", "The visit to {name} was changed elsewhere since you opened it{fields}: close this one and open the visit again to see the changes."),
    "visit_bad_transition": QT_TRANSLATE_NOOP("Errors", "This visit was already recorded, postponed, cancelled or marked as missed, so it cannot be changed that way any more."),
    "repeat_until_before_start": QT_TRANSLATE_NOOP("Errors", "The repeat ends before the first visit: choose a later end date."),
    "repeat_no_dates": QT_TRANSLATE_NOOP("Errors", "No date matches this repeat: choose other weekdays or a later end date."),
    "agenda_date_invalid": QT_TRANSLATE_NOOP("Errors", "{value} is not a date: give the first day of the agenda like 2026-11-24."),
    "report_date_invalid": QT_TRANSLATE_NOOP("Errors", "{value} is not a date: give --from and --to like 2026-11-24."),
    "report_period_invalid": QT_TRANSLATE_NOOP("Errors", "--from {start} comes after --to {end}: give the first day of the period, then the last."),
    "agenda_days_invalid": QT_TRANSLATE_NOOP("Errors", "--days takes a whole number of days from 1 to {max}, not {value}."),
    # complaints
    "complaint_no_customer": QT_TRANSLATE_NOOP("Errors", "Choose the customer who complains: type part of the name and pick it from the list."),
    "complaint_not_found": QT_TRANSLATE_NOOP("Errors", "That complaint no longer exists: it, or its customer, may have been deleted in another window."),
    "complaint_changed_elsewhere": QT_TRANSLATE_NOOP("Errors", "Complaint {number} was changed elsewhere since you opened it{fields}: close this one and open the complaint again to see the changes."),
    "complaint_bad_transition": QT_TRANSLATE_NOOP("Errors", "Complaint {number} cannot take that step from where it stands now: take the steps in order (acknowledge, investigate, propose a solution, resolve, close)."),
    "complaint_deadline_invalid": QT_TRANSLATE_NOOP("Errors", "A deadline is a whole number of business hours from 1 to {max}."),
    "complaint_resolution_before_response": QT_TRANSLATE_NOOP("Errors", "The resolution deadline cannot come before the first-response deadline: give it at least as many hours."),
    "time_invalid": QT_TRANSLATE_NOOP("Errors", "Not a time of day: type it like 09:00."),
    "workday_end_before_start": QT_TRANSLATE_NOOP("Errors", "The working day ends before it starts: set the end after the start."),
    "datetime_out_of_range": QT_TRANSLATE_NOOP("Errors", "The date must lie between the years {low} and {high}: check the year."),
    "complaint_received_in_future": QT_TRANSLATE_NOOP("Errors", "The complaint cannot have been received in the future: check the date and time."),
    "complaint_owner_unknown": QT_TRANSLATE_NOOP("Errors", "{name} is not someone crmdesk knows: pick the owner from the list, or add the name to the team in Complaints ▸ Settings."),
    "complaint_transaction_unknown": QT_TRANSLATE_NOOP("Errors", "That transaction does not belong to this customer: pick one from the customer's transactions."),
    "complaint_received_after_first_response": QT_TRANSLATE_NOOP("Errors", "The complaint would be received after it was first answered: set the time of receipt earlier."),
    "complaint_received_after_resolved": QT_TRANSLATE_NOOP("Errors", "The complaint would be received after it was resolved: set the time of receipt earlier."),
    "complaint_needs_words": QT_TRANSLATE_NOOP("Errors", "Write down the customer's own words before acknowledging the complaint: listen first."),
    "complaint_needs_facts": QT_TRANSLATE_NOOP("Errors", "Write down the facts you established before proposing a solution."),
    "complaint_needs_solution": QT_TRANSLATE_NOOP("Errors", "Describe the solution you offer the customer."),
    "complaint_no_solution": QT_TRANSLATE_NOOP("Errors", "Complaint {number} has no solution written down: describe the solution before you resolve or close it."),
    "complaint_needs_satisfaction": QT_TRANSLATE_NOOP("Errors", "Choose how satisfied the customer is before closing the complaint."),
    "complaint_response_before_received": QT_TRANSLATE_NOOP("Errors", "The first response cannot come before the complaint was received: check the date and time."),
    "complaint_resolved_before_received": QT_TRANSLATE_NOOP("Errors", "The complaint cannot be resolved before it was received: check the date and time of the resolution."),
    "complaint_time_before_received": QT_TRANSLATE_NOOP("Errors", "That time is before the complaint was received: check the date and time."),
    "complaint_time_before_last_step": QT_TRANSLATE_NOOP("Errors", "That time is before the complaint's last step ({at}): give the time this step really happened."),
    "complaint_time_in_future": QT_TRANSLATE_NOOP("Errors", "That time is in the future: record steps when they have happened."),
    "complaint_closed_before_resolved": QT_TRANSLATE_NOOP("Errors", "The complaint cannot be closed before it was resolved: check the date and time."),
    "complaint_cannot_wait": QT_TRANSLATE_NOOP("Errors", "The clock of complaint {number} cannot be stopped now: only an acknowledged complaint that is not resolved can wait for the customer."),
    "complaint_not_waiting": QT_TRANSLATE_NOOP("Errors", "Complaint {number} is not waiting for the customer."),
    # care
    "care_days_invalid": QT_TRANSLATE_NOOP("Errors", "A number of days from {low} to {high}: 0 or a negative number would remind nobody, so turn the rule off instead."),
    "care_festival_invalid": QT_TRANSLATE_NOOP("Errors", "{value} is not a festival crmdesk can use: give a name (without a colon) and a real day of the year, like 店庆 6-18."),
    "care_rate_invalid": QT_TRANSLATE_NOOP("Errors", "Points per yuan is a number above 0 and at most {high}, like 1 or 0.5."),
    "care_no_customer": QT_TRANSLATE_NOOP("Errors", "Choose the customer: type part of the name and pick it from the list."),
    "care_not_found": QT_TRANSLATE_NOOP("Errors", "That care event no longer exists: it, or its customer, may have been deleted in another window."),
    "care_changed_elsewhere": QT_TRANSLATE_NOOP("Errors", "This care event was changed elsewhere since you opened it{fields}: open it again to see the changes."),
    "care_contact_unknown": QT_TRANSLATE_NOOP("Errors", "That contact does not belong to this customer: pick one of the customer's contacts."),
    "care_snooze_invalid": QT_TRANSLATE_NOOP("Errors", "Snooze to a day after today ({today}), at most a year ahead."),
    "care_not_pending": QT_TRANSLATE_NOOP("Errors", "This care event is already done or skipped: open it again to see what was recorded."),
    "care_reason_required": QT_TRANSLATE_NOOP("Errors", "Say why it is skipped, so that the next person knows."),
    "care_date_out_of_range": QT_TRANSLATE_NOOP("Errors", "The date must lie between the years 1901 and 2099: check the year."),
    "points_invalid": QT_TRANSLATE_NOOP("Errors", "Points are a whole number above 0, at most {max}."),
    "points_not_enough": QT_TRANSLATE_NOOP("Errors", "The customer has only {balance} points, fewer than the {points} this gift needs."),
    # analytics
    "analytics_abc_invalid": QT_TRANSLATE_NOOP("Errors", "The A, B and C shares are three numbers above 0 that add up to 100 %, like 80, 15 and 5."),
    "analytics_weights_zero": QT_TRANSLATE_NOOP("Errors", "At least one evaluation factor needs a weight above 0."),
    "analytics_cause_invalid": QT_TRANSLATE_NOOP("Errors", "Not a cause crmdesk knows: pick product, service, staff, image, the customer or competitors."),
    # import (rows, sheets, mapping, undo)
    "row_shape": QT_TRANSLATE_NOOP("Errors", "This line has {found} cells where the header has {expected}: its quotes or separators are broken, so its values would land in the wrong columns; fix the line and import it again."),
    "cell_too_long": QT_TRANSLATE_NOOP("Errors", "A cell holds more than {max} characters, more than Excel allows: shorten it."),
    "option_invalid": QT_TRANSLATE_NOOP("Errors", "{option} takes one of: {choices}."),
    "sheet_not_found": QT_TRANSLATE_NOOP("Errors", "The workbook has no sheet named {sheet}: choose one of {sheets}."),
    "sheet_empty": QT_TRANSLATE_NOOP("Errors", "The sheet {sheet} is empty: choose a sheet with data."),
    "no_header": QT_TRANSLATE_NOOP("Errors", "No header row was found in sheet {sheet}: add a row of column names (such as 客户名称, 手机 or Name, Mobile) above the data, or give the header row and map the columns yourself."),
    "not_customer_list": QT_TRANSLATE_NOOP("Errors", "This sheet does not look like a customer list (its columns are {headers}): choose the sheet that holds your customers, or check the header row and map the columns yourself in the Import customers window."),
    "not_transaction_list": QT_TRANSLATE_NOOP("Errors", "This sheet does not look like a list of transactions (its columns are {headers}): it needs at least a date and an amount, product or quantity column."),
    "no_customer_column": QT_TRANSLATE_NOOP("Errors", "The sheet has no customer column (customer number or name), so crmdesk cannot tell whom each sale belongs to: add a 客户名称 or 客户编号 column and import it again."),
    "no_amount_column": QT_TRANSLATE_NOOP("Errors", "The file has no amount column: the transactions were imported with an amount of 0."),
    "dates_look_day_first": QT_TRANSLATE_NOOP("Errors", "Most dates were rejected as ambiguous or unreadable; if they are written day first (16-01-17), import again with the date order set to day-month-year (--date-order dmy)."),
    "mapping_invalid": QT_TRANSLATE_NOOP("Errors", "{target} is not a column crmdesk knows: choose one from the list."),
    "mapping_twice": QT_TRANSLATE_NOOP("Errors", "Two columns are mapped to {target}: keep one of them."),
    "too_many_rows": QT_TRANSLATE_NOOP("Errors", "The file has more than {max:,} rows, more than one import takes: split it into smaller files and import them one after the other."),
    "no_import_to_undo": QT_TRANSLATE_NOOP("Errors", "There is no import to undo: every import has been undone already, or none was made in this database."),
    "import_not_found": QT_TRANSLATE_NOOP("Errors", "There is no import {batch}: run the command without a batch to undo the last import."),
    "import_already_undone": QT_TRANSLATE_NOOP("Errors", "Import {batch} was undone already."),
    # reading the file to import (core/io/sheet_read.py)
    "file_empty": QT_TRANSLATE_NOOP("Errors", "{path} is empty (0 bytes): choose the file that holds your data, or save it again from Excel."),
    "file_not_spreadsheet": QT_TRANSLATE_NOOP("Errors", "{path} is not a spreadsheet or CSV file, whatever its name says: open it in Excel or WPS, save it as .xlsx or .csv, and import that file."),
    "file_encrypted": QT_TRANSLATE_NOOP("Errors", "{path} is password-protected: remove the password in Excel (File ▸ Info ▸ Protect Workbook), save it, and import it again."),
    "file_damaged": QT_TRANSLATE_NOOP("Errors", "{path} is damaged and cannot be read: open it in Excel or WPS to repair it, save a copy, and import the copy."),
    "file_too_large": QT_TRANSLATE_NOOP("Errors", "{path} is too large to read safely (more than {limit}): delete unused rows and columns, or split it into smaller files and import them one after the other."),
    "file_unsafe_xml": QT_TRANSLATE_NOOP("Errors", "{path} contains XML declarations that spreadsheet programs never write and that could freeze the computer: open it in Excel, save it as a new .xlsx, and import that file."),
    "file_no_data": QT_TRANSLATE_NOOP("Errors", "{path} has no data in any visible sheet: choose the file with your list, or unhide the sheet that holds it."),
    "file_unreadable_encoding": QT_TRANSLATE_NOOP("Errors", "The text in {path} is in an encoding crmdesk cannot recognise: save it from Excel as \"CSV UTF-8\" and import it again."),
    "file_unreadable": QT_TRANSLATE_NOOP("Errors", "crmdesk cannot read {path}: check that you may open it and that no other program has it locked, then try again."),
    # crashes, full disks and busy databases (issue 17)
    "disk_full": QT_TRANSLATE_NOOP("Errors", "The disk is full (or the file grew past the size this disk allows): free some space or choose another disk, then try again; nothing was changed."),
    # output paths and command-line input (issue 17)
    "output_is_database": QT_TRANSLATE_NOOP("Errors", "{path} is the database crmdesk is using (or one of its working files), and writing there would destroy it: choose another file name; nothing was written."),
    "output_is_backup": QT_TRANSLATE_NOOP("Errors", "{path} is one of crmdesk's automatic backups: choose another file name, so that the backup stays as it is; nothing was written."),
    "output_is_source": QT_TRANSLATE_NOOP("Errors", "{path} is the file being imported: choose another file name for what crmdesk writes; nothing was written."),
    "output_folder_missing": QT_TRANSLATE_NOOP("Errors", "crmdesk cannot write {path}: the folder {folder} does not exist, so create it first or choose another folder; nothing was written."),
    "output_not_xlsx": QT_TRANSLATE_NOOP("Errors", "crmdesk writes an Excel workbook, and {path} does not end in .xlsx: give a file name that ends in .xlsx; nothing was written."),
    "cli_date_out_of_range": QT_TRANSLATE_NOOP("Errors", "{value} lies outside the years {low} to {high}: give a date between them, like 2026-11-24."),
    "file_wrong_encoding": QT_TRANSLATE_NOOP("Errors", "{path} is not written in the {encoding} encoding: leave the encoding out so that crmdesk detects it, or give the file's real encoding."),
    "db_path_empty": QT_TRANSLATE_NOOP("Errors", "--db was given an empty path: give the path of a database file, or leave --db out to use the default database."),
    "db_empty": QT_TRANSLATE_NOOP("Errors", "{path} is an empty file without crmdesk data: import customers or create demo data into it first, or give the path of your database."),
    # crmdesk report: an owner, region or tier nobody has (issue 18, the care/analytics helper)
    "report_owner_unknown": QT_TRANSLATE_NOOP("Errors", "No one called {owner} owns customers here, so the report would be empty: give one of {known}, or leave --owner out for everyone; nothing was written."),
    "report_region_unknown": QT_TRANSLATE_NOOP("Errors", "No customer is in a province or city called {region}, so the report would be empty: give one as the customer list writes it (such as {known}), or leave --region out; nothing was written."),
    "report_tier_unknown": QT_TRANSLATE_NOOP("Errors", "{tier} is not a tier: give one of {known}, or leave --tier out; nothing was written."),
    # the first day: the templates' example rows, the numbers of other customers (issue 18, firstrun)
    "import_only_example": QT_TRANSLATE_NOOP("Errors", "The file holds only the template's example row, which is never imported: add your own rows below it (or in its place) and import the file again; nothing was added."),
    "import_example_row": QT_TRANSLATE_NOOP("Errors", "This is the template's example row, which is never imported: add your own rows, or clear this row's notes cell to import it as it is now."),
    "import_example_skipped": QT_TRANSLATE_NOOP("Errors", "The template's example row was left out: it is never imported."),
    "import_name_mismatch": QT_TRANSLATE_NOOP("Errors", "{code} is {existing}, not {given}: correct the customer number or the name in this row; nothing of it was imported."),
    # ---- issue 18 (forms helper): phones checked with phonenumbers (crmdesk/core/phones/rules.py)
    "phone_not_mobile": QT_TRANSLATE_NOOP("Errors", "This is not a mobile number: type the mobile (in China 11 digits starting with 1), or put a landline in the Phone field."),
    "phone_mobile_digits": QT_TRANSLATE_NOOP("Errors", "A Chinese mobile number has 11 digits starting with 1: check for a missing or an extra digit."),
    "phone_no_area_code": QT_TRANSLATE_NOOP("Errors", "The landline needs its area code in front, like 010-88889999 or 0755-1234567."),
    "phone_not_valid": QT_TRANSLATE_NOOP("Errors", "This is not a valid phone number: check the digits; a number abroad starts with + and its country code."),
    # sales (issue 19): sales records, products and receivables
    "sale_not_found": QT_TRANSLATE_NOOP("Errors", "That sale no longer exists: it, or its customer, may have been deleted in another window."),
    "sale_customer_required": QT_TRANSLATE_NOOP("Errors", "Choose the customer who bought; nothing was saved."),
    "sale_customer_deleted": QT_TRANSLATE_NOOP("Errors", "{name} has been deleted: restore the customer first, or record the sale for another customer; nothing was saved."),
    "sale_no_lines": QT_TRANSLATE_NOOP("Errors", "A sale needs at least one line with a product and an amount: add one; nothing was saved."),
    "sale_negative_line": QT_TRANSLATE_NOOP("Errors", "Line {row} has a negative quantity, price or amount: a sale's are positive, and goods returned are recorded as a refund; nothing was saved."),
    "sale_line_no_amount": QT_TRANSLATE_NOOP("Errors", "Line {row} has no amount: type the amount, or the unit price (and quantity) to compute it; nothing was saved."),
    "sale_discount_invalid": QT_TRANSLATE_NOOP("Errors", "Line {row}: the discount is a percentage from 0 to 100; nothing was saved."),
    "sale_paid_too_much": QT_TRANSLATE_NOOP("Errors", "Paid ({paid}) is more than the sale's amount ({amount}): correct what was paid; nothing was saved."),
    "sale_date_far_future": QT_TRANSLATE_NOOP("Errors", "{date} is more than a year ahead: check the year; nothing was saved."),
    "sale_product_gone": QT_TRANSLATE_NOOP("Errors", "Line {row}: the product “{name}” no longer exists: pick another one from the list; nothing was saved."),
    "sale_terms_invalid": QT_TRANSLATE_NOOP("Errors", "Payment terms are a whole number of days from 0 to {max}; nothing was saved."),
    "product_not_found": QT_TRANSLATE_NOOP("Errors", "That product no longer exists: it may have been deleted or merged in another window."),
    "product_name_taken": QT_TRANSLATE_NOOP("Errors", "There is already a product called “{name}”: give this one another name, or merge the two."),
    "product_code_taken": QT_TRANSLATE_NOOP("Errors", "The code {code} is another product's: give this one its own code."),
    "product_merge_needs_two": QT_TRANSLATE_NOOP("Errors", "Select at least two products to merge: the one to keep and its spelling variants."),
    "sale_customer_unknown": QT_TRANSLATE_NOOP("Errors", "No customer has the number {code}: give the customer's number as the customer list shows it; nothing was saved."),
    "not_product_list": QT_TRANSLATE_NOOP("Errors", "This sheet does not look like a product list (its columns are {headers}): it needs at least a product name column, like 产品名称 or Name; nothing was imported."),
    "product_active_invalid": QT_TRANSLATE_NOOP("Errors", "Not a yes or no: type 是 or 否 (yes or no), or leave it empty for a product on sale."),
    "sale_link_other_customer": QT_TRANSLATE_NOOP("Errors", "The visit or opportunity this sale is linked to belongs to another customer or was deleted: record the sale from that customer; nothing was saved."),
}
UNKNOWN = QT_TRANSLATE_NOOP("Errors", "Something went wrong ({error}): nothing was changed.")


def message(error: CrmError, translate: Optional[Callable[[str, str], str]] = None) -> str:
    """The sentence for ``error``; ``translate(context, text)`` turns it into the user's language."""
    template = TEMPLATES.get(error.code, UNKNOWN)
    if translate is not None:
        template = translate(CONTEXT, template)
    try:
        return template.format(**{"error": error.code, **error.params})
    except (KeyError, IndexError, ValueError):
        return template
