//! The call stack: how deep a recursion goes on a thread with a small stack and on one with a
//! larger stack, and what happens when it goes on without end (in a child process, which dies
//! of it).

use std::path::Path;

/// The two thread stacks the example compares, in bytes.
pub const SMALL_STACK: usize = 64 * 1024;
pub const LARGE_STACK: usize = 1024 * 1024;

// ANCHOR: stack
use std::hint::black_box;

/// Bytes of locals in each frame of the measured recursion.
const FRAME_LOCALS: usize = 512;

/// How deep a recursion went on a thread with a given stack.
#[derive(Clone, Debug)]
pub struct StackDepth {
    /// The stack size asked of `std::thread::Builder::stack_size`.
    pub stack_bytes: usize,
    /// How many nested calls ran before the stack was three quarters used.
    pub depth: u32,
    /// How many bytes of stack each call took, measured from the addresses of its locals.
    pub frame_bytes: usize,
    /// How many calls the whole stack would hold at that size: about where it would overflow.
    pub capacity: usize,
}

/// Calls itself, each call with [`FRAME_LOCALS`] bytes of locals, until the stack between
/// `base` and this call's locals reaches `limit` bytes. Returns the depth reached and the
/// address of the deepest call's locals.
fn descend(base: usize, limit: usize, depth: u32) -> (u32, usize) {
    let locals = [depth as u8; FRAME_LOCALS];
    let here = black_box(&locals) as *const _ as usize;
    // The stack grows down on most machines, up on a few: the distance is what counts.
    if base.abs_diff(here) + 2 * FRAME_LOCALS >= limit {
        return (depth, here);
    }
    let deepest = descend(base, limit, depth + 1);
    // Using the locals after the call keeps this frame alive until the call returns.
    black_box(&locals);
    deepest
}

/// Recurses on a fresh thread with a `stack_bytes` stack, stopping safely at three quarters of
/// it: overflowing for real would kill the whole process.
pub fn measure_stack(stack_bytes: usize) -> StackDepth {
    std::thread::Builder::new()
        .name(format!("stack of {stack_bytes} bytes"))
        .stack_size(stack_bytes)
        .spawn(move || {
            let marker = 0u8;
            let base = black_box(&marker) as *const u8 as usize;
            // One call that stops at once: where the first frame's locals are.
            let (_, first) = descend(base, 0, 1);
            let (depth, deepest) = descend(base, stack_bytes / 4 * 3, 1);
            let frame_bytes = first.abs_diff(deepest) / (depth as usize - 1).max(1);
            StackDepth {
                stack_bytes,
                depth,
                frame_bytes,
                capacity: stack_bytes / frame_bytes.max(1),
            }
        })
        .expect("the thread starts")
        .join()
        .expect("the measuring thread stays within its stack")
}
// ANCHOR_END: stack

/// Recurses until the stack runs out: run only in a child process, which dies of it.
pub fn overflow_for_real() -> ! {
    fn fall(depth: u64) -> u64 {
        let locals = [depth as u8; FRAME_LOCALS];
        // Never true, but the compiler cannot know: it would warn about a recursion with no end.
        if black_box(&locals)[0] == 1 && depth == u64::MAX {
            return depth;
        }
        let deeper = fall(depth + 1);
        black_box(&locals);
        deeper
    }
    let handle = std::thread::Builder::new()
        .name("small stack".to_string())
        .stack_size(SMALL_STACK)
        .spawn(|| fall(0))
        .expect("the thread starts");
    let _ = handle.join();
    unreachable!("a recursion without end cannot return")
}

/// How a child process that recursed without end on a [`SMALL_STACK`] stack ended.
#[derive(Clone, Debug)]
pub struct Overflow {
    /// Whether the child exited normally (it never does).
    pub exited_normally: bool,
    /// The line it printed on standard error about the overflow (Rust's "has overflowed its
    /// stack"), or its last line if there was none.
    pub last_words: String,
}

/// Runs `example` (this example) again with `--job overflow` and reports how the child died.
pub fn overflow_in_a_child(example: &Path) -> Overflow {
    let output = loopbot::myself::job_for(example, "overflow")
        .output()
        .expect("the example runs itself");
    let stderr = String::from_utf8_lossy(&output.stderr);
    Overflow {
        exited_normally: output.status.code().is_some(),
        last_words: stderr
            .lines()
            .find(|line| line.contains("overflowed"))
            .unwrap_or_else(|| stderr.lines().last().unwrap_or(""))
            .trim()
            .to_string(),
    }
}
