//! Who and what the rows name, read once and kept up to date as rows are written: organisations
//! by name, members by number and name (with their transfers), activity types and talk kinds by
//! label, and the records already in the file that a row is matched against.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::row::Row;
use crate::model::activity::{Activity, ActivityType};
use crate::model::dues::Dues;
use crate::model::id_card;
use crate::model::member::Member;
use crate::model::member_event::{EventKind, MemberEvent};
use crate::model::org::{Org, OrgKind};
use crate::model::rectify::Rectification;
use crate::model::talk::Talk;
use crate::model::transfer::Transfer;
use crate::store::{Db, StoreError};
use crate::workbook::sheets::{PERSON, PERSON_ID};
use crate::workbook::{SheetKind, Table, Value};

/// The records already in the file, by the key a row is matched on (made of columns every such
/// sheet has). Two records may share a key (two talks of one person on one day): a row takes the
/// first record of its key not yet taken that agrees with the row's other columns, so a workbook
/// imported twice adds nothing and one with a new second session adds it.
pub(super) struct Known<K> {
    have: HashMap<K, Vec<i64>>,
    taken: HashSet<i64>,
}

impl<K> Default for Known<K> {
    fn default() -> Self {
        Known {
            have: HashMap::new(),
            taken: HashSet::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq> Known<K> {
    pub fn of(keys: impl IntoIterator<Item = (K, i64)>) -> Self {
        let mut k = Known::default();
        for (key, id) in keys {
            k.have.entry(key).or_default().push(id);
        }
        k
    }

    /// The record this row stands for: of those with its key, the first not taken by an earlier
    /// row for which `agrees` holds; `None` for a record not in the file yet.
    pub fn take(&mut self, key: &K, agrees: impl Fn(i64) -> bool) -> Option<i64> {
        let id = self
            .have
            .get(key)?
            .iter()
            .copied()
            .find(|id| !self.taken.contains(id) && agrees(*id))?;
        self.taken.insert(id);
        Some(id)
    }
}

/// An activity's match key: date, organisation, topic.
pub type ActivityKey = (NaiveDate, i64, String);
/// A talk's: date, kind, talkers.
pub type TalkKey = (NaiveDate, i64, String);
/// A rectification item's: date found, description.
pub type RectKey = (NaiveDate, String);

pub(super) struct Who {
    pub today: NaiveDate,
    orgs: HashMap<String, i64>,
    pub org_records: HashMap<i64, Org>,
    /// The top organisation, as migration 4 chose it: the 党组 first.
    pub top_org: Option<i64>,
    pub members: HashMap<i64, Member>,
    by_number: HashMap<String, i64>,
    by_name: HashMap<String, Vec<i64>>,
    pub transfers: HashMap<i64, Vec<Transfer>>,
    pub types: Vec<ActivityType>,
    pub themes: Vec<crate::model::theme::Theme>,
    pub kinds: HashMap<String, i64>,
    /// The workbook has a 组织关系 sheet: a 转出 is recorded there.
    pub has_transfers: bool,
    /// Organisations the 委员会 sheet lists: their committee comes from it, not from 书记.
    pub committee_orgs: HashSet<String>,
    /// Members named by earlier rows of the 党员 sheet: by number (or name and organisation when
    /// there is none), the row and the organisation it gave.
    pub seen_members: HashMap<String, (usize, Option<i64>)>,
    pub activities: Known<ActivityKey>,
    pub activity_records: HashMap<i64, Activity>,
    pub talks: Known<TalkKey>,
    pub talk_records: HashMap<i64, Talk>,
    pub rects: Known<RectKey>,
    pub rect_records: HashMap<i64, Rectification>,
    pub events: Known<(i64, EventKind, NaiveDate)>,
    pub event_records: HashMap<i64, MemberEvent>,
    pub dues: HashMap<(i64, i32, u32), Dues>,
    /// Dues rows checked, written together at the end of the sheet.
    pub dues_out: Vec<Dues>,
    /// Members with the organisations they ever belonged to, for the roll of a meeting's day.
    ever: HashMap<i64, Vec<i64>>,
}

impl Who {
    /// `committee` is the workbook's 委员会 sheet, if it has one; `has_transfers` whether it has
    /// a 组织关系 sheet.
    pub fn read(
        db: &Db,
        today: NaiveDate,
        committee: Option<&Table>,
        has_transfers: bool,
    ) -> Result<Who, StoreError> {
        let committee_orgs = committee
            .map(|t| {
                let col = t.rows.first().and_then(|h| {
                    let (map, _) = crate::workbook::header_map(SheetKind::Committee.sheet(), h);
                    map.get(crate::workbook::sheets::COMMITTEE_ORG.header)
                        .copied()
                });
                t.rows
                    .iter()
                    .skip(1)
                    .filter_map(|r| col.and_then(|c| r.get(c)).map(Value::text))
                    .filter(|n| !n.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let mut who = Who {
            today,
            orgs: HashMap::new(),
            org_records: HashMap::new(),
            top_org: None,
            members: HashMap::new(),
            by_number: HashMap::new(),
            by_name: HashMap::new(),
            transfers: HashMap::new(),
            types: db.activity_types()?,
            themes: db.themes()?,
            kinds: db
                .talk_kinds()?
                .into_iter()
                .filter_map(|k| Some((k.label, k.id?)))
                .collect(),
            has_transfers,
            committee_orgs,
            seen_members: HashMap::new(),
            activities: Known::default(),
            activity_records: HashMap::new(),
            talks: Known::default(),
            talk_records: HashMap::new(),
            rects: Known::default(),
            rect_records: HashMap::new(),
            events: Known::default(),
            event_records: HashMap::new(),
            dues: HashMap::new(),
            dues_out: Vec::new(),
            ever: HashMap::new(),
        };
        who.read_orgs(db)?;
        who.read_members(db)?;
        Ok(who)
    }

    fn read_orgs(&mut self, db: &Db) -> Result<(), StoreError> {
        let orgs: Vec<Org> = db.orgs(self.today)?.into_iter().map(|s| s.org).collect();
        self.orgs = orgs
            .iter()
            .filter_map(|o| Some((o.name.clone(), o.id?)))
            .collect();
        self.top_org = orgs
            .iter()
            .filter(|o| o.parent_id.is_none())
            .min_by_key(|o| {
                (
                    o.kind != OrgKind::LeadingGroup,
                    o.kind != OrgKind::Committee,
                    o.id,
                )
            })
            .and_then(|o| o.id);
        self.org_records = orgs.into_iter().filter_map(|o| Some((o.id?, o))).collect();
        Ok(())
    }

    fn read_members(&mut self, db: &Db) -> Result<(), StoreError> {
        self.members.clear();
        self.by_number.clear();
        self.by_name.clear();
        for m in db.members()? {
            self.know(m);
        }
        self.transfers = db.transfers_by_member()?;
        self.ever.clear();
        for (id, m) in &self.members {
            let mut orgs = vec![m.org_id];
            for t in self.transfers.get(id).into_iter().flatten() {
                orgs.extend(t.from_org.into_iter().chain(t.to_org));
            }
            orgs.sort_unstable();
            orgs.dedup();
            for o in orgs {
                self.ever.entry(o).or_default().push(*id);
            }
        }
        Ok(())
    }

    /// Keeps a member written by a row (or read from the file) findable by number and name.
    pub fn know(&mut self, m: Member) {
        let Some(id) = m.id else { return };
        if let Some(old) = self.members.get(&id)
            && old.id_number != m.id_number
        {
            self.by_number.remove(&old.id_number);
        }
        if !m.id_number.is_empty() {
            self.by_number.insert(m.id_number.clone(), id);
        }
        let same = self.by_name.entry(m.name.clone()).or_default();
        if !same.contains(&id) {
            same.push(id);
        }
        self.members.insert(id, m);
    }

    /// Reads what a sheet's rows are matched against, before its first row.
    pub fn before_sheet(&mut self, db: &Db, kind: SheetKind) -> Result<(), StoreError> {
        match kind {
            SheetKind::Dues => {
                self.dues = db
                    .dues_all(None)?
                    .into_iter()
                    .map(|d| ((d.member_id, d.year, d.month), d))
                    .collect();
            }
            SheetKind::Events => {
                let events: Vec<MemberEvent> =
                    db.events_in(None)?.into_iter().map(|(e, _)| e).collect();
                self.events = Known::of(
                    events
                        .iter()
                        .filter_map(|e| Some(((e.member_id, e.kind, e.date), e.id?))),
                );
                self.event_records = events
                    .into_iter()
                    .filter_map(|e| Some((e.id?, e)))
                    .collect();
            }
            SheetKind::Activities => {
                // Transfers and members of this workbook are written by now: the rolls of the days.
                self.read_members(db)?;
                // Records already in the file are read only when there are some (an import into an
                // empty file reads nothing).
                let mut records = Vec::new();
                for y in db.activity_years()? {
                    records.extend(db.activities_full(Some(y))?);
                }
                self.activities = Known::of(
                    records
                        .iter()
                        .filter_map(|a| Some(((a.date, a.org_id, a.topic.clone()), a.id?))),
                );
                self.activity_records = records
                    .into_iter()
                    .filter_map(|a| Some((a.id?, a)))
                    .collect();
            }
            SheetKind::Talks => {
                let talks = db.talks(None)?;
                self.talks = Known::of(
                    talks
                        .iter()
                        .filter_map(|t| Some(((t.date, t.kind_id, t.talkers.clone()), t.id?))),
                );
                self.talk_records = talks.into_iter().filter_map(|t| Some((t.id?, t))).collect();
            }
            SheetKind::Rectify => {
                let items = db.rectifications()?;
                self.rects = Known::of(
                    items
                        .iter()
                        .filter_map(|r| Some(((r.found_on, r.description.clone()), r.id?))),
                );
                self.rect_records = items.into_iter().filter_map(|r| Some((r.id?, r))).collect();
            }
            _ => {}
        }
        Ok(())
    }

    /// Brings what later sheets use up to date after a sheet's rows are written.
    pub fn after_sheet(&mut self, db: &Db, kind: SheetKind) -> Result<(), StoreError> {
        match kind {
            SheetKind::Orgs | SheetKind::Elections | SheetKind::Committee => self.read_orgs(db),
            SheetKind::Transfers => self.read_members(db),
            SheetKind::Activities => {
                self.activity_records.clear();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub fn write_dues(&mut self, db: &mut Db) -> Result<(), StoreError> {
        if !self.dues_out.is_empty() {
            let mut rows = std::mem::take(&mut self.dues_out);
            // In the order of the table's unique index: each row lands beside the one before.
            rows.sort_unstable_by_key(|d| (d.member_id, d.year, d.month));
            db.import_dues(&rows)?;
        }
        Ok(())
    }

    /// An organisation written by a row: later rows (its branches, its members) name it.
    pub fn add_org(&mut self, name: String, id: i64) {
        self.orgs.insert(name, id);
    }

    /// Every organisation's name, to find one named in a sheet's title.
    pub fn org_names(&self) -> impl Iterator<Item = &str> {
        self.orgs.keys().map(String::as_str)
    }

    pub fn org_id(&self, name: &str) -> Option<i64> {
        self.orgs.get(name.trim()).copied()
    }

    pub fn org_name(&self, id: Option<i64>) -> &str {
        id.and_then(|i| self.org_records.get(&i))
            .map_or("本单位以外", |o| o.name.as_str())
    }

    pub fn by_number(&self, number: &str) -> Option<&Member> {
        self.by_number
            .get(number)
            .and_then(|id| self.members.get(id))
    }

    /// The members of one name.
    pub fn by_name(&self, name: &str) -> Vec<&Member> {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|id| self.members.get(id))
            .collect()
    }

    pub fn transfers_of(&self, id: i64) -> &[Transfer] {
        self.transfers.get(&id).map_or(&[], Vec::as_slice)
    }

    /// The organisation of member `id` on `day` (`None`: outside the bureau then).
    pub fn org_of(&self, id: i64, day: NaiveDate) -> Option<i64> {
        self.members
            .get(&id)
            .and_then(|m| m.org_at(self.transfers_of(id), day))
    }

    /// (id, name) of those on the rolls of `org` on `day` (the one definition,
    /// `Member::on_rolls_at`), by name.
    pub fn roll(&self, org: i64, day: NaiveDate) -> Vec<(i64, &str)> {
        let mut roll: Vec<(i64, &str)> = self
            .ever
            .get(&org)
            .into_iter()
            .flatten()
            .filter_map(|id| {
                let m = self.members.get(id)?;
                let chain = self.transfers_of(*id);
                (m.org_at(chain, day) == Some(org) && m.on_rolls_at(chain, day))
                    .then_some((*id, m.name.as_str()))
            })
            .collect();
        roll.sort_by(|a, b| a.1.cmp(b.1));
        roll
    }

    /// The member a row of a sheet about members names (its 姓名 and 公民身份号码 columns): by
    /// number where given, else by name (and `org_hint` when the name is shared).
    pub fn member(&self, row: &mut Row, org_hint: Option<i64>) -> Option<i64> {
        let name = row.required(PERSON.header)?;
        let number = id_number(row, PERSON_ID.header)?;
        if !number.is_empty() {
            return match self.by_number(&number) {
                Some(m) if m.name != name => {
                    row.error(
                        PERSON_ID.header,
                        format!("该公民身份号码是{}的，本行姓名为“{name}”，请核对", m.name),
                    );
                    None
                }
                Some(m) => m.id,
                None => {
                    row.error(
                        PERSON_ID.header,
                        "找不到该公民身份号码的党员：请先在“党员”表中列出",
                    );
                    None
                }
            };
        }
        let same = self.by_name(&name);
        match same.as_slice() {
            [] => {
                row.error(
                    PERSON.header,
                    "找不到该党员：请先在“党员”表中列出，或填写公民身份号码",
                );
                None
            }
            [m] => m.id,
            many => {
                let in_org: Vec<i64> = many
                    .iter()
                    .filter(|m| Some(m.org_id) == org_hint)
                    .filter_map(|m| m.id)
                    .collect();
                if let [id] = in_org.as_slice() {
                    Some(*id)
                } else {
                    row.error(
                        PERSON.header,
                        format!("有{}名党员同名，请填写公民身份号码以区分", many.len()),
                    );
                    None
                }
            }
        }
    }
}

/// The 公民身份号码 in `header`, normalised (upper-case X). A number Excel or WPS turned into a
/// number cell has lost its last digits: that is said as such, not as a wrong check digit.
pub(super) fn id_number(row: &mut Row, header: &str) -> Option<String> {
    let lost = match row.raw(header) {
        Value::Number(n) => n.abs() >= 1e11,
        Value::Text(t) => {
            let t = t.trim();
            t.contains(['E', 'e'])
                && t.replace(['E', 'e', '+', '.'], "")
                    .chars()
                    .all(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    if lost {
        row.error(
            header,
            "公民身份号码被存成了数字，末几位已丢失：请把该列设为文本后重新填写",
        );
        return None;
    }
    Some(id_card::normalise(&row.text(header)))
}
