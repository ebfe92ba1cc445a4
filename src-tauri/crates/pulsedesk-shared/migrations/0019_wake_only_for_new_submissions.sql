-- A desktop sends its waiting commands again at each flush (harmless: a command already
-- submitted is left as it is). Such a statement adds no row, and now wakes nobody: the
-- service hears only of statements that submitted something.
CREATE OR REPLACE FUNCTION pd_submitted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM added) THEN
        PERFORM pg_notify('pulsedesk_submitted', '');
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER submissions_submitted ON submissions;
CREATE TRIGGER submissions_submitted AFTER INSERT ON submissions
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION pd_submitted();
