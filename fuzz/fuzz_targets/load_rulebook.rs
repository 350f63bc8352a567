//! Arbitrary bytes as a rulebook file: parsed, read, checked, its tests run.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some(text) = verdict_fuzz::utf8(data) {
        verdict_fuzz::rulebook(text);
    }
});
