//! What a tab asks the app to do. Tabs read the database and return these as values; the app
//! applies them after the frame, in one place (`apply`), and hands the tab the outcome. No widget
//! writes to the database or copies a file.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::model::activity::{Activity, ActivityType};
use crate::model::member::Member;
use crate::model::org::{CommitteeMember, Org};
use crate::model::rectify::{Closing, Rectification};
use crate::model::talk::{Talk, TalkKind};
use crate::store::{Db, StoreError};

/// One write, with everything it needs. Each is one transaction in the store.
#[derive(Debug, Clone)]
pub enum Write {
    /// A member, with the record as the form or dialog loaded it (`None` for a new one): a save
    /// over a change made since is refused.
    Member(Box<Member>, Option<Box<Member>>),
    /// An organisation and its committee, with both as the form loaded them.
    Org(
        Box<Org>,
        Vec<CommitteeMember>,
        Option<Box<(Org, Vec<CommitteeMember>)>>,
    ),
    /// A record with the files chosen for it in the form (copied when it is saved), and the record
    /// as the form loaded it.
    Activity(Box<Activity>, Vec<PathBuf>, Option<Box<Activity>>),
    DeleteActivity(i64),
    /// An organisation one place up (`true`) or down among its siblings.
    MoveOrg {
        id: i64,
        up: bool,
    },
    /// A 换届选举 with the people elected, with the record as the dialog loaded it.
    Election(
        Box<crate::model::election::Election>,
        Option<Box<crate::model::election::Election>>,
    ),
    ActivityTypes(Vec<ActivityType>),
    /// The 专题 list as the settings dialog left it.
    Themes(Vec<crate::model::theme::Theme>),
    /// A talk, with the record as the form loaded it.
    Talk(Box<Talk>, Option<Box<Talk>>),
    TalkKinds(Vec<TalkKind>),
    /// A rectification item, with the record as the form last loaded it.
    Rectification(Box<Rectification>, Option<Box<Rectification>>),
    Progress {
        id: i64,
        date: NaiveDate,
        text: String,
    },
    /// 销号, with the evidence file chosen in the dialog (copied when the closing is written).
    Close {
        id: i64,
        closing: Closing,
        file: Option<PathBuf>,
    },
    Reopen {
        id: i64,
        date: NaiveDate,
        reason: String,
    },
    Void {
        id: i64,
        date: NaiveDate,
        reason: String,
    },
    /// A 组织关系转接 record (new or corrected).
    Transfer(Box<crate::model::transfer::Transfer>),
    DeleteTransfer(i64),
    /// One act of 表彰 / 走访慰问 / 民主评议 for several members.
    MemberEvents(Vec<crate::model::member_event::MemberEvent>),
    DeleteMemberEvent(i64),
    /// A branch's dues for one month: the rows paid (the others of that branch-month unpaid).
    DuesMonth {
        org_id: i64,
        year: i32,
        month: u32,
        rows: Vec<crate::model::dues::Dues>,
    },
    /// A setting of the file (单位名称).
    Setting {
        key: &'static str,
        value: String,
    },
}

/// Where another tab is asked to show something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The 学习活动 ledger, filtered to these records.
    Ledger {
        year: i32,
        org: Option<i64>,
        type_id: Option<i64>,
    },
}

/// A document to print; the app reads what it needs, asks where to save, and writes it on the
/// worker.
#[derive(Debug, Clone)]
pub enum PrintRequest {
    /// 年度党建工作统计 of a year, up to a date, for an organisation.
    Tally(crate::tally::Scope),
    /// The 会议记录 and the 签到表 of an activity.
    Activity(i64),
    /// The 整改台账 of these items (as the tab filters them), with a description of the filter.
    Rectification { ids: Vec<i64>, filter: String },
    /// The 党费收缴公示表 of an organisation and year.
    Dues { org: i64, year: i32 },
    /// The 年度党建工作总结初稿 of a year, as a Word document.
    Summary(crate::tally::Scope),
}

/// What a tab returns from a frame.
#[derive(Debug, Clone)]
pub enum Action {
    Write(Write),
    Print(PrintRequest),
    /// Switch to `Tab` and show `Target` there.
    Goto(super::Tab, Target),
    /// 导出当前列表: the records `ids` as rows of the workbook sheet named `sheet`, saved where
    /// the user says (`name` proposes the file name).
    ExportList {
        sheet: &'static str,
        ids: Vec<i64>,
        name: String,
    },
}

/// A write as applied: what was asked, and the id of the record written (or the refusal).
#[derive(Debug)]
pub struct Done {
    pub write: Write,
    pub result: Result<i64, StoreError>,
}

/// Applies `write` to `db`. The only place in the window that writes.
pub fn apply(db: &mut Db, write: Write) -> Done {
    let result = match &write {
        Write::Member(m, loaded) => db.save_member_as_loaded(m, loaded.as_deref()),
        Write::Org(org, committee, loaded) => {
            db.save_org_as_loaded(org, committee, loaded.as_deref())
        }
        Write::Activity(a, files, loaded) => {
            db.save_activity_as_loaded(a, files, loaded.as_deref())
        }
        Write::DeleteActivity(id) => db.delete_activity(*id).map(|()| *id),
        Write::MoveOrg { id, up } => db.move_org(*id, *up).map(|()| *id),
        Write::Election(e, loaded) => db.save_election_as_loaded(e, loaded.as_deref()),
        Write::ActivityTypes(rows) => db.save_activity_types(rows).map(|ids| ids.len() as i64),
        Write::Themes(rows) => db.save_themes(rows).map(|ids| ids.len() as i64),
        Write::Talk(t, loaded) => db.save_talk_as_loaded(t, loaded.as_deref()),
        Write::TalkKinds(rows) => db.save_talk_kinds(rows).map(|ids| ids.len() as i64),
        Write::Rectification(r, loaded) => db.save_rectification_as_loaded(r, loaded.as_deref()),
        Write::Progress { id, date, text } => db.add_progress(*id, *date, text).map(|()| *id),
        Write::Close { id, closing, file } => db
            .close_rectification_with_file(*id, closing, file.as_deref())
            .map(|()| *id),
        Write::Reopen { id, date, reason } => {
            db.reopen_rectification(*id, *date, reason).map(|()| *id)
        }
        Write::Void { id, date, reason } => db.void_rectification(*id, *date, reason).map(|()| *id),
        Write::Setting { key, value } => db.set_setting(key, value).map(|()| 0),
        Write::Transfer(t) => db.save_transfer(t),
        Write::DeleteTransfer(id) => db.delete_transfer(*id).map(|()| *id),
        Write::MemberEvents(rows) => db.save_member_events(rows).map(|n| n as i64),
        Write::DeleteMemberEvent(id) => db.delete_member_event(*id).map(|()| *id),
        Write::DuesMonth {
            org_id,
            year,
            month,
            rows,
        } => db
            .save_dues_month(*org_id, *year, *month, rows)
            .map(|n| n as i64),
    };
    Done { write, result }
}
