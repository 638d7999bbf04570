import { fal } from "@fal-ai/client";

fal.config({ credentials: "85a35d47-677e-4a5f-9102-51c43632c37c:730c4761a61762282b898fadd8431b16" });

const result = await fal.subscribe("fal-ai/flux/dev", { input: { prompt: "a cozy reading nook" } });
