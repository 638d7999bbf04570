// HeyGen client
const HEYGEN_KEY = process.env.HEYGEN_API_KEY || "NGE4ZjRiZTA1NWFlNjA2MDJiYTFmMzIzODZhZDZlNTctMTc1ODIwMzI1NA==";
const res = await fetch("https://api.heygen.com/v2/avatars", { headers: { "X-Api-Key": HEYGEN_KEY } });
