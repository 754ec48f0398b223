//! Temporal expressions and event dating.
