//! Loading generated data (`dangwu demo-data`) into an empty file in one transaction, through the
//! same row writers as ordinary saves. No audit rows: nobody changed anything, and millions of them
//! would only bloat the file.

use super::{Db, Result, StoreError, activities, members, new_uid, orgs};
use crate::model::activity::Activity;
use crate::model::member::Member;
use crate::model::org::Org;

impl Db {
    /// Whether the file holds any organisation, member or activity.
    pub fn has_records(&self) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM org) OR EXISTS (SELECT 1 FROM member) OR EXISTS (SELECT 1 FROM activity)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Inserts organisations (parents before children; `parent_id` indexes into `orgs`), members
    /// (`org_id` indexes into `orgs`) and activities (`org_id` into `orgs`, attendance `member_id`
    /// into `members`). Refuses a file that already holds records.
    pub fn bulk_load(
        &mut self,
        orgs: &[Org],
        members: &[Member],
        activities: &[Activity],
    ) -> Result<()> {
        if self.has_records()? {
            return Err(StoreError::refused(
                "该数据文件中已有记录，演示数据只能写入空白文件",
            ));
        }
        self.write(|tx| {
            let mut org_ids: Vec<i64> = Vec::with_capacity(orgs.len());
            for o in orgs {
                let row = Org {
                    id: None,
                    uid: new_uid(),
                    parent_id: o.parent_id.map(|i| org_ids[i as usize]),
                    ..o.clone()
                };
                org_ids.push(orgs::write_row(tx, &row)?);
            }
            let mut member_ids = Vec::with_capacity(members.len());
            for m in members {
                let row = Member {
                    id: None,
                    uid: new_uid(),
                    org_id: org_ids[m.org_id as usize],
                    ..m.clone()
                };
                member_ids.push(members::write_row(tx, &row)?);
            }
            for a in activities {
                let mut row = Activity {
                    id: None,
                    uid: new_uid(),
                    org_id: org_ids[a.org_id as usize],
                    ..a.clone()
                };
                for x in &mut row.attendance {
                    x.member_id = member_ids[x.member_id as usize];
                }
                let id = activities::write_row(tx, &row)?;
                activities::write_children(tx, id, &row)?;
            }
            Ok(())
        })
    }
}
