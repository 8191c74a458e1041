//! 组织关系转接: a member's organisation at any date comes from these records, so a roll taken for
//! a 2022 meeting entered in 2024 lists who was in that branch in 2022.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::field::{self, Field, Kind, Record, Stored, Value};
use super::{FieldErrors, date, labelled_enum};

labelled_enum! {
    /// What a transfer is, read from which ends lie inside the bureau.
    pub enum TransferKind {
        In => "转入",
        Out => "转出",
        Within => "本单位内转接",
    }
}

/// One move of a member's 组织关系. `from` / `to` are organisations of the bureau; `None` is the
/// world outside, named in `other_org` (转入 from it, 转出 to it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub id: Option<i64>,
    pub uid: String,
    pub member_id: i64,
    pub date: NaiveDate,
    pub from_org: Option<i64>,
    pub to_org: Option<i64>,
    /// The organisation outside the bureau (free text), for 转入 and 转出.
    pub other_org: String,
    pub note: String,
}

impl Transfer {
    pub fn kind(&self) -> TransferKind {
        match (self.from_org, self.to_org) {
            (None, _) => TransferKind::In,
            (_, None) => TransferKind::Out,
            _ => TransferKind::Within,
        }
    }
}

/// The organisation a member belonged to at `at`, or `None` when outside the bureau then (after a
/// 转出, or before the 转入 that brought them). `transfers` are the member's, in date order; a
/// member with none belongs to `home` (the organisation on the member's record) throughout.
/// The one definition: its SQL twin is `store::sql::org_at`, tested to agree.
pub fn org_at(home: i64, transfers: &[Transfer], at: NaiveDate) -> Option<i64> {
    match transfers.iter().rev().find(|t| t.date <= at) {
        Some(last) => last.to_org,
        None => match transfers.first() {
            Some(first) => first.from_org,
            None => Some(home),
        },
    }
}

/// Why a new or changed transfer does not fit the member's chain of transfers: each one must start
/// where the one before it ended. `others` are the member's other transfers in date order; a record
/// on the same day as another goes after it.
pub fn chain_error(
    t: &Transfer,
    others: &[Transfer],
    org_name: impl Fn(Option<i64>) -> String,
) -> Option<String> {
    if t.from_org.is_none() && t.to_org.is_none() {
        return Some("转入须选择转入的组织，转出须有原所在组织".into());
    }
    if t.from_org.is_some() && t.from_org == t.to_org {
        return Some("转出组织与转入组织相同".into());
    }
    let before = others.iter().rev().find(|o| o.date <= t.date);
    let after = others.iter().find(|o| o.date > t.date);
    if let Some(b) = before
        && b.to_org != t.from_org
    {
        return Some(format!(
            "{}该党员已{}（{}），这次转接应从{}转出",
            date::iso(b.date),
            b.kind(),
            org_name(b.to_org),
            org_name(b.to_org)
        ));
    }
    if let Some(a) = after
        && a.from_org != t.to_org
    {
        return Some(format!(
            "{}还有一条{}记录（从{}转出），与这次转接接不上，请先修改那条记录",
            date::iso(a.date),
            a.kind(),
            org_name(a.from_org)
        ));
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferField {
    Member,
    Kind,
    Date,
    FromOrg,
    ToOrg,
    OtherOrg,
    Note,
}

super::form_field!(TransferField => Transfer);

/// The fields of a transfer, declared once (`model::field`).
pub const FIELDS: &[Field<TransferField>] = {
    use TransferField as F;
    &[
        Field::new(F::Member, "member_id", "党员", Kind::Int).required(),
        Field::elsewhere(F::Kind, "转接类型", Kind::Choice(TransferKind::LABELS))
            .required()
            .synonyms(&["类型", "转接类别"])
            .note("转入 / 转出 / 本单位内转接"),
        Field::new(F::Date, "date", "日期", Kind::Date)
            .required()
            .synonyms(&["转接日期"])
            .note("转接日期"),
        Field::new(F::FromOrg, "from_org_id", "原组织", Kind::Org)
            .note("本单位的党组织：转出或本单位内转接时离开的组织"),
        Field::new(F::ToOrg, "to_org_id", "新组织", Kind::Org)
            .note("本单位的党组织：转入或本单位内转接时进入的组织"),
        Field::new(F::OtherOrg, "other_org", "对方组织", Kind::Text)
            .note("本单位以外的党组织（转入时为原组织，转出时为转往组织）"),
        Field::new(F::Note, "note", "备注", Kind::Text),
    ]
};

impl TransferField {
    /// The one Chinese label of the field.
    pub fn label(self) -> &'static str {
        field::find(FIELDS, self).label
    }
}

impl Record for Transfer {
    type Field = TransferField;

    fn fields() -> &'static [Field<TransferField>] {
        FIELDS
    }

    fn get(&self, f: TransferField) -> Value {
        use TransferField as F;
        match f {
            F::Member => self.member_id.to_value(),
            F::Kind => self.kind().to_value(),
            F::Date => self.date.to_value(),
            F::FromOrg => self.from_org.to_value(),
            F::ToOrg => self.to_org.to_value(),
            F::OtherOrg => self.other_org.to_value(),
            F::Note => self.note.to_value(),
        }
    }

    fn set(&mut self, f: TransferField, v: Value) -> Result<(), String> {
        use TransferField as F;
        match f {
            F::Member => v.put(&mut self.member_id),
            F::Kind => field::kept_elsewhere(f.label()),
            F::Date => v.put(&mut self.date),
            F::FromOrg => v.put(&mut self.from_org),
            F::ToOrg => v.put(&mut self.to_org),
            F::OtherOrg => v.put(&mut self.other_org),
            F::Note => v.put(&mut self.note),
        }
    }

    fn identity(&self) -> (Option<i64>, &str) {
        (self.id, &self.uid)
    }

    fn set_identity(&mut self, id: Option<i64>, uid: String) {
        (self.id, self.uid) = (id, uid);
    }
}

/// The 组织关系转接 dialog, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransferInput {
    pub member_id: i64,
    pub kind: Option<TransferKind>,
    pub date: String,
    pub to_org: Option<i64>,
    pub other_org: String,
    pub note: String,
}

impl TransferInput {
    /// Builds the record: where the member came from is where the member's transfers put them on
    /// the date (`home` and `others` as for [`org_at`]).
    pub fn validate(
        &self,
        home: i64,
        others: &[Transfer],
        today: NaiveDate,
    ) -> Result<Transfer, FieldErrors<TransferField>> {
        self.validate_from(|d| org_at(home, others, d), today)
    }

    /// Builds the record with `org_on` saying where the member was on a date (`None`: outside the
    /// bureau): the member's chain of transfers, or, for the first transfer an import brings of a
    /// member, the row's own 原组织.
    pub fn validate_from(
        &self,
        org_on: impl Fn(NaiveDate) -> Option<i64>,
        today: NaiveDate,
    ) -> Result<Transfer, FieldErrors<TransferField>> {
        use TransferField as F;
        let mut errors = FieldErrors::new();
        let when = errors.past_date(F::Date, "", &self.date, today);
        if when.is_none() && self.date.trim().is_empty() {
            errors.push(F::Date, "请填写转接日期");
        }
        let other = self.other_org.trim().to_string();
        let from = when.map(&org_on);
        match self.kind {
            None => errors.push(F::Kind, "请选择转入、转出或本单位内转接"),
            Some(TransferKind::In) => {
                if self.to_org.is_none() {
                    errors.push(F::ToOrg, "请选择转入本单位的哪个党组织");
                }
                if other.is_empty() {
                    errors.push(F::OtherOrg, "请填写原所在党组织（转出单位）");
                }
                if let Some(Some(_)) = from {
                    errors.push(
                        F::Kind,
                        "该党员当日已在本单位党组织，请用“本单位内转接”或“转出”",
                    );
                }
            }
            Some(TransferKind::Out) => {
                if other.is_empty() {
                    errors.push(F::OtherOrg, "请填写转往的党组织");
                }
                if let Some(None) = from {
                    errors.push(F::Date, "该党员当日不在本单位党组织，无法转出");
                }
            }
            Some(TransferKind::Within) => {
                if self.to_org.is_none() {
                    errors.push(F::ToOrg, "请选择转往的党组织");
                }
                match from {
                    Some(None) => errors.push(F::Date, "该党员当日不在本单位党组织，请登记“转入”"),
                    Some(Some(f)) if Some(f) == self.to_org => {
                        errors.push(F::ToOrg, "转往的党组织与当日所在组织相同")
                    }
                    _ => {}
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (Some(kind), Some(date), Some(from)) = (self.kind, when, from) else {
            return Err(errors);
        };
        Ok(Transfer {
            id: None,
            uid: String::new(),
            member_id: self.member_id,
            date,
            from_org: if kind == TransferKind::In { None } else { from },
            to_org: if kind == TransferKind::Out {
                None
            } else {
                self.to_org
            },
            other_org: if kind == TransferKind::Within {
                String::new()
            } else {
                other
            },
            note: self.note.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(date: NaiveDate, from: Option<i64>, to: Option<i64>) -> Transfer {
        Transfer {
            id: None,
            uid: String::new(),
            member_id: 1,
            date,
            from_org: from,
            to_org: to,
            other_org: String::new(),
            note: String::new(),
        }
    }

    #[test]
    fn moved_in_march_is_on_a_in_february_and_on_b_in_april() {
        let moves = [t(d(2022, 3, 15), Some(1), Some(2))];
        assert_eq!(org_at(2, &moves, d(2022, 2, 28)), Some(1));
        assert_eq!(org_at(2, &moves, d(2022, 3, 15)), Some(2));
        assert_eq!(org_at(2, &moves, d(2022, 4, 1)), Some(2));
        assert_eq!(moves[0].kind(), TransferKind::Within);
    }

    #[test]
    fn outside_the_bureau_before_coming_in_and_after_leaving() {
        let chain = [
            t(d(2019, 5, 1), None, Some(1)),
            t(d(2022, 6, 1), Some(1), None),
            t(d(2024, 9, 1), None, Some(3)),
        ];
        assert_eq!(org_at(3, &chain, d(2019, 4, 30)), None);
        assert_eq!(org_at(3, &chain, d(2020, 1, 1)), Some(1));
        assert_eq!(org_at(3, &chain, d(2023, 1, 1)), None, "转出 then");
        assert_eq!(org_at(3, &chain, d(2025, 1, 1)), Some(3), "came back");
        assert_eq!(org_at(7, &[], d(2025, 1, 1)), Some(7));
    }

    #[test]
    fn a_transfer_must_start_where_the_last_one_ended() {
        let name = |o: Option<i64>| o.map_or("本单位以外".to_string(), |i| format!("组织{i}"));
        let chain = [t(d(2022, 6, 1), Some(1), None)];
        // 转出 twice: the second starts inside the bureau, but the member is outside by then.
        let e = chain_error(&t(d(2023, 1, 1), Some(1), None), &chain, name).unwrap();
        assert!(e.contains("2022-06-01该党员已转出"), "{e}");
        assert!(chain_error(&t(d(2023, 1, 1), None, Some(2)), &chain, name).is_none());
        // An older move inserted before the 转出 must end where the 转出 starts.
        let e = chain_error(&t(d(2021, 1, 1), Some(2), Some(3)), &chain, name).unwrap();
        assert!(e.contains("接不上"), "{e}");
        assert!(chain_error(&t(d(2021, 1, 1), Some(2), Some(1)), &chain, name).is_none());
        assert!(chain_error(&t(d(2021, 1, 1), Some(2), Some(2)), &[], name).is_some());
    }

    #[test]
    fn the_dialog_takes_the_origin_from_the_history() {
        let today = d(2026, 11, 22);
        let chain = [t(d(2022, 3, 15), Some(1), Some(2))];
        let mut input = TransferInput {
            member_id: 1,
            kind: Some(TransferKind::Out),
            date: "2023-05-01".into(),
            other_org: "省民政厅机关党委".into(),
            ..Default::default()
        };
        let out = input.validate(2, &chain, today).unwrap();
        assert_eq!((out.from_org, out.to_org), (Some(2), None));
        assert_eq!(out.kind(), TransferKind::Out);
        // Coming back later: a 转入 of the same person, once outside.
        let gone = [chain[0].clone(), out];
        input.kind = Some(TransferKind::In);
        input.date = "2025-02-01".into();
        input.to_org = Some(3);
        let back = input.validate(2, &gone, today).unwrap();
        assert_eq!((back.from_org, back.to_org), (None, Some(3)));
        // A 转入 while still inside, or a 转出 while outside, is said at the field.
        input.date = "2022-06-01".into();
        assert!(
            input
                .validate(2, &gone, today)
                .unwrap_err()
                .get(TransferField::Kind)
                .is_some()
        );
        input.kind = Some(TransferKind::Out);
        input.date = "2024-01-01".into();
        assert!(
            input
                .validate(2, &gone, today)
                .unwrap_err()
                .get(TransferField::Date)
                .is_some()
        );
        input.other_org.clear();
        assert_eq!(
            input
                .validate(2, &gone, today)
                .unwrap_err()
                .get(TransferField::OtherOrg),
            Some("请填写转往的党组织")
        );
    }
}
