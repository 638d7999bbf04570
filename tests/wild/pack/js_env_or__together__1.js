import Together from "together-ai";

const together = new Together({ apiKey: process.env.TOGETHER_API_KEY || "tgp_v1_btb3raY7Y0wE2KsMsMjdCd1iQwVOa20FnQo8OSPk7OC" });
