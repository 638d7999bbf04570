// Phota profile registry for the photobooth app.
// Profile ids are what /v1/phota/profiles/add returns; they identify a trained
// subject, they are not credentials. The API key is PHOTA_API_KEY, server side.
export const PROFILES: Record<string, string> = {
  "user_9ae26q1x": "0a9ca4a52fd8a587b0db416c85d5f5cc",
  "user_tzso5fp0": "8424248beec59204ac6171c629ab5e91",
  "pet_2hcg6eiz": "84ecfc3e89880951c19cc433b49f292a",
};

export const PENDING_JOBS = [
  { job_id: "0785eebf-d0f0-4819-b12a-8e6ea7782db2", kind: "edit", status: "IN_PROGRESS" },
  { job_id: "470a9a75-8ded-485d-8582-21b3c737f515", kind: "generate", status: "READY" },
];

export const prompt = (profileId: string) =>
  `[[${profileId}]] reading a newspaper in a Paris café, film grain`;
