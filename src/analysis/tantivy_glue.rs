//! The analyzers as tantivy tokenizers, registered on the index so that
//! tantivy's own tools (and anyone opening the index) analyse like we do.

use super::{analyze, FieldKind};
use crate::lang::Language;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// A tantivy tokenizer running [`analyze`] for one field kind.
#[derive(Clone)]
pub(crate) struct RepsearchTokenizer {
    kind: FieldKind,
}

impl RepsearchTokenizer {
    /// The tokenizer of a field kind.
    pub(crate) fn new(kind: FieldKind) -> Self {
        RepsearchTokenizer { kind }
    }
}

/// Token stream over pre-computed tokens.
pub(crate) struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream {
            tokens,
            index: usize::MAX,
        }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.index = self.index.wrapping_add(1);
        self.index < self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index]
    }
}

/// Converts analysed terms to tantivy tokens.
pub(crate) fn to_tokens(terms: Vec<super::Term>) -> Vec<Token> {
    terms
        .into_iter()
        .map(|t| Token {
            offset_from: t.start,
            offset_to: t.end,
            position: t.position,
            text: t.text,
            position_length: 1,
        })
        .collect()
}

impl Tokenizer for RepsearchTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(to_tokens(analyze(text, self.kind)))
    }
}

/// Every field kind the index uses.
pub(crate) fn all_kinds() -> Vec<FieldKind> {
    let mut kinds = vec![FieldKind::Exact, FieldKind::Fold(None), FieldKind::Cognate];
    kinds.extend(Language::ALL.iter().map(|&l| FieldKind::Stem(l)));
    kinds
}

/// Registers every repsearch analyzer on a tantivy index.
pub(crate) fn register(index: &tantivy::Index) {
    let manager = index.tokenizers();
    for kind in all_kinds() {
        manager.register(&kind.analyzer_name(), RepsearchTokenizer::new(kind));
    }
}
