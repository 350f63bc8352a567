//! Arbitrary bytes as a holiday calendar: read, listed, and used by a probe
//! rulebook (periods, working days, next weekday) on days across 1900–2200.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some(text) = verdict_fuzz::utf8(data) {
        verdict_fuzz::calendar(text);
    }
});
