//! The news-gold metric.
