-- A registry at schema version 12 (before ids were AUTOINCREMENT), with rows in every table:
-- the starting point of SqliteRegistryTest.AnOldRegistryKeepsItsDataAndNeverReusesIds. Made with sqlite3 .dump.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE product_versions (
      model TEXT NOT NULL,
      version INTEGER NOT NULL,
      vendor TEXT NOT NULL,
      device_type TEXT NOT NULL,
      type_urn TEXT NOT NULL,
      instance_json TEXT NOT NULL,
      registered_at_ms INTEGER NOT NULL,
      PRIMARY KEY (model, version)
    ) WITHOUT ROWID;
INSERT INTO product_versions VALUES('acme.light.one',1,'acme','light','urn:miot-spec-v2:device:light:0000A001:acme-one:1','{"type":"urn:miot-spec-v2:device:light:0000A001:acme-one:1","description":"Lamp","services":[]}',1700000000000);
CREATE TABLE devices (
      did TEXT PRIMARY KEY,
      model TEXT NOT NULL,
      secret_hash TEXT NOT NULL,
      name TEXT NOT NULL,
      created_at_ms INTEGER NOT NULL
    , online INTEGER NOT NULL DEFAULT 0, presence_changed_ms INTEGER NOT NULL DEFAULT 0, firmware_revision TEXT NOT NULL DEFAULT '', serial_number TEXT NOT NULL DEFAULT '', bind_code_hash TEXT NOT NULL DEFAULT '', home_id INTEGER NOT NULL DEFAULT 0, room_id INTEGER NOT NULL DEFAULT 0, bound_at_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
INSERT INTO devices VALUES('00000000000000a1','acme.light.one','secret-a1','Desk lamp',1700000000500,0,0,'1.0.3','SN-A1','code-a1',1,1,1700000000600);
INSERT INTO devices VALUES('00000000000000b2','acme.light.one','secret-b2','Attic lamp',1700000000501,0,0,'','','code-b2',2,3,1700000000601);
INSERT INTO devices VALUES('00000000000000c3','acme.light.one','secret-c3','',1700000000502,0,0,'','','code-c3',0,0,0);
CREATE TABLE outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      did TEXT NOT NULL,
      request_id INTEGER NOT NULL,
      payload TEXT NOT NULL,
      queued_at_ms INTEGER NOT NULL,
      expires_at_ms INTEGER NOT NULL
    );
INSERT INTO outbox VALUES(1,'00000000000000b2',41,'{"id":41,"method":"get_properties","params":[{"siid":2,"piid":1}]}',1700000000800,4000000000000);
CREATE TABLE product_retention (
      model TEXT PRIMARY KEY,
      days INTEGER NOT NULL
    ) WITHOUT ROWID;
INSERT INTO product_retention VALUES('acme.light.one',7);
CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      password_hash TEXT NOT NULL,
      admin INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL
    );
INSERT INTO users VALUES(1,'ann@example.com','hash-ann',1,1700000000001);
INSERT INTO users VALUES(2,'bob@example.com','hash-bob',0,1700000000002);
INSERT INTO users VALUES(3,'cat@example.com','hash-cat',0,1700000000003);
CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      user_id INTEGER NOT NULL,
      access_hash TEXT NOT NULL UNIQUE,
      access_expires_ms INTEGER NOT NULL,
      refresh_hash TEXT NOT NULL UNIQUE,
      refresh_expires_ms INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL
    ) WITHOUT ROWID;
INSERT INTO sessions VALUES('s1',1,'access-1',1800000000000,'refresh-1',1900000000000,1700000000010);
CREATE TABLE homes (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      owner_id INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL
    );
INSERT INTO homes VALUES(1,'Ann''s flat',1,1700000000100);
INSERT INTO homes VALUES(2,'Bob''s house',2,1700000000200);
CREATE TABLE home_members (
      home_id INTEGER NOT NULL,
      user_id INTEGER NOT NULL,
      role TEXT NOT NULL,
      until_ms INTEGER NOT NULL,
      added_at_ms INTEGER NOT NULL,
      PRIMARY KEY (home_id, user_id)
    ) WITHOUT ROWID;
INSERT INTO home_members VALUES(1,1,'owner',0,1700000000100);
INSERT INTO home_members VALUES(1,3,'guest',1800000000000,1700000000300);
INSERT INTO home_members VALUES(2,2,'owner',0,1700000000200);
CREATE TABLE rooms (
      id INTEGER PRIMARY KEY,
      home_id INTEGER NOT NULL,
      name TEXT NOT NULL,
      created_at_ms INTEGER NOT NULL
    );
INSERT INTO rooms VALUES(1,1,'Kitchen',1700000000110);
INSERT INTO rooms VALUES(2,2,'Hall',1700000000210);
INSERT INTO rooms VALUES(3,2,'Attic',1700000000220);
CREATE TABLE invitations (
      id INTEGER PRIMARY KEY,
      home_id INTEGER NOT NULL,
      email TEXT NOT NULL,
      role TEXT NOT NULL,
      until_ms INTEGER NOT NULL,
      invited_by INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL,
      UNIQUE (home_id, email)
    );
INSERT INTO invitations VALUES(1,2,'cat@example.com','member',0,2,1700000000400);
CREATE TABLE device_shares (
      did TEXT NOT NULL,
      user_id INTEGER NOT NULL,
      shared_by INTEGER NOT NULL,
      until_ms INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL,
      PRIMARY KEY (did, user_id)
    ) WITHOUT ROWID;
INSERT INTO device_shares VALUES('00000000000000a1',2,1,0,1700000000700);
CREATE TABLE user_activity (
      day INTEGER NOT NULL,
      user_id INTEGER NOT NULL,
      PRIMARY KEY (day, user_id)
    ) WITHOUT ROWID;
INSERT INTO user_activity VALUES(19700,1);
INSERT INTO user_activity VALUES(19700,2);
CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      did TEXT NOT NULL,
      ts_ms INTEGER NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      detail TEXT NOT NULL,
      result TEXT NOT NULL
    );
INSERT INTO audit_log VALUES(1,'00000000000000a1',1700000000600,'user:1','bind','{"home_id":1,"room_id":1,"name":"Desk lamp"}','{"code":0}');
INSERT INTO audit_log VALUES(2,'00000000000000b2',1700000000601,'user:2','bind','{"home_id":2,"room_id":3,"name":"Attic lamp"}','{"code":0}');
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('outbox',1);
CREATE INDEX product_versions_by_type ON product_versions (device_type, model);
CREATE INDEX devices_by_model ON devices (model, did);
CREATE INDEX outbox_by_device ON outbox (did, seq);
CREATE INDEX outbox_by_expiry ON outbox (expires_at_ms);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX home_members_by_user ON home_members (user_id, home_id);
CREATE INDEX rooms_by_home ON rooms (home_id, id);
CREATE INDEX invitations_by_email ON invitations (email, id);
CREATE UNIQUE INDEX devices_by_bind_code ON devices (bind_code_hash) WHERE bind_code_hash != '';
CREATE INDEX devices_by_home ON devices (home_id, did) WHERE home_id != 0;
CREATE INDEX device_shares_by_user ON device_shares (user_id, did);
CREATE INDEX audit_by_device ON audit_log (did, ts_ms, id);
COMMIT;
PRAGMA user_version = 12;
