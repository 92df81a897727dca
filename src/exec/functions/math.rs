//! Mathematical functions. Results are floats except `abs` of an integer and `sign`.

use super::{arg, invalid_argument};
use crate::exec::Error;
use crate::model::{CypherError, ErrorKind, Value};
use crate::store::Transaction;
use std::cell::Cell;

/// The number argument at `i` as a float; `None` for null.
fn number(function: &str, args: &[Value], i: usize) -> Result<Option<f64>, Error> {
    match arg(args, i) {
        Value::Null => Ok(None),
        Value::Int(x) => Ok(Some(*x as f64)),
        Value::Float(x) => Ok(Some(*x)),
        other => Err(invalid_argument(function, other)),
    }
}

fn float_fn(function: &str, args: &[Value], f: impl Fn(f64) -> f64) -> Result<Value, Error> {
    Ok(number(function, args, 0)?.map_or(Value::Null, |x| Value::Float(f(x))))
}

pub(super) fn abs(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Int(i) => i.checked_abs().map(Value::Int).ok_or_else(|| {
            CypherError::runtime(
                ErrorKind::ArgumentError,
                "IntegerOverflow",
                "abs() of the smallest integer overflows",
            )
            .into()
        }),
        _ => float_fn("abs", args, f64::abs),
    }
}

pub(super) fn ceil(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("ceil", args, f64::ceil)
}

pub(super) fn floor(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("floor", args, f64::floor)
}

/// Rounds half up, towards positive infinity, as Java's `Math.round` does:
/// `round(2.5) = 3.0`, `round(-2.5) = -2.0`.
fn round_half_up(x: f64) -> f64 {
    let down = x.floor();
    if x - down >= 0.5 { down + 1.0 } else { down }
}

/// `round(x)`, `round(x, precision)`, `round(x, precision, mode)`; the modes are Java's
/// `RoundingMode` names (`HALF_UP`, the default, rounds half away from zero). The value is
/// rounded as the decimal it prints as, so `round(2.675, 2)` is `2.68`.
pub(super) fn round(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let Some(x) = number("round", args, 0)? else {
        return Ok(Value::Null);
    };
    if args.len() == 1 {
        return Ok(Value::Float(round_half_up(x)));
    }
    let precision = match arg(args, 1) {
        Value::Null => return Ok(Value::Null),
        Value::Int(p) => *p,
        other => return Err(invalid_argument("round", other)),
    };
    let mode = match arg(args, 2) {
        Value::Null if args.len() < 3 => Mode::HalfUp,
        Value::String(name) => Mode::parse(name).ok_or_else(|| {
            Error::from(CypherError::runtime(
                ErrorKind::ArgumentError,
                "InvalidArgumentValue",
                format!("round(): unknown rounding mode {name:?}"),
            ))
        })?,
        Value::Null => return Ok(Value::Null),
        other => return Err(invalid_argument("round", other)),
    };
    Ok(Value::Float(round_decimal(x, precision, mode)))
}

/// Java's rounding modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Up,
    Down,
    Ceiling,
    Floor,
    HalfUp,
    HalfDown,
    HalfEven,
}

impl Mode {
    fn parse(name: &str) -> Option<Mode> {
        Some(match name.to_ascii_uppercase().as_str() {
            "UP" => Mode::Up,
            "DOWN" => Mode::Down,
            "CEILING" => Mode::Ceiling,
            "FLOOR" => Mode::Floor,
            "HALF_UP" => Mode::HalfUp,
            "HALF_DOWN" => Mode::HalfDown,
            "HALF_EVEN" => Mode::HalfEven,
            _ => return None,
        })
    }
}

/// Rounds `x` to `precision` decimal places on its shortest decimal form.
fn round_decimal(x: f64, precision: i64, mode: Mode) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let negative = x < 0.0;
    // "d.ddddde±x": at most 17 significant digits.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|c| c - b'0')
        .collect();
    let exponent: i64 = exponent.parse().unwrap_or(0);
    // Digits before the decimal point, then the number of digits kept.
    let keep = (exponent + 1).saturating_add(precision);
    if keep >= digits.len() as i64 {
        return x;
    }
    let kept_len = usize::try_from(keep.max(0)).unwrap_or(0);
    let kept = digits[..kept_len]
        .iter()
        .fold(0u64, |acc, d| acc * 10 + u64::from(*d));
    let dropped = &digits[kept_len..];
    // The dropped part against half a unit of the last kept digit.
    let half = if keep < 0 {
        std::cmp::Ordering::Less
    } else {
        let rest_nonzero = dropped.iter().skip(1).any(|d| *d != 0);
        match dropped.first().copied().unwrap_or(0).cmp(&5) {
            std::cmp::Ordering::Equal if rest_nonzero => std::cmp::Ordering::Greater,
            o => o,
        }
    };
    let away = match mode {
        Mode::Up => true,
        Mode::Down => false,
        Mode::Ceiling => !negative,
        Mode::Floor => negative,
        Mode::HalfUp => half != std::cmp::Ordering::Less,
        Mode::HalfDown => half == std::cmp::Ordering::Greater,
        Mode::HalfEven => match half {
            std::cmp::Ordering::Equal => kept % 2 == 1,
            o => o == std::cmp::Ordering::Greater,
        },
    };
    let magnitude = kept + u64::from(away);
    let text = format!(
        "{}{magnitude}e{}",
        if negative { "-" } else { "" },
        -precision
    );
    text.parse().unwrap_or(x)
}

pub(super) fn sign(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Int(i) => Ok(Value::Int(i.signum())),
        Value::Float(f) if *f > 0.0 => Ok(Value::Int(1)),
        Value::Float(f) if *f < 0.0 => Ok(Value::Int(-1)),
        Value::Float(_) => Ok(Value::Int(0)),
        other => Err(invalid_argument("sign", other)),
    }
}

thread_local! {
    static RNG: Cell<u64> = Cell::new(seed());
}

fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0x9E37_79B9_7F4A_7C15);
    h.finish() | 1
}

/// A uniform float in [0, 1), from a per-thread xorshift64* generator.
pub(super) fn rand(_args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let bits = RNG.with(|state| {
        let mut x = state.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.set(x);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    });
    Ok(Value::Float((bits >> 11) as f64 / (1u64 << 53) as f64))
}

pub(super) fn sqrt(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("sqrt", args, f64::sqrt)
}

pub(super) fn exp(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("exp", args, f64::exp)
}

pub(super) fn log(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("log", args, f64::ln)
}

pub(super) fn log10(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("log10", args, f64::log10)
}

pub(super) fn sin(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("sin", args, f64::sin)
}

pub(super) fn cos(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("cos", args, f64::cos)
}

pub(super) fn tan(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("tan", args, f64::tan)
}

pub(super) fn cot(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("cot", args, |x| 1.0 / x.tan())
}

pub(super) fn asin(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("asin", args, f64::asin)
}

pub(super) fn acos(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("acos", args, f64::acos)
}

pub(super) fn atan(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("atan", args, f64::atan)
}

/// `atan2(y, x)`.
pub(super) fn atan2(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let y = number("atan2", args, 0)?;
    let x = number("atan2", args, 1)?;
    Ok(match (y, x) {
        (Some(y), Some(x)) => Value::Float(y.atan2(x)),
        _ => Value::Null,
    })
}

pub(super) fn degrees(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("degrees", args, f64::to_degrees)
}

pub(super) fn radians(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("radians", args, f64::to_radians)
}

/// Half the versine: `(1 - cos x) / 2`.
pub(super) fn haversin(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float_fn("haversin", args, |x| (1.0 - x.cos()) / 2.0)
}

pub(super) fn pi(_args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    Ok(Value::Float(std::f64::consts::PI))
}

pub(super) fn e(_args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    Ok(Value::Float(std::f64::consts::E))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_rounding() {
        let cases = [
            (2.675, 2, Mode::HalfUp, 2.68),
            (1.23456, 3, Mode::HalfUp, 1.235),
            (-1.5, 0, Mode::HalfUp, -2.0),
            (-1.5, 0, Mode::HalfDown, -1.0),
            (2.5, 0, Mode::HalfEven, 2.0),
            (3.5, 0, Mode::HalfEven, 4.0),
            (1.21, 1, Mode::Up, 1.3),
            (-1.21, 1, Mode::Up, -1.3),
            (-1.29, 1, Mode::Down, -1.2),
            (-1.21, 1, Mode::Ceiling, -1.2),
            (-1.21, 1, Mode::Floor, -1.3),
            (1234.5, -2, Mode::HalfUp, 1200.0),
            (0.0004, 2, Mode::HalfUp, 0.0),
            (0.0004, 2, Mode::Up, 0.01),
            (1.5, 5, Mode::HalfUp, 1.5),
            (999.96, 1, Mode::HalfUp, 1000.0),
        ];
        for (x, p, mode, want) in cases {
            assert_eq!(round_decimal(x, p, mode), want, "round({x}, {p}, {mode:?})");
        }
        assert_eq!(round_half_up(2.5), 3.0);
        assert_eq!(round_half_up(-2.5), -2.0);
        assert_eq!(round_half_up(-2.6), -3.0);
        assert_eq!(round_half_up(0.49999999999999994), 0.0);
    }
}
