-- A ticket's closed vocabularies, checked by the database: a member's psql (or a script)
-- cannot give a ticket a stage, priority, tier, channel or outcome, or a note an audience,
-- that no Pulsedesk knows — the server's own commands read those values back, and every
-- desktop would have to leave the ticket out. (The lists are those of
-- pulsedesk_core::kinds; a test checks that every value there is accepted.) NOT VALID: rows
-- already stored are not checked again, so a database with such a row still migrates.
ALTER TABLE tickets
    ADD CONSTRAINT tickets_known_stage
        CHECK (stage IN ('unassigned', 'to_contact', 'in_progress', 'awaiting_reply', 'done')) NOT VALID,
    ADD CONSTRAINT tickets_known_priority
        CHECK (priority IN ('urgent', 'high', 'medium', 'low')) NOT VALID,
    ADD CONSTRAINT tickets_known_tier
        CHECK (tier IN ('vip', 'normal', 'enterprise')) NOT VALID,
    ADD CONSTRAINT tickets_known_channel
        CHECK (channel IN ('phone', 'chat', 'email', 'app', 'web_form')) NOT VALID,
    ADD CONSTRAINT tickets_known_outcome
        CHECK (outcome IS NULL OR outcome IN ('fully', 'partially', 'not_resolved')) NOT VALID,
    ADD CONSTRAINT tickets_departments_known
        CHECK (jsonb_typeof(departments) = 'array'
               AND departments <@ '["tech", "product", "after_sales"]'::jsonb) NOT VALID,
    ADD CONSTRAINT tickets_attachments_listed
        CHECK (jsonb_typeof(attachments) = 'array'
               AND NOT jsonb_path_exists(attachments, '$[*] ? (@.type() != "string")')) NOT VALID;
ALTER TABLE notes
    ADD CONSTRAINT notes_known_audience
        CHECK (audience IN ('internal', 'tech', 'product', 'after_sales')) NOT VALID;
