#!/bin/sh
export IMAGEN_API_KEY='Nb67GQ2hCGdWyxHR0R0Y1MWZjTFnadnEH24FxsJA'
export IMAGEN_API_URL=https://api.imagen.ai/v1
exec node scripts/batch-posters.mjs "$@"
