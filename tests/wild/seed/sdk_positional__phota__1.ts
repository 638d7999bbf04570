import { PhotaClient } from "./lib/phota"; // wraps https://api.photalabs.com/v1/phota

const uploads = ["https://cdn.booth.app/u/81/a.jpg", "https://cdn.booth.app/u/81/b.jpg"];
const phota = new PhotaClient("KCVgNABF6TtcTSfZWEze_NzC5izyssIBT_RRfBDq7lS");

const { profile_id } = await phota.addProfile({ imageUrls: uploads, trainingTier: "fast" });
await phota.waitUntilReady(profile_id);
