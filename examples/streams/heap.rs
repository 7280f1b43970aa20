//! The heap, counted, with its high-water mark: how many bytes the program holds at most.
//! The example's binary uses it as its global allocator; the tests, which include the
//! example as a module, do not (one test binary has one allocator), and read the figures
//! from the example's `--json` instead.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes allocated and not yet freed.
static HELD: AtomicUsize = AtomicUsize::new(0);
/// The most bytes held at once since the last [`reset_peak`].
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Counts what passes through, and lets the system allocator do the work.
pub struct Counting;

// SAFETY: every call is handed to `System` unchanged; the counting only adds up sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: the caller's promises about `layout` pass straight through.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `pointer` came from `System`, the only allocator this one calls.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grow(new_size);
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as in `dealloc`.
        unsafe { System.realloc(pointer, layout, new_size) }
    }
}

fn grow(bytes: usize) {
    let held = HELD.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(held, Ordering::Relaxed);
}

/// Bytes held now.
pub fn held() -> usize {
    HELD.load(Ordering::Relaxed)
}

/// Starts a new high-water mark at what is held now.
pub fn reset_peak() {
    PEAK.store(held(), Ordering::Relaxed);
}

/// The most bytes held at once since the last [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}
