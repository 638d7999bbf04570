// public/config.js — values that are meant to ship to the browser.
// Provider keys (ModelsLab, getimg.ai) stay on the server: see api/generate.js.
window.APP_CONFIG = {
  stripe: { publishableKey: "pk_test_TYooMQauvdEDq54NiTphI7jx" },
  algolia: { appId: "888AE17DEC", searchOnlyApiKey: "38cef1b313712da99fd0d245511c50a1", indexName: "gallery_prod" },
  sentry: { dsn: "https://examplePublicKey@o0.ingest.sentry.io/0" },
  build: { sha: "c57b989b2326a3c140ab036331501e715c99a347", assetsHash: "738765f85a69cd3dbff4" },
  generateEndpoint: "/api/generate?provider=modelslab",
};
