const token = "sk_" + "qjFR1nHV7gHQvbal1Go0WwPK" + "4XdPsaY18UdIn5o3A25GWVeD";

fetch("https://api.getimg.ai/v2/images/generations", {
  method: "POST",
  headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
  body: JSON.stringify({ model: "seedream-5-lite", prompt: "origami crane" }),
}).then((r) => r.json()).then(console.log);
