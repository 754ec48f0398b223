//! The memory allocator `dyad` runs with, and how its process is set up for it.
//!
//! Coding allocates many small, short-lived strings and vectors per sentence;
//! mimalloc serves them several times faster than the system allocator. This
//! crate owns that choice so that the `dyad` binary and the benchmark's floor
//! (the `tokenise` example) run on equal terms. Both start the same way:
//!
//! ```
//! #[global_allocator]
//! static GLOBAL: dyad_alloc::Mimalloc = dyad_alloc::Mimalloc;
//!
//! fn main() {
//!     dyad_alloc::no_huge_pages();
//!     let words: Vec<String> = "a short sentence".split(' ').map(String::from).collect();
//!     assert_eq!(words.len(), 3);
//! }
//! ```
//!
//! Why not the `mimalloc` crate's own `MiMalloc`: it asks for every block
//! through mimalloc's aligned entry points, which test the alignment and look
//! for a fitting page before they reach the plain path. Almost every block Rust
//! asks for has an alignment that a plain `mi_malloc` already gives, so
//! [`Mimalloc`] calls that instead. On the benchmark corpus a coding run took
//! 1.4% fewer instructions and was 0-1% faster in alternation, the floor as
//! much (`docs/performance-log.md`, twenty-first round).

#![no_std]

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;

use libmimalloc_sys as mi;

/// mimalloc's own guarantee for a plain allocation (`MI_MAX_ALIGN_SIZE`,
/// `sizeof(max_align_t)`): a plain block is aligned to every power of two up
/// to this many bytes that is no larger than the block (mimalloc's
/// `mi_malloc_is_naturally_aligned`; Rust's system allocator makes the same
/// test of `malloc`).
const PLAIN_ALIGN: usize = 16;

/// Can a plain, unaligned mimalloc call serve a block of `size` bytes aligned to
/// `align`?
#[inline]
fn plain(size: usize, align: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

/// mimalloc as Rust's global allocator, by its plain entry points wherever they
/// give the alignment asked for.
pub struct Mimalloc;

// SAFETY: every block comes from mimalloc and goes back to it (`mi_free` takes
// any of its blocks, aligned or not); a block is aligned as its layout asks,
// either by the aligned calls or, where `plain` holds, by mimalloc's guarantee
// for plain ones.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(layout.size(), layout.align()) {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(layout.size(), layout.align()) {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr.cast::<c_void>());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(new_size, layout.align()) {
            mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}

/// Turn off transparent huge pages for this process (Linux; elsewhere nothing).
///
/// Where the kernel allows them, mimalloc asks for them, and the kernel then
/// zeroes 2 MiB at each first touch (and now and then compacts memory to find a
/// free one): that cost a coding run more time than it saved in TLB misses, made
/// its timing erratic and doubled its resident memory. Only this process is
/// changed; the system's setting is left alone.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes plain integers and only sets a flag
    // of this process; a kernel without it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::*;

    /// Blocks of every alignment the plain path serves, and of larger ones, come
    /// back aligned as asked, keep their bytes through a reallocation and zeroed
    /// blocks are zero.
    #[test]
    fn blocks_are_aligned_as_asked_and_keep_their_bytes() {
        let a = Mimalloc;
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1usize, 3, 8, 15, 16, 24, 40, 100, 1000, 70_000] {
                let Ok(layout) = Layout::from_size_align(size, align) else { continue };
                // SAFETY: the layout has a non-zero size; each block is freed once,
                // with the layout it was allocated with.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    for i in 0..size {
                        *p.add(i) = i as u8;
                    }
                    let bigger = size * 3 + 5;
                    let q = a.realloc(p, layout, bigger);
                    assert_eq!(q as usize % align, 0, "realloc to {bigger}, align {align}");
                    let kept: Vec<u8> = (0..size).map(|i| *q.add(i)).collect();
                    assert!(kept.iter().enumerate().all(|(i, &b)| b == i as u8));
                    a.dealloc(q, Layout::from_size_align_unchecked(bigger, align));
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
