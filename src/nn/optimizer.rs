//! First-order optimizers as in `torch.optim`: SGD (plain, momentum, Nesterov),
//! RMSprop, Adam and AdamW, updating flat parameter buffers.
//!
//! An [`Optimizer`] owns one state slot per parameter buffer (an MLP's weight
//! matrix and bias vector are two slots each) and updates them in place from
//! gradients of the same length, one fused pass per buffer: no allocation
//! per step, and the finiteness of every new parameter is checked in the same
//! pass. The update rules are the pseudo-code of the PyTorch documentation
//! (<https://pytorch.org/docs/stable/optim.html>, one page per class), with
//! its defaults: dampening 0, no `maximize`, no centered RMSprop, no AMSGrad.
//!
//! Notation: γ = lr, λ = weight_decay, μ = momentum, g_t the gradient at
//! step t = 1, 2, …, θ the parameters. [`Hyperparams`] has the table.

use thiserror::Error;

use super::layer::{Dense, Mlp, Workspace};

/// Which update rule an [`Optimizer`] applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerKind {
    /// Plain SGD, `torch.optim.SGD(lr, weight_decay)`:
    ///
    /// ```text
    /// g ← g_t + λθ          (if λ ≠ 0)
    /// θ ← θ − γ·g
    /// ```
    Sgd,
    /// SGD with momentum, `torch.optim.SGD(lr, momentum=μ, dampening=0)`
    /// (Polyak's heavy ball in PyTorch's form, the velocity not scaled by γ):
    ///
    /// ```text
    /// g ← g_t + λθ          (if λ ≠ 0)
    /// b ← g  at t = 1,  b ← μb + g  after
    /// θ ← θ − γ·b
    /// ```
    Momentum,
    /// Nesterov momentum, `torch.optim.SGD(lr, momentum=μ, nesterov=True)`
    /// (Sutskever et al. 2013, as reformulated by PyTorch):
    ///
    /// ```text
    /// g ← g_t + λθ          (if λ ≠ 0)
    /// b ← g  at t = 1,  b ← μb + g  after
    /// θ ← θ − γ·(g + μb)
    /// ```
    Nesterov,
    /// RMSprop, `torch.optim.RMSprop(lr, alpha=β₂, eps, weight_decay)` with
    /// momentum 0 and centered False (Hinton's Coursera lecture 6e, 2012):
    ///
    /// ```text
    /// g ← g_t + λθ          (if λ ≠ 0)
    /// v ← αv + (1 − α)g²    (v₀ = 0, α = beta2, PyTorch's alpha, 0.99)
    /// θ ← θ − γ·g / (√v + ε)
    /// ```
    RmsProp,
    /// Adam, `torch.optim.Adam(lr, betas=(β₁, β₂), eps, weight_decay)`
    /// (Kingma & Ba 2015, "Adam: a method for stochastic optimization"),
    /// weight decay coupled into the gradient as PyTorch does:
    ///
    /// ```text
    /// g ← g_t + λθ          (if λ ≠ 0)
    /// m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²     (m₀ = v₀ = 0)
    /// m̂ ← m / (1 − β₁ᵗ),    v̂ ← v / (1 − β₂ᵗ)
    /// θ ← θ − γ·m̂ / (√v̂ + ε)
    /// ```
    ///
    /// Computed as PyTorch does, θ ← θ − (γ/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε):
    /// one square root and one division per parameter.
    Adam,
    /// AdamW, `torch.optim.AdamW(lr, betas, eps, weight_decay)` (Loshchilov &
    /// Hutter 2019, "Decoupled weight decay regularization"): the decay
    /// shrinks θ directly instead of entering m and v:
    ///
    /// ```text
    /// θ ← θ − γλθ
    /// m ← β₁m + (1 − β₁)g_t,  v ← β₂v + (1 − β₂)g_t²
    /// m̂ ← m / (1 − β₁ᵗ),      v̂ ← v / (1 − β₂ᵗ)
    /// θ ← θ − γ·m̂ / (√v̂ + ε)
    /// ```
    ///
    /// With Adam, λθ is divided by √v̂ like the rest of the gradient, so
    /// parameters with large gradients are barely decayed; here every
    /// parameter shrinks by the same factor 1 − γλ.
    AdamW,
}

/// The names lesson files use for the optimizers.
pub const OPTIMIZER_NAMES: &[&str] = &["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"];

impl OptimizerKind {
    /// Every kind, in the order of [`OPTIMIZER_NAMES`].
    pub const ALL: [OptimizerKind; 6] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Nesterov,
        OptimizerKind::RmsProp,
        OptimizerKind::Adam,
        OptimizerKind::AdamW,
    ];

    /// The kind named as in lesson files (one of [`OPTIMIZER_NAMES`]).
    pub fn from_name(name: &str) -> Option<OptimizerKind> {
        OptimizerKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The name used in lesson files.
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Nesterov => "nesterov",
            OptimizerKind::RmsProp => "rmsprop",
            OptimizerKind::Adam => "adam",
            OptimizerKind::AdamW => "adamw",
        }
    }

    /// How many state values the kind keeps per parameter (momentum buffer b,
    /// square average v, or Adam's m and v).
    fn state_buffers(self) -> usize {
        match self {
            OptimizerKind::Sgd => 0,
            OptimizerKind::Momentum | OptimizerKind::Nesterov | OptimizerKind::RmsProp => 1,
            OptimizerKind::Adam | OptimizerKind::AdamW => 2,
        }
    }
}

/// Hyper-parameters of every optimizer; each kind reads the ones it uses.
///
/// | name | default | purpose | range | used by |
/// |---|---|---|---|---|
/// | `lr` γ | 0.01 SGD family and RMSprop, 0.001 Adam(W) | step size | ≥ 0, finite | all |
/// | `momentum` μ | 0.9 (momentum, nesterov), 0 (sgd) | velocity decay | ≥ 0, finite; > 0 for nesterov | momentum, nesterov |
/// | `beta1` β₁ | 0.9 | decay of the gradient average m | [0, 1) | adam, adamw |
/// | `beta2` β₂ | 0.999 Adam(W), 0.99 RMSprop | decay of the squared-gradient average v (RMSprop's `alpha`) | [0, 1) | rmsprop, adam, adamw |
/// | `eps` ε | 1e-8 | keeps the step finite where v ≈ 0 | ≥ 0, finite | rmsprop, adam, adamw |
/// | `weight_decay` λ | 0 (0.01 AdamW) | L2 coupled into g, decoupled for AdamW | ≥ 0, finite | all |
///
/// Defaults are PyTorch's, except that PyTorch's SGD has momentum 0 for
/// every variant (its `momentum` and `nesterov` are flags on one class) and
/// lr 0.001; the SGD family here starts at 0.01 and 0.9.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hyperparams {
    pub lr: f64,
    pub momentum: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
}

/// A hyper-parameter outside the range its optimizer accepts.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum HyperError {
    /// The value is NaN, infinite, or outside the range.
    #[error("{name} = {value} is outside {range}")]
    OutOfRange {
        name: &'static str,
        value: f64,
        range: &'static str,
    },
    /// Nesterov momentum with μ = 0 (PyTorch refuses it too).
    #[error("nesterov needs momentum > 0")]
    NesterovWithoutMomentum,
}

impl Hyperparams {
    /// The defaults for `kind` (see the table on [`Hyperparams`]).
    pub fn defaults(kind: OptimizerKind) -> Hyperparams {
        let base = Hyperparams {
            lr: 0.01,
            momentum: 0.0,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
        };
        match kind {
            OptimizerKind::Sgd => base,
            OptimizerKind::Momentum | OptimizerKind::Nesterov => Hyperparams {
                momentum: 0.9,
                ..base
            },
            OptimizerKind::RmsProp => Hyperparams {
                beta2: 0.99,
                ..base
            },
            OptimizerKind::Adam => Hyperparams { lr: 0.001, ..base },
            OptimizerKind::AdamW => Hyperparams {
                lr: 0.001,
                weight_decay: 0.01,
                ..base
            },
        }
    }

    /// Checks every value against its range for `kind`.
    pub fn validate(&self, kind: OptimizerKind) -> Result<(), HyperError> {
        let check = |name, value: f64, ok: bool, range| {
            if ok {
                Ok(())
            } else {
                Err(HyperError::OutOfRange { name, value, range })
            }
        };
        let non_negative = |v: f64| v.is_finite() && v >= 0.0;
        let unit = |v: f64| (0.0..1.0).contains(&v);
        check("lr", self.lr, non_negative(self.lr), "[0, ∞)")?;
        check(
            "momentum",
            self.momentum,
            non_negative(self.momentum),
            "[0, ∞)",
        )?;
        check("beta1", self.beta1, unit(self.beta1), "[0, 1)")?;
        check("beta2", self.beta2, unit(self.beta2), "[0, 1)")?;
        check("eps", self.eps, non_negative(self.eps), "[0, ∞)")?;
        let wd = self.weight_decay;
        check("weight_decay", wd, non_negative(wd), "[0, ∞)")?;
        if kind == OptimizerKind::Nesterov && self.momentum == 0.0 {
            return Err(HyperError::NesterovWithoutMomentum);
        }
        Ok(())
    }
}

/// One parameter buffer's state: b (momentum), v (RMSprop) or m and v (Adam).
#[derive(Clone, Debug, PartialEq)]
struct Slot {
    len: usize,
    first: Vec<f64>,
    second: Vec<f64>,
}

/// An optimizer with its state for a fixed list of parameter buffers.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimizer {
    kind: OptimizerKind,
    hyper: Hyperparams,
    /// Steps taken so far (t of the pseudo-code after the step).
    t: u64,
    slots: Vec<Slot>,
}

impl Optimizer {
    /// An optimizer for buffers of lengths `slot_lens`, state zeroed.
    pub fn new(
        kind: OptimizerKind,
        hyper: Hyperparams,
        slot_lens: &[usize],
    ) -> Result<Optimizer, HyperError> {
        hyper.validate(kind)?;
        let n = kind.state_buffers();
        let slots = slot_lens
            .iter()
            .map(|&len| Slot {
                len,
                first: vec![0.0; if n >= 1 { len } else { 0 }],
                second: vec![0.0; if n >= 2 { len } else { 0 }],
            })
            .collect();
        Ok(Optimizer {
            kind,
            hyper,
            t: 0,
            slots,
        })
    }

    /// An optimizer for `mlp`'s parameters, slots in the order of
    /// [`Optimizer::step_mlp`]: w₀, b₀, w₁, b₁, …, then γ and β of each
    /// normalization layer in layer order.
    pub fn for_mlp(
        kind: OptimizerKind,
        hyper: Hyperparams,
        mlp: &Mlp,
    ) -> Result<Optimizer, HyperError> {
        let lens: Vec<usize> = mlp
            .layers
            .iter()
            .flat_map(|l| [l.w.len(), l.b.len()])
            .chain(mlp.norms.iter().flatten().flat_map(|n| [n.features(); 2]))
            .collect();
        Optimizer::new(kind, hyper, &lens)
    }

    pub fn kind(&self) -> OptimizerKind {
        self.kind
    }

    pub fn hyper(&self) -> &Hyperparams {
        &self.hyper
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.t
    }

    /// Changes hyper-parameters between steps (a live knob), keeping the
    /// state, as editing a PyTorch `param_group` does.
    pub fn set_hyper(&mut self, hyper: Hyperparams) -> Result<(), HyperError> {
        hyper.validate(self.kind)?;
        self.hyper = hyper;
        Ok(())
    }

    /// Zeroes the state and the step count, as a freshly made optimizer.
    pub fn reset(&mut self) {
        self.t = 0;
        for s in &mut self.slots {
            s.first.fill(0.0);
            s.second.fill(0.0);
        }
    }

    /// One step t → t + 1 over every slot, in order: pairs of (parameters,
    /// their gradient), each pair as long as its slot. Returns false if any
    /// new parameter is NaN or ∞ (the caller decides what divergence means).
    ///
    /// Panics if the number of pairs or a length differs from the slots the
    /// optimizer was made for (a programming error, not a numerical one).
    pub fn step<'a>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'a mut [f64], &'a [f64])>,
    ) -> bool {
        self.t += 1;
        let c = Constants::new(self.kind, &self.hyper, self.t);
        let mut finite = true;
        let mut count = 0;
        for (p, g) in pairs {
            let slot = self
                .slots
                .get_mut(count)
                .expect("more parameter buffers than the optimizer's slots");
            assert!(
                p.len() == slot.len && g.len() == slot.len,
                "slot {count}: {} parameters and {} gradients for a slot of {}",
                p.len(),
                g.len(),
                slot.len
            );
            finite &= update(self.kind, &c, p, g, slot);
            count += 1;
        }
        assert_eq!(count, self.slots.len(), "every slot takes part in a step");
        finite
    }

    /// One step of every layer of `mlp` from the gradients in `ws.grads`
    /// (from [`Mlp::backward`]); the optimizer must come from
    /// [`Optimizer::for_mlp`] on a net of the same sizes.
    pub fn step_mlp(&mut self, mlp: &mut Mlp, ws: &Workspace) -> bool {
        let pairs = mlp
            .layers
            .iter_mut()
            .zip(&ws.grads)
            .flat_map(|(Dense { w, b }, (gw, gb))| {
                [
                    (
                        w.as_slice_mut().expect("row-major weights"),
                        gw.as_slice().expect("row-major gradient"),
                    ),
                    (
                        b.as_slice_mut().expect("bias"),
                        gb.as_slice().expect("bias gradient"),
                    ),
                ]
            });
        let norms = mlp
            .norms
            .iter_mut()
            .zip(&ws.norm_grads)
            .filter_map(|(n, g)| n.as_mut().map(|n| (n, g)))
            .flat_map(|(n, (gg, gb))| {
                let [gamma, beta] = n.params_mut();
                [
                    (
                        gamma.as_slice_mut().expect("contiguous γ"),
                        gg.as_slice().expect("contiguous dγ"),
                    ),
                    (
                        beta.as_slice_mut().expect("contiguous β"),
                        gb.as_slice().expect("contiguous dβ"),
                    ),
                ]
            });
        self.step(pairs.chain(norms))
    }
}

/// Per-step scalars, computed once per step rather than per parameter.
struct Constants {
    lr: f64,
    momentum: f64,
    weight_decay: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    /// t = 1: the momentum buffer starts as g.
    first: bool,
    /// γ / (1 − β₁ᵗ), Adam's step size.
    adam_step: f64,
    /// 1 / √(1 − β₂ᵗ).
    adam_inv_sqrt_bc2: f64,
}

impl Constants {
    fn new(kind: OptimizerKind, h: &Hyperparams, t: u64) -> Constants {
        // libm's pow: the same bits on every platform, unlike `powi`.
        let bc1 = 1.0 - libm::pow(h.beta1, t as f64);
        let bc2 = 1.0 - libm::pow(h.beta2, t as f64);
        let adamish = matches!(kind, OptimizerKind::Adam | OptimizerKind::AdamW);
        Constants {
            lr: h.lr,
            momentum: h.momentum,
            weight_decay: h.weight_decay,
            beta1: h.beta1,
            beta2: h.beta2,
            eps: h.eps,
            first: t == 1,
            adam_step: if adamish { h.lr / bc1 } else { 0.0 },
            adam_inv_sqrt_bc2: if adamish { 1.0 / bc2.sqrt() } else { 0.0 },
        }
    }
}

/// Bits of an f64's exponent: all set for ±∞ and NaN.
const EXPONENT: u64 = 0x7ff0_0000_0000_0000;

/// 1 if x is NaN or ±∞, else 0; or-ing these is a reduction the compiler
/// vectorizes, where a `bool` fold with `is_finite` needs a second pass.
#[inline(always)]
fn non_finite(x: f64) -> u64 {
    u64::from(x.to_bits() & EXPONENT == EXPONENT)
}

/// g + λθ, PyTorch's coupled weight decay; skipped when λ = 0 (the loops are
/// instantiated for both, so the common case has no extra multiply).
#[inline(always)]
fn decayed<const DECAY: bool>(g: f64, p: f64, wd: f64) -> f64 {
    if DECAY { g + wd * p } else { g }
}

/// One slot's update; whether every new parameter is finite.
///
/// Dispatched, like the activations, to an AVX-512 or AVX2 build of the same
/// loops where the CPU has them: the same IEEE operations in the same order
/// (Rust never fuses a multiply-add on its own), so the same bits, but 8 or
/// 4 lanes of square roots and divisions at a time instead of 2, which is
/// what bounds Adam's and RMSprop's updates.
fn update(kind: OptimizerKind, c: &Constants, p: &mut [f64], g: &[f64], slot: &mut Slot) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: the CPU supports AVX-512F, checked just above.
        return unsafe { update_avx512(kind, c, p, g, slot) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { update_avx2(kind, c, p, g, slot) };
    }
    update_portable(kind, c, p, g, slot)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn update_avx512(
    kind: OptimizerKind,
    c: &Constants,
    p: &mut [f64],
    g: &[f64],
    slot: &mut Slot,
) -> bool {
    update_portable(kind, c, p, g, slot)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn update_avx2(
    kind: OptimizerKind,
    c: &Constants,
    p: &mut [f64],
    g: &[f64],
    slot: &mut Slot,
) -> bool {
    update_portable(kind, c, p, g, slot)
}

#[inline(always)]
fn update_portable(
    kind: OptimizerKind,
    c: &Constants,
    p: &mut [f64],
    g: &[f64],
    slot: &mut Slot,
) -> bool {
    let decay = c.weight_decay != 0.0;
    let bad = match (kind, decay) {
        (OptimizerKind::Sgd, false) => sgd::<false>(c, p, g),
        (OptimizerKind::Sgd, true) => sgd::<true>(c, p, g),
        (OptimizerKind::Momentum, false) => momentum::<false, false>(c, p, g, &mut slot.first),
        (OptimizerKind::Momentum, true) => momentum::<true, false>(c, p, g, &mut slot.first),
        (OptimizerKind::Nesterov, false) => momentum::<false, true>(c, p, g, &mut slot.first),
        (OptimizerKind::Nesterov, true) => momentum::<true, true>(c, p, g, &mut slot.first),
        (OptimizerKind::RmsProp, false) => rmsprop::<false>(c, p, g, &mut slot.first),
        (OptimizerKind::RmsProp, true) => rmsprop::<true>(c, p, g, &mut slot.first),
        (OptimizerKind::Adam, false) | (OptimizerKind::AdamW, false) => {
            adam::<false, false>(c, p, g, &mut slot.first, &mut slot.second)
        }
        (OptimizerKind::Adam, true) => {
            adam::<true, false>(c, p, g, &mut slot.first, &mut slot.second)
        }
        (OptimizerKind::AdamW, true) => {
            adam::<false, true>(c, p, g, &mut slot.first, &mut slot.second)
        }
    };
    bad == 0
}

#[inline(always)]
fn sgd<const DECAY: bool>(c: &Constants, p: &mut [f64], g: &[f64]) -> u64 {
    let (lr, wd) = (c.lr, c.weight_decay);
    let g = &g[..p.len()];
    p.iter_mut().zip(g).fold(0, |bad, (p, &g)| {
        *p -= lr * decayed::<DECAY>(g, *p, wd);
        bad | non_finite(*p)
    })
}

#[inline(always)]
fn momentum<const DECAY: bool, const NESTEROV: bool>(
    c: &Constants,
    p: &mut [f64],
    g: &[f64],
    b: &mut [f64],
) -> u64 {
    let (lr, mu, wd, first) = (c.lr, c.momentum, c.weight_decay, c.first);
    let (g, b) = (&g[..p.len()], &mut b[..p.len()]);
    p.iter_mut().zip(g).zip(b).fold(0, |bad, ((p, &g), b)| {
        let g = decayed::<DECAY>(g, *p, wd);
        *b = if first { g } else { mu * *b + g };
        let d = if NESTEROV { g + mu * *b } else { *b };
        *p -= lr * d;
        bad | non_finite(*p)
    })
}

#[inline(always)]
fn rmsprop<const DECAY: bool>(c: &Constants, p: &mut [f64], g: &[f64], v: &mut [f64]) -> u64 {
    let (lr, alpha, eps, wd) = (c.lr, c.beta2, c.eps, c.weight_decay);
    let (g, v) = (&g[..p.len()], &mut v[..p.len()]);
    p.iter_mut().zip(g).zip(v).fold(0, |bad, ((p, &g), v)| {
        let g = decayed::<DECAY>(g, *p, wd);
        *v = alpha * *v + (1.0 - alpha) * (g * g);
        *p -= lr * g / (v.sqrt() + eps);
        bad | non_finite(*p)
    })
}

/// Adam with coupled decay (`DECAY`) or AdamW's decoupled decay (`DECOUPLED`).
#[inline(always)]
fn adam<const DECAY: bool, const DECOUPLED: bool>(
    c: &Constants,
    p: &mut [f64],
    g: &[f64],
    m: &mut [f64],
    v: &mut [f64],
) -> u64 {
    let (b1, b2, eps, wd) = (c.beta1, c.beta2, c.eps, c.weight_decay);
    let (step, inv_sqrt_bc2) = (c.adam_step, c.adam_inv_sqrt_bc2);
    let shrink = 1.0 - c.lr * wd;
    let n = p.len();
    let (g, m, v) = (&g[..n], &mut m[..n], &mut v[..n]);
    p.iter_mut()
        .zip(g)
        .zip(m.iter_mut().zip(v))
        .fold(0, |bad, ((p, &g), (m, v))| {
            if DECOUPLED {
                *p *= shrink;
            }
            let g = decayed::<DECAY>(g, *p, wd);
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * (g * g);
            *p -= step * *m / (v.sqrt() * inv_sqrt_bc2 + eps);
            bad | non_finite(*p)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyper(lr: f64, weight_decay: f64) -> Hyperparams {
        Hyperparams {
            lr,
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay,
        }
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * a.abs().max(b.abs())
    }

    /// f(θ) = θᵀAθ with A = diag(1, 10): ∇f = 2Aθ.
    fn grad(theta: [f64; 2]) -> [f64; 2] {
        [2.0 * theta[0], 20.0 * theta[1]]
    }

    /// The first three iterates of `kind` on f from θ₀ = (1.5, −0.8), by the
    /// pseudo-code of the torch.optim pages transcribed line by line (RMSprop's
    /// α = 0.99, the others β₂ = 0.999), without the optimizer's code.
    fn documented(kind: OptimizerKind, h: Hyperparams) -> [[f64; 2]; 3] {
        let (lr, mu, wd, eps) = (h.lr, h.momentum, h.weight_decay, h.eps);
        let (b1, b2) = (h.beta1, h.beta2);
        let alpha = 0.99;
        let mut theta = [1.5, -0.8];
        let (mut buf, mut m, mut v) = ([0.0; 2], [0.0; 2], [0.0; 2]);
        let mut iterates = [[0.0; 2]; 3];
        for t in 1..=3 {
            let g_t = grad(theta);
            for i in 0..2 {
                let mut g = g_t[i];
                match kind {
                    OptimizerKind::Sgd => {
                        g += wd * theta[i];
                        theta[i] -= lr * g;
                    }
                    OptimizerKind::Momentum | OptimizerKind::Nesterov => {
                        g += wd * theta[i];
                        buf[i] = if t > 1 { mu * buf[i] + g } else { g };
                        g = if kind == OptimizerKind::Nesterov {
                            g + mu * buf[i]
                        } else {
                            buf[i]
                        };
                        theta[i] -= lr * g;
                    }
                    OptimizerKind::RmsProp => {
                        g += wd * theta[i];
                        v[i] = alpha * v[i] + (1.0 - alpha) * g * g;
                        theta[i] -= lr * g / (v[i].sqrt() + eps);
                    }
                    OptimizerKind::Adam | OptimizerKind::AdamW => {
                        if kind == OptimizerKind::Adam {
                            g += wd * theta[i];
                        } else {
                            theta[i] -= lr * wd * theta[i];
                        }
                        m[i] = b1 * m[i] + (1.0 - b1) * g;
                        v[i] = b2 * v[i] + (1.0 - b2) * g * g;
                        let m_hat = m[i] / (1.0 - b1.powi(t));
                        let v_hat = v[i] / (1.0 - b2.powi(t));
                        theta[i] -= lr * m_hat / (v_hat.sqrt() + eps);
                    }
                }
            }
            iterates[t as usize - 1] = theta;
        }
        iterates
    }

    /// The optimizer's first three iterates on the same problem.
    fn measured(kind: OptimizerKind, mut h: Hyperparams) -> [[f64; 2]; 3] {
        if kind == OptimizerKind::RmsProp {
            h.beta2 = 0.99;
        }
        let mut opt = Optimizer::new(kind, h, &[2]).unwrap();
        let mut theta = [1.5, -0.8];
        let mut iterates = [[0.0; 2]; 3];
        for it in &mut iterates {
            let g = grad(theta);
            assert!(opt.step([(&mut theta[..], &g[..])]));
            *it = theta;
        }
        iterates
    }

    #[test]
    fn first_three_steps_follow_the_documented_rules() {
        for kind in OptimizerKind::ALL {
            for wd in [0.0, 0.1] {
                let h = hyper(0.05, wd);
                let (want, got) = (documented(kind, h), measured(kind, h));
                for t in 0..3 {
                    for i in 0..2 {
                        assert!(
                            close(got[t][i], want[t][i], 1e-14),
                            "{kind:?} λ={wd} step {} θ[{i}]: {} vs {}",
                            t + 1,
                            got[t][i],
                            want[t][i]
                        );
                    }
                }
                // Every step moved both parameters.
                assert!(want[2][0] != 1.5 && want[2][1] != -0.8);
            }
        }
    }

    #[test]
    fn constant_gradient_steps_match_closed_forms() {
        // θ₀ = (1, −2), g = (0.5, −4) every step, γ = 0.1, μ = 0.9, λ = 0.
        let (lr, mu, eps) = (0.1, 0.9, 1e-8);
        let g = [0.5, -4.0];
        let run = |kind: OptimizerKind, h: Hyperparams| {
            let mut opt = Optimizer::new(kind, h, &[2]).unwrap();
            let mut theta = [1.0, -2.0];
            [(); 3].map(|_| {
                opt.step([(&mut theta[..], &g[..])]);
                theta
            })
        };
        let h = hyper(lr, 0.0);
        // Step t moves SGD by γg, momentum by γg(1 + μ + … + μ^(t−1)),
        // Nesterov by γg(1 + μ + … + μ^t).
        let sgd_moves = [1.0, 1.0, 1.0];
        let momentum_moves = [1.0, 1.0 + mu, 1.0 + mu + mu * mu];
        let nesterov_moves = [
            1.0 + mu,
            1.0 + mu + mu * mu,
            1.0 + mu + mu * mu + mu * mu * mu,
        ];
        // RMSprop: v_t = (1 − α^t)g², so the move is γg / (|g|√(1 − α^t) + ε).
        let rms = |t: i32, g: f64| g / (g.abs() * (1.0 - 0.99f64.powi(t)).sqrt() + eps);
        // Adam: the bias corrections make m̂ = g and v̂ = g² exactly: γg/(|g| + ε).
        let adam = |g: f64| g / (g.abs() + eps);
        let cases: [(OptimizerKind, [[f64; 2]; 3]); 5] = [
            (OptimizerKind::Sgd, sgd_moves.map(|k| g.map(|g| k * g))),
            (
                OptimizerKind::Momentum,
                momentum_moves.map(|k| g.map(|g| k * g)),
            ),
            (
                OptimizerKind::Nesterov,
                nesterov_moves.map(|k| g.map(|g| k * g)),
            ),
            (
                OptimizerKind::RmsProp,
                [1, 2, 3].map(|t| g.map(|g| rms(t, g))),
            ),
            (OptimizerKind::Adam, [(); 3].map(|_| g.map(adam))),
        ];
        for (kind, moves) in cases {
            let mut h = h;
            if kind == OptimizerKind::RmsProp {
                h.beta2 = 0.99;
            }
            let got = run(kind, h);
            let mut want = [1.0, -2.0];
            for t in 0..3 {
                for i in 0..2 {
                    want[i] -= lr * moves[t][i];
                    // Absolute: RMSprop's first step takes θ₀ = 1 to ≈ 0.
                    let err = (got[t][i] - want[i]).abs();
                    assert!(err < 1e-14, "{kind:?} step {} θ[{i}]: {err:e}", t + 1);
                }
            }
        }
        // AdamW, λ = 0.5: θ_t = (1 − γλ)θ_{t−1} − γg/(|g| + ε).
        let got = run(OptimizerKind::AdamW, hyper(lr, 0.5));
        let mut want = [1.0, -2.0];
        for (t, got) in got.iter().enumerate() {
            for i in 0..2 {
                want[i] = (1.0 - lr * 0.5) * want[i] - lr * adam(g[i]);
                let err = (got[i] - want[i]).abs();
                assert!(err < 1e-14, "AdamW step {} θ[{i}]: {err:e}", t + 1);
            }
        }
    }

    #[test]
    fn adam_with_weight_decay_is_not_adamw() {
        let (adam, adamw) = (
            measured(OptimizerKind::Adam, hyper(0.05, 0.1)),
            measured(OptimizerKind::AdamW, hyper(0.05, 0.1)),
        );
        for t in 0..3 {
            for i in 0..2 {
                assert!(
                    (adam[t][i] - adamw[t][i]).abs() > 1e-4,
                    "step {} θ[{i}]: {} vs {}",
                    t + 1,
                    adam[t][i],
                    adamw[t][i]
                );
            }
        }
        // Without decay the two are the same algorithm, bit for bit.
        assert_eq!(
            measured(OptimizerKind::Adam, hyper(0.05, 0.0)),
            measured(OptimizerKind::AdamW, hyper(0.05, 0.0))
        );
    }

    /// Steps until f(θ) = θᵀAθ, A = diag(1, 50), falls below 1e-8 from θ₀ = (1, 1),
    /// at most 5000.
    fn steps_to_converge(kind: OptimizerKind, h: Hyperparams) -> usize {
        let mut opt = Optimizer::new(kind, h, &[2]).unwrap();
        let mut theta = [1.0, 1.0];
        for step in 0..5000 {
            let f = theta[0] * theta[0] + 50.0 * theta[1] * theta[1];
            if f < 1e-8 {
                return step;
            }
            let g = [2.0 * theta[0], 100.0 * theta[1]];
            assert!(opt.step([(&mut theta[..], &g[..])]), "{kind:?} diverged");
        }
        5000
    }

    #[test]
    fn momentum_and_adam_beat_sgd_on_an_ill_conditioned_quadratic() {
        // Condition number 50; γ = 0.009 keeps SGD stable (γ < 2/100), but the
        // flat direction then shrinks by only 1 − 2γ = 0.982 per step.
        // Momentum fixes exactly that (≈ 3× fewer steps). Adam's steps are
        // ≈ γ per coordinate whatever the curvature, so at the same γ it needs
        // ~1/γ steps just to travel the distance 1 and wins by less (394 vs
        // 508 steps); at a loose tolerance (f < 1e-4) SGD is even ahead.
        let h = hyper(0.009, 0.0);
        let sgd = steps_to_converge(OptimizerKind::Sgd, h);
        let counts: Vec<(OptimizerKind, usize)> = OptimizerKind::ALL
            .into_iter()
            .map(|k| (k, steps_to_converge(k, h)))
            .collect();
        eprintln!("steps to f < 1e-8: {counts:?}");
        assert!(sgd < 5000, "SGD must converge too ({sgd})");
        for (kind, n) in counts {
            match kind {
                OptimizerKind::Momentum | OptimizerKind::Nesterov => {
                    assert!(n < sgd / 2, "{kind:?}: {n} steps vs SGD's {sgd}")
                }
                OptimizerKind::Adam | OptimizerKind::AdamW | OptimizerKind::RmsProp => {
                    assert!(n < sgd * 4 / 5, "{kind:?}: {n} steps vs SGD's {sgd}")
                }
                OptimizerKind::Sgd => {}
            }
        }
    }

    #[test]
    fn non_finite_parameters_are_reported_and_nan_propagates() {
        for kind in OptimizerKind::ALL {
            let mut opt = Optimizer::new(kind, Hyperparams::defaults(kind), &[3, 1]).unwrap();
            let (mut w, mut b) = ([1.0, 2.0, 3.0], [0.5]);
            assert!(opt.step([(&mut w[..], &[0.1, 0.2, 0.3][..]), (&mut b[..], &[1.0][..])]));
            let bad = opt.step([
                (&mut w[..], &[0.1, f64::NAN, 0.3][..]),
                (&mut b[..], &[1.0][..]),
            ]);
            assert!(!bad, "{kind:?}");
            assert!(w[1].is_nan(), "{kind:?}: {w:?}");
            assert_eq!(opt.steps(), 2);
            let bad = opt.step([
                (&mut w[..], &[0.0; 3][..]),
                (&mut b[..], &[f64::INFINITY][..]),
            ]);
            assert!(!bad, "{kind:?}");
        }
    }

    #[test]
    fn plain_sgd_on_an_mlp_matches_the_existing_sgd_bit_for_bit() {
        use crate::nn::{Hidden, Init, Loss, Penalty, Sgd, seeded};
        use ndarray::Array2;
        let mut rng = seeded(3);
        let net = Mlp::new(
            &[2, 5, 3],
            crate::nn::Activation::Tanh,
            Init::XavierNormal { gain: 1.0 },
            &mut rng,
        );
        let x = Array2::from_shape_fn((4, 2), |(i, j)| (i as f64 - 1.5) * 0.7 + j as f64);
        let y = Array2::from_shape_fn((4, 3), |(i, j)| f64::from(u8::from(i % 3 == j)));
        let (mut a, mut b) = (net.clone(), net);
        let mut opt = Optimizer::for_mlp(OptimizerKind::Sgd, hyper(0.3, 0.0), &a).unwrap();
        let mut ws = a.workspace(4);
        for _ in 0..3 {
            a.forward(x.view(), &mut ws, Hidden::Plain);
            a.backward(x.view(), y.view(), Loss::SoftmaxCrossEntropy, &mut ws);
            assert!(opt.step_mlp(&mut a, &ws));
            b.forward(x.view(), &mut ws, Hidden::Plain);
            b.backward(x.view(), y.view(), Loss::SoftmaxCrossEntropy, &mut ws);
            assert!(Sgd { lr: 0.3 }.step(&mut b, &ws, &Penalty::default()));
            assert_eq!(a, b);
        }
    }

    #[test]
    fn hyperparameters_are_validated() {
        for kind in OptimizerKind::ALL {
            assert_eq!(Hyperparams::defaults(kind).validate(kind), Ok(()));
            assert_eq!(OptimizerKind::from_name(kind.name()), Some(kind));
        }
        let bad = |f: fn(&mut Hyperparams)| {
            let mut h = Hyperparams::defaults(OptimizerKind::Adam);
            f(&mut h);
            Optimizer::new(OptimizerKind::Adam, h, &[1]).is_err()
        };
        assert!(bad(|h| h.lr = -0.1));
        assert!(bad(|h| h.lr = f64::NAN));
        assert!(bad(|h| h.beta1 = 1.0));
        assert!(bad(|h| h.beta2 = -0.5));
        assert!(bad(|h| h.eps = f64::INFINITY));
        assert!(bad(|h| h.weight_decay = -1.0));
        let mut h = Hyperparams::defaults(OptimizerKind::Nesterov);
        h.momentum = 0.0;
        assert_eq!(
            h.validate(OptimizerKind::Nesterov),
            Err(HyperError::NesterovWithoutMomentum)
        );
    }
}
