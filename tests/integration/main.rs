//! One integration crate (see STYLE.md): golden CLI cases, the shipped
//! rulebooks' own tests, calendars, and a made-up jurisdiction.

mod calendars;
mod cli;
mod diff;
mod golden;
mod jurisdiction;
mod rulebooks;
mod util;
