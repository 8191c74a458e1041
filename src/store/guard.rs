//! The per-record guard: a form saves over the record as it loaded it, never over a change made
//! since (another window, an import). Each kind's `save_…_as_loaded` reads the record again in the
//! save's transaction and refuses with "此记录已被修改", naming the newer values, when it differs.

use super::{Db, Result, StoreError};
use crate::model::activity::Activity;
use crate::model::field::{Kind, Record, Value};
use crate::model::member::Member;
use crate::model::org::{CommitteeMember, Org};
use crate::model::rectify::Rectification;
use crate::model::talk::Talk;

/// The fields that differ between `was` and `now`, each named by its label and, where it reads
/// as one, its new value: "职务现为“科长”". An organisation is named; a list kept in another
/// table (the attendance, the types) is said to have changed.
fn differences<R: Record>(db: &Db, was: &R, now: &R) -> Vec<String> {
    R::fields()
        .iter()
        .filter_map(|f| {
            let value = now.get(f.key);
            if was.get(f.key) == value {
                return None;
            }
            let label = f.label;
            Some(match (f.kind, value) {
                (_, Value::Null) => format!("{label}现为空白"),
                (_, Value::Text(s)) if s.is_empty() => format!("{label}现为空白"),
                (Kind::Org, Value::Int(id)) => match db.org(id) {
                    Ok(o) => format!("{label}现为“{}”", o.name),
                    Err(_) => format!("{label}已改动"),
                },
                (Kind::Label, _) => format!("{label}已改动"),
                _ if !f.is_column() => format!("{label}已改动"),
                (Kind::Bool, Value::Int(n)) => {
                    format!("{label}现为“{}”", if n != 0 { "是" } else { "否" })
                }
                (_, v) => {
                    let s = v.to_text();
                    let short: String = s.chars().take(30).collect();
                    let more = if short.len() < s.len() { "…" } else { "" };
                    format!("{label}现为“{short}{more}”")
                }
            })
        })
        .collect()
}

/// The refusal of a save over `now` by a form that loaded `loaded`, or nothing when they agree.
fn refuse_if_changed<R: Record + PartialEq>(
    db: &Db,
    loaded: &R,
    now: &R,
    also: Vec<String>,
) -> Result<()> {
    let mut changed = differences(db, loaded, now);
    changed.extend(also);
    if loaded == now && changed.is_empty() {
        return Ok(());
    }
    let what = if changed.is_empty() {
        String::new()
    } else {
        format!("：{}", changed.join("，"))
    };
    Err(StoreError::refused(format!(
        "此记录已被修改（在打开表单之后）{what}。本次未保存，请取消后重新打开再修改。"
    )))
}

impl Db {
    /// Saves a member edited in a form that loaded it as `loaded` (`None`: a new record).
    pub fn save_member_as_loaded(&mut self, m: &Member, loaded: Option<&Member>) -> Result<i64> {
        self.batch(|db| {
            if let (Some(id), Some(loaded)) = (m.id, loaded) {
                refuse_if_changed(db, loaded, &db.member(id)?, Vec::new())?;
            }
            db.save_member(m)
        })
    }

    /// Saves an organisation and its committee over them as the form loaded them.
    pub fn save_org_as_loaded(
        &mut self,
        org: &Org,
        committee: &[CommitteeMember],
        loaded: Option<&(Org, Vec<CommitteeMember>)>,
    ) -> Result<i64> {
        self.batch(|db| {
            if let (Some(id), Some((was, was_committee))) = (org.id, loaded) {
                let now = db.org(id)?;
                let now_committee = db.committee(id)?;
                let also = if &now_committee != was_committee {
                    vec!["支部委员会已改动".to_string()]
                } else {
                    Vec::new()
                };
                refuse_if_changed(db, was, &now, also)?;
            }
            db.save_org(org, committee)
        })
    }

    /// Saves an activity record (with the files chosen in the form) over it as the form loaded it.
    pub fn save_activity_as_loaded(
        &mut self,
        a: &Activity,
        files: &[std::path::PathBuf],
        loaded: Option<&Activity>,
    ) -> Result<i64> {
        if let (Some(id), Some(loaded)) = (a.id, loaded) {
            // Checked before the files are copied, and again inside the save's transaction.
            refuse_if_changed(self, loaded, &self.activity(id)?, Vec::new())?;
        }
        self.batch(|db| {
            if let (Some(id), Some(loaded)) = (a.id, loaded) {
                refuse_if_changed(db, loaded, &db.activity(id)?, Vec::new())?;
            }
            db.save_activity_with_files(a, files)
        })
    }

    /// Saves a 换届选举 over it as the dialog loaded it (`None`: a new record).
    pub fn save_election_as_loaded(
        &mut self,
        e: &crate::model::election::Election,
        loaded: Option<&crate::model::election::Election>,
    ) -> Result<i64> {
        self.batch(|db| {
            if let (Some(id), Some(loaded)) = (e.id, loaded) {
                refuse_if_changed(db, loaded, &db.election(id)?, Vec::new())?;
            }
            db.save_election(e)
        })
    }

    /// Saves a talk over it as the form loaded it.
    pub fn save_talk_as_loaded(&mut self, t: &Talk, loaded: Option<&Talk>) -> Result<i64> {
        self.batch(|db| {
            if let (Some(id), Some(loaded)) = (t.id, loaded) {
                refuse_if_changed(db, loaded, &db.talk(id)?, Vec::new())?;
            }
            db.save_talk(t)
        })
    }

    /// Saves a rectification item over it as the form loaded it (or last reloaded it after a
    /// progress note or a change of status made in the same window).
    pub fn save_rectification_as_loaded(
        &mut self,
        r: &Rectification,
        loaded: Option<&Rectification>,
    ) -> Result<i64> {
        self.batch(|db| {
            if let (Some(id), Some(loaded)) = (r.id, loaded) {
                refuse_if_changed(db, loaded, &db.rectification(id)?, Vec::new())?;
            }
            db.save_rectification(r)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::talk::Talk;

    #[test]
    fn names_what_changed_by_its_label_with_its_new_value() {
        let db = Db::open_in_memory().unwrap();
        let was = Talk {
            place: "会议室".into(),
            content: "谈心".into(),
            ..Default::default()
        };
        let now = Talk {
            place: String::new(),
            content: "谈心谈话，提醒按时交纳党费".into(),
            ..was.clone()
        };
        assert_eq!(
            differences(&db, &was, &now),
            vec![
                "地点现为空白".to_string(),
                "谈话内容现为“谈心谈话，提醒按时交纳党费”".to_string()
            ]
        );
        let e = refuse_if_changed(&db, &was, &now, Vec::new()).unwrap_err();
        assert!(e.to_string().starts_with("此记录已被修改"), "{e}");
        assert!(refuse_if_changed(&db, &was, &was, Vec::new()).is_ok());
    }
}
