-- A note or a stage move is applied in one statement outside an explicit transaction
-- (tickets.rs): the ticket's row is written only if its version is still the one the rules
-- were checked against, and the command's id is recorded with it. If that id turns out to be
-- recorded already (a duplicate that committed while this one ran), the statement calls
-- this, and everything it wrote is undone with it.
CREATE FUNCTION pd_applied_before() RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'this command was applied before' USING ERRCODE = 'PD001';
END $$;
