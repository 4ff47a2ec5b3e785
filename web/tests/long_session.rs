//! Long sessions stay bounded: each scene plays at top speed for a long simulated horizon
//! while a counting allocator measures the live heap. After warm-up the heap must stay flat
//! (rewind snapshots, recent events, chart series, the export trace and the narration are
//! all bounded) and under a fixed ceiling.
#![cfg(not(target_arch = "wasm32"))]
// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_core::Model;
use scalelab_web::params::ParamValues;
use scalelab_web::player::{PlayerState, MAX_SPEED};
use scalelab_web::scenes::{balancing, caching, scaling, sharding, system, Scene};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::Mutex;

/// Live heap bytes of this test binary.
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);

// A global allocator is an unsafe trait; this one only counts, then defers to System.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The tests share one heap counter, so they take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The ceiling for JS heap + wasm memory; the simulation's own share must fit well
/// inside it.
const CEILING: isize = 64 * 1024 * 1024;
/// Allowed drift after warm-up: the live set may wobble (queues fill and drain, snapshots
/// are replaced by others of a different size) but not grow with the horizon.
const DRIFT: f64 = 1.25;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Plays `S` at top speed in frames of 16 ms until `steps` steps, sampling the live heap
/// after a fifth of them (warm) and at the end. Returns (warm, end, peak) bytes and the
/// simulated seconds played.
fn play<S: Scene>(steps: u64) -> (isize, isize, isize, f64) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let base = live();
    let mut p = PlayerState::<S>::new(ParamValues::defaults(S::specs()), 7).unwrap();
    p.playing = true;
    p.speed = MAX_SPEED;
    // A fake clock: each look at it costs 0.05 ms, so a frame's budget buys a fixed share of
    // work however fast this machine is, and the run is the same every time.
    let t = Cell::new(0.0f64);
    let clock = || {
        t.set(t.get() + 0.05);
        t.get()
    };
    let (mut warm, mut peak, mut now) = (None, 0isize, 0.0);
    while p.timeline.step() < steps {
        now += 16.0;
        t.set(now);
        p.frame(16.0, now, &clock);
        p.tick_drawing(now);
        p.expire();
        let used = live() - base;
        peak = peak.max(used);
        if warm.is_none() && p.timeline.step() >= steps / 5 {
            warm = Some(used);
        }
    }
    let end = live() - base;
    let simulated_s = p.model().now().as_secs_f64();
    drop(p);
    (warm.unwrap_or(end), end, peak, simulated_s)
}

fn check<S: Scene>(steps: u64) {
    let (warm, end, peak, simulated_s) = play::<S>(steps);
    let mb = |b: isize| b as f64 / (1024.0 * 1024.0);
    println!(
        "{}: {steps} steps ({simulated_s:.0} simulated s); live heap warm {:.2} MB, end {:.2} MB, peak {:.2} MB",
        S::ID.name(),
        mb(warm),
        mb(end),
        mb(peak)
    );
    assert!(peak < CEILING, "{}: peak {:.1} MB", S::ID.name(), mb(peak));
    assert!(
        (end as f64) <= (warm as f64) * DRIFT + 256.0 * 1024.0,
        "{}: the heap grew from {:.2} MB after warm-up to {:.2} MB",
        S::ID.name(),
        mb(warm),
        mb(end)
    );
}

#[test]
fn balancing_long_session_is_bounded() {
    check::<balancing::BalancingScene>(1_200_000);
}

#[test]
fn caching_long_session_is_bounded() {
    check::<caching::CachingScene>(600_000);
}

#[test]
fn sharding_long_session_is_bounded() {
    check::<sharding::ShardingScene>(600_000);
}

#[test]
fn scaling_long_session_is_bounded() {
    check::<scaling::ScalingScene>(600_000);
}

#[test]
fn system_long_session_is_bounded() {
    check::<system::SystemScene>(600_000);
}
