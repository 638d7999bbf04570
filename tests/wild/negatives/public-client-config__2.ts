// src/env.client.ts — NEXT_PUBLIC_* values are public by construction.
export const clientEnv = {
  NEXT_PUBLIC_SITE_URL: "https://stickers.example.app",
  NEXT_PUBLIC_SENTRY_DSN: "https://examplePublicKey@o0.ingest.sentry.io/0",
  NEXT_PUBLIC_ALGOLIA_SEARCH_KEY: "c1627e8a52ebb8c8dc76f530c6c7bae0",
  NEXT_PUBLIC_MAPBOX_STYLE: "mapbox://styles/example/3ubhp9ie89xov2mtpms0f5906",
  NEXT_PUBLIC_BUILD_ID: "Wrb4Q72WcLcXEZVa0RJUG",
} as const;

// server-only: process.env.GETIMG_API_KEY, read in app/api/generate/route.ts
export const GETIMG_ROUTE = "/api/generate";
