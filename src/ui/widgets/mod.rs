//! Widgets shared by the tabs.

pub mod attachments;
pub mod attendance;
pub mod date_field;
pub mod form;
pub mod prose;
pub mod settings;
pub mod table;
pub mod toasts;
