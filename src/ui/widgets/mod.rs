//! Widgets shared by the tabs.

pub mod date_field;
pub mod form;
pub mod table;
pub mod toasts;
