//! Exact rationals for quantities. Every value a real product or pack writes fits in two
//! machine words (a numerator and a denominator of 128 bits), where comparing is a
//! multiplication and building one allocates nothing; a number past that (forty digits, an
//! exponent of 30) is kept as big integers, so no value is ever rounded or refused for size.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use num_bigint::BigInt;
use num_rational::BigRational;

/// A rational in lowest terms with a positive denominator.
#[derive(Clone, Debug)]
pub struct Exact(Repr);

#[derive(Clone, Debug)]
enum Repr {
    Word {
        numer: i128,
        denom: i128,
    },
    /// Only when the reduced value does not fit in `Word`.
    Big(BigRational),
}

impl Exact {
    pub fn from_integer(n: i128) -> Exact {
        Exact(Repr::Word { numer: n, denom: 1 })
    }

    /// `numer / denom` reduced; `denom` must be positive.
    pub fn ratio(numer: i128, denom: i128) -> Exact {
        debug_assert!(denom > 0);
        let common = gcd(numer.unsigned_abs(), denom.unsigned_abs());
        // The gcd divides both, so it fits in an i128 unless both are i128::MIN's magnitude,
        // which a positive denominator rules out.
        let common = common as i128;
        Exact(Repr::Word {
            numer: numer / common,
            denom: denom / common,
        })
    }

    /// A big rational, in machine words when it fits.
    pub fn from_big(value: BigRational) -> Exact {
        match (i128::try_from(value.numer()), i128::try_from(value.denom())) {
            (Ok(numer), Ok(denom)) => Exact(Repr::Word { numer, denom }),
            _ => Exact(Repr::Big(value)),
        }
    }

    pub fn to_big(&self) -> Cow<'_, BigRational> {
        match &self.0 {
            Repr::Word { numer, denom } => Cow::Owned(BigRational::new_raw(
                BigInt::from(*numer),
                BigInt::from(*denom),
            )),
            Repr::Big(big) => Cow::Borrowed(big),
        }
    }

    /// This value times `numer / denom` (a unit's factor; `denom` positive), reduced.
    pub fn times(&self, numer: i64, denom: i64) -> Exact {
        if let Repr::Word { numer: a, denom: b } = self.0 {
            let (c, d) = (i128::from(numer), i128::from(denom));
            let own = gcd(c.unsigned_abs(), d.unsigned_abs()) as i128;
            let (c, d) = (c / own, d / own);
            // Both fractions are now in lowest terms: cancelling across them leaves the
            // product in lowest terms too.
            let left = gcd(a.unsigned_abs(), d.unsigned_abs()) as i128;
            let right = gcd(c.unsigned_abs(), b.unsigned_abs()) as i128;
            let product = (a / left)
                .checked_mul(c / right)
                .zip((b / right).checked_mul(d / left));
            if let Some((numer, denom)) = product {
                return Exact(Repr::Word { numer, denom });
            }
        }
        let factor = BigRational::new(BigInt::from(numer), BigInt::from(denom));
        Exact::from_big(self.to_big().into_owned() * factor)
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl Ord for Exact {
    fn cmp(&self, other: &Exact) -> Ordering {
        if let (Repr::Word { numer: a, denom: b }, Repr::Word { numer: c, denom: d }) =
            (&self.0, &other.0)
        {
            if b == d {
                return a.cmp(c);
            }
            // Denominators are positive: a/b < c/d exactly when a·d < c·b.
            if let (Some(left), Some(right)) = (a.checked_mul(*d), c.checked_mul(*b)) {
                return left.cmp(&right);
            }
        }
        self.to_big().cmp(&other.to_big())
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Exact) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Exact {
    fn eq(&self, other: &Exact) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Exact {}

/// As `BigRational` writes itself: `n`, or `n/d` when the denominator is not one.
impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Word { numer, denom: 1 } => write!(f, "{numer}"),
            Repr::Word { numer, denom } => write!(f, "{numer}/{denom}"),
            Repr::Big(big) => write!(f, "{big}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn big(numer: &str, denom: &str) -> BigRational {
        BigRational::new(numer.parse().unwrap(), denom.parse().unwrap())
    }

    /// A rational that is sometimes a machine word and sometimes past one.
    fn any_rational() -> impl Strategy<Value = BigRational> {
        ("-?[1-9][0-9]{0,45}|0", "[1-9][0-9]{0,45}").prop_map(|(n, d)| big(&n, &d))
    }

    proptest! {
        /// Order, equality, text and the unit factor agree with `BigRational`'s, in either form.
        #[test]
        fn exact_agrees_with_big_rational(
            a in any_rational(),
            b in any_rational(),
            numer in 1i64..50_000_000_000_000,
            denom in 1i64..10_000_000_000,
        ) {
            let (x, y) = (Exact::from_big(a.clone()), Exact::from_big(b.clone()));
            prop_assert_eq!(x.cmp(&y), a.cmp(&b));
            prop_assert_eq!(x == y, a == b);
            prop_assert_eq!(x.to_string(), a.to_string());
            let factor = BigRational::new(BigInt::from(numer), BigInt::from(denom));
            let product = x.times(numer, denom);
            prop_assert_eq!(product.to_big().into_owned(), &a * &factor);
            prop_assert_eq!(product.to_string(), (&a * &factor).to_string());
        }

        #[test]
        fn a_word_ratio_is_reduced_as_big_rational_reduces(
            numer in any::<i64>(), denom in 1i64..i64::MAX,
        ) {
            let reduced = BigRational::new(BigInt::from(numer), BigInt::from(denom));
            prop_assert_eq!(Exact::ratio(numer.into(), denom.into()).to_string(), reduced.to_string());
        }
    }

    #[test]
    fn values_past_a_machine_word_stay_exact() {
        let huge = big(&"9".repeat(45), "1");
        let x = Exact::from_big(huge.clone());
        assert!(matches!(x.0, Repr::Big(_)));
        assert!(x > Exact::from_integer(i128::MAX));
        assert_eq!(
            x.times(1, 1000).to_big().into_owned(),
            huge / BigInt::from(1000)
        );
    }
}
