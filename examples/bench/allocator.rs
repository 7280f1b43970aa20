//! The heap, counted: a global allocator that adds up every byte and every allocation and
//! hands the work to a real allocator underneath.
//!
//! Which allocator is underneath is decided when the example is built: the C library's malloc,
//! or mimalloc with `cargo run --release --example bench --features mimalloc`. One build, one
//! allocator, so memory from one is never freed by the other.

// ANCHOR: counting
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Bytes allocated and not yet freed.
pub static HEAP_BYTES: AtomicUsize = AtomicUsize::new(0);
/// Allocations made so far (a `realloc` counts as one).
pub static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

/// Counts what passes through, and lets `A` do the allocating.
pub struct Counting<A>(pub A);

unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HEAP_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's promises about `layout` pass straight through.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        HEAP_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as in `alloc`.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        HEAP_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `pointer` came from `self.0`, the only allocator this one ever calls.
        unsafe { self.0.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HEAP_BYTES.fetch_add(new_size, Ordering::Relaxed);
        HEAP_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as in `dealloc`.
        unsafe { self.0.realloc(pointer, layout, new_size) }
    }
}
// ANCHOR_END: counting

#[cfg(not(feature = "mimalloc"))]
#[global_allocator]
static GLOBAL: Counting<std::alloc::System> = Counting(std::alloc::System);

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: Counting<mimalloc::MiMalloc> = Counting(mimalloc::MiMalloc);

/// The allocator under the counting one in this build: `system` or `mimalloc`.
pub const NAME: &str = if cfg!(feature = "mimalloc") {
    "mimalloc"
} else {
    "system"
};
