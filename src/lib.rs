//! 党务台账: the party-affairs ledger of a city civil-affairs bureau.
//!
//! Layers, each using only those below it: `ui` → `store` → `model`.
//! `model` holds the domain rules (no I/O), `store` the SQLite file, `ui` the egui window.

pub mod crash;
pub mod demo;
pub mod line_break;
pub mod model;
pub mod paths;
pub mod print;
pub mod store;
pub mod tally;
pub mod ui;
pub mod workbook;
