//! Arbitrary UTF-8 as a rule-language expression and as a type annotation.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some(text) = verdict_fuzz::utf8(data) {
        verdict_fuzz::expr(text);
    }
});
