#![no_main]

use formfit::quantity::{parse_quantity, parse_range, Interval};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let point = parse_quantity(&s, None).ok();
    let Ok([(low, _), (high, _)]) = parse_range(&s, None) else {
        return;
    };
    let range = Interval::new(&low, &high);
    let reversed = Interval::new(&high, &low);
    let _ = range.within(&reversed);
    let _ = range.overlaps(&reversed);
    let _ = range.covers(&reversed);
    let _ = reversed.overlaps(&range);
    let _ = range.within(&range);
    let _ = range.overlaps(&range);
    let _ = range.covers(&range);
    if let Some(point) = point {
        let p = Interval::new(&point, &point);
        let _ = range.within(&p);
        let _ = range.overlaps(&p);
        let _ = range.covers(&p);
        let _ = p.overlaps(&range);
    }
});
