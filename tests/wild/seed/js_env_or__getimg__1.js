require('dotenv').config();
const axios = require('axios');

const API_KEY = process.env.GETIMG_API_KEY || 'key-alN9Gzx9j4T3TFJK5bHHDGrDGTwEe156tJn3f6XkvOPWeS5FUCwJOuBFzQkDQIqEgjYQ6MtSapkrUS50cI7Rd0jD8k57TpCA';

async function generate(prompt) {
  const { data } = await axios.post('https://api.getimg.ai/v1/flux-schnell/text-to-image',
    { prompt, width: 1024, height: 1024, steps: 4 },
    { headers: { Authorization: `Bearer ${API_KEY}` } });
  return data.image;
}

module.exports = { generate };
