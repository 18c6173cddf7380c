-- Each signing key gets its place in the sequence of keys: 1 for the first. Instances that start
-- together on an empty database each find no key and each make one; with the place unique, only one
-- of them can store the first, and the others load that one instead of signing with a key of their
-- own that no other instance knows. Keys stored before this migration have no place (NULL), and
-- NULLs do not conflict with each other. Standard SQL that both H2 and PostgreSQL run.
ALTER TABLE signing_keys ADD COLUMN generation INT;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_generation_unique UNIQUE (generation);
