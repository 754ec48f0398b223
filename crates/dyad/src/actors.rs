//! Actor mentions.
