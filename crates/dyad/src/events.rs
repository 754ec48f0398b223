//! Event triggers and clause structure.
