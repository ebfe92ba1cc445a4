-- A refused command keeps the server's typed reason (code and parameters, as JSON) so the
-- desktop can show it in the member's language; `reason` keeps the English text.
ALTER TABLE outbox ADD COLUMN refusal TEXT;
