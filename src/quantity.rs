//! Quantities with units ("225 MHz", "28 VDC", "50 µs") and closed ranges of them.
//!
//! Values are exact rationals in SI base units, never floats: "32.050 MHz" and "32050 kHz" are
//! the same number, and a band edge cannot flip on rounding. Unit symbols are case-sensitive
//! (`mHz` is millihertz); a unit that differs from a known one only by case is an error that
//! names the intended one, never a silent guess.

use std::fmt;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Zero;

mod exact;
pub use exact::Exact;

use crate::code::InputCode;
use crate::diagnostic::{did_you_mean, Problem};
use crate::span::Span;

/// What a quantity measures; two quantities compare only within one dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    Frequency,
    Voltage,
    Length,
    Pressure,
    Power,
    Time,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [Frequency, Voltage, Length, Pressure, Power, Time];

    /// The dimension a schema's `x-quantity` annotation names ("frequency").
    pub fn from_key(key: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.key() == key)
    }

    /// The dimension's name in annotations: `frequency`, `voltage`…
    pub fn key(self) -> &'static str {
        self.name().trim_start_matches("a ")
    }

    pub fn name(self) -> &'static str {
        match self {
            Dimension::Frequency => "a frequency",
            Dimension::Voltage => "a voltage",
            Dimension::Length => "a length",
            Dimension::Pressure => "a pressure",
            Dimension::Power => "a power",
            Dimension::Time => "a time",
        }
    }
}

/// One unit symbol: its dimension and its factor to the SI base unit, as a fraction.
struct Unit {
    symbol: &'static str,
    dimension: Dimension,
    numerator: i64,
    denominator: i64,
}

const fn unit(
    symbol: &'static str,
    dimension: Dimension,
    numerator: i64,
    denominator: i64,
) -> Unit {
    Unit {
        symbol,
        dimension,
        numerator,
        denominator,
    }
}

use Dimension::*;

/// Every accepted symbol. psi is exact: 1 lbf = 4.4482216152605 N over 1 in² = 0.00064516 m².
const UNITS: &[Unit] = &[
    unit("mHz", Frequency, 1, 1_000),
    unit("Hz", Frequency, 1, 1),
    unit("kHz", Frequency, 1_000, 1),
    unit("MHz", Frequency, 1_000_000, 1),
    unit("GHz", Frequency, 1_000_000_000, 1),
    unit("THz", Frequency, 1_000_000_000_000, 1),
    unit("mV", Voltage, 1, 1_000),
    unit("V", Voltage, 1, 1),
    unit("VDC", Voltage, 1, 1),
    // "28 V DC", as data sheets write it.
    unit("V DC", Voltage, 1, 1),
    unit("kV", Voltage, 1_000, 1),
    unit("µm", Length, 1, 1_000_000),
    unit("um", Length, 1, 1_000_000),
    unit("mm", Length, 1, 1_000),
    unit("cm", Length, 1, 100),
    unit("m", Length, 1, 1),
    unit("in", Length, 254, 10_000),
    unit("Pa", Pressure, 1, 1),
    unit("kPa", Pressure, 1_000, 1),
    unit("MPa", Pressure, 1_000_000, 1),
    unit("bar", Pressure, 100_000, 1),
    unit("psi", Pressure, 44_482_216_152_605, 6_451_600_000),
    unit("mW", Power, 1, 1_000),
    unit("W", Power, 1, 1),
    unit("kW", Power, 1_000, 1),
    unit("ns", Time, 1, 1_000_000_000),
    unit("us", Time, 1, 1_000_000),
    unit("µs", Time, 1, 1_000_000),
    unit("μs", Time, 1, 1_000_000),
    unit("ms", Time, 1, 1_000),
    unit("s", Time, 1, 1),
];

/// Longest number accepted, in characters: enough for any real value, bounded for hostile ones.
const MAX_NUMBER_LEN: usize = 40;

/// A parsed quantity: an exact value in SI base units, its dimension, and the text it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub value: Exact,
    pub dimension: Dimension,
    pub text: String,
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A closed interval [min, max] of one dimension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interval {
    pub min: Exact,
    pub max: Exact,
}

impl Interval {
    pub fn new(min: &Quantity, max: &Quantity) -> Interval {
        Interval {
            min: min.value.clone(),
            max: max.value.clone(),
        }
    }

    /// Edges are inclusive: [225, 400] lies within [225, 400].
    pub fn within(&self, outer: &Interval) -> bool {
        outer.min <= self.min && self.max <= outer.max
    }

    pub fn covers(&self, inner: &Interval) -> bool {
        inner.within(self)
    }

    pub fn contains(&self, point: &Exact) -> bool {
        &self.min <= point && point <= &self.max
    }

    /// Shares more than an edge: 400–512 does not overlap 225–400, but a single frequency of
    /// 300 does. Spectrum rules judge only the bands that overlap their allocation.
    pub fn overlaps(&self, other: &Interval) -> bool {
        if self.min == self.max {
            return other.contains(&self.min);
        }
        if other.min == other.max {
            return self.contains(&other.min);
        }
        self.min < other.max && other.min < self.max
    }
}

/// Parses one quantity such as "28 V" or "50µs". Problem spans are relative to `text`.
pub fn parse_quantity(text: &str, expected: Option<Dimension>) -> Result<Quantity, Problem> {
    let (number, number_end) = parse_number(text, 0)?;
    let unit_start = skip_spaces(text, number_end);
    let unit_text = text[unit_start..].trim_end();
    let unit = lookup_unit(
        unit_text,
        expected,
        unit_start..unit_start + unit_text.len(),
    )?;
    Ok(make(number, unit, text.trim()))
}

/// The quantity `text` is, or `None`, with no error built: for callers that only ask whether
/// a text is a quantity (a calibre name is tried as one on every product, and an unknown unit's
/// did-you-mean is costly). Always the same answer as `parse_quantity(text, expected).ok()`.
pub fn quantity_of(text: &str, expected: Option<Dimension>) -> Option<Quantity> {
    let scanned = scan_number(text, 0).ok()?;
    let unit_start = skip_spaces(text, scanned.end);
    let unit_text = text[unit_start..].trim_end();
    let unit = UNITS.iter().find(|u| u.symbol == unit_text)?;
    if expected.is_some_and(|d| d != unit.dimension) {
        return None;
    }
    Some(make(scanned.value(), unit, text.trim()))
}

/// Parses a range written as one string: "225-400 MHz", "20 V – 33 V", "1.5..30 MHz",
/// "30 to 88 MHz". Returns both ends with their spans relative to `text`.
pub fn parse_range(
    text: &str,
    expected: Option<Dimension>,
) -> Result<[(Quantity, Span); 2], Problem> {
    let (low, low_end) = parse_number(text, 0)?;
    let low_start = skip_spaces(text, 0);
    let mut at = skip_spaces(text, low_end);
    let low_unit_end = text[at..]
        .char_indices()
        .find(|&(i, c)| c.is_whitespace() || separator_at(&text[at + i..]).is_some())
        .map_or(text.len(), |(i, _)| at + i);
    // "22 V DC - 29 V DC": the one unit symbol with a space in it.
    let low_unit_end = match text[low_unit_end..].strip_prefix(" DC") {
        Some(rest)
            if &text[at..low_unit_end] == "V"
                && !rest.starts_with(|c: char| c.is_alphanumeric()) =>
        {
            low_unit_end + 3
        }
        _ => low_unit_end,
    };
    let low_unit = &text[at..low_unit_end];
    at = skip_spaces(text, low_unit_end);
    let Some(sep_len) = separator_at(&text[at..]) else {
        return Err(Problem::new(
            InputCode::NotARange,
            format!("`{}` is not a range", text.trim()),
            0..text.len(),
        )
        .with_label("expected a range")
        .with_help("write a range as \"225-400 MHz\" or as a table { min = \"225 MHz\", max = \"400 MHz\" }"));
    };
    let high_start = skip_spaces(text, at + sep_len);
    let (high, high_end) = parse_number(text, high_start)?;
    let unit_start = skip_spaces(text, high_end);
    let high_unit = text[unit_start..].trim_end();
    let high_span = high_start..unit_start + high_unit.len();
    let (unit_text, unit_span) = if high_unit.is_empty() {
        (low_unit, at - low_unit.len()..at)
    } else {
        (high_unit, unit_start..unit_start + high_unit.len())
    };
    let unit = lookup_unit(unit_text, expected, unit_span)?;
    if !low_unit.is_empty() && !high_unit.is_empty() {
        let other = lookup_unit(low_unit, Some(unit.dimension), low_end..low_unit_end)?;
        let low_q = make(low, other, text[low_start..low_unit_end].trim());
        let high_q = make(high, unit, text[high_start..high_span.end].trim());
        return Ok([(low_q, low_start..low_unit_end), (high_q, high_span)]);
    }
    let low_text = format!("{} {}", text[low_start..low_end].trim(), unit.symbol);
    let low_q = make(low, unit, &low_text);
    let high_q = make(high, unit, text[high_start..high_span.end].trim());
    Ok([
        (low_q, low_start..low_unit_end.max(low_end)),
        (high_q, high_span),
    ])
}

fn make(number: Exact, unit: &Unit, text: &str) -> Quantity {
    let value = match (unit.numerator, unit.denominator) {
        (1, 1) => number,
        (n, d) => number.times(n, d),
    };
    Quantity {
        value,
        dimension: unit.dimension,
        text: text.to_owned(),
    }
}

fn skip_spaces(text: &str, from: usize) -> usize {
    text[from..]
        .find(|c: char| !c.is_whitespace())
        .map_or(text.len(), |i| from + i)
}

fn is_separator_char(c: char) -> bool {
    matches!(c, '-' | '–' | '—')
}

/// Length in bytes of a range separator at the start of `rest`, if there is one.
fn separator_at(rest: &str) -> Option<usize> {
    let c = rest.chars().next()?;
    if is_separator_char(c) {
        return Some(c.len_utf8());
    }
    if rest.starts_with("..") {
        return Some(2);
    }
    if rest.starts_with("to ") || rest.starts_with("to\t") {
        return Some(2);
    }
    None
}

/// A decimal number as scanned, before it is turned into a rational: where its parts are.
struct Scanned<'a> {
    end: usize,
    negative: bool,
    int_digits: &'a str,
    frac_digits: &'a str,
    exponent: i64,
}

/// Why a scan found no acceptable number; turned into a [`Problem`] only by callers that report.
enum NumberSlip {
    NoDigits { start: usize },
    TooLong { start: usize, end: usize },
}

/// Finds a decimal number at `from` (sign, digits, optional fraction and exponent) without
/// allocating, so that "is this a quantity?" costs no error when the answer is no.
fn scan_number(text: &str, from: usize) -> Result<Scanned<'_>, NumberSlip> {
    let start = skip_spaces(text, from);
    let bytes = text.as_bytes();
    let mut i = start;
    let negative = match bytes.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let int_start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_digits = &text[int_start..i];
    let mut frac_digits = "";
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        let frac_start = i + 1;
        i += 1;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        frac_digits = &text[frac_start..i];
    }
    if int_digits.is_empty() && frac_digits.is_empty() {
        return Err(NumberSlip::NoDigits { start });
    }
    let mut exponent: i64 = 0;
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        let exp_negative = match bytes.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let exp_start = j;
        while bytes.get(j).is_some_and(u8::is_ascii_digit) && j - exp_start < 4 {
            j += 1;
        }
        if j > exp_start && !bytes.get(j).is_some_and(u8::is_ascii_digit) {
            let digits: i64 = text[exp_start..j].parse().unwrap_or(0);
            exponent = if exp_negative { -digits } else { digits };
            i = j;
        }
    }
    if i - start > MAX_NUMBER_LEN || exponent.abs() > 30 {
        return Err(NumberSlip::TooLong { start, end: i });
    }
    Ok(Scanned {
        end: i,
        negative,
        int_digits,
        frac_digits,
        exponent,
    })
}

impl Scanned<'_> {
    /// The digits before and after the point as one integer, when 38 of them or fewer: they
    /// fit in an `i128`.
    fn word_digits(&self) -> Option<i128> {
        if self.int_digits.len() + self.frac_digits.len() > 38 {
            return None;
        }
        let digits = self.int_digits.bytes().chain(self.frac_digits.bytes());
        Some(digits.fold(0, |n, b| n * 10 + i128::from(b - b'0')))
    }

    /// The number in machine words, when its digits and power of ten fit (every real value).
    fn word_value(&self, scale: i64) -> Option<Exact> {
        let digits = self.word_digits()?;
        let digits = if self.negative { -digits } else { digits };
        let power = 10i128.checked_pow(u32::try_from(scale.unsigned_abs()).ok()?)?;
        if scale >= 0 {
            Some(Exact::from_integer(digits.checked_mul(power)?))
        } else {
            Some(Exact::ratio(digits, power))
        }
    }

    /// The number as an exact rational.
    fn value(&self) -> Exact {
        let scale = self.exponent - self.frac_digits.len() as i64;
        if let Some(value) = self.word_value(scale) {
            return value;
        }
        let digits = format!("{}{}", self.int_digits, self.frac_digits);
        let mut numerator: BigInt = digits.parse().unwrap_or_else(|_| BigInt::zero());
        if self.negative {
            numerator = -numerator;
        }
        let power = num_traits::pow(BigInt::from(10), scale.unsigned_abs() as usize);
        Exact::from_big(if scale >= 0 {
            BigRational::from_integer(numerator * power)
        } else {
            BigRational::new(numerator, power)
        })
    }
}

/// A decimal number at `from`: sign, digits, optional fraction and exponent, as an exact rational.
fn parse_number(text: &str, from: usize) -> Result<(Exact, usize), Problem> {
    match scan_number(text, from) {
        Ok(scanned) => Ok((scanned.value(), scanned.end)),
        Err(NumberSlip::NoDigits { start }) => {
            let shown = text[start..].chars().take(12).collect::<String>();
            Err(Problem::new(
                InputCode::NoNumber,
                if text.trim().is_empty() {
                    "an empty quantity".to_owned()
                } else {
                    format!("`{shown}` does not start with a number")
                },
                start..text.len().max(start),
            )
            .with_label("expected a number and a unit")
            .with_help("write a quantity as a number and a unit, e.g. \"28 V\" or \"225 MHz\""))
        }
        Err(NumberSlip::TooLong { start, end }) => Err(Problem::new(
            InputCode::NumberLength,
            "the number is too long or its exponent too large",
            start..end,
        )
        .with_label("this number")),
    }
}

fn lookup_unit(
    symbol: &str,
    expected: Option<Dimension>,
    span: Span,
) -> Result<&'static Unit, Problem> {
    if let Some(unit) = UNITS.iter().find(|u| u.symbol == symbol) {
        return match expected {
            Some(dimension) if dimension != unit.dimension => Err(Problem::new(
                InputCode::WrongDimension,
                format!(
                    "expected {}, found {} (`{}`)",
                    dimension.name(),
                    unit.dimension.name(),
                    symbol
                ),
                span,
            )
            .with_label(format!("{} unit", unit.dimension.name()))
            .with_help(format!(
                "use a unit of {}: {}",
                dimension.name(),
                symbols_of(dimension)
            ))),
            _ => Ok(unit),
        };
    }
    let wanted = |u: &&Unit| expected.is_none_or(|d| d == u.dimension);
    if symbol.is_empty() {
        let help = match expected {
            Some(d) => format!("add a unit of {}: {}", d.name(), symbols_of(d)),
            None => "add a unit, e.g. \"28 V\" or \"225 MHz\"".to_owned(),
        };
        return Err(
            Problem::new(InputCode::MissingUnit, "the quantity has no unit", span)
                .with_label("a unit is needed here")
                .with_help(help),
        );
    }
    if symbol.eq_ignore_ascii_case("dBm") {
        return Err(Problem::new(
            InputCode::Logarithmic,
            "dBm is a logarithmic unit and cannot be compared exactly",
            span,
        )
        .with_label("logarithmic unit")
        .with_help("give the power in W or mW"));
    }
    let mut problem = Problem::new(
        InputCode::UnknownUnit,
        format!("unknown unit `{symbol}`"),
        span,
    )
    .with_label("unknown unit");
    let case_slips: Vec<String> = UNITS
        .iter()
        .filter(wanted)
        .filter(|u| u.symbol.eq_ignore_ascii_case(symbol))
        .map(|u| format!("`{}`", u.symbol))
        .collect();
    if !case_slips.is_empty() {
        problem = problem.with_help(format!(
            "unit symbols are case-sensitive (m is milli, M is mega): did you mean {}?",
            case_slips.join(" or ")
        ));
    } else if let Some(close) = did_you_mean(symbol, UNITS.iter().filter(wanted).map(|u| u.symbol))
    {
        problem = problem.with_help(format!("did you mean `{close}`?"));
    } else if let Some(d) = expected {
        problem = problem.with_help(format!("units of {}: {}", d.name(), symbols_of(d)));
    }
    Err(problem)
}

/// The unit symbols of a dimension, as a quantity writes them: the product schema's patterns
/// list them, and a test keeps the two in step.
pub fn symbols(dimension: Dimension) -> impl Iterator<Item = &'static str> {
    UNITS
        .iter()
        .filter(move |u| u.dimension == dimension)
        .map(|u| u.symbol)
}

fn symbols_of(dimension: Dimension) -> String {
    UNITS
        .iter()
        .filter(|u| u.dimension == dimension && u.symbol != "μs")
        .map(|u| u.symbol)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(text: &str) -> Quantity {
        parse_quantity(text, None).unwrap_or_else(|p| panic!("{text}: {p:?}"))
    }

    fn range(text: &str) -> Interval {
        let [(a, _), (b, _)] = parse_range(text, None).unwrap_or_else(|p| panic!("{text}: {p:?}"));
        Interval::new(&a, &b)
    }

    #[test]
    fn equal_values_in_different_units_are_equal_exactly() {
        assert_eq!(q("32.050 MHz").value, q("32050 kHz").value);
        assert_eq!(q("0.025 MHz").value, q("25 kHz").value);
        assert_eq!(q("50 us").value, q("50 µs").value);
        assert_eq!(q("1 in").value, q("25.4 mm").value);
        assert_eq!(q("28 VDC").value, q("28V").value);
        assert_eq!(q("28 V DC").value, q("28V").value);
        assert_ne!(q("399.975 MHz").value, q("400 MHz").value);
    }

    #[test]
    fn prefixes_are_case_sensitive_and_a_case_slip_names_the_unit() {
        assert_eq!(q("1 mHz").value, Exact::ratio(1, 1000));
        let problem = parse_quantity("225 Mhz", Some(Frequency)).unwrap_err();
        assert_eq!(problem.id(), "input/unit");
        assert_eq!(problem.span, 4..7);
        assert!(problem.help.unwrap().contains("`MHz`"));
    }

    #[test]
    fn wrong_dimension_and_missing_unit_are_errors() {
        let problem = parse_quantity("25 V", Some(Frequency)).unwrap_err();
        assert!(
            problem
                .message
                .contains("expected a frequency, found a voltage"),
            "{}",
            problem.message
        );
        assert!(parse_quantity("25", Some(Frequency)).is_err());
        assert!(parse_quantity("MHz", None).is_err());
        assert!(parse_quantity("10 dBm", Some(Power)).is_err());
    }

    #[test]
    fn ranges_in_their_usual_spellings() {
        let expected = Interval {
            min: q("225 MHz").value,
            max: q("400 MHz").value,
        };
        for text in [
            "225-400 MHz",
            "225 - 400 MHz",
            "225 MHz - 400 MHz",
            "225–400 MHz",
            "225..400 MHz",
            "225 to 400 MHz",
            "225 MHz-0.4 GHz",
        ] {
            assert_eq!(range(text), expected, "{text}");
        }
        for text in [
            "22-29 V DC",
            "22 V DC - 29 V DC",
            "22 V DC to 29 V DC",
            "22 V - 29 V DC",
        ] {
            assert_eq!(range(text), range("22-29 V"), "{text}");
        }
        let [(_, low), (_, high)] = parse_range("18-32 V", Some(Voltage)).unwrap();
        assert_eq!((low, high), (0..2, 3..7));
        assert!(parse_range("225 MHz", None).is_err());
        assert!(parse_range("20 V-33 MHz", None).is_err());
    }

    #[test]
    fn interval_edges_are_closed_and_touching_is_not_overlapping() {
        let alloc = range("225-400 MHz");
        assert!(range("225-400 MHz").within(&alloc));
        assert!(!range("225-420 MHz").within(&alloc));
        assert!(!range("400-512 MHz").overlaps(&alloc));
        assert!(range("399-512 MHz").overlaps(&alloc));
        assert!(range("300-300 MHz").overlaps(&alloc));
        assert!(range("400-400 MHz").overlaps(&alloc));
        assert!(range("20-33 V").covers(&range("20-33 V")));
    }

    #[test]
    fn hostile_numbers_are_limited() {
        let long = format!("{} Hz", "9".repeat(100));
        assert_eq!(parse_quantity(&long, None).unwrap_err().id(), "input/limit");
        assert_eq!(
            parse_quantity("1e999 Hz", None).unwrap_err().id(),
            "input/limit"
        );
    }

    proptest! {
        #[test]
        fn a_value_in_khz_equals_its_thousandfold_in_hz(n in 0u64..10_000_000_000, frac in 0u32..1000) {
            let khz = q(&format!("{n}.{frac:03} kHz"));
            let hz = q(&format!("{}{:03} Hz", n, frac));
            prop_assert_eq!(khz.value, hz.value);
        }

        #[test]
        fn a_band_touching_an_edge_is_within_and_one_step_past_is_not(lo in 1u32..1_000_000, width in 0u32..1_000_000) {
            let hi = lo + width;
            let alloc = range(&format!("{lo}-{hi} kHz"));
            let same = range(&format!("{lo}-{hi} kHz"));
            let past_max = range(&format!("{lo}-{hi}.001 kHz"));
            let past_min = range(&format!("{}.999-{hi} kHz", lo - 1));
            let in_hz = range(&format!("{lo}000-{hi}000 Hz"));
            prop_assert!(same.within(&alloc));
            prop_assert!(!past_max.within(&alloc));
            prop_assert!(!past_min.within(&alloc));
            prop_assert!(alloc.covers(&in_hz));
        }

        #[test]
        fn quantity_of_answers_as_parse_quantity_does(
            text in "[ +-]?[0-9]{0,3}([.][0-9]{0,3})?([eE][+-]?[0-9]{1,3})? ?(|V|VDC|V DC|MHz|mhz|mm|x45 mm NATO|dBm|W|us|µs|s|Q)[ ]?",
            other in "\\PC{0,20}",
        ) {
            for dimension in [None, Some(Frequency), Some(Voltage)] {
                prop_assert_eq!(quantity_of(&text, dimension), parse_quantity(&text, dimension).ok());
                prop_assert_eq!(quantity_of(&other, dimension), parse_quantity(&other, dimension).ok());
            }
        }

        /// The machine-word shortcuts in `value` and `make` give the rational that plain
        /// `BigRational` arithmetic gives.
        #[test]
        fn the_shortcuts_give_the_plain_rational(
            sign in "-?", int in "[0-9]{1,21}", frac in "[0-9]{0,21}", exp in -40i64..40,
            unit in prop::sample::select(vec!["Hz", "kHz", "MHz", "mV", "V", "in", "mm", "ms"]),
        ) {
            let text = format!("{sign}{int}.{frac}e{exp} {unit}");
            // Past the length limit there is no value to compare.
            let found = parse_quantity(&text, None);
            prop_assume!(found.is_ok());
            let found = found.unwrap();
            let digits: BigInt = format!("{int}{frac}").parse().unwrap();
            let scale = exp - frac.len() as i64;
            let power = num_traits::pow(BigInt::from(10), scale.unsigned_abs() as usize);
            let mut number = if scale >= 0 {
                BigRational::from_integer(digits * power)
            } else {
                BigRational::new(digits, power)
            };
            if sign == "-" {
                number = -number;
            }
            let u = UNITS.iter().find(|u| u.symbol == unit).unwrap();
            let factor = BigRational::new(BigInt::from(u.numerator), BigInt::from(u.denominator));
            // Reduced alike, not only equal in value.
            let expected = number * factor;
            let value = found.value.to_big();
            prop_assert_eq!(value.numer(), expected.numer(), "{}", text);
            prop_assert_eq!(value.denom(), expected.denom(), "{}", text);
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,40}") {
            let _ = parse_quantity(&text, None);
            let _ = parse_range(&text, Some(Frequency));
        }
    }
}
