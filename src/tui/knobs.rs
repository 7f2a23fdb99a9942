//! How +/− change a knob: numbers by the key's sensible step, choices by
//! cycling, lists by typing.

use crate::demo::{KeySpec, Params, Ty, Value};

/// The outcome of one +/− press.
#[derive(Clone, Debug, PartialEq)]
pub enum Nudge {
    /// The new value (still to be validated by `Params::with`).
    To(Value),
    /// Already at this bound of the range.
    Limit(String),
    /// No step makes sense (lists): ask for a typed value.
    TypeIt,
}

/// The value one step up or down from `cur`.
pub fn nudge(spec: &KeySpec, cur: &Value, up: bool) -> Nudge {
    let dir = if up { 1.0 } else { -1.0 };
    match spec.ty {
        Ty::Int { min, max } => {
            let i = match cur {
                Value::Int(i) => *i,
                _ => return Nudge::TypeIt,
            };
            let step = spec.knob_step(cur).unwrap_or(1.0) as i64;
            let next = if up {
                i.saturating_add(step)
            } else {
                i.saturating_sub(step)
            };
            let next = next.clamp(min, max);
            if next == i {
                Nudge::Limit((if up { max } else { min }).to_string())
            } else {
                Nudge::To(Value::Int(next))
            }
        }
        Ty::Float {
            min,
            max,
            min_exclusive,
        } => {
            let Some(x) = cur.as_f64() else {
                return Nudge::TypeIt;
            };
            let mut step = spec.knob_step(cur).unwrap_or(0.01);
            // Stepping down from a power of ten uses the decade below:
            // 0.1 -> 0.09, not 0.
            if !up && x > 0.0 && ((x / step) - 1.0).abs() < 1e-9 {
                step /= 10.0;
            }
            let next = round_to(x + dir * step, step);
            let below = next < min || (min_exclusive && next <= min);
            if next > max {
                if x >= max {
                    Nudge::Limit(max.to_string())
                } else {
                    Nudge::To(Value::Float(max))
                }
            } else if below {
                Nudge::Limit(min.to_string())
            } else {
                Nudge::To(Value::Float(next))
            }
        }
        Ty::Bool => Nudge::To(Value::Bool(!matches!(cur, Value::Bool(true)))),
        Ty::Choice(choices) => {
            let i = match cur {
                Value::Str(s) => choices.iter().position(|c| c == s).unwrap_or(0),
                _ => 0,
            };
            let n = choices.len();
            let j = if up { (i + 1) % n } else { (i + n - 1) % n };
            Nudge::To(Value::Str(choices[j].to_string()))
        }
        Ty::IntList { .. } | Ty::ChoiceList(_) | Ty::KeyList => Nudge::TypeIt,
    }
}

/// `x` rounded to a multiple of `step` and cleaned of binary noise
/// (0.1 + 0.2 shows as 0.3).
fn round_to(x: f64, step: f64) -> f64 {
    let r = (x / step).round() * step;
    format!("{r:.12}").parse().unwrap_or(r)
}

/// The range of whole-number knob `key` that the demo can run with the
/// other keys as they are in `params` (its schema range cut by the kind's
/// cost guards): `layers` offers 1 to 24, not 1 to 50, when 25 layers of
/// this width would not fit. `None` for other types.
pub fn runnable_range(params: &Params, key: &KeySpec) -> Option<(i64, i64)> {
    let Ty::Int { min, max } = key.ty else {
        return None;
    };
    let runs = |v: i64| {
        params
            .with(key.name, Value::Int(v))
            .is_ok_and(|p| crate::demo::check(&p).is_ok())
    };
    // The guards bound sizes from above: search below the schema's max,
    // from the lowest value that runs.
    let Some(lo) = [min, params.get(key.name).as_f64().map_or(min, |x| x as i64)]
        .into_iter()
        .find(|&v| runs(v))
    else {
        return Some((min, max));
    };
    if runs(max) {
        return Some((min, max));
    }
    let (mut ok, mut bad) = (lo, max);
    while bad - ok > 1 {
        let mid = ok + (bad - ok) / 2;
        if runs(mid) { ok = mid } else { bad = mid }
    }
    Some((min, ok))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    fn key(name: &str) -> &'static KeySpec {
        demo::kind("gaussian").unwrap().key(name).unwrap()
    }

    #[test]
    fn floats_step_by_decade_and_stay_clean() {
        let std = key("std");
        assert_eq!(
            nudge(std, &Value::Float(0.01), true),
            Nudge::To(Value::Float(0.02))
        );
        assert_eq!(
            nudge(std, &Value::Float(0.1), false),
            Nudge::To(Value::Float(0.09))
        );
        assert_eq!(
            nudge(std, &Value::Float(0.3), true),
            Nudge::To(Value::Float(0.4))
        );
        assert_eq!(
            nudge(std, &Value::Float(10.0), true),
            Nudge::Limit("10".into())
        );
        // std's range is (0, 10]: 0.001 cannot go to 0.
        assert!(
            matches!(nudge(std, &Value::Float(0.001), false), Nudge::To(Value::Float(x)) if x > 0.0 && x < 0.001)
        );
    }

    #[test]
    fn ints_clamp_at_their_range() {
        let batch = key("batch");
        assert_eq!(
            nudge(batch, &Value::Int(50), true),
            Nudge::To(Value::Int(51))
        );
        assert_eq!(
            nudge(batch, &Value::Int(1), false),
            Nudge::Limit("1".into())
        );
    }

    #[test]
    fn lists_ask_for_typing() {
        assert_eq!(
            nudge(key("panels"), &Value::List(vec![]), true),
            Nudge::TypeIt
        );
    }

    #[test]
    fn a_knobs_range_is_what_the_demo_can_run() {
        let kind = crate::demo::kind("depth").unwrap();
        let p = kind
            .validate(&[
                ("width".into(), Value::Int(256)),
                ("samples".into(), Value::Int(1000)),
            ])
            .unwrap();
        let layers = kind.key("layers").unwrap();
        let (min, max) = runnable_range(&p, layers).unwrap();
        let Ty::Int {
            max: schema_max, ..
        } = layers.ty
        else {
            unreachable!()
        };
        assert!(max < schema_max, "{max}");
        let at = |v: i64| (kind.check)(&p.with("layers", Value::Int(v)).unwrap());
        assert!(at(max).is_ok() && at(max + 1).is_err());
        assert_eq!(min, 1);
        // Where the guard is far away, the schema's range stands.
        let small = p.with("width", Value::Int(8)).unwrap();
        assert_eq!(runnable_range(&small, layers), Some((1, schema_max)));
        assert_eq!(runnable_range(&p, kind.key("activation").unwrap()), None);
    }
}
