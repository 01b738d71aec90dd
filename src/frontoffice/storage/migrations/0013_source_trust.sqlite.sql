-- A source's trust level: 'client' when its write key ships to browsers or devices (web, app,
-- chat, social: public by nature, so its events can claim but never prove), 'server' otherwise.
-- Existing sources get their channel's default; the workspace's own DSR source (its write key
-- is known to nobody) is server-side whatever its channel. A row written without a trust level
-- is client-side: the safe side.
ALTER TABLE sources ADD COLUMN trust TEXT NOT NULL DEFAULT 'client';
UPDATE sources SET trust = 'server'
    WHERE channel NOT IN ('web', 'app', 'social', 'chat') OR name = 'frontoffice-dsr';
