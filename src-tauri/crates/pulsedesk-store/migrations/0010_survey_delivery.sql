-- Survey links: each survey's token (the customer's answer comes back with it) and what the
-- channel gateway did with it.
ALTER TABLE surveys ADD COLUMN token TEXT;
ALTER TABLE surveys ADD COLUMN delivered_at INTEGER;
-- sms | email
ALTER TABLE surveys ADD COLUMN delivered_via TEXT;
ALTER TABLE surveys ADD COLUMN delivery_error TEXT;
CREATE UNIQUE INDEX surveys_by_token ON surveys (token) WHERE token IS NOT NULL;
-- Surveys the gateway has still to send: found without a scan.
CREATE INDEX surveys_undelivered ON surveys (sent_at) WHERE status = 'pending' AND delivered_at IS NULL;
