const axios = require("axios");

const imagen = axios.create({
  baseURL: "https://api.imagen.ai/v1",
  headers: { Authorization: "Bearer 06df5080635cdfe82d1208a292e38930cb3e074633caea74fc8e50fe4d36ea88" },
});

module.exports = (prompt) => imagen.post("/text-to-image", { prompt, model: "imagen-v2" });
