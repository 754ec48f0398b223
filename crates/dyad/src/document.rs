//! Documents and reading them from files. STUB: interface fixed.

use jiff::civil::Date;

/// One news article to code.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub id: String,
    pub text: String,
    pub published: Date,
    pub url: Option<String>,
    pub title: Option<String>,
}
