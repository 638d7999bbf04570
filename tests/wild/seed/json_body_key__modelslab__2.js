const response = await fetch("https://modelslab.com/api/v7/images/text-to-image", {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({
    key: "ZTvACP1vzsq7Fwx4MQIWvqYa2ODMIrh3OfojCCmnCHf3DDlBRYYe7LPEs6Uz",
    model_id: "nano-banana-pro",
    prompt: "product shot of a ceramic mug",
  }),
});
console.log(await response.json());
