//! 专题: the themes an activity is held under (党史学习教育, 意识形态工作 …), a short list kept by
//! the user (domain.md). Called "theme" in the code, as `Activity::topic` is the 主题 of a
//! meeting; the tally's JSON keeps tally.md's names (`topics`). An activity carries zero or more;
//! the tally counts the activities of each 专题, and of each type and 专题 together
//! (党组会议研究意识形态工作N次).

pub use super::label::Label as Theme;

/// The list a new ledger starts with.
pub const DEFAULT_THEMES: [&str; 6] = [
    "党史学习教育",
    "学习贯彻党的二十大精神",
    "主题教育",
    "意识形态工作",
    "党风廉政建设",
    "全面从严治党",
];

/// The 专题 whose 党组会议 the reports count as 研究意识形态工作.
pub const IDEOLOGY: &str = "意识形态工作";
/// The 专题 the reports count as 学习党史.
pub const PARTY_HISTORY: &str = "党史学习教育";

/// The names of `ids` among `themes`, in the list's order, for a cell or a line.
pub fn names(themes: &[Theme], ids: &[i64]) -> Vec<String> {
    themes
        .iter()
        .filter(|t| t.id.is_some_and(|id| ids.contains(&id)))
        .map(|t| t.label.clone())
        .collect()
}
