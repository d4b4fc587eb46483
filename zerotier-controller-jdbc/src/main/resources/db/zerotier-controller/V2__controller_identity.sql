-- The controller identity shared by all instances, when they keep it in the database (one row). Whoever can read this
-- table can sign network configs as the controller: see docs/self-hosting.md for the trade-off.
CREATE TABLE zt_controller_identity (
  id         smallint    PRIMARY KEY CHECK (id = 1),
  secret     text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
