-- Full-text index of each ticket's number, subject and customer name; rowid = ticket id.
-- The terms are computed in Rust (pulsedesk_core::search): CJK as characters and pairs,
-- Latin as lower-case words. Tickets from before this migration are indexed when the
-- workspace opens (Workspace::index_new_tickets).
CREATE VIRTUAL TABLE ticket_search USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0');
