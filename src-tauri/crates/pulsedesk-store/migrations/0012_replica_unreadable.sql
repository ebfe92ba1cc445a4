-- Tickets the replica could not hold whole: the server's row has a value this build does not
-- know, or some of its entries could not be read (a newer Pulsedesk's, or written by hand).
-- The app says how many; the sync engine reads them again whole at every connection, so a
-- newer build (or a repaired row) fills in what was left out.
CREATE TABLE replica_unreadable (
    ticket_id  INTEGER PRIMARY KEY
);
