//! A user-kept list of names: the kinds of 谈话 and the 专题 of activities. Built-in entries keep
//! their name; entries are added and retired (停用), never deleted, so that old records keep
//! what they were filed under.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub id: Option<i64>,
    pub uid: String,
    pub label: String,
    pub builtin: bool,
    /// 停用: not offered for new records, still counted where used.
    pub hidden: bool,
}

impl Label {
    /// A new entry named `label`, not saved yet.
    pub fn new(label: &str) -> Self {
        Label {
            id: None,
            uid: String::new(),
            label: label.to_string(),
            builtin: false,
            hidden: false,
        }
    }
}
