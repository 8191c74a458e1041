//! Members. Never deleted: leaving the rolls is a status with a date.

use rusqlite::{Connection, OptionalExtension, Row, params};

use chrono::NaiveDate;

use super::sql::{non_empty, on_rolls, org_at};
use super::{Db, Result, StoreError, audit, new_uid};
use crate::model::member::{Member, MemberField};

const COLUMNS: &str = "id, uid, name, gender, ethnicity, birth_date, id_number, education, job, phone, org_id,
    category, applied_on, activist_on, candidate_on, probationary_on, full_on, party_post, introducers,
    status, status_date, note, probation_extended_to";

/// Reads a row selected with [`COLUMNS`], by position: looking columns up by name costs a string
/// search per field, which is most of the time of loading a roll of 10,000.
fn from_row(r: &Row) -> rusqlite::Result<Member> {
    Ok(Member {
        id: r.get(0)?,
        uid: r.get(1)?,
        name: r.get(2)?,
        gender: r.get(3)?,
        ethnicity: r.get(4)?,
        birth_date: r.get(5)?,
        id_number: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        education: r.get(7)?,
        job: r.get(8)?,
        phone: r.get(9)?,
        org_id: r.get(10)?,
        category: r.get(11)?,
        applied_on: r.get(12)?,
        activist_on: r.get(13)?,
        candidate_on: r.get(14)?,
        probationary_on: r.get(15)?,
        full_on: r.get(16)?,
        party_post: r.get(17)?,
        introducers: r.get(18)?,
        status: r.get(19)?,
        status_date: r.get(20)?,
        note: r.get(21)?,
        probation_extended_to: r.get(22)?,
    })
}

pub(super) fn by_id(tx: &Connection, id: i64) -> Result<Option<Member>> {
    Ok(tx
        .prepare_cached(&format!("SELECT {COLUMNS} FROM member WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

impl Db {
    /// Every member, on the rolls or not, ordered by organisation then name.
    pub fn members(&self) -> Result<Vec<Member>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM member ORDER BY org_id, name, id"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (id, name) of the members on the rolls of one organisation on `date`, by name: those the
    /// transfer records put there then, not those there today.
    pub fn roll_at(&self, org_id: i64, date: NaiveDate) -> Result<Vec<(i64, String)>> {
        // Members never transferred belong to `org_id` throughout: only the others need their
        // history read.
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT id, name FROM member m
             WHERE (m.org_id = ?1 OR m.id IN (SELECT member_id FROM transfer))
               AND {} = ?1 AND {} ORDER BY name",
            org_at("m", "?2"),
            on_rolls("m", "?2")
        ))?;
        let rows = stmt.query_map(params![org_id, date], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn member(&self, id: i64) -> Result<Member> {
        self.conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM member WHERE id = ?1"))?
            .query_row([id], from_row)
            .optional()?
            .ok_or(StoreError::NotFound)
    }

    /// Inserts or updates a member in one transaction, with its audit row. A 公民身份号码 already held
    /// by someone else is refused with that person's name.
    pub fn save_member(&mut self, member: &Member) -> Result<i64> {
        self.write(|tx| {
            if let Some(number) = non_empty(&member.id_number) {
                let holder: Option<(i64, String, String)> = tx
                    .prepare_cached(
                        "SELECT m.id, m.name, o.name FROM member m JOIN org o ON o.id = m.org_id
                         WHERE m.id_number = ?1",
                    )?
                    .query_row([number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?;
                if let Some((id, name, org)) = holder
                    && Some(id) != member.id
                {
                    return Err(StoreError::at(
                        MemberField::IdNumber,
                        format!(
                            "该公民身份号码已登记为{name}（{org}），同一人请勿重复录入；\
                             如系转出后又转回，请打开{name}，用“登记转接…”登记转入"
                        ),
                    ));
                }
            }
            let org_exists: Option<i64> = tx
                .prepare_cached("SELECT id FROM org WHERE id = ?1")?
                .query_row([member.org_id], |r| r.get(0))
                .optional()?;
            if org_exists.is_none() {
                return Err(StoreError::at(MemberField::Org, "所选组织不存在"));
            }

            let before = match member.id {
                Some(id) => Some(by_id(tx, id)?.ok_or(StoreError::NotFound)?),
                None => None,
            };
            let mut saved = member.clone();
            if saved.uid.is_empty() {
                saved.uid = before
                    .as_ref()
                    .map(|b| b.uid.clone())
                    .unwrap_or_else(new_uid);
            }
            let id = write_row(tx, &saved)?;
            saved.id = Some(id);
            audit::record(tx, "member", &saved.uid, before.as_ref(), Some(&saved))?;
            Ok(id)
        })
    }
}

/// Inserts `m` (no id) or updates it (with one); returns its id. `m.uid` is already set.
pub(super) fn write_row(tx: &Connection, m: &Member) -> Result<i64> {
    let values = params![
        m.uid,
        m.name,
        m.gender,
        m.ethnicity,
        m.birth_date,
        non_empty(&m.id_number),
        m.education,
        m.job,
        m.phone,
        m.org_id,
        m.category,
        m.applied_on,
        m.activist_on,
        m.candidate_on,
        m.probationary_on,
        m.full_on,
        m.party_post,
        m.introducers,
        m.status,
        m.status_date,
        m.note,
        m.probation_extended_to
    ];
    let id = match m.id {
        Some(id) => {
            tx.prepare_cached(
                "UPDATE member SET uid = ?1, name = ?2, gender = ?3, ethnicity = ?4, birth_date = ?5,
                 id_number = ?6, education = ?7, job = ?8, phone = ?9, org_id = ?10, category = ?11,
                 applied_on = ?12, activist_on = ?13, candidate_on = ?14, probationary_on = ?15,
                 full_on = ?16, party_post = ?17, introducers = ?18, status = ?19, status_date = ?20,
                 note = ?21, probation_extended_to = ?22 WHERE id = ?23",
            )?
            .execute(rusqlite::params_from_iter(
                values.iter().copied().chain([&id as &dyn rusqlite::ToSql]),
            ))?;
            id
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO member (uid, name, gender, ethnicity, birth_date, id_number, education, job,
                 phone, org_id, category, applied_on, activist_on, candidate_on, probationary_on, full_on,
                 party_post, introducers, status, status_date, note, probation_extended_to)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                         ?18, ?19, ?20, ?21, ?22)",
            )?
            .execute(values)?;
            tx.last_insert_rowid()
        }
    };
    Ok(id)
}
