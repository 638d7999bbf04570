const PHOTA_KEY = "UIUIA0Ir1pKHS5hHTWLHGmNJaAmXW0JdlrORKkm1zmf";
const BASE = "https://api.photalabs.com/v1/phota";

export const photaHeaders = () => ({ "X-API-Key": PHOTA_KEY, "Content-Type": "application/json" });
export const jobUrl = (id) => `${BASE}/jobs/${id}`;
