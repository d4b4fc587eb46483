-- The controller's records, one row per controller.d file: the JSON record itself (record) plus the columns the
-- store queries and compares on. IDs are the 64-bit network ID and 40-bit member address as signed bigint.
CREATE TABLE zt_network (
  id         bigint      PRIMARY KEY,
  revision   bigint      NOT NULL,
  record     jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE zt_member (
  network_id bigint      NOT NULL REFERENCES zt_network (id) ON DELETE CASCADE,
  address    bigint      NOT NULL,
  revision   bigint      NOT NULL,
  authorized boolean     NOT NULL,
  record     jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (network_id, address)
);

-- Which controller instance a member last asked, with what request metadata: another instance takes the member over
-- when that instance stops sending heartbeats.
CREATE TABLE zt_member_session (
  network_id   bigint      NOT NULL,
  address      bigint      NOT NULL,
  instance_id  text        NOT NULL,
  last_request timestamptz NOT NULL,
  metadata     bytea       NOT NULL,
  PRIMARY KEY (network_id, address)
);

CREATE INDEX zt_member_session_instance ON zt_member_session (instance_id);

CREATE TABLE zt_controller_instance (
  instance_id text        PRIMARY KEY,
  heartbeat   timestamptz NOT NULL
);

-- Every change to a record is announced on channel zt_controller as "<origin>,<network id>,<member address>"
-- (address 0 for a network record). <origin> is the writing instance (set per transaction as zt.origin), empty for
-- other writers such as psql: each instance ignores its own changes and reloads the others'.
CREATE FUNCTION zt_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  origin text := coalesce(current_setting('zt.origin', true), '');
  rec record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    rec := OLD;
  ELSE
    rec := NEW;
  END IF;
  IF TG_TABLE_NAME = 'zt_network' THEN
    PERFORM pg_notify('zt_controller', origin || ',' || rec.id || ',0');
  ELSE
    PERFORM pg_notify('zt_controller', origin || ',' || rec.network_id || ',' || rec.address);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER zt_network_changed AFTER INSERT OR UPDATE OR DELETE ON zt_network
  FOR EACH ROW EXECUTE FUNCTION zt_notify_change();

CREATE TRIGGER zt_member_changed AFTER INSERT OR UPDATE OR DELETE ON zt_member
  FOR EACH ROW EXECUTE FUNCTION zt_notify_change();
