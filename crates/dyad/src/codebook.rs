//! The CAMEO codebook: every event code with its label, Goldstein value, GDELT quad
//! class and PLOVER category. STUB: interface fixed, implementation to be written.

/// What the codebook knows about one CAMEO event code.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeInfo {
    pub code: String,
    pub label: String,
    pub goldstein: f64,
    /// GDELT quad class: 1 verbal cooperation (01-05), 2 material cooperation
    /// (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20).
    pub quad_class: u8,
    /// PLOVER event type ("CONSULT", "AGREE", ...), when CAMEO maps to one.
    pub plover: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Codebook {
    codes: Vec<CodeInfo>,
}

impl Codebook {
    pub fn get(&self, code: &str) -> Option<&CodeInfo> {
        self.codes.iter().find(|c| c.code == code)
    }
}
