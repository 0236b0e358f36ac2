//! The parts of the `casebook` command line that its tests also use:
//! the synthetic journal and measurements behind `casebook bench`, and the
//! stream of writes the crash-safety harness kills (`tests/cli/crash.rs`).
//! They sit here, not in the core, so the desktop app does not link them.

#![forbid(unsafe_code)]

pub mod bench;
pub mod i18n;
pub mod ocr_bench;
pub mod stress;
pub mod term;
