import Replicate from "replicate";

const replicate = new Replicate({ auth: process.env.REPLICATE_API_TOKEN });

// version ids copied from each model's API tab
export const MODELS = {
  faceRestore: "tencentarc/gfpgan:53094680b6140c5da91b6c34165b7a5ffa1a05adeb6753bc8fdd3cfdf40d1528",
  depth: "chenxwh/depth-anything-v2:dd25c8edb3cd957dfe65665177f387346ed678e5b24e19cea1b8fb3c887a18e9",
  caption: "salesforce/blip:2c05aacec2360390d2fafec1dc24920d84d546317ba5e066b8ad2f467f8d83bd",
  controlnet: "jagilley/controlnet-scribble:a281203412389f52536704bcaf09062dbee4850cdaf1e0b7acc5d810b063b366",
} as const;

export async function restore(image: string) {
  return replicate.run(MODELS.faceRestore, { input: { img: image, scale: 2 } });
}
