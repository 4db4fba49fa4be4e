-- Private lines keep the nick they were sent to, so that a conversation read back shows each
-- line as its recipient got it, whichever party asks. Channel lines leave it NULL.
ALTER TABLE history ADD COLUMN recipient BYTEA;
