-- A flood of submissions from one login is bounded: at most 10,000 of a member's commands
-- may wait for the team service at once (a desktop sends at most 64 at a time, and only
-- what its member did). Beyond that the submitting statement is refused, with SQLSTATE
-- PD002, and nothing of it is kept. (The service also takes each member's waiting commands
-- in turns, so one member's backlog never holds up the others': applier.rs.)
CREATE FUNCTION pd_submissions_bounded() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM submissions s
        WHERE s.outcome IS NULL AND s.user_id IN (SELECT DISTINCT a.user_id FROM added a)
        GROUP BY s.user_id HAVING count(*) > 10000
    ) THEN
        RAISE EXCEPTION 'more than 10000 of your changes wait for the team service; try again once they are applied'
            USING ERRCODE = 'PD002';
    END IF;
    RETURN NULL;
END $$;

REVOKE ALL ON FUNCTION pd_submissions_bounded() FROM PUBLIC;

CREATE TRIGGER submissions_bounded AFTER INSERT ON submissions
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION pd_submissions_bounded();

CREATE INDEX submissions_waiting_by_user ON submissions (user_id, seq) WHERE outcome IS NULL;
