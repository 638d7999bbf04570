-- seed data for the tenants table: keys are stored as SHA-256 digests only
INSERT INTO provider_credentials (tenant_id, provider, key_sha256, key_last4, created_at) VALUES
  ('31e5b20e-e99d-4906-99fe-318c42a1a1de', 'modelslab', '8fed1bb5a24bcc782f2bfc8a142cfe4750334a4626798aa2d97394274d942d86', 'i3Vw', now()),
  ('3766826c-23ad-4a6b-a81c-0896b5015d02', 'getimg',    'dec2149e594b998fd9d3dcad6d2242aad24e365871016e2cff99bb7fa56d6752', 'tg4q', now()),
  ('7c8d7092-342d-4346-a66d-e166d9c3cdec', 'imagen',    'fc67a6bfbcac735c882f991f3a53fdf1d97e3e6b7ab415f11720152bff3ff446', 'K60F', now()),
  ('1cc6938d-06cf-4d5c-b8d8-e64455475b03', 'phota',     'c7a2c68a9e46095ac1202bc54a0d1d0e3c4d9d41758cf1a35c50d0bc89b55a90', 'vgvj', now());
-- lookups hash the presented key first: WHERE key_sha256 = encode(digest($1, 'sha256'), 'hex')
