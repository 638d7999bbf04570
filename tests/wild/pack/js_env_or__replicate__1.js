import Replicate from "replicate";

const replicate = new Replicate({
  auth: process.env.REPLICATE_API_TOKEN || "r8_cwwF4xEtG7wJsnk16MeySSTgFblk5JmeFJnrz",
});

export const upscale = (image) =>
  replicate.run("nightmareai/real-esrgan", { input: { image, scale: 4 } });
