//! The per-record guard: a form saves over the record as it loaded it, never over a change made
//! since (another window, an import). Each kind's `save_…_as_loaded` reads the record again in the
//! save's transaction and refuses with "此记录已被修改", naming the newer values, when it differs.

use serde::Serialize;

use super::{Db, Result, StoreError};
use crate::model::activity::Activity;
use crate::model::member::Member;
use crate::model::org::{CommitteeMember, Org};
use crate::model::rectify::Rectification;
use crate::model::talk::Talk;

/// Field names (as serialised) and the labels the forms show, per record kind.
const MEMBER: &[(&str, &str)] = &[
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("id_number", "公民身份号码"),
    ("education", "学历"),
    ("job", "职务"),
    ("phone", "联系电话"),
    ("org_id", "所在组织"),
    ("category", "人员类别"),
    ("applied_on", "申请入党日期"),
    ("activist_on", "确定积极分子日期"),
    ("candidate_on", "确定发展对象日期"),
    ("probationary_on", "接收预备党员日期"),
    ("full_on", "转正日期"),
    ("probation_extended_to", "延长预备期至"),
    ("party_post", "党内职务"),
    ("introducers", "入党介绍人"),
    ("status", "状态"),
    ("status_date", "状态变更日期"),
    ("note", "备注"),
];

const ORG: &[(&str, &str)] = &[
    ("name", "组织名称"),
    ("kind", "组织类别"),
    ("parent_id", "上级组织"),
    ("founded", "成立日期"),
    ("dissolved", "撤销日期"),
    ("term_start", "本届任期开始"),
    ("term_years", "任期年限"),
    ("has_committee", "设支部委员会"),
    ("has_groups", "设党小组"),
    ("note", "备注"),
    ("expectations", "应开展的活动"),
];

const ACTIVITY: &[(&str, &str)] = &[
    ("date", "日期"),
    ("time", "时间"),
    ("org_id", "所属组织"),
    ("type_ids", "类型"),
    ("topic", "主题"),
    ("content", "学习内容"),
    ("host", "主持人"),
    ("lecturer", "主讲人"),
    ("place", "地点"),
    ("recorder", "记录人"),
    ("guests", "列席人员"),
    ("minutes", "会议记录"),
    ("outcome", "成效"),
    ("speech_date", "讲话日期"),
    ("for_year", "所属年度"),
    ("expected", "应到人数"),
    ("present", "实到人数"),
    ("attendance", "出席名单"),
    ("attachments", "附件"),
];

const TALK: &[(&str, &str)] = &[
    ("date", "谈话日期"),
    ("kind_id", "谈话类型"),
    ("form", "形式"),
    ("org_id", "组织"),
    ("talkers", "谈话人"),
    ("subjects", "谈话对象"),
    ("subject_names", "其他对象姓名"),
    ("headcount", "对象人数"),
    ("place", "地点"),
    ("reason", "原因"),
    ("content", "谈话内容"),
    ("follow_up", "后续情况"),
];

const RECTIFICATION: &[(&str, &str)] = &[
    ("source", "问题来源"),
    ("org_id", "所属组织"),
    ("found_on", "发现日期"),
    ("description", "问题描述"),
    ("category", "问题类别"),
    ("unit", "责任单位"),
    ("person", "责任人"),
    ("measures", "整改措施"),
    ("deadline", "整改时限"),
    ("status", "状态"),
    ("closed_on", "完成日期"),
    ("evidence", "整改成效"),
    ("evidence_file", "佐证附件"),
    ("verifier", "验收人"),
];

/// The labelled fields that differ between `was` and `now`, as "职务现为“科长”". A list (the
/// attendance, the committee) is named without its value.
fn differences<T: Serialize>(was: &T, now: &T, labels: &[(&str, &str)]) -> Vec<String> {
    let (Ok(a), Ok(b)) = (serde_json::to_value(was), serde_json::to_value(now)) else {
        return Vec::new();
    };
    labels
        .iter()
        .filter(|(key, _)| a.get(key) != b.get(key))
        .map(|(key, label)| match b.get(key) {
            Some(serde_json::Value::String(s)) if s.is_empty() => format!("{label}现为空白"),
            Some(serde_json::Value::String(s)) => {
                let short: String = s.chars().take(30).collect();
                let more = if short.len() < s.len() { "…" } else { "" };
                format!("{label}现为“{short}{more}”")
            }
            Some(serde_json::Value::Null) | None => format!("{label}现为空白"),
            Some(serde_json::Value::Array(_) | serde_json::Value::Object(_)) => {
                format!("{label}已改动")
            }
            Some(other) => format!("{label}现为“{other}”"),
        })
        .collect()
}

/// The refusal of a save over `now` by a form that loaded `loaded`, or nothing when they agree.
fn refuse_if_changed<T: Serialize + PartialEq>(
    loaded: &T,
    now: &T,
    labels: &[(&str, &str)],
    also: Vec<String>,
) -> Result<()> {
    let mut changed = differences(loaded, now, labels);
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
                refuse_if_changed(loaded, &db.member(id)?, MEMBER, Vec::new())?;
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
                refuse_if_changed(was, &now, ORG, also)?;
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
            refuse_if_changed(loaded, &self.activity(id)?, ACTIVITY, Vec::new())?;
        }
        self.batch(|db| {
            if let (Some(id), Some(loaded)) = (a.id, loaded) {
                refuse_if_changed(loaded, &db.activity(id)?, ACTIVITY, Vec::new())?;
            }
            db.save_activity_with_files(a, files)
        })
    }

    /// Saves a talk over it as the form loaded it.
    pub fn save_talk_as_loaded(&mut self, t: &Talk, loaded: Option<&Talk>) -> Result<i64> {
        self.batch(|db| {
            if let (Some(id), Some(loaded)) = (t.id, loaded) {
                refuse_if_changed(loaded, &db.talk(id)?, TALK, Vec::new())?;
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
                refuse_if_changed(loaded, &db.rectification(id)?, RECTIFICATION, Vec::new())?;
            }
            db.save_rectification(r)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, PartialEq)]
    struct Note {
        place: String,
        content: String,
    }

    #[test]
    fn names_what_changed_with_its_new_value() {
        let was = Note {
            place: "会议室".into(),
            content: "谈心".into(),
        };
        let now = Note {
            place: String::new(),
            content: "谈心谈话，提醒按时交纳党费".into(),
        };
        assert_eq!(
            differences(&was, &now, TALK),
            vec![
                "地点现为空白".to_string(),
                "谈话内容现为“谈心谈话，提醒按时交纳党费”".to_string()
            ]
        );
        let e = refuse_if_changed(&was, &now, TALK, Vec::new()).unwrap_err();
        assert!(e.to_string().starts_with("此记录已被修改"), "{e}");
        assert!(refuse_if_changed(&was, &was, TALK, Vec::new()).is_ok());
    }
}
